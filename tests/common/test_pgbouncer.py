"""The app through PgBouncer in transaction pooling (DATABASE_POOLER=pgbouncer).

Debian's pgbouncer is started on a free port in front of the test database, with two server
connections for every client, so consecutive transactions of one Django connection may land on
different server connections. The app is then pointed at it, as DATABASE_URL would point a
deployment, and the statement list, the CSV export (COPY), an article import (``manage.py
import_article``, another process) and an admin edit with its history context (pghistory puts
``set_config(..., true)`` in front of each write, in the same statement) run through it.
"""

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse

from tests import factories
from tests.common.html_forms import admin_form_data
from tests.common.postgres_servers import PGBOUNCER, PgBouncer, app_databases

SEED = Path(__file__).resolve().parents[1] / "data" / "articles" / "seed_kharrazi_interview.txt"

pytestmark = pytest.mark.skipif(
    not Path(PGBOUNCER).is_file(), reason="pgbouncer is not installed (scripts/test installs Debian's package)"
)


@pytest.fixture
def bouncer(transactional_db, monkeypatch):
    """The app's default database reached through PgBouncer for the test."""
    from config.database import url_database_config

    server = connection.settings_dict
    bouncer = PgBouncer(
        host=server["HOST"],
        port=server["PORT"],
        database=server["NAME"],
        user=server["USER"],
        password=server.get("PASSWORD") or "",
    )
    bouncer.start()
    try:
        monkeypatch.setenv("DATABASE_POOLER", "pgbouncer")
        config = url_database_config(bouncer.url(), name="DATABASE_URL")
        monkeypatch.delenv("DATABASE_POOLER")
        assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
        with app_databases({DEFAULT_DB_ALIAS: config}):
            yield bouncer
    finally:
        bouncer.stop()


def _served_by_bouncer(bouncer) -> int:
    """How many queries PgBouncer has passed on (its admin console's SHOW STATS)."""
    rows = bouncer.admin("SHOW STATS")
    return sum(int(row["total_query_count"]) for row in rows if row["database"] == bouncer.database)


def test_list_export_import_and_admin_edit_work_through_pgbouncer(bouncer, client):
    from claims.models import Official, Statement
    from sources.models import Article

    assert connections[DEFAULT_DB_ALIAS].settings_dict["PORT"] == bouncer.port
    time.sleep(1.5)
    before = _served_by_bouncer(bouncer)
    official = factories.OfficialFactory(display_name="Kamal Kharrazi")
    statement = factories.StatementFactory(official=official)
    curator = factories.UserFactory(username="curator", is_staff=True, is_superuser=True)
    client.force_login(curator)

    page = client.get(reverse("claims:statement_list"))
    assert page.status_code == 200
    assert reverse("claims:statement_detail", args=[statement.pk]).encode() in page.content

    export = client.get(reverse("claims:statement_export"))
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows] == ["id", str(statement.pk)]

    # Another process, configured as a deployment behind PgBouncer would be.
    environment = {
        **os.environ,
        "DATABASE_URL": bouncer.url(),
        "DATABASE_POOLER": "pgbouncer",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    environment.pop("DATABASE_REPLICA_URLS", None)
    imported = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(SEED)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert imported.returncode == 0, imported.stderr
    article = Article.objects.get()
    assert Statement.objects.filter(citations__article=article).exists()
    import_event = Article.pgh_event_model.objects.get(pgh_obj_id=article.pk)
    assert import_event.pgh_context.metadata["importer"] == "import_article"

    url = reverse("admin:claims_official_change", args=[official.pk])
    data = admin_form_data(client.get(url))
    data["native_name"] = ["کمال خرازی"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    event = Official.pgh_event_model.objects.filter(pgh_obj_id=official.pk).order_by("pgh_id").last()
    assert (event.pgh_label, event.native_name) == ("update", "کمال خرازی")
    assert event.pgh_context.metadata["user"] == curator.pk
    assert event.pgh_context.metadata["url"] == url

    time.sleep(1.5)  # PgBouncer adds up its counters every stats_period (1 s here)
    assert _served_by_bouncer(bouncer) > before
    assert [line for line in bouncer.log().splitlines() if " ERROR " in line] == []
