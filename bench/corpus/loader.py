"""Loading a corpus: COPY into truncated tables, with indexes, foreign keys and history triggers set aside."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable

from django.db import connection, transaction

from bench.corpus.generator import CorpusGenerator
from bench.corpus.plan import BULK_TABLES, CORPUS_TABLES, DEPENDENT_TABLES, KEPT_TRIGGERS, CorpusPlan, CorpusReport

# Column lists in the order the generator writes them. Generated columns are left out: PostgreSQL
# computes search_document and normalized itself.
COLUMNS = {
    "claims_organization": "id, created_at, updated_at, version, name, name_native, acronym, kind, country, parent_id",
    "claims_official": "id, created_at, updated_at, version, display_name, native_name, country, wikidata_id, notes",
    "claims_officialalias": "id, name, language, official_id",
    "claims_position": (
        "id, created_at, updated_at, version, title, title_native, start_date, start_precision, end_date, "
        "end_precision, organization_id, official_id"
    ),
    "claims_topic": (
        "id, created_at, updated_at, version, name, name_fa, name_ar, slug, keywords, description, parent_id"
    ),
    "sources_outlet": "id, created_at, updated_at, version, name, name_native, domain, country, language, kind",
    "sources_outletalias": "id, name, outlet_id",
    "sources_article": (
        "id, created_at, updated_at, version, url, upstream_name_as_printed, title, lead, body, language, news_code, "
        "published_at, published_as_printed, published_calendar, captured_at, body_sha256, outlet_id, "
        "upstream_outlet_id"
    ),
    "claims_statement": (
        "id, created_at, updated_at, version, speaker_name_as_printed, text, language, translation, question, "
        "said_on, said_on_precision, said_on_as_printed, said_on_calendar, venue_kind, attribution, status, "
        "status_changed_at, retraction_reason, official_id, position_id, venue_outlet_id"
    ),
    "claims_statementtopic": "id, statement_id, topic_id",
    "claims_claim": "id, created_at, updated_at, version, text, text_original, kind, statement_id",
    "claims_claimtopic": "id, claim_id, topic_id",
    "claims_claimparty": "id, claim_id, organization_id",
    "claims_claimrelation": "id, created_at, updated_at, version, kind, note, from_claim_id, to_claim_id",
    "claims_citation": (
        "id, created_at, updated_at, version, quote, start_offset, end_offset, role, verified, article_id, statement_id"
    ),
}


def corpus_row_counts() -> dict[str, int]:
    """Exact row counts of the corpus tables (for reports and tests)."""
    with connection.cursor() as cursor:
        return {
            table: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in CORPUS_TABLES
        }


def corpus_tables_in_use() -> list[str]:
    """The corpus tables that already hold rows."""
    with connection.cursor() as cursor:
        return [
            table
            for table in CORPUS_TABLES
            if cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]  # noqa: S608
        ]


def _copy_lines(cursor, table: str, lines, *, freeze: bool, batch: int = 2000) -> int:
    options = " WITH (FREEZE)" if freeze else ""
    count = 0
    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN{options}") as copy:
        buffer: list[str] = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= batch:
                copy.write("".join(buffer))
                count += len(buffer)
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
            count += len(buffer)
    return count


def _copy_file(cursor, table: str, handle, *, freeze: bool) -> None:
    options = " WITH (FREEZE)" if freeze else ""
    handle.seek(0)
    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN{options}") as copy:
        while chunk := handle.read(1 << 20):
            copy.write(chunk)


def _secondary_indexes(cursor, tables) -> list[tuple[str, str]]:
    """(name, definition) of the indexes on ``tables`` that no constraint owns."""
    return cursor.execute(
        """
        SELECT ci.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_class ci ON ci.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = t.oid)
        ORDER BY ci.relname
        """,
        [list(tables)],
    ).fetchall()


def _foreign_keys(cursor, tables) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the foreign keys declared on ``tables``."""
    return cursor.execute(
        """
        SELECT t.relname, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k
        JOIN pg_class t ON t.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
        WHERE k.contype = 'f' AND t.relname = ANY(%s)
        ORDER BY t.relname, k.conname
        """,
        [list(tables)],
    ).fetchall()


