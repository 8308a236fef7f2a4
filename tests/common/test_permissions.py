"""Every URL of the project against every role, found by walking the URL resolver, so that a
new page, export, API endpoint or admin model is covered the day it lands.

Tolerant of which views exist; strict on the rules:
- nobody ever gets a 500;
- anonymous visitors (and signed-in users without a role) never see a draft, reviewed or
  retracted statement, nor a claim of one, on any page, export or API response, and get 404
  for such a statement by id;
- only staff reach the admin; in the admin each role can open only what its permissions allow
  (analysts read, curators and editors edit domain data, only administrators manage users).
"""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from claims.choices import ReviewStatus
from claims.models import ClaimParty, ClaimTopic, StatementTopic, StatementTransition
from sources.models import Republication
from tests import factories

pytestmark = pytest.mark.django_db

DRAFT_TOKEN = "DRAFTWORDSZQX"
DRAFT_CLAIM_TOKEN = "DRAFTCLAIMZQX"
PUBLISHED_TOKEN = "PUBLISHEDWORDSZQX"
ROLES = ("anonymous", "no_role", "analyst", "curator", "editor", "administrator")
STAFF_ROLES = ("analyst", "curator", "editor", "administrator")

# URL names that take no GET by design (POST-only endpoints), with the status a GET gets.
POST_ONLY = {"set_language", "admin:logout"}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            )
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, entry


def _params(entry) -> list[str]:
    pattern = entry.pattern
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


@pytest.fixture
def world(role_users):
    """A small corpus: one published statement and one of every other status, and a row of
    every admin model."""
    official = factories.OfficialFactory(display_name="Kamal Kharrazi")
    topic = factories.TopicFactory(name="Red Sea shipping")
    published = factories.StatementFactory(
        official=official, status=ReviewStatus.PUBLISHED, text=f"{PUBLISHED_TOKEN} گفتوگو"
    )
    hidden = {
        status: factories.StatementFactory(
            official=official,
            status=status,
            text=f"{DRAFT_TOKEN} {status}",
            translation=f"{DRAFT_TOKEN} translation",
            retraction_reason="wrong" if status == ReviewStatus.RETRACTED else "",
        )
        for status in (ReviewStatus.DRAFT, ReviewStatus.REVIEWED, ReviewStatus.RETRACTED)
    }
    for statement in (published, *hidden.values()):
        StatementTopic.objects.create(statement=statement, topic=topic)
    claim = factories.ClaimFactory(statement=published, text="Iran will not press the Houthis")
    hidden_claim = factories.ClaimFactory(statement=hidden[ReviewStatus.DRAFT], text=f"{DRAFT_CLAIM_TOKEN} claim")
    organization = factories.OrganizationFactory()
    ClaimTopic.objects.create(claim=claim, topic=topic)
    ClaimParty.objects.create(claim=claim, organization=organization)
    factories.ClaimRelationFactory(from_claim=claim, to_claim=factories.ClaimFactory(statement=published))
    citation = factories.CitationFactory(statement=published)
    factories.CitationFactory(statement=hidden[ReviewStatus.DRAFT], article=citation.article)
    factories.PositionFactory(official=official, organization=organization)
    factories.OfficialAliasFactory(official=official, name="کمال خرازی")
    factories.OutletAliasFactory(outlet=citation.article.outlet)
    Republication.objects.create(
        article=citation.article, outlet=factories.OutletFactory(), url="https://mirror.example/r"
    )
    StatementTransition.objects.create(statement=published, from_status="reviewed", to_status="published")
    plain = factories.UserFactory(username="plain")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from common.models import UserProfile

    UserProfile.objects.create(user=plain, language="fa")
    AccessAttempt.objects.create(username="x", ip_address="203.0.113.9", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="203.0.113.9")
    AccessFailureLog.objects.create(username="x", ip_address="203.0.113.9", locked_out=False)
    return {"published": published, "hidden": hidden, "claim": claim, "hidden_claim": hidden_claim}


def _client(role, role_users):
    client = Client(raise_request_exception=False)
    if role == "no_role":
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="plain"))
    elif role != "anonymous":
        client.force_login(role_users[role])
    return client


def _model_for_admin_name(name):
    # admin:<app>_<model>_<view>
    short = name.split(":", 1)[1]
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if short.startswith(prefix):
            return model, short[len(prefix) :]
    return None, short


