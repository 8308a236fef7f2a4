"""The benchmark is an app of its own, installed only where it is used, and no app depends on it."""

import ast
import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = {
    "SECRET_KEY": "x" * 20 + "-production-test-key-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "goftar.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
}
INSTALLED = "from django.conf import settings; print('bench' in settings.INSTALLED_APPS)"


def _installed_under(settings_module: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in DEPLOYED} | DEPLOYED
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    result = subprocess.run(
        [sys.executable, "-c", INSTALLED], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_does_not_install_the_benchmark():
    assert _installed_under("config.settings.production") == "False"
    assert '"bench"' not in (ROOT / "config" / "settings" / "production.py").read_text()


def test_the_benchmark_server_and_the_tests_install_it():
    assert _installed_under("bench.settings") == "True"
    assert apps.is_installed("bench")
    assert 'INSTALLED_APPS = [*INSTALLED_APPS, "bench"]' in (ROOT / "config" / "settings" / "local.py").read_text()


def test_no_app_imports_the_benchmark():
    offenders = []
    for app in ("claims", "sources", "common"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] == "bench"]
    assert offenders == []
