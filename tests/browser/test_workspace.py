"""An analyst's session in a real browser: filter by topic and Solar Hijri dates, search with another
spelling, follow the permalink, switch to Persian, download the CSV. Screenshots go to
test-artifacts/screenshots/."""

import csv
import io
import re

import pytest
from django.core.cache import cache

from claims.exports import BOM
from tests.claims.workspace_corpus import build_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIEWPORT = {"width": 1366, "height": 900}


def _listed(page) -> list[int]:
    return [int(n) for n in page.locator("[data-statement]").evaluate_all("els => els.map(e => e.dataset.statement)")]


def test_analyst_session(live_server, browser, screenshots, tmp_path):
    cache.clear()  # anonymous exports are rate-limited per address
    corpus = build_corpus()
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/statements/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert len(_listed(page)) == 5
    page.screenshot(path=str(screenshots / "statements-en.png"), full_page=True)

    # The counts (facets, timeline, exact total) arrive after the rows, from their own URL.
    page.wait_for_selector("html[data-counts=loaded]")
    assert page.locator("main svg.timeline").count() == 1
    assert page.locator("[data-part=total] .count").get_attribute("data-total") == "5"

    # Topic from the facet list (sub-topics included), then a Solar Hijri date range typed in Persian digits.
    page.locator("section.facet a", has_text="Iran–US relations").click()
    assert sorted(_listed(page)) == sorted([corpus.talks.pk, corpus.english.pk])
    page.fill("input[name=said_on_from]", "۱۴۰۳/۰۱/۰۱")
    page.fill("input[name=said_on_to]", "۳۱ اردیبهشت ۱۴۰۳")
    page.locator("#filters button[type=submit]", has_text="Apply").click()
    assert _listed(page) == [corpus.talks.pk]

    # The statement says گفتوگو (no ZWNJ); the analyst types گفتگو.
    page.fill("input[name=q]", "گفتگو")
    page.locator(".search-box button").click()
    assert _listed(page) == [corpus.talks.pk]
    assert "گفتوگوهای غیرمستقیم" in page.locator(f"[data-statement='{corpus.talks.pk}']").inner_text()
    assert page.locator(".chips").inner_text().count("Iran–US relations") == 1

    # Permalink: the URL is the whole state, in a fresh browser context with no cookies.
    permalink = page.locator("a[rel=bookmark]").get_attribute("href")
    assert "q=" in permalink and "topic=" in permalink and "said_on_from=" in permalink
    colleague = browser.new_context(viewport=VIEWPORT).new_page()
    colleague.goto(live_server.url + permalink)
    assert _listed(colleague) == [corpus.talks.pk]
    assert colleague.locator("input[name=q]").input_value() == "گفتگو"
    colleague.context.close()

    # Persian: the whole page turns right-to-left, Persian labels, Persian digits.
    page.locator(".language-switch button[data-language=fa]").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    assert "گفته‌ها" in page.locator("h1").inner_text()
    assert _listed(page) == [corpus.talks.pk]
    page.screenshot(path=str(screenshots / "statements-fa-filtered.png"), full_page=True)

    # CSV of exactly this filter.
    with page.expect_download() as download_info:
        page.locator("a[data-export=csv]").click()
    path = tmp_path / "statements.csv"
    download_info.value.save_as(path)
    content = path.read_bytes()
    assert content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(content[len(BOM) :].decode(), newline="")))
    assert rows[0][:3] == ["id", "said_on", "said_on_solar_hijri"]
    assert [int(row[0]) for row in rows[1:]] == [corpus.talks.pk]
    assert rows[1][1:3] == ["2024-05-12", "1403-02-23"]

    # The other main pages, in Persian and in English, for the record.
    pages = {
        "statement-fa": f"/statements/{corpus.houthis.pk}/",
        "official-fa": f"/officials/{corpus.kharrazi.pk}/",
        "topic-fa": f"/topics/{corpus.iran_us.pk}/",
        "article-fa": f"/articles/{corpus.article.pk}/",
        "claims-fa": "/claims/",
        "topics-fa": "/topics/",
    }
    for name, url in pages.items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    assert page.locator(".tree li").count() == 4

    page.locator(".language-switch button[data-language=en]").click()
    assert page.locator("html").get_attribute("dir") == "ltr"
    for name, url in {
        "statement-en": f"/statements/{corpus.talks.pk}/",
        "official-en": f"/officials/{corpus.kharrazi.pk}/",
        "article-en": f"/articles/{corpus.article.pk}/",
        "officials-en": "/officials/",
        "articles-en": "/articles/",
    }.items():
        page.goto(live_server.url + url)
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    marks = page.goto(live_server.url + f"/articles/{corpus.article.pk}/") and page.locator("mark.cited")
    assert marks.count() == 1 and marks.inner_text().startswith("گفتوگوهای")

    # The API docs page works offline (assets from drf-spectacular-sidecar, not a CDN).
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert re.search("Goftar API", page.content())
    page.screenshot(path=str(screenshots / "api-docs.png"))
    context.close()