def _history_triggers(cursor, tables) -> list[tuple[str, str]]:
    """(table, trigger) of the user triggers on ``tables`` other than KEPT_TRIGGERS."""
    return cursor.execute(
        """
        SELECT c.relname, tg.tgname
        FROM pg_trigger tg
        JOIN pg_class c ON c.oid = tg.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        WHERE NOT tg.tgisinternal AND c.relname = ANY(%s) AND tg.tgenabled <> 'D'
          AND NOT tg.tgname LIKE ANY(%s)
        ORDER BY c.relname, tg.tgname
        """,
        [list(tables), [f"%{name}%" for name in KEPT_TRIGGERS]],
    ).fetchall()


def _history_event_tables(cursor) -> list[str]:
    names = [f"{table}event" for table in CORPUS_TABLES + DEPENDENT_TABLES]
    rows = cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "AND n.nspname = current_schema() WHERE c.relkind = 'r' AND c.relname = ANY(%s) ORDER BY 1",
        [names],
    ).fetchall()
    return [name for (name,) in rows]


def corpus_generate(
    *, statements: int, seed: int = 1, clear_history: bool = False, progress: Callable[[str], None] | None = None
) -> CorpusReport:
    """Replace the corpus tables' contents with a generated corpus of ``statements`` statements.

    The caller checks that the tables are empty (or that clearing them is wanted): this function
    truncates them. With ``clear_history`` the history tables of those models are truncated too.
    """
    say = progress or (lambda message: None)
    plan = CorpusPlan.for_statements(statements)
    generator = CorpusGenerator(plan, seed=seed, progress=say)
    report = CorpusReport()
    clock = time.monotonic()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        report.seconds[name] = round(now - clock, 2)
        clock = now

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        truncated = list(CORPUS_TABLES + DEPENDENT_TABLES)
        if clear_history:
            truncated += _history_event_tables(cursor)
        cursor.execute(f"TRUNCATE {', '.join(truncated)} RESTART IDENTITY CASCADE")
        indexes = _secondary_indexes(cursor, BULK_TABLES)
        foreign_keys = _foreign_keys(cursor, CORPUS_TABLES)
        triggers = _history_triggers(cursor, CORPUS_TABLES)
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        phase("prepare")

        # FREEZE writes the rows already visible to everyone (no later vacuum pass over them).
        def load(table: str, lines) -> None:
            report.rows[table] = _copy_lines(cursor, table, lines, freeze=True)

        load("claims_organization", generator.organizations())
        load("claims_official", generator.officials())
        load("claims_officialalias", generator.official_alias_rows())
        load("claims_position", generator.positions())
        load("claims_topic", generator.topics())
        load("sources_outlet", generator.outlets())
        load("sources_outletalias", generator.outlet_alias_rows())
        phase("reference data")
        say(f"reference data: {plan.officials:,} officials, {plan.topics:,} topics, {plan.outlets:,} outlets")
        load("sources_article", generator.articles())
        phase("articles")
        child_tables = BULK_TABLES[2:]
        with tempfile.TemporaryDirectory(prefix="goftar-corpus-") as folder:
            files = {
                table: open(os.path.join(folder, f"{table}.copy"), "w+", encoding="utf-8")  # noqa: SIM115
                for table in child_tables
            }
            try:
                load("claims_statement", generator.statements(files))
                phase("statements")
                for table in child_tables:
                    say(f"loading {table} ({generator.rows[table]:,} rows)")
                    _copy_file(cursor, table, files[table], freeze=True)
                    report.rows[table] = generator.rows[table]
            finally:
                for handle in files.values():
                    handle.close()
        phase("child rows")

        for table in CORPUS_TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) "
                f"FROM {table}"  # noqa: S608 - fixed names
            )
        say(f"rebuilding {len(indexes)} indexes")
        for _name, definition in indexes:
            cursor.execute(definition)
        phase("indexes")
        say(f"restoring {len(foreign_keys)} foreign keys")
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        phase("foreign keys")
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
        for table in CORPUS_TABLES:
            cursor.execute(f"ANALYZE {table}")
        phase("analyze")
    return report
