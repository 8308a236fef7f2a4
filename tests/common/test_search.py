"""Search finds what Persian writers spell in different ways, through the GIN-indexed documents."""

import pytest
from django.db import connection

from claims.models import Statement
from common.search import search_query, tsquery_text
from tests.factories import StatementFactory

SPELLINGS_OF_CONVERSATION = ["گفت‌وگو", "گفتوگو", "گفت وگو", "گفتگو"]


def _matches(document: str, query: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT goftar_search_document(%s) @@ to_tsquery('simple'::regconfig, %s)", [document, tsquery_text(query)]
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize("document", SPELLINGS_OF_CONVERSATION)
@pytest.mark.parametrize("query", SPELLINGS_OF_CONVERSATION)
def test_every_spelling_of_a_compound_finds_every_other(document, query):
    assert _matches(f"مذاکرات و {document}های غیرمستقیم", query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("وزیر خارجه عراقچي گفت", "عراقچی"),
        ("در سال ۱۴۰۳", "1403"),
        ("در سال 1403", "۱۴۰۳"),
        ("می‌خواهد", "میخواهد"),
        ("میخواهد", "می خواهد"),
        ("Iranian officials", "iran"),
        ("الحوثيون في البحر الأحمر", "البحر الاحمر"),
    ],
)
def test_search_folds_letters_digits_and_joiners(document, query):
    assert _matches(document, query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("روز خوب", "رز"),
        ("Iran and the US", "iraq"),
        ("غیرمستقیم گفتگوی", '"گفتگوی غیرمستقیم"'),
    ],
)
def test_search_does_not_match_other_words_or_phrase_order(document, query):
    assert not _matches(document, query)


def test_queries_without_words_search_nothing():
    assert search_query("  ") is None
    assert search_query("!!! ؟؟") is None
    assert tsquery_text("' & | ! <-> :*") == ""


def test_query_syntax_in_user_text_is_not_interpreted():
    # Operators typed by a user are folded away, never passed to to_tsquery as syntax.
    assert "!" not in tsquery_text("!iran")
    assert tsquery_text("iran & (iraq") == "'iran':* & 'iraq':*"


@pytest.mark.django_db
def test_statement_search_uses_the_gin_index_and_finds_variant_spellings():
    wanted = StatementFactory(text="گفتوگوهای غیرمستقیم بین ایران و آمریکا موضوع جدیدی نیست.")
    StatementFactory(text="درباره جنگ اوکراین سخنی نگفت.")
    assert list(Statement.objects.search("گفتگو")) == [wanted]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM claims_statement WHERE search_document @@ to_tsquery('simple'::regconfig, %s)",
            [tsquery_text("گفتگو")],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "statement_search_gin" in plan
