"""Database selection: DATABASE_URL, or the embedded PostgreSQL with a clear failure message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.database import database_config

BASE_DIR = Path(__file__).resolve().parents[2]


def test_database_url_selects_that_server(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://alice:secret@db.internal:6543/goftar")
    config = database_config(base_dir=BASE_DIR, embedded=True)
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        6543,
        "goftar",
    )


@pytest.mark.parametrize("url", ["sqlite:///goftar.db", "mysql://root@localhost/goftar"])
def test_database_url_must_be_postgresql(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        database_config(base_dir=BASE_DIR, embedded=True)


def test_embedded_server_failure_says_what_went_wrong(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["GOFTAR_PGDATA"] = str(blocker / "pgdata")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "embedded PostgreSQL data folder" in result.stderr
    assert "GOFTAR_PGDATA" in result.stderr


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT goftar_fold(%s)", ["گفت‌وگو"])
        assert cursor.fetchone()[0] == "گفت وگو"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/admin/claims/statement/?q=a%00b", "/statements/?q=%00", "/admin/sources/article/?x%00=1"]
)
def test_nul_characters_in_parameters_are_refused_with_400(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert b"NUL" in response.content


@pytest.mark.django_db
def test_nul_characters_in_posted_forms_are_refused_with_400(admin_client):
    response = admin_client.post("/admin/claims/topic/add/", {"name": "a\x00b", "slug": "ab"})
    assert response.status_code == 400


def test_production_settings_refuse_to_start_without_database_url(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="goftar.example")
    # A data folder of its own: were the embedded server started, it would show up here.
    env["GOFTAR_PGDATA"] = str(tmp_path / "pgdata")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert not (tmp_path / "pgdata").exists()


def test_no_replica_urls_means_no_replicas(monkeypatch):
    from config.database import replica_database_configs

    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    assert replica_database_configs() == {}


def test_replica_urls_are_parsed_like_database_url_and_open_read_only(monkeypatch):
    from config.database import replica_database_configs

    monkeypatch.delenv("DATABASE_POOLER", raising=False)
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS", "postgres://reader@replica-a:5432/goftar, postgres://reader@replica-b:5433/goftar"
    )
    configs = replica_database_configs()
    assert list(configs) == ["replica_1", "replica_2"]
    assert (configs["replica_2"]["HOST"], configs["replica_2"]["PORT"]) == ("replica-b", 5433)
    for config in configs.values():
        assert config["OPTIONS"]["options"] == "-c default_transaction_read_only=on"
        assert config["TEST"] == {"MIRROR": "default"}


def test_replica_urls_must_be_postgresql(monkeypatch):
    from config.database import replica_database_configs

    monkeypatch.setenv("DATABASE_REPLICA_URLS", "mysql://root@replica/goftar")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URLS must point to PostgreSQL"):
        replica_database_configs()


def test_pgbouncer_turns_server_side_cursors_off(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@pgbouncer:6432/goftar")
    monkeypatch.setenv("CONN_MAX_AGE", "0")
    assert not database_config(base_dir=BASE_DIR, embedded=False).get("DISABLE_SERVER_SIDE_CURSORS")
    monkeypatch.setenv("DATABASE_POOLER", "pgbouncer")
    config = database_config(base_dir=BASE_DIR, embedded=False)
    assert (config["DISABLE_SERVER_SIDE_CURSORS"], config["CONN_MAX_AGE"]) == (True, 0)
    monkeypatch.setenv("DATABASE_POOLER", "pgpool")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOLER"):
        database_config(base_dir=BASE_DIR, embedded=False)
    monkeypatch.delenv("DATABASE_POOLER")
    monkeypatch.setenv("DISABLE_SERVER_SIDE_CURSORS", "1")
    assert database_config(base_dir=BASE_DIR, embedded=False)["DISABLE_SERVER_SIDE_CURSORS"] is True
