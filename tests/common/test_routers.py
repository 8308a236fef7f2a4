"""The read replica router (common.routers) against a real streaming replica.

The module starts its own primary (initdb) and a streaming replica of it (pg_basebackup -R),
points the app's ``default`` and ``replica_1`` at them (as DATABASE_URL and DATABASE_REPLICA_URLS
would), migrates the primary and creates data through the app. Replay on the replica is paused
to leave rows on the primary only: a page that does not show them read the replica. Every query
is logged per alias, and the replica logs every data-changing statement it is sent
(log_statement = mod), so the tests also see that none ever reached it.
"""

import csv
import io
import json
import time

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from common.middleware import ReadPrimaryMiddleware
from common.routers import REPLICA_LAG_SQL, ReplicaRouter, read_from_primary, replica_health
from tests import factories
from tests.common.html_forms import admin_form_data
from tests.common.postgres_servers import Cluster, app_databases, missing_postgres_binaries, wait_for_replay

REPLICA = "replica_1"
ALIASES = (DEFAULT_DB_ALIAS, REPLICA)


def test_without_replicas_every_query_stays_on_the_primary(monkeypatch, rf):
    from claims.models import Statement

    monkeypatch.setattr("common.routers.replica_aliases", lambda: [])
    monkeypatch.setattr("common.middleware.replica_aliases", lambda: [])
    router = ReplicaRouter()
    assert router.db_for_read(Statement) is None  # Django's default: "default"
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "claims") is True
    # ... and the middleware sets no cookie.
    response = ReadPrimaryMiddleware(lambda request: HttpResponse())(rf.post("/statements/"))
    assert ReadPrimaryMiddleware.COOKIE_NAME not in response.cookies


def test_migrations_run_on_the_primary_only():
    assert ReplicaRouter().allow_migrate(REPLICA, "claims") is False


needs_postgres = pytest.mark.skipif(
    bool(missing_postgres_binaries()),
    reason=f"PostgreSQL binaries missing ({', '.join(missing_postgres_binaries())}): set GOFTAR_TEST_PG_BIN",
)


@pytest.fixture(scope="module")
def servers(django_db_blocker):
    """A migrated primary with a streaming replica, the app pointed at both, some data."""
    from config.database import replica_database_configs, url_database_config

    primary = Cluster.primary()
    replica = None
    try:
        primary.start()
        primary.execute("CREATE DATABASE goftar", database="postgres")
        replica = primary.standby()
        replica.start()
        mp = pytest.MonkeyPatch()
        mp.setenv("DATABASE_REPLICA_URLS", replica.url())
        mp.setenv("CONN_MAX_AGE", "0")
        configs = {DEFAULT_DB_ALIAS: url_database_config(primary.url(), name="DATABASE_URL"),
                   **replica_database_configs()}  # fmt: skip
        mp.undo()
        assert list(configs) == list(ALIASES)
        with django_db_blocker.unblock(), app_databases(configs):
            call_command("migrate", verbosity=0, interactive=False)
            data = _create_data()
            wait_for_replay(primary, replica)
            yield primary, replica, data
    finally:
        if replica is not None:
            replica.remove()
        primary.remove()


def _create_data():
    from common.roles import ANALYSTS, CURATORS, user_assign_role

    official = factories.OfficialFactory(display_name="Kamal Kharrazi")
    return {
        "official": official,
        "statement": factories.StatementFactory(official=official),
        "curator": user_assign_role(user=factories.UserFactory(username="curator"), role=CURATORS),
        "analyst": user_assign_role(user=factories.UserFactory(username="analyst"), role=ANALYSTS),
    }


@pytest.fixture
def app(servers, django_db_blocker):
    with django_db_blocker.unblock():
        for alias in ALIASES:
            connections[alias].force_debug_cursor = True
        replica_health.forget()
        yield servers
        for alias in ALIASES:
            connections[alias].force_debug_cursor = False
    primary, replica, _ = servers
    assert replica_writes(replica) == []


