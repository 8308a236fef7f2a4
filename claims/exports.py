"""CSV exports of statements and claims: the columns, declared once, and the streaming writer.

An export is one SQL SELECT built from the same selector (and so the same FilterSet) as the list
page, run through PostgreSQL's ``COPY (...) TO STDOUT WITH (FORMAT csv)`` and streamed chunk by
chunk after a UTF-8 byte order mark and the header line. Nothing is built in memory, the first row
leaves at once, and the cost stays within a few percent of PostgreSQL's own COPY of that SELECT
(docs/benchmarks.md). The web view and ``manage.py export_statements`` / ``export_claims`` write the same
bytes because both call :func:`stream_csv`.

Format: UTF-8 with BOM (Excel then shows Persian correctly), comma-separated, fields quoted as
RFC 4180 says (PostgreSQL's CSV mode: quotes around any field with a comma, quote or line break,
quotes doubled), lines ending in LF, empty field for "no value". Dates are ISO (2024-05-12) with a
Solar Hijri column beside them (1403-02-23).

Formula injection: every text cell whose first character, after any spaces or bidi marks, is one of
``= + - @``, tab, CR, LF or their full-width or small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫) gets a leading
single quote, so a spreadsheet shows it as text. The escaping happens inside the SELECT
(``regexp_replace``), so no row passes through Python on its way out.
"""

import csv
import functools
import io
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import jdatetime
from django.db import connections, models
from django.db.models import F, Func
from django.db.models.expressions import RawSQL

from claims.choices import CitationRole, ReviewStatus
from claims.querysets import held_position
from claims.rules import may_see_unpublished

BOM = "\ufeff".encode()
CHUNK_BYTES = 64 * 1024
LIST_SEPARATOR = " | "

# Characters a spreadsheet may read as the start of a formula.
FORMULA_TRIGGERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt) that are not format
# characters: a Hangul filler or a combining grapheme joiner shows nothing either.
_DEFAULT_IGNORABLE = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
                      (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0100, 0xE01EF))  # fmt: skip
_INVISIBLE_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def invisible_ranges() -> list[tuple[int, int]]:
    """What may stand before a formula trigger unseen: every space, control and format character
    (Unicode categories Zs, Zl, Zp, Cc, Cf) and the other default-ignorable ones, as ranges.
    NUL is left out: PostgreSQL text cannot hold it."""
    ranges: list[list[int]] = []
    ignorable = [range(low, high + 1) for low, high in _DEFAULT_IGNORABLE]
    for code in range(1, sys.maxunicode + 1):
        if unicodedata.category(chr(code)) in _INVISIBLE_CATEGORIES or any(code in r for r in ignorable):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return [(low, high) for low, high in ranges]


def _bracket(characters: str) -> str:
    # In a POSIX bracket expression a "-" is literal only at the end; nothing else here is special.
    return "[" + characters.replace("-", "") + ("-" if "-" in characters else "") + "]"


@functools.cache
def formula_pattern() -> str:
    """The regular expression of a cell a spreadsheet would take for a formula (built once a process)."""
    leaders = "".join(chr(low) if low == high else f"{chr(low)}-{chr(high)}" for low, high in invisible_ranges())
    return "^([" + leaders + "]*" + _bracket(FORMULA_TRIGGERS) + ")"


class CsvSafe(Func):
    """A text cell with a leading single quote when a spreadsheet would take it for a formula."""

    output_field = models.TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"regexp_replace({sql}, %s, %s)", [*params, formula_pattern(), "'\\1"]


class IsoDate(Func):
    """``2024-05-12`` whatever the server's DateStyle."""

    function = "to_char"
    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    output_field = models.TextField()


# Gregorian years covered by the Solar Hijri conversion below, and the March day of Nowruz in each.
_NOWRUZ_FIRST_YEAR = 1900
_NOWRUZ_LAST_YEAR = 2199
_NOWRUZ_DAYS = [
    jdatetime.date(year - 621, 1, 1).togregorian().day for year in range(_NOWRUZ_FIRST_YEAR, _NOWRUZ_LAST_YEAR + 1)
]
_NOWRUZ_ARRAY = "'{" + ",".join(map(str, _NOWRUZ_DAYS)) + "}'::int[]"


