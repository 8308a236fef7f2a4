"""Published words change only through those who may publish, on every write path; an edit of a
reviewed statement sends it back to draft (claims.rules, and the database guard of migration 0006).

The admin tests are the writes an outside tester got through as a curator: each is refused now,
through the page (a 403 or a form error) and, under it, by the database.
"""

import pghistory
import pytest
from django.db import IntegrityError, transaction

from claims.choices import ReviewStatus
from claims.models import Citation, Claim, ClaimParty, ClaimRelation, ClaimTopic, Statement, StatementTopic
from claims.rules import EDITED_AFTER_REVIEW
from claims.services import citations_verify, statement_publish
from tests import factories
from tests.claims.admin_helpers import admin_url, errors_of, form_data

pytestmark = pytest.mark.django_db


def _published_with_parts():
    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    claim = factories.ClaimFactory(statement=statement, text="Iran will not press the Houthis")
    topic_link = StatementTopic.objects.create(statement=statement, topic=factories.TopicFactory())
    return statement, claim, topic_link


def _as(user):
    """A person's write, as the history middleware marks every writing request."""
    return pghistory.context(user=user.pk, url="/test/")


# --- the curator's writes through the admin ---------------------------------------------------------


def test_curator_cannot_edit_a_claim_of_a_published_statement(client, role_users):
    _statement, claim, _link = _published_with_parts()
    client.force_login(role_users["curator"])
    url = admin_url(Claim, "change", claim.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="text"' not in page.content.decode()  # shown, not offered for editing
    data = {"text": "Iran will press the Houthis", "kind": claim.kind, "statement": str(claim.statement_id)}
    assert client.post(url, data).status_code == 403
    claim.refresh_from_db()
    assert claim.text == "Iran will not press the Houthis"


def test_curator_cannot_delete_a_claim_of_a_published_statement(client, role_users):
    _statement, claim, _link = _published_with_parts()
    client.force_login(role_users["curator"])
    assert client.post(admin_url(Claim, "delete", claim.pk), {"post": "yes"}).status_code == 403
    response = client.post(admin_url(Claim, "changelist"), {
        "action": "delete_selected", "_selected_action": [str(claim.pk)], "post": "yes",
    })
    assert response.status_code in (200, 302, 403)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_curator_cannot_add_a_claim_to_a_published_statement(client, role_users):
    statement, _claim, _link = _published_with_parts()
    client.force_login(role_users["curator"])
    response = client.post(admin_url(Claim, "add"), {
        "statement": str(statement.pk), "text": "An added claim", "kind": "assertion",
        "topic_links-TOTAL_FORMS": "0", "topic_links-INITIAL_FORMS": "0",
        "party_links-TOTAL_FORMS": "0", "party_links-INITIAL_FORMS": "0",
        "relations_from-TOTAL_FORMS": "0", "relations_from-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200
    assert "statement" in errors_of(response) or "valid choice" in response.content.decode()
    assert not Claim.objects.filter(text="An added claim").exists()


def test_curator_cannot_move_a_drafts_claim_onto_a_published_statement(client, role_users):
    published, _claim, _link = _published_with_parts()
    draft_claim = factories.ClaimFactory(statement=factories.StatementFactory(status=ReviewStatus.DRAFT))
    client.force_login(role_users["curator"])
    url = admin_url(Claim, "change", draft_claim.pk)
    data = form_data(client.get(url))
    data["statement"] = str(published.pk)
    response = client.post(url, data)
    assert response.status_code == 200, "the move must be refused with a form error"
    draft_claim.refresh_from_db()
    assert draft_claim.statement_id != published.pk


def test_curator_cannot_remove_a_published_statements_topic_link(client, role_users):
    statement, _claim, link = _published_with_parts()
    client.force_login(role_users["curator"])
    assert client.post(admin_url(StatementTopic, "delete", link.pk), {"post": "yes"}).status_code == 403
    # Nor through the statement's own page (its inline's DELETE box).
    url = admin_url(Statement, "change", statement.pk)
    assert client.post(url, {"topic_links-0-id": str(link.pk), "topic_links-0-DELETE": "on"}).status_code == 403
    assert StatementTopic.objects.filter(pk=link.pk).exists()


def test_curator_cannot_change_citations_or_relations_of_a_published_statement(client, role_users):
    statement, claim, _link = _published_with_parts()
    citation = factories.CitationFactory(statement=statement)
    other = factories.ClaimFactory(statement=factories.StatementFactory(status=ReviewStatus.DRAFT))
    client.force_login(role_users["curator"])
    assert client.post(admin_url(Citation, "delete", citation.pk), {"post": "yes"}).status_code == 403
    response = client.post(admin_url(ClaimRelation, "add"), {
        "from_claim": str(claim.pk), "to_claim": str(other.pk), "kind": "qualifies", "note": "",
    })
    assert response.status_code == 200
    assert not ClaimRelation.objects.exists()
    # A new draft claim may still point at the published one: that relation belongs to the draft.
    response = client.post(admin_url(ClaimRelation, "add"), {
        "from_claim": str(other.pk), "to_claim": str(claim.pk), "kind": "repeats", "note": "",
    })
    assert response.status_code == 302, errors_of(response)
    assert ClaimRelation.objects.filter(from_claim=other, to_claim=claim).exists()


def test_the_article_page_shows_citations_without_offering_to_edit_them(client, role_users):
    statement, _claim, _link = _published_with_parts()
    citation = factories.CitationFactory(statement=statement)
    client.force_login(role_users["curator"])
    content = client.get(admin_url(citation.article, "change", citation.article_id)).content.decode()
    assert citation.quote[:20] in content
    assert 'name="citations-0-quote"' not in content


def test_an_editor_may_change_a_published_statements_claim(client, role_users):
    _statement, claim, _link = _published_with_parts()
    client.force_login(role_users["editor"])
    url = admin_url(Claim, "change", claim.pk)
    data = form_data(client.get(url))
    data["text"] = "Iran will not press the Houthis to stop"
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    claim.refresh_from_db()
    assert claim.text == "Iran will not press the Houthis to stop"


def test_curators_citation_check_leaves_published_statements_alone(role_users):
    published = factories.CitationFactory(verified=True)
    Citation.objects.filter(pk=published.pk).update(quote="not in the article")
    draft = factories.CitationFactory(verified=True, statement=factories.StatementFactory(status=ReviewStatus.DRAFT))
    Citation.objects.filter(pk=draft.pk).update(quote="not in the article either")
    verified, unverified = citations_verify(citations=Citation.objects.all(), actor=role_users["curator"])
    assert (verified, unverified) == (0, 1)
    assert Citation.objects.get(pk=published.pk).verified is True
    assert Citation.objects.get(pk=draft.pk).verified is False


# --- the database guard, under every path -----------------------------------------------------------


@pytest.mark.parametrize("write", [
    "edit claim", "delete claim", "add claim", "move claim", "delete topic link", "add topic link",
    "edit citation", "add claim topic", "add claim party", "add relation", "edit statement",
])
def test_database_refuses_a_curators_write_to_published_words(role_users, write):
    statement, claim, link = _published_with_parts()
    draft = factories.StatementFactory(status=ReviewStatus.DRAFT)
    draft_claim = factories.ClaimFactory(statement=draft)
    citation = factories.CitationFactory(statement=statement)
    writes = {
        "edit claim": lambda: Claim.objects.filter(pk=claim.pk).update(text="changed"),
        "delete claim": lambda: Claim.objects.filter(pk=claim.pk).delete(),
        "add claim": lambda: Claim.objects.create(statement=statement, text="added"),
        "move claim": lambda: Claim.objects.filter(pk=draft_claim.pk).update(statement=statement),
        "delete topic link": lambda: StatementTopic.objects.filter(pk=link.pk).delete(),
        "add topic link": lambda: StatementTopic.objects.create(statement=statement, topic=factories.TopicFactory()),
        "edit citation": lambda: Citation.objects.filter(pk=citation.pk).update(role="reporter"),
        "add claim topic": lambda: ClaimTopic.objects.create(claim=claim, topic=factories.TopicFactory()),
        "add claim party": lambda: ClaimParty.objects.create(claim=claim, organization=factories.OrganizationFactory()),
        "add relation": lambda: ClaimRelation.objects.create(from_claim=claim, to_claim=draft_claim, kind="repeats"),
        "edit statement": lambda: Statement.objects.filter(pk=statement.pk).update(text="changed words"),
    }
    with pytest.raises(IntegrityError, match="published"), transaction.atomic(), _as(role_users["curator"]):
        writes[write]()
    # The editor, who may publish, makes the same write.
    with transaction.atomic(), _as(role_users["editor"]):
        writes[write]()


def test_database_refuses_a_write_whose_person_is_anonymous():
    statement, claim, _link = _published_with_parts()
    with pytest.raises(IntegrityError), transaction.atomic(), pghistory.context(user=None):
        Claim.objects.filter(pk=claim.pk).update(text="changed")


def test_a_retracted_statement_is_locked_too(role_users):
    statement = factories.StatementFactory(status=ReviewStatus.RETRACTED, retraction_reason="misquoted")
    with pytest.raises(IntegrityError), transaction.atomic(), _as(role_users["curator"]):
        Claim.objects.create(statement=statement, text="added")


# --- reviewed statements go back to draft when edited ---------------------------------------------


def _transitions(statement):
    return list(statement.transitions.values_list("from_status", "to_status", "actor_id", "reason"))


def test_editing_a_claim_of_a_reviewed_statement_returns_it_to_draft(client, role_users):
    statement = factories.StatementFactory(status=ReviewStatus.REVIEWED)
    claim = factories.ClaimFactory(statement=statement)
    curator = role_users["curator"]
    client.force_login(curator)
    url = admin_url(Claim, "change", claim.pk)
    data = form_data(client.get(url))
    data["text"] = "A reworded claim"
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.DRAFT
    assert _transitions(statement) == [("reviewed", "draft", curator.pk, EDITED_AFTER_REVIEW)]
    # A draft is not published by mistake: the editor must review it again first.
    with pytest.raises(Exception, match="reviewed"):
        statement_publish(statement=statement, actor=role_users["editor"])


def test_editing_a_reviewed_statement_itself_returns_it_to_draft(client, role_users):
    statement = factories.StatementFactory(status=ReviewStatus.REVIEWED)
    editor = role_users["editor"]
    client.force_login(editor)
    url = admin_url(Statement, "change", statement.pk)
    data = form_data(client.get(url))
    data["translation"] = "Indirect talks are nothing new."
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.DRAFT
    assert _transitions(statement) == [("reviewed", "draft", editor.pk, EDITED_AFTER_REVIEW)]


@pytest.mark.parametrize("write", ["add topic link", "delete claim", "add claim party"])
def test_any_part_edited_returns_a_reviewed_statement_to_draft(role_users, write):
    statement = factories.StatementFactory(status=ReviewStatus.REVIEWED)
    claim = factories.ClaimFactory(statement=statement)
    writes = {
        "add topic link": lambda: StatementTopic.objects.create(statement=statement, topic=factories.TopicFactory()),
        "delete claim": lambda: Claim.objects.filter(pk=claim.pk).delete(),
        "add claim party": lambda: ClaimParty.objects.create(claim=claim, organization=factories.OrganizationFactory()),
    }
    with _as(role_users["curator"]):
        writes[write]()
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.DRAFT
    assert [t[:2] for t in _transitions(statement)] == [("reviewed", "draft")]


def test_the_review_steps_themselves_do_not_send_a_statement_back(role_users):
    from claims.services import statement_review

    statement = factories.publishable_statement()
    statement = statement_review(statement=statement, actor=role_users["editor"])
    statement = statement_publish(statement=statement, actor=role_users["editor"])
    assert statement.status == ReviewStatus.PUBLISHED
    assert [t[:2] for t in _transitions(statement)] == [("draft", "reviewed"), ("reviewed", "published")]


def test_the_operators_own_writes_are_not_judged():
    # No person in the audit context (a migration, the demo loader): nothing refused, nothing sent back.
    statement, claim, _link = _published_with_parts()
    Claim.objects.filter(pk=claim.pk).update(text="fixed by the operator")
    reviewed = factories.StatementFactory(status=ReviewStatus.REVIEWED)
    factories.ClaimFactory(statement=reviewed)
    reviewed.refresh_from_db()
    assert reviewed.status == ReviewStatus.REVIEWED
