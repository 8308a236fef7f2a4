"""Property-based fuzzing (hypothesis): every filter and API parameter on every list, export
and API endpoint never gives a 500; the importer either imports or refuses, never half-writes.

The endpoints and the parameter names are discovered (URL resolver, FilterSets), so new filters
and pages are fuzzed without touching this file.
"""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.choices import ReviewStatus
from tests import factories

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = 40
IMPORT_EXAMPLES = 30
# Parameters every list understands besides its filters (paging, format, ordering).
COMMON_PARAMETERS = ["cursor", "page_size", "page", "format", "ordering", "o", "limit", "offset"]

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةأإآۀ‌ ۰۱۲۳۴۵۶۷۸۹٠١٢٣"
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=PERSIAN, max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999999",
            "1,2,3",
            "1,,x",
            "1403-02-23",
            "۱۴۰۳-۰۲-۲۳",
            "1403-13-40",
            "2024-02-30",
            "۲۳ اردیبهشت ۱۴۰۳",
            "draft",
            "published",
            "retracted",
            "null",
            "NaN",
            "' OR 1=1 --",
            '"unterminated',
            "\x00",
            "%00",
            "a" * 3000,
            "گفت‌وگو",
            "=cmd|' /C calc'!A0",
            "-said_on",
            "json",
            "csv",
            "api",
        ]
    ),
)


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if namespace and entry.namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


def _list_urls() -> list[str]:
    """Every public URL that takes no path parameter (lists, exports, API lists)."""
    urls = []
    for name, entry in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in ("set_language", "common:health"):
            continue
        pattern = entry.pattern
        params = list(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
        if params:
            continue
        urls.append(reverse(name))
    return sorted(set(urls))


def _parameter_names() -> list[str]:
    """Every filter of every FilterSet in the project, plus the common list parameters."""
    import importlib

    import django_filters

    names = set(COMMON_PARAMETERS)
    for app_label in ("claims", "sources"):
        try:
            module = importlib.import_module(f"{apps.get_app_config(app_label).name}.filters")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, django_filters.FilterSet) and value._meta.model:
                names.update(value.base_filters)
    return sorted(names)


@pytest.fixture
def corpus(db):
    official = factories.OfficialFactory(display_name="Kamal Kharrazi", native_name="کمال خرازی")
    topic = factories.TopicFactory(name="Red Sea", name_fa="دریای سرخ")
    for status in ReviewStatus.values:
        statement = factories.StatementFactory(
            official=official, status=status, retraction_reason="x" if status == ReviewStatus.RETRACTED else ""
        )
        statement.topics.add(topic)
        factories.ClaimFactory(statement=statement)
        factories.CitationFactory(statement=statement)
    return official


def test_there_is_something_to_fuzz():
    urls, names = _list_urls(), _parameter_names()
    assert any("statement" in url for url in urls)
    assert {"q", "official", "topic"} <= set(names)


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_parameter_value_on_any_list_gives_a_500(corpus, data):
    names = _parameter_names()
    params = data.draw(
        st.dictionaries(st.sampled_from(names), st.one_of(nasty_text, st.lists(nasty_text, max_size=3)), max_size=4),
        label="params",
    )
    anonymous = data.draw(st.booleans(), label="anonymous")
    client = Client(raise_request_exception=False)
    if not anonymous:
        client.force_login(factories.UserFactory(username="fuzz-staff", is_staff=True, is_superuser=True))
    for url in _list_urls():
        response = client.get(url, params)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        assert response.status_code < 500, (url, params, response.status_code)


# --- the importer ---------------------------------------------------------------------------------------

page_text = st.lists(
    st.one_of(
        st.text(alphabet=PERSIAN + "*.:،؟!-\n", min_size=1, max_size=120),
        st.sampled_from(
            [
                "به گزارش خبرآنلاین",
                "* آیا مذاکرات غیرمستقیم ادامه دارد؟",
                "کمال خرازی رئیس شورای راهبردی روابط خارجی در گفتوگو با الجزیره گفت:",
                "۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳",
                "کد خبر: ۹۶۵۷۰۸",
                "<html><body><p>",
                "</p></body></html>",
                "ارسال به دوستان",
                "\x00\x01",
                "\ufeff",
            ]
        ),
    ),
    max_size=20,
).map("\n".join)


def _row_counts() -> dict[str, int]:
    from django.db import connection

    tables = [
        model._meta.db_table
        for app_label in ("claims", "sources")
        for model in apps.get_app_config(app_label).get_models()
        if model._meta.managed
    ]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@settings(
    max_examples=IMPORT_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.one_of(page_text, page_text.map(lambda text: text.encode("utf-8")), st.binary(max_size=300)),
    url=st.one_of(st.just(""), st.just("https://www.example.ir/news/965708"), st.text(max_size=30)),
    dry_run=st.booleans(),
)
def test_importer_imports_or_refuses_and_never_half_writes(db, content, url, dry_run):
    from django.core.exceptions import ValidationError

    from sources.services import article_import

    before = _row_counts()
    try:
        report = article_import(content=content, url=url, source_name="fuzz", dry_run=dry_run)
    except ValidationError:
        assert _row_counts() == before
        return
    after = _row_counts()
    if dry_run:
        assert after == before
    else:
        assert report is not None


# --- the admin's changelists ------------------------------------------------------------------------------


def _admin_changelists() -> list[tuple[str, list[str]]]:
    """(changelist URL, the query parameters its filters, search, ordering and paging read)."""
    from django.contrib import admin

    result = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("claims", "sources"):
            continue
        params = ["q", "o", "p", "all"]
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                params += [f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull", entry]
            elif isinstance(entry, type) and hasattr(entry, "parameter_name"):
                params.append(entry.parameter_name)
        if model_admin.date_hierarchy:
            params += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        result.append((url, params))
    return result


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_admin_changelist_parameter_gives_a_500(corpus, data):
    client = Client(raise_request_exception=False)
    client.force_login(factories.UserFactory(username="fuzz-root", is_staff=True, is_superuser=True))
    for url, names in _admin_changelists():
        params = data.draw(st.dictionaries(st.sampled_from(names), nasty_text, max_size=3), label=url)
        response = client.get(url, params)
        assert response.status_code < 500, (url, params, response.status_code)
