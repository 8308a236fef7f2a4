"""The synthetic corpus generator: deterministic, consistent with the database's rules, as sized."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bench.corpus import CORPUS_TABLES, CorpusPlan, corpus_generate, corpus_row_counts
from claims.models import Statement, Topic
from common.search import search_query
from tests.claims.tree_helpers import branches_walked_from_parents, closure_pairs

TINY = 300

pytestmark = pytest.mark.django_db


def _table_digests() -> dict[str, str]:
    """An md5 of every corpus table's rows in id order (generated columns included)."""
    with connection.cursor() as cursor:
        return {
            table: cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t").fetchone()[0]
            for table in CORPUS_TABLES
        }


def test_same_seed_gives_the_same_corpus_and_another_seed_does_not():
    corpus_generate(statements=TINY, seed=7)
    first = _table_digests()
    corpus_generate(statements=TINY, seed=7)
    assert _table_digests() == first
    corpus_generate(statements=TINY, seed=8)
    assert _table_digests()["claims_statement"] != first["claims_statement"]


def test_counts_are_as_planned():
    plan = CorpusPlan.for_statements(TINY)
    report = corpus_generate(statements=TINY, seed=1)
    counts = corpus_row_counts()
    assert counts == {table: report.rows[table] for table in CORPUS_TABLES}
    assert counts["claims_statement"] == plan.statements == TINY
    assert counts["claims_official"] == plan.officials
    assert counts["claims_topic"] == plan.topics
    assert counts["sources_outlet"] == plan.outlets
    assert counts["sources_article"] == plan.articles
    assert counts["claims_citation"] == TINY
    assert 2.0 <= counts["claims_statementtopic"] / TINY <= 3.0
    assert 1.5 <= counts["claims_claim"] / TINY <= 2.5
    assert counts["claims_claimrelation"] > 0
    assert counts["claims_officialalias"] >= 2 * plan.officials


def test_the_topic_trees_closure_is_built_with_the_corpus():
    corpus_generate(statements=TINY, seed=1)
    assert Topic.objects.filter(parent__isnull=False).exists()
    assert closure_pairs() == branches_walked_from_parents()


def test_full_size_plan_matches_the_design():
    plan = CorpusPlan.for_statements(1_000_000)
    assert (plan.officials, plan.topics, plan.articles, plan.outlets) == (10_000, 500, 200_000, 300)


def test_citation_offsets_verify_against_the_article_body():
    corpus_generate(statements=TINY, seed=3)
    with connection.cursor() as cursor:
        wrong = cursor.execute(
            """
            SELECT count(*) FROM claims_citation c JOIN sources_article a ON a.id = c.article_id
            WHERE substr(a.body, c.start_offset + 1, c.end_offset - c.start_offset) <> c.quote
            """
        ).fetchone()[0]
    assert wrong == 0


def test_statements_carry_real_world_persian_text_and_stay_in_length():
    corpus_generate(statements=TINY, seed=1)
    lengths = [len(text) for text in Statement.objects.values_list("text", flat=True)]
    assert min(lengths) >= 200 and max(lengths) <= 800
    persian = Statement.objects.filter(language="fa")
    assert persian.exists() and Statement.objects.filter(language="en").exists()
    assert persian.filter(text__contains="ي").exists(), "some text printed with Arabic yeh"
    assert persian.filter(text__contains="\u200c").exists(), "some careful text with ZWNJ"
    assert persian.filter(text__regex="[۰-۹]").exists(), "Persian digits"
    # The three spellings meet in search: the corpus has both, and one query finds all.
    assert Statement.objects.filter(text__contains="گفتوگو").exists()
    assert Statement.objects.filter(text__contains="گفت\u200cوگو").exists()
    found = Statement.objects.filter(search_document=search_query("گفتگو")).count()
    assert found >= Statement.objects.filter(text__regex="گفت.?و?گو").count() > 0


def test_history_is_not_recorded_and_history_triggers_come_back():
    corpus_generate(statements=TINY, seed=1)
    with connection.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM claims_statementevent").fetchone()[0] == 0
        disabled = cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"
        ).fetchone()[0]
    assert disabled == 0


def test_command_refuses_a_database_with_data_unless_forced():
    call_command("generate_corpus", statements=TINY, stdout=StringIO())
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_corpus", statements=TINY, stdout=StringIO())
    out = StringIO()
    call_command("generate_corpus", statements=TINY, seed=2, force=True, stdout=out)
    assert "Done in" in out.getvalue()
    assert Statement.objects.count() == TINY