class SolarHijriIso(Func):
    """``1403-02-23``: the Solar Hijri form of a date, computed in SQL (NULL outside 1900–2199).

    Nowruz (1 Farvardin) falls on a March day that jdatetime gives for each Gregorian year; the day
    of the Solar Hijri year then gives month and day (six months of 31 days, then 30). Agrees with
    ``common.dates.solar_hijri_iso`` (tested day by day).
    """

    output_field = models.TextField()

    def as_sql(self, compiler, connection, **extra_context):
        date_sql, params = compiler.compile(self.get_source_expressions()[0])
        base = _NOWRUZ_FIRST_YEAR - 1
        days = _NOWRUZ_ARRAY
        sql = f"""(SELECT to_char(sh.y, 'FM0000') || '-'
                 || to_char(CASE WHEN sh.doy < 186 THEN sh.doy / 31 + 1 ELSE (sh.doy - 186) / 30 + 7 END, 'FM00')
                 || '-'
                 || to_char(CASE WHEN sh.doy < 186 THEN mod(sh.doy, 31) + 1 ELSE mod(sh.doy - 186, 30) + 1 END, 'FM00')
            FROM (SELECT CASE WHEN g.d >= g.n THEN g.gy - 621 ELSE g.gy - 622 END AS y,
                         CASE WHEN g.d >= g.n THEN g.d - g.n
                              ELSE g.d - make_date(g.gy - 1, 3, ({days})[g.gy - 1 - {base}]) END AS doy
                    FROM (SELECT x.d, x.gy, make_date(x.gy, 3, ({days})[x.gy - {base}]) AS n
                            FROM (SELECT y.d, extract(year FROM y.d)::int AS gy
                                    FROM (SELECT ({date_sql})::date AS d) y) x
                           WHERE x.gy BETWEEN {_NOWRUZ_FIRST_YEAR + 1} AND {_NOWRUZ_LAST_YEAR}) g) sh)"""
        return sql, params


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, the SQL expression for it and what it holds."""

    name: str
    expression: object
    description: str
    text: bool = True


def _joined(sql: str) -> RawSQL:
    """One text cell: the values a correlated subquery returns, joined with LIST_SEPARATOR.

    ``ARRAY_TO_STRING(ARRAY(subquery))`` costs one index scan per row, without the grouping an
    aggregate subquery adds; the outer table is referred to by its name, which Django keeps for
    the queryset's own model.
    """
    return RawSQL(f"ARRAY_TO_STRING(ARRAY({sql}), '{LIST_SEPARATOR}')", [], output_field=models.TextField())


STATEMENT_COLUMNS: tuple[Column, ...] = (
    Column("id", F("id"), "Statement id (the page is /statements/<id>/).", text=False),
    Column(
        "said_on",
        IsoDate("said_on"),
        "Date said, ISO 8601 (first day of the month or year when less precise).",
        text=False,
    ),
    Column("said_on_solar_hijri", SolarHijriIso("said_on"), "The same date in the Solar Hijri calendar.", text=False),
    Column("date_precision", F("said_on_precision"), "day, month or year."),
    Column("official_id", F("official_id"), "Official id (/officials/<id>/).", text=False),
    Column("official", F("official__display_name"), "Official's display name."),
    Column("official_native_name", F("official__native_name"), "Official's name in their own script."),
    Column("speaker_as_printed", F("speaker_name_as_printed"), "Speaker's name as printed in the source."),
    Column("position", held_position("title"), "Post held on that date (or the curator's override)."),
    Column("organization", held_position("organization__name"), "Organisation of that post."),
    Column("country", held_position("organization__country"), "Country of that organisation (ISO 3166-1 alpha-2)."),
    Column("language", F("language"), "Language of the words as said (fa, ar, en, other)."),
    Column("text", F("text"), "The words as said, in the original language."),
    Column("translation", F("translation"), "English translation."),
    Column("question", F("question"), "The question the statement answered."),
    Column(
        "venue_kind", F("venue_kind"), "interview, press_conference, speech, social_post, written_statement, other."
    ),
    Column("venue_outlet", F("venue_outlet__name"), "Outlet where the words were said."),
    Column("attribution", F("attribution"), "direct_quote, paraphrase, translation, unnamed_source."),
    Column(
        "topics",
        _joined(
            "SELECT t.name FROM claims_statementtopic st JOIN claims_topic t ON t.id = st.topic_id"
            ' WHERE st.statement_id = "claims_statement"."id" ORDER BY t.name, t.id'
        ),
        "Topic names, separated by ' | '.",
    ),
    Column(
        "claims",
        RawSQL(
            'SELECT count(*) FROM claims_claim c WHERE c.statement_id = "claims_statement"."id"',
            [],
            output_field=models.IntegerField(),
        ),
        "Number of claims recorded in the statement.",
        text=False,
    ),
    Column(
        "sources",
        _joined(
            "SELECT COALESCE(a.url, a.title) FROM claims_citation c JOIN sources_article a ON a.id = c.article_id"
            ' WHERE c.statement_id = "claims_statement"."id"'
            f" ORDER BY CASE c.role WHEN '{CitationRole.ORIGINAL_VENUE}' THEN 0 WHEN '{CitationRole.REPORTER}' THEN 1"
            " ELSE 2 END, c.article_id, c.id"
        ),
        "Cited articles (URL, else title): original venue, then reporters, then republishers.",
    ),
    Column("status", F("status"), "Review status: draft, reviewed, published, retracted."),
)

RELATIONS_COLUMN = Column(
    "relations",
    _joined(
        "SELECT r.kind || ' #' || r.to_claim_id FROM claims_claimrelation r"
        ' WHERE r.from_claim_id = "claims_claim"."id" ORDER BY r.id'
    ),
    "This claim's links to other claims, e.g. 'qualifies #12' (for anonymous visitors, to published claims only).",
)

CLAIM_COLUMNS: tuple[Column, ...] = (
    Column("id", F("id"), "Claim id.", text=False),
    Column("statement_id", F("statement_id"), "Statement id (/statements/<id>/).", text=False),
    Column("said_on", IsoDate("statement__said_on"), "Date the statement was made, ISO 8601.", text=False),
    Column(
        "said_on_solar_hijri",
        SolarHijriIso("statement__said_on"),
        "The same date in the Solar Hijri calendar.",
        text=False,
    ),
    Column("official_id", F("statement__official_id"), "Official id.", text=False),
    Column("official", F("statement__official__display_name"), "Official's display name."),
    Column("kind", F("kind"), "assertion, denial, position, commitment, demand, warning, concession."),
    Column("text", F("text"), "The claim in English."),
    Column("text_original", F("text_original"), "The claim in the original language."),
    Column(
        "topics",
        _joined(
            "SELECT t.name FROM claims_claimtopic ct JOIN claims_topic t ON t.id = ct.topic_id"
            ' WHERE ct.claim_id = "claims_claim"."id" ORDER BY t.name, t.id'
        ),
        "Topic names, separated by ' | '.",
    ),
    Column(
        "parties",
        _joined(
            "SELECT o.name FROM claims_claimparty cp JOIN claims_organization o ON o.id = cp.organization_id"
            ' WHERE cp.claim_id = "claims_claim"."id" ORDER BY o.name, o.id'
        ),
        "Organisations or states the claim is about, separated by ' | '.",
    ),
    RELATIONS_COLUMN,
    Column("statement_language", F("statement__language"), "Language of the statement."),
    Column("status", F("statement__status"), "Review status of the statement."),
)


# What anonymous visitors read: links to claims of published statements only, as on the pages.
PUBLISHED_RELATIONS_COLUMN = Column(
    RELATIONS_COLUMN.name,
    _joined(
        "SELECT r.kind || ' #' || r.to_claim_id FROM claims_claimrelation r"
        " JOIN claims_claim target ON target.id = r.to_claim_id"
        " JOIN claims_statement target_statement ON target_statement.id = target.statement_id"
        f" WHERE r.from_claim_id = \"claims_claim\".\"id\" AND target_statement.status = '{ReviewStatus.PUBLISHED}'"
        " ORDER BY r.id"
    ),
    RELATIONS_COLUMN.description,
)


def claim_columns(user) -> tuple[Column, ...]:
    """The claims CSV's columns as ``user`` may read them (claims.rules.may_see_unpublished)."""
    if may_see_unpublished(user):
        return CLAIM_COLUMNS
    return tuple(PUBLISHED_RELATIONS_COLUMN if column is RELATIONS_COLUMN else column for column in CLAIM_COLUMNS)


