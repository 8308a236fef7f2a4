"""No lost edits: two curators open the same record; the second save is refused, says who
changed what, keeps their input, and the first edit survives. On every versioned admin form."""

import threading

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.choices import ReviewStatus
from common.concurrency import VERSION_FIELD, model_is_versioned
from sources.models import Republication
from tests import factories
from tests.common.html_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _republication():
    article = factories.ArticleFactory()
    return Republication.objects.create(
        article=article, outlet=factories.OutletFactory(), url="https://mirror.example/1"
    )


def _draft():
    return factories.StatementFactory(status=ReviewStatus.DRAFT)


# For each versioned model: how to make a row, and a text field two curators both edit (parts of a
# draft: those of a published statement are the editor's alone, claims.rules).
EDITS = {
    "sources.outlet": (factories.OutletFactory, "name_native"),
    "sources.article": (factories.ArticleFactory, "lead"),
    "sources.republication": (_republication, "published_as_printed"),
    "claims.organization": (factories.OrganizationFactory, "name_native"),
    "claims.official": (factories.OfficialFactory, "notes"),
    "claims.position": (factories.PositionFactory, "title_native"),
    "claims.topic": (factories.TopicFactory, "description"),
    "claims.statement": (_draft, "translation"),
    "claims.citation": (lambda: factories.CitationFactory(statement=_draft()), "role"),
    "claims.claim": (lambda: factories.ClaimFactory(statement=_draft()), "text_original"),
    "claims.claimrelation": (
        lambda: factories.ClaimRelationFactory(from_claim=factories.ClaimFactory(statement=_draft())),
        "note",
    ),
}

# Fields with choices take values from them.
VALUES = {"claims.citation": ("original_venue", "republisher")}


def _versioned_admin_models():
    return sorted(
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.app_label in ("claims", "sources") and model_is_versioned(model)
    )


def test_every_versioned_admin_form_is_covered_here():
    assert _versioned_admin_models() == sorted(EDITS)


def test_no_list_editable_anywhere():
    offenders = [
        type(model_admin).__name__ for model_admin in admin.site._registry.values() if model_admin.list_editable
    ]
    assert offenders == []


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("label", sorted(EDITS))
def test_two_sessions_second_save_is_refused_and_first_survives(role_users, label):
    make, field = EDITS[label]
    obj = make()
    model = apps.get_model(label)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    alice, bob = _client(role_users["editor"]), _client(role_users["curator"])
    alice_page, bob_page = alice.get(url), bob.get(url)
    assert alice_page.status_code == bob_page.status_code == 200
    alice_data, bob_data = admin_form_data(alice_page), admin_form_data(bob_page)
    assert alice_data[VERSION_FIELD] == [str(obj.version)]
    alice_value, bob_value = VALUES.get(label, ("ویرایش آلیس", "Bob's edit"))
    alice_data[field] = [alice_value]
    bob_data[field] = [bob_value]

    first = alice.post(url, alice_data)
    assert first.status_code == 302, first.context and first.context["adminform"].form.errors
    second = bob.post(url, bob_data)

    assert second.status_code == 200
    errors = " ".join(second.context["adminform"].form.non_field_errors())
    assert "after you opened it" in errors
    assert "editor" in errors  # who saved in between
    obj.refresh_from_db()
    assert obj.version == 2
    label_text = str(model._meta.get_field(field).verbose_name)
    assert label_text.lower() in errors.lower()
    assert getattr(obj, field) == alice_value
    # Bob's input is still in the form for him to reapply.
    assert admin_form_data(second)[field] == [bob_value]


def test_saving_the_refused_form_again_applies_the_input_deliberately(role_users):
    statement = factories.StatementFactory(status=ReviewStatus.DRAFT)
    url = reverse("admin:claims_statement_change", args=[statement.pk])
    alice, bob = _client(role_users["editor"]), _client(role_users["curator"])
    alice_data, bob_data = admin_form_data(alice.get(url)), admin_form_data(bob.get(url))
    alice_data["translation"] = ["Alice"]
    bob_data["translation"] = ["Bob"]
    assert alice.post(url, alice_data).status_code == 302
    refused = bob.post(url, bob_data)
    assert refused.status_code == 200
    again = admin_form_data(refused)
    assert again["translation"] == ["Bob"]
    assert again[VERSION_FIELD] == ["2"]
    assert bob.post(url, again).status_code == 302
    statement.refresh_from_db()
    assert (statement.translation, statement.version) == ("Bob", 3)


def test_a_post_without_the_version_is_refused(role_users):
    official = factories.OfficialFactory()
    url = reverse("admin:claims_official_change", args=[official.pk])
    client = _client(role_users["curator"])
    data = admin_form_data(client.get(url))
    del data[VERSION_FIELD]
    data["notes"] = ["no version"]
    response = client.post(url, data)
    assert response.status_code == 200
    official.refresh_from_db()
    assert official.notes == ""


def test_a_save_bumps_the_version_by_one(role_users):
    official = factories.OfficialFactory()
    url = reverse("admin:claims_official_change", args=[official.pk])
    client = _client(role_users["curator"])
    for expected in (2, 3):
        data = admin_form_data(client.get(url))
        data["notes"] = [f"note {expected}"]
        assert client.post(url, data).status_code == 302
        official.refresh_from_db()
        assert official.version == expected