class Served:
    """A response, its whole body, and the SQL each server ran for it."""

    def __init__(self, response):
        self.response = response
        self.body = b"".join(response.streaming_content) if response.streaming else response.content
        # Django empties every connection's query log when a request starts.
        self.sql = {alias: [query["sql"] for query in connections[alias].queries_log] for alias in ALIASES}

    def data_reads(self, alias) -> list[str]:
        """The queries of the analysts' data this server answered (the lag check aside)."""
        return [sql for sql in self.sql[alias] if sql != REPLICA_LAG_SQL and ("claims_" in sql or "sources_" in sql)]


def get(client, url) -> Served:
    served = Served(client.get(url))
    assert served.response.status_code == 200, served.body[:500]
    return served


def replica_writes(replica: Cluster) -> list[str]:
    """Every data-changing statement the replica was sent (it logs them: log_statement = mod)."""
    return [line for line in replica.log.read_text(errors="replace").splitlines() if "statement:" in line]


def _ids_in_csv(body: bytes) -> set[int]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    column = rows[0].index("id")
    return {int(row[column]) for row in rows[1:] if row[column].isdigit()}


def _detail(pk) -> str:
    return reverse("claims:statement_detail", args=[pk])


@needs_postgres
def test_analysts_read_the_replica_and_a_writer_reads_their_own_edit(app, settings):
    primary, replica, data = app
    statement, official = data["statement"], data["official"]
    settings.GOFTAR_REPLICA_MAX_LAG_SECONDS = 600
    replica.execute("SELECT pg_wal_replay_pause()")
    try:
        # Written after replay stopped: on the primary only.
        fresh = factories.StatementFactory(official=official)
        anonymous = Client()
        analyst = Client()
        analyst.force_login(data["analyst"])

        page = get(anonymous, reverse("claims:statement_list"))
        assert _detail(statement.pk).encode() in page.body
        assert _detail(fresh.pk).encode() not in page.body
        assert page.data_reads(REPLICA) and not page.data_reads(DEFAULT_DB_ALIAS)

        counts = get(analyst, reverse("claims:statement_counts"))
        assert counts.data_reads(REPLICA) and not counts.data_reads(DEFAULT_DB_ALIAS)
        # The analyst's session and roles are read from the primary.
        assert any("django_session" in sql for sql in counts.sql[DEFAULT_DB_ALIAS])

        api = get(analyst, reverse("api:statement-list"))
        ids = {row["id"] for row in json.loads(api.body)["results"]}
        assert statement.pk in ids and fresh.pk not in ids
        assert api.data_reads(REPLICA) and not api.data_reads(DEFAULT_DB_ALIAS)

        export = get(analyst, reverse("claims:statement_export"))
        assert _ids_in_csv(export.body) == {statement.pk}
        assert any(sql.startswith("COPY (") for sql in export.sql[REPLICA])
        assert not export.data_reads(DEFAULT_DB_ALIAS)

        # A curator edits through the admin: the admin reads and writes the primary...
        curator = Client()
        curator.force_login(data["curator"])
        url = reverse("admin:claims_official_change", args=[official.pk])
        form = get(curator, url)
        assert not form.data_reads(REPLICA)
        payload = admin_form_data(form.response)
        payload["display_name"] = ["Kamal Kharrazi (edited)"]
        saved = Served(curator.post(url, payload))
        assert saved.response.status_code == 302, saved.body[:2000]
        assert not saved.data_reads(REPLICA)
        # pghistory puts its context (set_config) in front of the UPDATE, in the same statement.
        assert any("set_config('pghistory.context_id'" in sql and 'UPDATE "claims_official"' in sql
                   for sql in saved.sql[DEFAULT_DB_ALIAS])  # fmt: skip
        assert ReadPrimaryMiddleware.COOKIE_NAME in saved.response.cookies

        # ...and for a few seconds after, their pages read the primary too: they see their edit,
        # which the replica has not replayed; everyone else still reads the replica.
        official_page = reverse("claims:official_detail", args=[official.pk])
        own = get(curator, official_page)
        assert "Kamal Kharrazi (edited)" in own.body.decode()
        assert not own.data_reads(REPLICA) and own.data_reads(DEFAULT_DB_ALIAS)
        own_list = get(curator, reverse("claims:statement_list"))
        assert _detail(fresh.pk).encode() in own_list.body
        own_export = get(curator, reverse("claims:statement_export"))
        assert _ids_in_csv(own_export.body) == {statement.pk, fresh.pk}
        assert not own_export.sql[REPLICA]

        others = get(anonymous, official_page)
        assert "Kamal Kharrazi (edited)" not in others.body.decode()
        assert others.data_reads(REPLICA)

        # The window is short: once it has passed, the curator reads the replica again.
        settings.GOFTAR_READ_PRIMARY_SECONDS = 1
        time.sleep(1.2)
        later = get(curator, official_page)
        assert "Kamal Kharrazi (edited)" not in later.body.decode()
        assert later.data_reads(REPLICA)
    finally:
        replica.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay(primary, replica)
    replayed = get(Client(), reverse("claims:official_detail", args=[official.pk]))
    assert "Kamal Kharrazi (edited)" in replayed.body.decode() and replayed.data_reads(REPLICA)