def header_line(columns: tuple[Column, ...]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([column.name for column in columns])
    return buffer.getvalue().encode()


def export_select(queryset, columns: tuple[Column, ...]) -> tuple[str, list]:
    """The export's SELECT (SQL and parameters): the list's queryset, in its order, with the columns."""
    selected = {
        f"c{index}": CsvSafe(column.expression) if column.text else column.expression
        for index, column in enumerate(columns)
    }
    queryset = queryset.prefetch_related(None).values(**selected)
    return queryset.query.sql_with_params()


def copy_statement(queryset, columns: tuple[Column, ...]) -> tuple[str, list]:
    sql, params = export_select(queryset, columns)
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", list(params)


def stream_csv(
    queryset, columns: tuple[Column, ...], *, limit: int | None = None, cut_note: str = ""
) -> Iterator[bytes]:
    """The CSV file for ``queryset`` as byte chunks: BOM and header first, then COPY's output.

    With ``limit``, at most that many rows; when more matched, a last row carries ``cut_note`` in
    its first cell, so the file itself says it is not the whole list.
    """
    yield BOM + header_line(columns)
    whole = queryset
    if limit is not None:
        queryset = queryset[:limit]
    statement, params = copy_statement(queryset, columns)
    started = time.monotonic()
    # The server the router picks for the list's reads (a replica, for an analyst).
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        buffer = bytearray()
        with cursor.cursor.copy(statement, params) as copy:
            for data in copy:
                buffer += data
                if len(buffer) >= CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
        if buffer:
            yield bytes(buffer)
    if connection.queries_logged:
        # COPY bypasses Django's cursor wrapper; log it so query counts and debug tools see it.
        connection.queries_log.append({"sql": statement, "time": f"{time.monotonic() - started:.3f}"})
    if limit is not None and whole[limit : limit + 1].exists():
        yield note_line(cut_note, columns)


def note_line(note: str, columns: tuple[Column, ...]) -> bytes:
    """One CSV row with ``note`` in its first cell and the others empty (the file's own remark)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([note, *[""] * (len(columns) - 1)])
    return buffer.getvalue().encode()