def test_stale_inline_edit_is_refused_on_the_inline(role_users):
    claim = factories.ClaimFactory(statement=factories.StatementFactory(status=ReviewStatus.DRAFT))
    url = reverse("admin:claims_statement_change", args=[claim.statement_id])
    alice, bob = _client(role_users["editor"]), _client(role_users["curator"])
    alice_data, bob_data = admin_form_data(alice.get(url)), admin_form_data(bob.get(url))
    text_key = next(key for key in alice_data if key.startswith("claims-") and key.endswith("-text"))
    assert any(key.endswith(f"-{VERSION_FIELD}") and key.startswith("claims-") for key in alice_data)
    alice_data[text_key] = ["Alice's claim"]
    bob_data[text_key] = ["Bob's claim"]
    assert alice.post(url, alice_data).status_code == 302
    refused = bob.post(url, bob_data)
    assert refused.status_code == 200
    assert "after you opened it" in refused.content.decode()
    claim.refresh_from_db()
    assert claim.text == "Alice's claim"


def test_an_untouched_stale_inline_does_not_block_the_parent(role_users):
    claim = factories.ClaimFactory(statement=factories.StatementFactory(status=ReviewStatus.DRAFT))
    url = reverse("admin:claims_statement_change", args=[claim.statement_id])
    bob = _client(role_users["curator"])
    bob_data = admin_form_data(bob.get(url))
    # Someone edits the claim on its own page meanwhile.
    alice = _client(role_users["editor"])
    claim_url = reverse("admin:claims_claim_change", args=[claim.pk])
    alice_data = admin_form_data(alice.get(claim_url))
    alice_data["text"] = ["Alice's claim"]
    assert alice.post(claim_url, alice_data).status_code == 302
    # Bob changed only the statement; his inline row is stale but he did not touch it...
    bob_data["translation"] = ["Bob's translation"]
    text_key = next(key for key in bob_data if key.startswith("claims-") and key.endswith("-text"))
    response = bob.post(url, bob_data)
    # ...yet it carries the old text, which would overwrite Alice's: refused, not lost.
    assert bob_data[text_key] != ["Alice's claim"]
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.text == "Alice's claim"


def test_workflow_step_makes_open_edit_forms_stale(role_users):
    from claims.services import statement_review

    statement = factories.StatementFactory(status=ReviewStatus.DRAFT)
    url = reverse("admin:claims_statement_change", args=[statement.pk])
    bob = _client(role_users["curator"])
    data = admin_form_data(bob.get(url))
    statement_review(statement=statement, actor=role_users["editor"])
    data["translation"] = ["late edit"]
    response = bob.post(url, data)
    assert response.status_code == 200
    assert "review status" in response.content.decode().lower()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_one_wins_one_is_refused():
    """Two real requests at the same instant, on two database connections: the row lock makes
    one wait for the other, which then sees the new version and refuses."""
    from common.roles import CURATORS, user_assign_role

    users = [user_assign_role(user=factories.UserFactory(username=f"c{n}"), role=CURATORS) for n in range(2)]
    official = factories.OfficialFactory()
    url = reverse("admin:claims_official_change", args=[official.pk])
    clients = [_client(user) for user in users]
    payloads = []
    for n, client in enumerate(clients):
        data = admin_form_data(client.get(url))
        data["notes"] = [f"edit {n}"]
        payloads.append(data)
    barrier = threading.Barrier(2)
    statuses = [None, None]

    def post(n):
        try:
            barrier.wait()
            statuses[n] = clients[n].post(url, payloads[n]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]
    official.refresh_from_db()
    assert official.version == 2
    assert official.notes == f"edit {statuses.index(302)}"


def test_the_refusal_speaks_persian_to_a_persian_curator(role_users):
    from common.models import UserProfile

    UserProfile.objects.create(user=role_users["curator"], language="fa")
    official = factories.OfficialFactory()
    url = reverse("admin:claims_official_change", args=[official.pk])
    alice, bob = _client(role_users["editor"]), _client(role_users["curator"])
    alice_data, bob_data = admin_form_data(alice.get(url)), admin_form_data(bob.get(url))
    alice_data["notes"] = ["یادداشت آلیس"]
    bob_data["notes"] = ["یادداشت باب"]
    assert alice.post(url, alice_data).status_code == 302
    refused = bob.post(url, bob_data)
    errors = " ".join(refused.context["adminform"].form.non_field_errors())
    assert "کس دیگری آن را ذخیره کرد" in errors
    assert "editor" in errors
    assert admin_form_data(refused)["notes"] == ["یادداشت باب"]


def test_read_only_view_has_no_version_row(role_users):
    official = factories.OfficialFactory()
    client = _client(role_users["analyst"])
    html = client.get(reverse("admin:claims_official_change", args=[official.pk])).content.decode()
    assert "goftar_version" not in html


def test_every_domain_admin_and_inline_derives_from_the_goftar_bases():
    from common.admin import GoftarInline, GoftarModelAdmin

    strays = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("claims", "sources"):
            continue
        if not isinstance(model_admin, GoftarModelAdmin):
            strays.append(type(model_admin).__name__)
        strays += [inline.__name__ for inline in model_admin.inlines if not issubclass(inline, GoftarInline)]
    assert strays == []


def test_the_refusal_shows_the_colleagues_new_value(role_users):
    official = factories.OfficialFactory()
    url = reverse("admin:claims_official_change", args=[official.pk])
    alice, bob = _client(role_users["editor"]), _client(role_users["curator"])
    alice_data, bob_data = admin_form_data(alice.get(url)), admin_form_data(bob.get(url))
    alice_data["native_name"] = ["کمال خرازی"]
    bob_data["notes"] = ["Bob's note"]
    assert alice.post(url, alice_data).status_code == 302
    errors = " ".join(bob.post(url, bob_data).context["adminform"].form.non_field_errors())
    assert "“Native name” → “کمال خرازی”" in errors
