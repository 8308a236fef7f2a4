"""A backup and restore round trip (pg_dump / pg_restore through the management commands)
gives back identical data and history, table by table."""

from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg.conninfo import make_conninfo

from claims.models import Official
from claims.services import statement_publish, statement_review
from common.backup import libpq_environment
from common.roles import EDITORS, user_assign_role
from tests import factories

TABLES_SQL = """
    SELECT quote_ident(table_name) FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""


def _connect(dbname):
    env = libpq_environment(connection.settings_dict, database=dbname)
    params = {
        key: env[var]
        for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD"))
        if env.get(var)
    }
    return psycopg.connect(make_conninfo(dbname=dbname, **params), autocommit=True)


def _fingerprint(dbname) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row's text, in a stable order, for each table."""
    with _connect(dbname) as conn:
        tables = [row[0] for row in conn.execute(TABLES_SQL)]
        result = {}
        for table in tables:
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t"
            ).fetchone()
            result[table] = (count, digest)
        return result


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_keeps_data_and_history(tmp_path):
    editor = user_assign_role(user=factories.UserFactory(username="editor"), role=EDITORS)
    statement = factories.publishable_statement(text="گفت‌وگوهای غیرمستقیم ادامه دارد")
    statement = statement_review(statement=statement, actor=editor)
    statement_publish(statement=statement, actor=editor)
    factories.CitationFactory(statement=statement)
    official = factories.OfficialFactory(display_name="Kamal Kharrazi")
    Official.objects.filter(pk=official.pk).update(native_name="کمال خرازی")

    dump = tmp_path / "goftar.dump"
    call_command("backup_database", str(dump), stdout=StringIO())
    assert dump.stat().st_size > 0
    source = connection.settings_dict["NAME"]
    target = f"{source}_restored"
    with _connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    try:
        call_command("restore_database", str(dump), target, stdout=StringIO())
        before, after = _fingerprint(source), _fingerprint(target)
        assert before == after
        assert before["claims_statementevent"][0] >= 3  # insert, reviewed, published
        assert before["pghistory_context"][0] >= 2
        with _connect(target) as conn:
            # Triggers came back too: a write in the restored database is recorded.
            conn.execute("UPDATE claims_official SET notes = 'after restore' WHERE id = %s", [official.pk])
            labels = conn.execute(
                "SELECT pgh_label FROM claims_officialevent WHERE pgh_obj_id = %s ORDER BY pgh_id", [official.pk]
            ).fetchall()
            assert [label for (label,) in labels] == ["insert", "update", "update"]
            # And the published-statement guard.
            with pytest.raises(psycopg.errors.RestrictViolation):
                conn.execute("DELETE FROM claims_statement WHERE id = %s", [statement.pk])
    finally:
        with _connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_restore_refuses_the_database_in_use(tmp_path, db):
    from django.core.management.base import CommandError

    dump = tmp_path / "x.dump"
    dump.write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("restore_database", str(dump), connection.settings_dict["NAME"], stdout=StringIO())
