"""The review workflow: draft → reviewed → published → retracted, who may do what, and that a
published statement is never deleted (admin and database)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from claims.choices import ReviewStatus
from claims.models import Statement, StatementTransition
from claims.services import (
    MESSAGE_REASON_REQUIRED,
    statement_publish,
    statement_retract,
    statement_review,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _draft():
    return factories.publishable_statement()


def test_full_workflow_records_each_step_with_actor_and_bumps_version(role_users):
    editor = role_users["editor"]
    statement = _draft()
    version = statement.version

    statement = statement_review(statement=statement, actor=editor)
    assert statement.status == ReviewStatus.REVIEWED
    statement = statement_publish(statement=statement, actor=editor)
    assert statement.status == ReviewStatus.PUBLISHED
    statement = statement_retract(statement=statement, actor=editor, reason="Misattributed: the words were the host's.")

    statement.refresh_from_db()
    assert statement.status == ReviewStatus.RETRACTED
    assert statement.retraction_reason == "Misattributed: the words were the host's."
    assert statement.version == version + 3
    assert statement.status_changed_at is not None
    steps = list(
        StatementTransition.objects.filter(statement=statement).values_list("from_status", "to_status", "actor")
    )
    assert steps == [
        ("draft", "reviewed", editor.pk),
        ("reviewed", "published", editor.pk),
        ("published", "retracted", editor.pk),
    ]
    assert StatementTransition.objects.get(to_status="retracted").reason.startswith("Misattributed")


def test_history_context_names_the_action_and_reason(role_users):
    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    statement_retract(statement=statement, actor=role_users["editor"], reason="دلیل: نقل قول نادرست")
    event = Statement.pgh_event_model.objects.filter(pgh_obj_id=statement.pk).order_by("-pgh_id").first()
    assert event.status == ReviewStatus.RETRACTED
    assert event.pgh_context.metadata["action"] == "statement_retract"
    assert event.pgh_context.metadata["reason"] == "دلیل: نقل قول نادرست"
    assert event.pgh_context.metadata["user"] == role_users["editor"].pk


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (ReviewStatus.REVIEWED, statement_review),
        (ReviewStatus.PUBLISHED, statement_review),
        (ReviewStatus.DRAFT, statement_publish),
        (ReviewStatus.RETRACTED, statement_publish),
    ],
)
def test_steps_out_of_order_are_refused(role_users, status, service):
    statement = factories.StatementFactory(status=status, retraction_reason="x" if status == "retracted" else "")
    with pytest.raises(ValidationError):
        service(statement=statement, actor=role_users["editor"])
    assert StatementTransition.objects.count() == 0
    statement.refresh_from_db()
    assert statement.status == status


def test_retract_needs_a_reason(role_users):
    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        statement_retract(statement=statement, actor=role_users["editor"], reason="   ")
    assert MESSAGE_REASON_REQUIRED in excinfo.value.messages
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.PUBLISHED


def test_draft_cannot_be_retracted(role_users):
    with pytest.raises(ValidationError):
        statement_retract(statement=_draft(), actor=role_users["editor"], reason="no")


@pytest.mark.parametrize("role", ["curator", "analyst"])
def test_curators_and_analysts_cannot_take_workflow_steps(role_users, role):
    statement = _draft()
    with pytest.raises(PermissionDenied):
        statement_review(statement=statement, actor=role_users[role])
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.DRAFT


def test_service_uses_the_status_in_the_database_not_the_callers_copy(role_users):
    statement = _draft()
    stale_copy = Statement.objects.get(pk=statement.pk)
    statement_review(statement=statement, actor=role_users["editor"])
    with pytest.raises(ValidationError):
        statement_review(statement=stale_copy, actor=role_users["editor"])
    assert StatementTransition.objects.count() == 1


def test_database_refuses_to_delete_a_published_statement():
    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    with pytest.raises(IntegrityError, match="retract it instead"), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_statement WHERE id = %s", [statement.pk])
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_database_refuses_to_delete_a_retracted_statement_but_allows_drafts():
    retracted = factories.StatementFactory(status=ReviewStatus.RETRACTED, retraction_reason="wrong speaker")
    with pytest.raises(IntegrityError), transaction.atomic():
        retracted.delete()
    draft = _draft()
    draft.delete()
    assert not Statement.objects.filter(pk=draft.pk).exists()


# --- admin --------------------------------------------------------------------------------------------


def _changelist():
    return reverse("admin:claims_statement_changelist")


def test_admin_bulk_review_and_publish(client, role_users):
    client.force_login(role_users["editor"])
    drafts = [_draft() for _ in range(3)]
    ids = [str(statement.pk) for statement in drafts]
    response = client.post(_changelist(), {"action": "review_statements", "_selected_action": ids})
    assert response.status_code == 302
    assert set(Statement.objects.filter(pk__in=ids).values_list("status", flat=True)) == {ReviewStatus.REVIEWED}
    client.post(_changelist(), {"action": "publish_statements", "_selected_action": ids, "confirm": "1"})
    assert set(Statement.objects.filter(pk__in=ids).values_list("status", flat=True)) == {ReviewStatus.PUBLISHED}
    assert StatementTransition.objects.filter(actor=role_users["editor"]).count() == 6


def test_admin_bulk_action_reports_refusals_and_does_the_rest(client, role_users):
    client.force_login(role_users["editor"])
    draft, published = _draft(), factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    response = client.post(
        _changelist(), {"action": "review_statements", "_selected_action": [draft.pk, published.pk]}, follow=True
    )
    text = response.content.decode()
    assert f"#{published.pk}" in text
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.REVIEWED


def test_admin_retract_asks_for_a_reason_then_retracts(client, role_users):
    client.force_login(role_users["editor"])
    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    response = client.post(_changelist(), {"action": "retract_statements", "_selected_action": [statement.pk]})
    assert response.status_code == 200
    assert b'name="reason"' in response.content
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.PUBLISHED
    response = client.post(
        _changelist(),
        {"action": "retract_statements", "_selected_action": [statement.pk], "reason": "Quote was fabricated"},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.RETRACTED
    assert statement.retraction_reason == "Quote was fabricated"


def test_curator_is_not_offered_workflow_actions_and_cannot_post_them(client, role_users):
    client.force_login(role_users["curator"])
    draft = _draft()
    response = client.get(_changelist())
    assert response.status_code == 200
    assert b"review_statements" not in response.content
    client.post(_changelist(), {"action": "review_statements", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT


def test_admin_offers_no_delete_for_a_published_statement(client, role_users):
    client.force_login(role_users["administrator"])
    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    url = reverse("admin:claims_statement_delete", args=[statement.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 403
    client.post(_changelist(), {"action": "delete_selected", "_selected_action": [statement.pk], "post": "yes"})
    assert Statement.objects.filter(pk=statement.pk).exists()


def test_curator_can_delete_a_draft_in_the_admin(client, role_users):
    client.force_login(role_users["curator"])
    draft = _draft()
    response = client.post(reverse("admin:claims_statement_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Statement.objects.filter(pk=draft.pk).exists()


def test_status_is_not_editable_in_the_form(client, role_users):
    client.force_login(role_users["editor"])
    draft = _draft()
    response = client.get(reverse("admin:claims_statement_change", args=[draft.pk]))
    assert b'name="status"' not in response.content


def test_curator_cannot_edit_a_published_statement_but_editor_can_open_it(client, role_users):
    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    url = reverse("admin:claims_statement_change", args=[statement.pk])
    client.force_login(role_users["curator"])
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="text"' not in response.content
    client.force_login(role_users["editor"])
    assert b'name="text"' in client.get(url).content


# --- publishing checks what it publishes ---------------------------------------------------------


@pytest.mark.parametrize("missing", ["official", "topic", "citation"])
def test_publishing_refuses_a_statement_that_lacks_what_it_needs(role_users, missing):
    editor = role_users["editor"]
    statement = factories.publishable_statement()
    if missing == "official":
        Statement.objects.filter(pk=statement.pk).update(official=None, speaker_name_as_printed="a spokesman")
    elif missing == "topic":
        statement.topic_links.all().delete()
    else:
        statement.citations.update(verified=False)
    statement = statement_review(statement=Statement.objects.get(pk=statement.pk), actor=editor)
    with pytest.raises(ValidationError, match="Not publishable yet") as excinfo:
        statement_publish(statement=statement, actor=editor)
    assert {"official": "no official", "topic": "no topic", "citation": "no verified citation"}[missing] in str(
        excinfo.value
    )
    statement.refresh_from_db()
    assert statement.status == ReviewStatus.REVIEWED


def test_an_explicitly_unnamed_speaker_may_be_published(role_users):
    from claims.choices import AttributionType

    editor = role_users["editor"]
    statement = factories.publishable_statement()
    Statement.objects.filter(pk=statement.pk).update(
        official=None, speaker_name_as_printed="a senior official", attribution=AttributionType.UNNAMED_SOURCE
    )
    statement = statement_review(statement=Statement.objects.get(pk=statement.pk), actor=editor)
    assert statement_publish(statement=statement, actor=editor).status == ReviewStatus.PUBLISHED


def test_bulk_publish_asks_first_listing_what_is_published_and_what_is_refused(client, role_users):
    editor = role_users["editor"]
    client.force_login(editor)
    ready = statement_review(statement=factories.publishable_statement(), actor=editor)
    no_topic = factories.publishable_statement()
    no_topic.topic_links.all().delete()
    no_topic = statement_review(statement=no_topic, actor=editor)
    draft = factories.publishable_statement()
    ids = [str(ready.pk), str(no_topic.pk), str(draft.pk)]

    page = client.post(_changelist(), {"action": "publish_statements", "_selected_action": ids})
    assert page.status_code == 200
    content = page.content.decode()
    ready_part, refused_part = content.split('id="publish-refused"')
    assert f"/statement/{ready.pk}/change/" in ready_part.split('id="publish-ready"')[1]
    assert f"/statement/{no_topic.pk}/change/" in refused_part and "no topic" in refused_part
    assert f"/statement/{draft.pk}/change/" in refused_part and "only a reviewed statement" in refused_part
    assert set(Statement.objects.filter(pk__in=ids).values_list("status", flat=True)) != {ReviewStatus.PUBLISHED}
    assert Statement.objects.get(pk=ready.pk).status == ReviewStatus.REVIEWED  # nothing published yet

    response = client.post(
        _changelist(), {"action": "publish_statements", "_selected_action": ids, "confirm": "1"}, follow=True
    )
    assert Statement.objects.get(pk=ready.pk).status == ReviewStatus.PUBLISHED
    assert Statement.objects.get(pk=no_topic.pk).status == ReviewStatus.REVIEWED
    assert f"#{no_topic.pk}" in response.content.decode()
