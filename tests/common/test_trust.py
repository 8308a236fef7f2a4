"""The holes an outside tester found against the production settings, each closed by a rule (issue 15):
forged page cursors, staff without a role reading drafts, the claims CSV naming unpublished
claims, stored ``javascript:`` links, the sign-in landing page (a database outage: test_resilience)."""

import base64
import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.choices import ReviewStatus
from claims.pagination import _encode_cursor
from tests import factories

pytestmark = pytest.mark.django_db

# Every list that pages by cursor: the analysts' pages and the API.
CURSOR_LISTS = [
    "/statements/", "/claims/", "/officials/", "/topics/?q=a", "/articles/",
    "/api/statements/", "/api/claims/", "/api/officials/", "/api/topics/", "/api/articles/",
]  # fmt: skip


def _forged_payloads():
    values = st.one_of(
        st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(), st.none(), st.booleans(),
        st.just("\ud800"), st.just("\x00"), st.just(2**80), st.just("9999-99-99"),
    )  # fmt: skip
    as_json = st.lists(values, max_size=4).map(lambda items: json.dumps(["n", items]))
    as_raw = st.one_of(st.text(min_size=1), st.binary(min_size=1).map(lambda raw: raw.decode("latin-1")))
    encoded = st.one_of(as_json, as_raw).map(
        lambda text: base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")
    )
    # A real-looking token (ours, base64 JSON, then a signature) with a signature that is not ours.
    resigned = as_json.map(lambda text: base64.urlsafe_b64encode(text.encode()).decode().rstrip("=") + ":forged")
    return st.one_of(encoded, resigned, st.text(min_size=1))


@pytest.mark.parametrize("url", CURSOR_LISTS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cursor=_forged_payloads())
def test_a_forged_cursor_is_a_400_on_every_list(client, url, cursor):
    if not cursor.strip():
        return
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}cursor={base64.urlsafe_b64encode(b'').decode()}", {"cursor": cursor})
    assert response.status_code == 400, (url, cursor, response.status_code)


@pytest.mark.parametrize("url", ["/statements/", "/api/statements/"])
def test_our_own_cursors_still_page(client, url):
    statements = [factories.StatementFactory() for _ in range(3)]
    first = client.get(url, {"page_size": 2})
    assert first.status_code == 200
    if url.startswith("/api/"):
        next_url = first.json()["next"]
        assert client.get(next_url).status_code == 200
    else:
        last = sorted(statements, key=lambda s: (s.said_on, s.pk), reverse=True)[1]
        cursor = _encode_cursor("n", [last.said_on, last.pk])
        assert client.get(url, {"page_size": 2, "cursor": cursor}).status_code == 200
    # An unsigned cursor of the old kind is refused.
    unsigned = base64.urlsafe_b64encode(json.dumps(["n", ["2024-01-01", 1]]).encode()).decode()
    assert client.get(url, {"cursor": unsigned}).status_code == 400


# --- visibility is a permission, not is_staff --------------------------------------------------------


def test_staff_without_a_role_sees_published_material_only():
    draft = factories.StatementFactory(status=ReviewStatus.DRAFT, text="DRAFTWORDSQQ only in a draft")
    factories.ClaimFactory(statement=draft, text="DRAFTCLAIMQQ")
    factories.StatementFactory(text="PUBLISHEDWORDSQQ")
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True))
    for url in ("/statements/", "/claims/", "/api/statements/", "/api/claims/", "/statements/export.csv",
                "/claims/export.csv", "/statements/counts/"):  # fmt: skip
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert b"DRAFTWORDSQQ" not in body and b"DRAFTCLAIMQQ" not in body, url
    assert client.get(f"/statements/{draft.pk}/").status_code == 404
    assert client.get(f"/api/statements/{draft.pk}/").status_code == 404
    # The same user given the Analysts role reads the draft.
    analyst = Client()
    analyst.force_login(factories.analyst_user())
    assert b"DRAFTWORDSQQ" in analyst.get("/statements/").content


def test_anonymous_claims_csv_names_no_unpublished_claim():
    published = factories.ClaimFactory()
    draft_claim = factories.ClaimFactory(statement=factories.StatementFactory(status=ReviewStatus.DRAFT))
    other = factories.ClaimFactory()
    factories.ClaimRelationFactory(from_claim=published, to_claim=draft_claim, kind="qualifies")
    factories.ClaimRelationFactory(from_claim=published, to_claim=other, kind="repeats")

    def relations(client):
        response = client.get(reverse("claims:claim_export"))
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content)))
        return next(row["relations"] for row in rows if row["id"] == str(published.pk))

    assert relations(Client()) == f"repeats #{other.pk}"
    analyst = Client()
    analyst.force_login(factories.analyst_user())
    assert set(relations(analyst).split(" | ")) == {f"qualifies #{draft_claim.pk}", f"repeats #{other.pk}"}


# --- stored links, sign-in, outages ------------------------------------------------------------------


def test_a_stored_javascript_url_is_never_rendered_as_a_link(client):
    article = factories.ArticleFactory()
    type(article).objects.filter(pk=article.pk).update(url="javascript:alert(document.cookie)")
    statement = factories.StatementFactory()
    factories.CitationFactory(statement=statement, article=article)
    for url in (f"/articles/{article.pk}/", f"/statements/{statement.pk}/"):
        content = client.get(url).content.decode()
        assert "javascript:alert" in content  # shown as text, for the curator to see
        assert 'href="javascript:' not in content


def test_an_http_url_is_still_a_link(client):
    article = factories.ArticleFactory(url="https://www.example.org/news/1")
    assert 'href="https://www.example.org/news/1"' in client.get(f"/articles/{article.pk}/").content.decode()


def test_signing_in_with_a_refused_next_lands_on_the_admin(client, role_users):
    from tests.common.test_hardening import PASSWORD

    response = client.post(
        reverse("admin:login") + "?next=https://evil.example/",
        {"username": "editor", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
