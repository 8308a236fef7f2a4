"""The admin's "Import article" page: staff only, preview in a rolled-back transaction, confirm."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sources.importers.base import MAX_IMPORT_BYTES
from sources.models import Article
from tests import factories
from tests.sources.test_importers import DATA, SEED, create_reference_data, stored_rows


@pytest.fixture
def reference(db):
    return create_reference_data()


URL = "/sources/import/"
# The empty form: session, user, profile, permissions, the admin's app list, and the outlet
# choices in one query whatever their number.
FORM_PAGE_QUERIES = 9


@pytest.fixture
def curator(db):
    user = factories.UserFactory(username="curator", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_article", content_type__app_label="sources"))
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def preview(client, **data):
    return client.post(URL, {"preview": "1", **data})


def test_url_and_changelist_link():
    assert reverse("sources:article_import") == URL


def test_changelist_shows_the_import_link(admin_client):
    response = admin_client.get(reverse("admin:sources_article_changelist"))
    assert response.status_code == 200
    assert URL in response.content.decode()


def test_anonymous_and_non_staff_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    client.force_login(factories.UserFactory(username="reader"))
    response = client.get(URL)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_without_add_permission_is_refused(client, db):
    client.force_login(factories.UserFactory(username="viewer", is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"preview": "1", "text": SEED.read_text()}).status_code == 403
    assert Article.objects.count() == 0


@pytest.mark.parametrize("outlets", [1, 25])
def test_form_page_query_count(curator_client, django_assert_num_queries, outlets):
    factories.OutletFactory.create_batch(outlets)
    with django_assert_num_queries(FORM_PAGE_QUERIES):
        response = curator_client.get(URL)
    assert response.status_code == 200
    select = re.search(r'<select name="outlet".*?</select>', response.content.decode(), re.DOTALL).group(0)
    assert select.count("<option") == outlets + 1


def test_paste_preview_then_confirm(curator_client, reference):
    response = preview(curator_client, text=SEED.read_text(encoding="utf-8"), outlet=reference.asriran.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview: nothing has been saved yet" in page
    assert "would create 1 article, 4 statements" in page
    assert "مذاکرات محرمانه ایران و آمریکا به روایت کمال خرازی" in page
    assert "Kamal Kharrazi" in page and "Head of the Strategic Council on Foreign Relations" in page
    assert "Al Jazeera" in page
    assert Article.objects.count() == 0  # the preview rolled back

    confirm = response.context["confirm_form"]
    response = curator_client.post(URL, {"confirm": "1", **{k: confirm[k].value() or "" for k in confirm.fields}})
    assert response.status_code == 200
    page = response.content.decode()
    article = Article.objects.get()
    assert article.outlet == reference.asriran
    assert "created 1 article, 4 statements" in page
    assert reverse("admin:sources_article_change", args=[article.pk]) in page
    # Confirming the same page again is harmless.
    response = curator_client.post(URL, {"confirm": "1", **{k: confirm[k].value() or "" for k in confirm.fields}})
    assert "unchanged 1 article, 4 statements" in response.content.decode()
    assert Article.objects.count() == 1


def test_upload_windows_1256_file(curator_client, reference):
    upload = SimpleUploadedFile("zarif.txt", (DATA / "fa_report_windows1256.txt").read_bytes(), "text/plain")
    response = curator_client.post(URL, {"preview": "1", "file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "Windows-1256" in page
    assert "Mohammad Javad Zarif" in page
    # The confirmation carries the exact bytes: the import reads them the same way.
    confirm = response.context["confirm_form"]
    curator_client.post(URL, {"confirm": "1", **{k: confirm[k].value() or "" for k in confirm.fields}})
    assert "ظريف" in Article.objects.get().title


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("empty.txt", b""), "The submitted file is empty"),
        (("pixel.png", (DATA / "not_a_page.png").read_bytes()), "binary file (PNG image)"),
        (("blob.bin", (DATA / "binary_blob.bin").read_bytes()), "binary file"),
        (("big.txt", b"a" * (MAX_IMPORT_BYTES + 1)), "the import limit is 2 MB"),
    ],
)
def test_bad_uploads_are_form_errors(curator_client, reference, upload, message):
    before = stored_rows()
    response = curator_client.post(URL, {"preview": "1", "file": SimpleUploadedFile(*upload)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "confirm_form" not in response.context
    assert stored_rows() == before


def test_pasted_spaces_and_nothing_and_both_are_form_errors(curator_client, reference):
    assert "The page is empty" in preview(curator_client, text="  \n ").content.decode()
    assert "Paste the page" in preview(curator_client, text="").content.decode()
    both = preview(curator_client, text="متن", file=SimpleUploadedFile("a.txt", b"text"))
    assert "Paste the page" in both.content.decode()
    assert Article.objects.count() == 0


def test_pasted_html_is_never_rendered_as_markup(curator_client, reference):
    html = (
        (DATA / "fa_interview_bold.html")
        .read_text(encoding="utf-8")
        .replace("<p>ما به", '<p><script>alert("goftar")</script><img src=x onerror="alert(1)">ما به')
    )
    response = preview(curator_client, text=html)
    page = response.content.decode()
    assert response.status_code == 200 and "Kamal Kharrazi" in page
    assert "alert" not in page and "onerror" not in page and "dataLayer" not in page
    body = response.context["report"].body
    assert "<" not in body and "alert" not in body


def test_damaged_confirmation_is_a_form_error(curator_client, reference):
    response = curator_client.post(URL, {"confirm": "1", "payload": "not base64!!", "source_name": "x"})
    assert response.status_code == 400
    assert "preview the page again" in response.content.decode()
    assert Article.objects.count() == 0


def test_bad_url_is_a_form_error(curator_client, reference):
    response = preview(curator_client, text=SEED.read_text(encoding="utf-8"), url="ftp://example.org/a")
    assert response.status_code == 200
    assert Article.objects.count() == 0
    assert re.search(r"errorlist", response.content.decode())


def test_csrf_is_required(curator, reference):
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    response = client.post(URL, {"preview": "1", "text": SEED.read_text(encoding="utf-8")})
    assert response.status_code == 403
    assert Article.objects.count() == 0
