"""Every write path leaves a database-recorded event, and the admin's History page shows a
readable diff and reverts (the revert itself recorded, with the user)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from claims.choices import ReviewStatus
from claims.models import Claim, Official, Statement
from claims.services import statement_publish, statement_review
from common.history import object_history
from tests import factories
from tests.common.html_forms import admin_form_data, form_data

pytestmark = pytest.mark.django_db


def _events(model, pk):
    return list(model.pgh_event_model.objects.filter(pgh_obj_id=pk).order_by("pgh_id"))


def _context_user(event):
    return event.pgh_context.metadata.get("user") if event.pgh_context_id else None


def test_admin_save_is_recorded_with_the_user(client, role_users):
    client.force_login(role_users["curator"])
    official = factories.OfficialFactory()
    url = reverse("admin:claims_official_change", args=[official.pk])
    data = admin_form_data(client.get(url))
    data["native_name"] = ["کمال خرازی"]
    assert client.post(url, data).status_code == 302
    event = _events(Official, official.pk)[-1]
    assert (event.pgh_label, event.native_name) == ("update", "کمال خرازی")
    assert _context_user(event) == role_users["curator"].pk
    assert event.pgh_context.metadata["url"] == url


def test_admin_add_is_recorded(client, role_users):
    client.force_login(role_users["curator"])
    url = reverse("admin:claims_topic_add")
    data = admin_form_data(client.get(url))
    data.update(name=["Red Sea shipping"], slug=["red-sea-shipping"], name_fa=["کشتیرانی در دریای سرخ"])
    assert client.post(url, data).status_code == 302
    from claims.models import Topic

    topic = Topic.objects.get(slug="red-sea-shipping")
    assert [event.pgh_label for event in _events(Topic, topic.pk)] == ["insert"]


def test_service_is_recorded(role_users):
    statement = factories.StatementFactory(status=ReviewStatus.DRAFT)
    statement_review(statement=statement, actor=role_users["editor"])
    event = _events(Statement, statement.pk)[-1]
    assert event.status == ReviewStatus.REVIEWED
    assert _context_user(event) == role_users["editor"].pk


def test_bulk_admin_action_is_recorded_for_each_row(client, role_users):
    client.force_login(role_users["editor"])
    drafts = [factories.StatementFactory(status=ReviewStatus.DRAFT) for _ in range(3)]
    client.post(
        reverse("admin:claims_statement_changelist"),
        {"action": "review_statements", "_selected_action": [statement.pk for statement in drafts]},
    )
    for statement in drafts:
        event = _events(Statement, statement.pk)[-1]
        assert event.status == ReviewStatus.REVIEWED
        assert _context_user(event) == role_users["editor"].pk


def test_queryset_update_is_recorded():
    officials = factories.OfficialFactory.create_batch(3)
    Official.objects.filter(pk__in=[official.pk for official in officials]).update(country="QA")
    for official in officials:
        assert [(event.pgh_label, event.country) for event in _events(Official, official.pk)][-1] == ("update", "QA")


def test_bulk_create_is_recorded():
    statement = factories.StatementFactory()
    claims = Claim.objects.bulk_create([Claim(statement=statement, text=f"claim {n}") for n in range(5)])
    for claim in claims:
        assert [event.pgh_label for event in _events(Claim, claim.pk)] == ["insert"]


def test_raw_sql_is_recorded():
    official = factories.OfficialFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_official SET notes = %s WHERE id = %s", ["نوشته با SQL", official.pk])
    event = _events(Official, official.pk)[-1]
    assert (event.pgh_label, event.notes) == ("update", "نوشته با SQL")
    assert _context_user(event) is None


def test_delete_is_recorded_with_the_last_values():
    claim = factories.ClaimFactory(text="Iran will not press the Houthis")
    pk = claim.pk
    claim.delete()
    event = _events(Claim, pk)[-1]
    assert (event.pgh_label, event.text) == ("delete", "Iran will not press the Houthis")


def test_raw_sql_delete_is_recorded():
    claim = factories.ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_claim WHERE id = %s", [claim.pk])
    assert _events(Claim, claim.pk)[-1].pgh_label == "delete"


def test_every_domain_model_in_the_admin_is_tracked():
    untracked = [
        model._meta.label
        for model in admin.site._registry
        if model._meta.app_label in ("claims", "sources") and getattr(model, "pgh_event_model", None) is None
    ]
    assert untracked == []


# --- the History page ----------------------------------------------------------------------------------


def _edit(client, model_name, pk, **values):
    url = reverse(f"admin:claims_{model_name}_change", args=[pk])
    data = admin_form_data(client.get(url))
    for key, value in values.items():
        data[key] = [value]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_history_page_shows_who_changed_what(client, role_users):
    client.force_login(role_users["curator"])
    official = factories.OfficialFactory(display_name="Kamal Kharazi")
    _edit(client, "official", official.pk, display_name="Kamal Kharrazi", native_name="کمال خرازی")
    response = client.get(reverse("admin:claims_official_history", args=[official.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kamal Kharazi" in html and "Kamal Kharrazi" in html and "کمال خرازی" in html
    assert "curator" in html
    entries = object_history(model=Official, pk=official.pk)
    assert entries[0].label == "update"
    changed = {change.name: (change.before, change.after) for change in entries[0].changes}
    assert changed["display_name"] == ("Kamal Kharazi", "Kamal Kharrazi")
    assert "version" not in changed and "updated_at" not in changed


def test_history_shows_choice_labels_and_workflow_reason(client, role_users):
    from claims.services import statement_retract

    statement = factories.StatementFactory(status=ReviewStatus.PUBLISHED)
    statement_retract(statement=statement, actor=role_users["editor"], reason="wrong speaker")
    client.force_login(role_users["analyst"])
    html = client.get(reverse("admin:claims_statement_history", args=[statement.pk])).content.decode()
    assert "retracted" in html and "wrong speaker" in html and "statement_retract" in html


def test_revert_puts_back_old_values_and_is_itself_recorded(client, role_users):
    client.force_login(role_users["curator"])
    official = factories.OfficialFactory(display_name="Kamal Kharrazi", notes="")
    _edit(client, "official", official.pk, notes="first note")
    _edit(client, "official", official.pk, notes="vandalised", display_name="X")
    target = _events(Official, official.pk)[1]  # after the first edit
    assert target.notes == "first note"
    revert_url = reverse("admin:claims_official_revert", args=[official.pk, target.pgh_id])

    page = client.get(revert_url)
    assert page.status_code == 200
    content = page.content.decode()
    # "Now" holds what the record says now, "After the revert" what it will say.
    assert content.index("<del dir=\"auto\">vandalised</del>") < content.index("<ins dir=\"auto\">first note</ins>")
    response = client.post(revert_url, form_data(page.content, None) | {})
    assert response.status_code == 302

    official.refresh_from_db()
    assert (official.notes, official.display_name) == ("first note", "Kamal Kharrazi")
    assert official.version == 4
    event = _events(Official, official.pk)[-1]
    assert event.pgh_context.metadata["action"] == "revert"
    assert event.pgh_context.metadata["reverted_to_event"] == target.pgh_id
    assert _context_user(event) == role_users["curator"].pk


def test_revert_from_a_stale_page_is_refused(client, role_users):
    client.force_login(role_users["curator"])
    official = factories.OfficialFactory(notes="")
    _edit(client, "official", official.pk, notes="one")
    first = _events(Official, official.pk)[0]
    revert_url = reverse("admin:claims_official_revert", args=[official.pk, first.pgh_id])
    page = client.get(revert_url)
    _edit(client, "official", official.pk, notes="two")
    response = client.post(revert_url, form_data(page.content, None))
    assert response.status_code == 200
    assert "changed since you opened" in response.content.decode()
    official.refresh_from_db()
    assert official.notes == "two"


def test_analyst_sees_history_but_cannot_revert(client, role_users):
    official = factories.OfficialFactory(notes="a")
    Official.objects.filter(pk=official.pk).update(notes="b")
    first = _events(Official, official.pk)[0]
    client.force_login(role_users["analyst"])
    response = client.get(reverse("admin:claims_official_history", args=[official.pk]))
    assert response.status_code == 200
    assert b"Revert to this version" not in response.content
    revert_url = reverse("admin:claims_official_revert", args=[official.pk, first.pgh_id])
    assert client.post(revert_url, {}).status_code == 403
    official.refresh_from_db()
    assert official.notes == "b"


def test_revert_never_touches_the_review_status(client, role_users):
    client.force_login(role_users["editor"])
    statement = factories.publishable_statement(translation="old")
    first = _events(Statement, statement.pk)[0]
    statement = statement_review(statement=statement, actor=role_users["editor"])
    statement_publish(statement=statement, actor=role_users["editor"])
    Statement.objects.filter(pk=statement.pk).update(translation="new")
    revert_url = reverse("admin:claims_statement_revert", args=[statement.pk, first.pgh_id])
    response = client.post(revert_url, form_data(client.get(revert_url).content, None))
    assert response.status_code == 302
    statement.refresh_from_db()
    # The words go back; the status the draft had then does not (an editor may change published words).
    assert (statement.translation, statement.status) == ("old", ReviewStatus.PUBLISHED)


def test_reverting_a_reviewed_statement_sends_it_back_to_draft(client, role_users):
    client.force_login(role_users["editor"])
    statement = factories.StatementFactory(status=ReviewStatus.DRAFT, translation="old")
    first = _events(Statement, statement.pk)[0]
    statement_review(statement=statement, actor=role_users["editor"])
    Statement.objects.filter(pk=statement.pk).update(translation="new")
    revert_url = reverse("admin:claims_statement_revert", args=[statement.pk, first.pgh_id])
    client.post(revert_url, form_data(client.get(revert_url).content, None))
    statement.refresh_from_db()
    assert (statement.translation, statement.status) == ("old", ReviewStatus.DRAFT)
    assert statement.transitions.filter(from_status="reviewed", to_status="draft").exists()


def test_unknown_event_is_404(client, role_users):
    client.force_login(role_users["curator"])
    official = factories.OfficialFactory()
    other = factories.OfficialFactory()
    event = _events(Official, other.pk)[0]
    assert client.get(reverse("admin:claims_official_revert", args=[official.pk, event.pgh_id])).status_code == 404


# The History page after a warm-up request of the same session (which is not written again within
# GOFTAR_SESSION_REFRESH_SECONDS); the count must not grow with the number of events.
HISTORY_PAGE_QUERIES = 7


@pytest.mark.parametrize("edits", [1, 25])
def test_history_page_query_count_does_not_grow_with_events(client, role_users, django_assert_num_queries, edits):
    official = factories.OfficialFactory()
    for n in range(edits):
        Official.objects.filter(pk=official.pk).update(notes=f"note {n}")
    client.force_login(role_users["curator"])
    url = reverse("admin:claims_official_history", args=[official.pk])
    client.get(url)  # warm the permission cache of this session
    with django_assert_num_queries(HISTORY_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["entries"]) == edits + 1


def test_importer_writes_are_recorded_with_the_importer_context(role_users):
    from pathlib import Path

    from sources.models import Article
    from sources.services import article_import

    seed = Path(__file__).resolve().parents[1] / "data" / "articles" / "seed_kharrazi_interview.txt"
    article_import(content=seed.read_bytes(), source_name=seed.name, actor=role_users["curator"])
    article = Article.objects.get()
    event = _events(Article, article.pk)[0]
    assert event.pgh_label == "insert"
    assert event.pgh_context.metadata["importer"] == "import_article"
    assert event.pgh_context.metadata["user"] == role_users["curator"].pk
    statements = Statement.objects.filter(citations__article=article).distinct()
    assert statements.exists()
    for statement in statements:
        assert statement.status == ReviewStatus.DRAFT  # imports never publish
        assert _events(Statement, statement.pk)[0].pgh_context_id == event.pgh_context_id


# --- undoing a delete ---------------------------------------------------------------------------------


def test_deleted_row_is_listed_and_restored_with_its_old_number(client, role_users):
    client.force_login(role_users["curator"])
    statement = factories.StatementFactory(status=ReviewStatus.DRAFT)
    claim = factories.ClaimFactory(statement=statement, text="Iran will not press the Houthis", kind="denial")
    pk = claim.pk
    response = client.post(reverse("admin:claims_claim_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=pk).exists()

    changelist = client.get(reverse("admin:claims_claim_changelist"))
    deleted_url = reverse("admin:claims_claim_deleted")
    assert deleted_url in changelist.content.decode()
    page = client.get(deleted_url)
    assert "Iran will not press the Houthis" in page.content.decode()
    delete_event = _events(Claim, pk)[-1]
    response = client.post(reverse("admin:claims_claim_restore", args=[delete_event.pgh_id]))
    assert response.status_code == 302

    claim = Claim.objects.get(pk=pk)
    assert (claim.text, claim.kind, claim.statement_id) == ("Iran will not press the Houthis", "denial", statement.pk)
    restore_event = _events(Claim, pk)[-1]
    assert restore_event.pgh_label == "insert"
    assert restore_event.pgh_context.metadata["action"] == "restore"
    assert restore_event.pgh_context.metadata["restored_from_event"] == delete_event.pgh_id
    assert _context_user(restore_event) == role_users["curator"].pk
    assert pk not in [row.pk for row in client.get(deleted_url).context["entries"]]


def test_restore_whose_parent_is_gone_is_refused_with_a_message(client, role_users):
    client.force_login(role_users["curator"])
    statement = factories.StatementFactory(status=ReviewStatus.DRAFT)
    claim = factories.ClaimFactory(statement=statement)
    pk = claim.pk
    statement.delete()  # takes the claim with it
    delete_event = _events(Claim, pk)[-1]
    response = client.post(reverse("admin:claims_claim_restore", args=[delete_event.pgh_id]), follow=True)
    assert response.status_code == 200
    assert "refused" in response.content.decode()
    assert not Claim.objects.filter(pk=pk).exists()


def test_analyst_cannot_restore(client, role_users):
    claim = factories.ClaimFactory(statement=factories.StatementFactory(status=ReviewStatus.DRAFT))
    pk = claim.pk
    claim.delete()
    client.force_login(role_users["analyst"])
    assert client.get(reverse("admin:claims_claim_deleted")).status_code == 200
    event = _events(Claim, pk)[-1]
    assert client.post(reverse("admin:claims_claim_restore", args=[event.pgh_id])).status_code == 403
    assert not Claim.objects.filter(pk=pk).exists()