def _sample(model):
    if model._meta.label == "pghistory.Events":
        from claims.models import Statement

        event = Statement.pgh_event_model.objects.order_by("pgh_id").first()
        return model(pgh_slug=f"{type(event)._meta.label}:{event.pgh_id}")
    return model._default_manager.order_by("pk").first()


def _public_model(name):
    from django.apps import apps

    base = re.split(r"[_-]", name.split(":")[-1])[0]
    for app_label in ("claims", "sources"):
        try:
            return apps.get_model(app_label, base)
        except LookupError:
            continue
    return None


def _urls(world):
    """(name, url, kind, model, view) for every named URL, with its parameters filled in."""
    published = world["published"]
    urls = []
    unfilled = []
    for name, entry in _walk(get_resolver().url_patterns):
        if not name:
            continue
        params = _params(entry)
        kwargs = {}
        if name.startswith("admin:"):
            model, view = _model_for_admin_name(name)
            obj = _sample(model) if model is not None else None
            for param in params:
                if param == "object_id" and obj is not None:
                    kwargs[param] = obj.pk
                elif param == "pgh_id" and obj is not None and hasattr(obj, "pgh_event_model"):
                    kwargs[param] = (
                        obj.pgh_event_model.objects.filter(pgh_obj_id=obj.pk).order_by("pgh_id").first().pgh_id
                    )
                elif param == "app_label":
                    kwargs[param] = "claims"
                elif param == "id" and model is not None:
                    kwargs[param] = obj.pk
                elif param == "content_type_id":
                    from django.contrib.contenttypes.models import ContentType

                    kwargs[param] = ContentType.objects.get_for_model(published).pk
                    kwargs["object_id"] = published.pk
            kind = "admin"
        else:
            model, view = _public_model(name), None
            for param in params:
                if param in ("pk", "id") and model is not None:
                    kwargs[param] = (published if model._meta.model_name == "statement" else _sample(model)).pk
                elif param == "format":  # DRF format suffixes
                    kwargs[param] = "json"
            kind = "public"
        if set(kwargs) != set(params):
            unfilled.append((name, params))
            continue
        urls.append((name, reverse(name, kwargs=kwargs), kind, model, view))
    assert not unfilled, f"teach this test how to fill these URL parameters: {unfilled}"
    return urls


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_the_walk_finds_public_pages_and_every_admin_model(world):
    names = {name for name, *_ in _urls(world)}
    for model in admin.site._registry:
        assert f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" in names
    assert "admin:claims_statement_revert" in names


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_every_role(world, role_users, role):
    client = _client(role, role_users)
    staff = role in STAFF_ROLES
    problems = []
    pages_showing_drafts = []
    for name, url, kind, model, view in _urls(world):
        response = client.get(url)
        status = response.status_code
        body = _body(response) if status == 200 else ""
        where = f"{role} GET {url} ({name}) -> {status}"
        if status >= 500:
            problems.append(where)
            continue
        if name in POST_ONLY:
            if status not in (405, 302):
                problems.append(where)
            continue
        if kind == "admin":
            if name == "admin:login":
                if status not in (200, 302):
                    problems.append(where)
            elif not staff:
                if status != 302 or reverse("admin:login") not in response["Location"]:
                    problems.append(where + " (non-staff must be sent to the login page)")
            else:
                expected = _admin_expectation(role_users[role], model, view, name)
                if expected is not None and status not in expected:
                    problems.append(f"{where}, expected {sorted(expected)}")
        else:
            if status not in (200, 301, 302, 400, 403, 404):
                problems.append(where)
        if not staff and (DRAFT_TOKEN in body or DRAFT_CLAIM_TOKEN in body):
            problems.append(where + " shows an unpublished statement or its claim")
        if kind == "public" and DRAFT_TOKEN in body:
            pages_showing_drafts.append(url)
        if role == "administrator" and kind == "public" and status != 200 and status not in (301, 302):
            problems.append(where + " (an administrator can open every page)")
    assert problems == [], "\n".join(problems)
    if staff:
        # The control: the same walk does find the drafts for staff, so the token check can fail.
        assert pages_showing_drafts, "no public page shows drafts to staff"


