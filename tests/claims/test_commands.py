from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import Statement
from sources.models import Article

pytestmark = pytest.mark.django_db


def _run(*args, **kwargs):
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_load_demo_loads_then_reports_nothing_to_do():
    first = _run("load_demo")
    assert "Demo data loaded." in first
    assert "Statement: 4 created" in first
    assert Statement.objects.count() == 4
    second = _run("load_demo")
    assert "nothing changed" in second
    assert "Statement: 0 created, 0 updated, 4 unchanged" in second


def test_load_demo_dry_run_writes_nothing():
    output = _run("load_demo", "--dry-run")
    assert "Article: 1 created" in output
    assert "Dry run" in output
    assert not Article.objects.exists()


def test_ensure_demo_login_creates_the_superuser_once(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("GOFTAR_DEMO_PASSWORD", raising=False)
    output = _run("ensure_demo_login")
    assert "created" in output
    assert "goftar-demo" in output
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.check_password("goftar-demo")
    assert "already set up" in _run("ensure_demo_login")
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_ensure_demo_login_takes_the_password_from_the_environment(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("GOFTAR_DEMO_PASSWORD", "a-long-local-secret")
    output = _run("ensure_demo_login")
    assert "a-long-local-secret" not in output
    assert get_user_model().objects.get(username="admin").check_password("a-long-local-secret")


def test_ensure_demo_login_refuses_the_default_password_without_debug(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("GOFTAR_DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="default password"):
        _run("ensure_demo_login")
    assert not get_user_model().objects.filter(username="admin").exists()


def test_demo_login_works_on_the_admin(client, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("GOFTAR_DEMO_PASSWORD", raising=False)
    _run("ensure_demo_login")
    _run("load_demo")
    assert client.login(username="admin", password="goftar-demo")
    content = client.get("/admin/claims/statement/").content.decode()
    assert "گفتوگوهای غیرمستقیم" in content