@needs_postgres
def test_reads_inside_a_transaction_or_a_primary_block_stay_on_the_primary(app):
    from django.db import transaction

    from claims.models import Statement

    with transaction.atomic():
        assert Statement.objects.all().db == DEFAULT_DB_ALIAS
    with read_from_primary():
        assert Statement.objects.all().db == DEFAULT_DB_ALIAS
    assert Statement.objects.all().db == REPLICA
    # Sessions, users and roles are never read from a replica.
    from django.contrib.sessions.models import Session

    assert Session.objects.all().db == DEFAULT_DB_ALIAS


@needs_postgres
def test_replica_connections_are_read_only(app):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SHOW default_transaction_read_only")
        assert cursor.fetchone() == ("on",)


@needs_postgres
def test_a_lagging_replica_is_skipped_and_asked_again_only_after_a_while(app, settings):
    primary, replica, data = app
    settings.GOFTAR_REPLICA_MAX_LAG_SECONDS = 1
    settings.GOFTAR_REPLICA_CHECK_SECONDS = 60
    replica.execute("SELECT pg_wal_replay_pause()")
    try:
        fresh = factories.StatementFactory(official=data["official"])
        time.sleep(1.5)  # the last replayed commit is now older than the bound
        page = get(Client(), reverse("claims:statement_list"))
        assert _detail(fresh.pk).encode() in page.body
        assert page.sql[REPLICA] == [REPLICA_LAG_SQL]
        assert page.data_reads(DEFAULT_DB_ALIAS)
        # The answer is kept: the next request does not ask again.
        again = get(Client(), reverse("claims:statement_list"))
        assert again.sql[REPLICA] == []
    finally:
        replica.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay(primary, replica)
    replica_health.forget()
    settings.GOFTAR_REPLICA_MAX_LAG_SECONDS = 30
    caught_up = get(Client(), reverse("claims:statement_list"))
    assert _detail(fresh.pk).encode() in caught_up.body
    assert caught_up.data_reads(REPLICA) and not caught_up.data_reads(DEFAULT_DB_ALIAS)


@needs_postgres
def test_a_stopped_replica_is_skipped(app):
    """Last in the module: it leaves the replica stopped."""
    primary, replica, data = app
    assert get(Client(), reverse("claims:statement_list")).data_reads(REPLICA)
    replica.stop()
    # Until the next check the replica still counts as usable: the request sent there fails, as
    # while the database is unreachable (a 503), and its failure has the replica asked again at once.
    failed = Client(raise_request_exception=False).get(reverse("claims:statement_list"))
    assert failed.status_code == 503
    page = get(Client(), reverse("claims:statement_list"))
    assert _detail(data["statement"].pk).encode() in page.body
    assert page.data_reads(DEFAULT_DB_ALIAS) and not page.data_reads(REPLICA)
    export = get(Client(), reverse("claims:statement_export"))
    assert data["statement"].pk in _ids_in_csv(export.body)
    assert any(sql.startswith("COPY (") for sql in export.sql[DEFAULT_DB_ALIAS])