def _admin_expectation(user, model, view, name):
    """Statuses a staff user may get for an admin GET, or None when not judged here."""
    if model is None:
        return (
            {200}
            if name
            in ("admin:index", "admin:app_list", "admin:jsi18n", "admin:password_change", "admin:password_change_done")
            else None
        )
    opts = model._meta
    can_view = user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )
    model_admin = admin.site._registry[model]
    if view in ("changelist", "change", "history"):
        return {200} if can_view else {403}
    if view == "add":
        allowed = user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
        return {200, 403} if allowed else {403}
    if view == "delete":
        return {200, 403} if user.has_perm(f"{opts.app_label}.delete_{opts.model_name}") else {403}
    if view == "revert":
        return {200, 403} if user.has_perm(f"{opts.app_label}.change_{opts.model_name}") else {403}
    if view == "autocomplete":
        return {200, 403, 404}
    del model_admin
    return None


def _is_statement_detail(name):
    return not name.startswith("admin:") and re.search(r"statement[_-]detail$", name) is not None


@pytest.mark.parametrize("role", ["anonymous", "no_role"])
def test_hidden_statements_by_id_are_404(world, role_users, role):
    client = _client(role, role_users)
    names = [name for name, *_ in _urls(world) if _is_statement_detail(name)]
    for name in names:
        for statement in world["hidden"].values():
            assert client.get(reverse(name, kwargs={"pk": statement.pk})).status_code == 404, (name, statement.status)
        assert client.get(reverse(name, kwargs={"pk": world["published"].pk})).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "no_role"])
def test_claims_of_hidden_statements_by_id_are_404(world, role_users, role):
    client = _client(role, role_users)
    names = [name for name, *_ in _urls(world) if re.search(r"^(?!admin:).*claim[_-]detail$", name)]
    for name in names:
        assert client.get(reverse(name, kwargs={"pk": world["hidden_claim"].pk})).status_code == 404, name
        assert client.get(reverse(name, kwargs={"pk": world["claim"].pk})).status_code == 200, name


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_see_drafts_and_retracted_by_id(world, role_users, role):
    client = _client(role, role_users)
    names = [name for name, *_ in _urls(world) if _is_statement_detail(name)]
    for name in names:
        for statement in world["hidden"].values():
            response = client.get(reverse(name, kwargs={"pk": statement.pk}))
            assert response.status_code == 200, (name, statement.status)
            assert DRAFT_TOKEN in _body(response)


@pytest.mark.parametrize("role", ["anonymous", "no_role"])
def test_public_lists_with_any_status_parameter_never_show_drafts(world, role_users, role):
    client = _client(role, role_users)
    for _name, url, kind, *_ in _urls(world):
        if kind != "public":
            continue
        for query in ("?status=draft", "?status=retracted", "?status=reviewed", "?q=translation", "?format=json"):
            response = client.get(url + query)
            assert response.status_code < 500, (url, query)
            body = _body(response) if response.status_code == 200 else ""
            assert DRAFT_TOKEN not in body and DRAFT_CLAIM_TOKEN not in body, (role, url, query)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("analyst", False), ("curator", True), ("editor", True), ("administrator", True)],
)
def test_admin_posts_follow_the_role(world, role_users, role, allowed):
    from tests.common.html_forms import admin_form_data

    official = factories.OfficialFactory(notes="")
    url = reverse("admin:claims_official_change", args=[official.pk])
    client = _client(role, role_users)
    data = admin_form_data(client.get(url))
    data.setdefault("display_name", [official.display_name])
    data["notes"] = [f"edited by {role}"]
    data.setdefault("goftar_version", [str(official.version)])
    response = client.post(url, data)
    official.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert official.notes == f"edited by {role}"
    else:
        assert response.status_code == 403
        assert official.notes == ""


@pytest.mark.parametrize("role", ["analyst", "curator", "editor"])
def test_only_administrators_manage_users(world, role_users, role):
    client = _client(role, role_users)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.post(reverse("admin:auth_user_add"), {"username": "intruder"}).status_code == 403


def test_non_staff_user_cannot_post_to_the_admin(world, role_users):
    client = _client("no_role", role_users)
    official = factories.OfficialFactory(notes="")
    response = client.post(reverse("admin:claims_official_change", args=[official.pk]), {"notes": "x"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.notes == ""
