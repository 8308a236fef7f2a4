"""Large pages (issue 15): the 2 MB page through the command, thousands of statements in one
transaction, and the admin's import page refusing what it cannot do within one request.

The cost itself (seconds, memory) is measured by ``bench/large_pages.py`` and recorded in
docs/benchmarks.md ("Import of large pages"); these tests assert behaviour only.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from bench.large_pages import text_body, text_page
from claims.choices import ReviewStatus
from claims.models import Citation, Statement, StatementTopic
from sources.importers.base import MAX_IMPORT_BYTES, PREVIEW_MAX_BYTES, PREVIEW_MAX_LABEL, ImportRejected
from sources.importers.forms import ArticleImportConfirmForm
from sources.models import Article
from sources.services import ImportFailed, article_import
from tests.sources.test_import_views import URL, curator, curator_client  # noqa: F401 (fixtures)
from tests.sources.test_importers import SEED, create_reference_data, stored_rows

# Just under the importer's limit, as in the issue (1.99 MB).
LARGEST_PAGE = MAX_IMPORT_BYTES - 16 * 1024
# One paragraph in twenty reports speech: a long report, about 470 statements on 2 MB of Persian
# (the cost of many statements is the benchmark's; here the 2 MB of text is the point).
SPEECH_EVERY = 20


@pytest.fixture
def reference(db):
    return create_reference_data()


def citations_outside_the_body(article: Article) -> int:
    """Citations not verified, or whose quote is not the body's text at their offsets."""
    rows = Citation.objects.filter(article=article).values_list("start_offset", "end_offset", "quote", "verified")
    return sum(1 for start, end, quote, verified in rows if not verified or article.body[start:end] != quote)


def test_the_2_mb_page_imports_through_the_command(reference, tmp_path):
    """The largest page the importer accepts imports whole: the article, one draft per reported
    utterance (repeats dropped), every citation verified against the stored body."""
    page = text_page("fa", LARGEST_PAGE, speech_every=SPEECH_EVERY)
    assert MAX_IMPORT_BYTES - 64 * 1024 < len(page) <= MAX_IMPORT_BYTES
    paragraphs = text_body("fa", LARGEST_PAGE, speech_every=SPEECH_EVERY)
    said = {text for speech, text in paragraphs if speech}
    path = tmp_path / "long_report.txt"
    path.write_bytes(page)

    out = io.StringIO()
    call_command("import_article", str(path), "--outlet", "ISNA", stdout=out)

    article = Article.objects.get()
    assert article.body == "\n\n".join(text for _, text in paragraphs)
    assert f"created 1 article, {len(said)} statements, {len(said)} citations" in out.getvalue()
    assert Statement.objects.count() == Citation.objects.count() == len(said) > 400
    assert not Statement.objects.exclude(status=ReviewStatus.DRAFT).exists()
    assert citations_outside_the_body(article) == 0
    assert StatementTopic.objects.exists()
    # Known speakers were attached: the page names Araghchi and Kharrazi by their aliases.
    assert {reference.araghchi.pk, reference.kharrazi.pk} <= set(
        Statement.objects.exclude(official=None).values_list("official_id", flat=True)
    )


def test_thousands_of_statements_are_one_transaction(reference):
    """A failure on the last INSERT of an import of thousands of statements (the topic links, after
    the article, the statements and their citations were written) leaves nothing."""
    size = 300 * 1024
    page = text_page("en", size)
    assert len({text for speech, text in text_body("en", size) if speech}) > 2000
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_topic_links() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = 'topic links refused by the test';
            END $$;
            CREATE TRIGGER test_refuse_topic_links AFTER INSERT ON claims_statementtopic
                FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_topic_links();
            """
        )
    before = stored_rows()
    with pytest.raises(ImportFailed, match="nothing was saved") as failure:
        article_import(content=page, outlet_name="Reuters")
    assert "topic links refused by the test" in " ".join(failure.value.messages)
    assert stored_rows() == before


def over_the_preview_limit() -> bytes:
    page = text_page("fa", PREVIEW_MAX_BYTES + 64 * 1024)
    assert PREVIEW_MAX_BYTES < len(page) < MAX_IMPORT_BYTES
    return page


def test_the_import_page_states_its_limit(curator_client):  # noqa: F811
    page = curator_client.get(URL).content.decode()
    assert f"Pages up to {PREVIEW_MAX_LABEL}" in page
    assert f"at most {PREVIEW_MAX_LABEL}" in page
    assert "manage.py import_article" in page


@pytest.mark.parametrize("how", ["upload", "paste"])
def test_the_preview_refuses_a_page_over_its_limit(curator_client, reference, how):  # noqa: F811
    """Over the page's limit (and under the command's) the page is refused at once, as a form
    error naming the limit and the command, before any import is run."""
    page = over_the_preview_limit()
    before = stored_rows()
    if how == "upload":
        data = {"file": SimpleUploadedFile("long.txt", page, "text/plain")}
    else:
        data = {"text": page.decode("utf-8")}
    response = curator_client.post(URL, {"preview": "1", **data})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"at most {PREVIEW_MAX_LABEL}" in content and "manage.py import_article PATH" in content
    assert "pages up to 2 MB" in content
    assert "confirm_form" not in response.context and "report" not in response.context
    assert stored_rows() == before


def test_a_confirmation_over_the_limit_is_refused(curator_client, reference):  # noqa: F811
    """A forged confirmation carrying a page over the limit is refused too (it would import it)."""
    before = stored_rows()
    payload = ArticleImportConfirmForm.encode(over_the_preview_limit())
    response = curator_client.post(URL, {"confirm": "1", "payload": payload, "source_name": "long.txt"})
    assert response.status_code == 400
    assert f"at most {PREVIEW_MAX_LABEL}" in response.content.decode()
    assert stored_rows() == before


def test_a_page_at_the_limit_previews_and_imports(curator_client, reference):  # noqa: F811
    page = text_page("fa", PREVIEW_MAX_BYTES)
    assert len(page) <= PREVIEW_MAX_BYTES
    response = curator_client.post(URL, {"preview": "1", "file": SimpleUploadedFile("long.txt", page)})
    assert response.status_code == 200 and "confirm_form" in response.context
    assert response.context["report"].created["statement"] > 500
    assert stored_rows()[0] == 0


def test_the_import_page_gives_up_past_its_time_and_says_so(curator_client, reference, monkeypatch):  # noqa: F811
    """Whatever the server's load, a preview never runs into the worker's timeout: past the page's
    time it stops, saves nothing and says why (here with a time already spent at the start)."""
    monkeypatch.setattr("sources.views.PREVIEW_SECONDS", 1e-9)
    before = stored_rows()
    response = curator_client.post(URL, {"preview": "1", "file": SimpleUploadedFile("seed.txt", SEED.read_bytes())})
    assert response.status_code == 200
    content = response.content.decode()
    assert "could not be imported within the" in content and "manage.py import_article PATH" in content
    assert "confirm_form" not in response.context
    assert stored_rows() == before


def test_a_statement_past_the_time_limit_is_cancelled_and_nothing_is_saved(reference):
    """The database's part is bounded too: its statement timeout is the import's time limit."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_slow_statements() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$;
            CREATE TRIGGER test_slow_statements AFTER INSERT ON claims_statement
                FOR EACH STATEMENT EXECUTE FUNCTION test_slow_statements();
            """
        )
    before = stored_rows()
    with pytest.raises(ImportRejected) as refusal:
        article_import(content=SEED.read_bytes(), outlet_name="Asriran", time_limit=1)
    assert refusal.value.code == "too_slow"
    assert stored_rows() == before
