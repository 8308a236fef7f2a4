"""Writes for the sources app: importing a page, and the rows an import creates.

``article_import`` is the one door both the ``import_article`` command and the admin's "Import
article" page go through. The other services are its steps, each small and keyword-only.
"""

from __future__ import annotations

import datetime
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pghistory
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from psycopg.errors import QueryCanceled

from claims.choices import ReviewStatus
from claims.models import Citation, Statement, StatementTopic
from sources.importers.base import MESSAGE_DATABASE, MESSAGE_TOO_SLOW, ImportRejected, ImportReport
from sources.models import Article, Outlet, Republication

# Test hook: when set to a file path, the import writes that file once its rows are written and
# then waits inside the open transaction, so a test can kill the process at that point.
TEST_PAUSE_ENVIRONMENT_VARIABLE = "GOFTAR_IMPORT_TEST_PAUSE"
TEST_PAUSE_SECONDS = 60


class ImportFailed(ImportRejected):
    """The database refused a row; the transaction was rolled back and nothing was saved."""


def article_import(
    *,
    content: bytes | str,
    source_name: str = "",
    url: str = "",
    outlet_name: str = "",
    dry_run: bool = False,
    actor=None,
    time_limit: float | None = None,
) -> ImportReport:
    """Import one news page (plain text or HTML bytes): an Article and its draft Statements.

    One transaction (opened here): any failure leaves nothing behind, and ``dry_run`` rolls everything back
    after building the full report (the admin's preview). Importing the same page again changes
    nothing (see ``sources.importers.article``). Raises ``ImportRejected`` for input that is not
    an importable page and ``ImportFailed`` when the database refuses a row.

    ``time_limit`` (seconds): an interactive request's budget. Past it the import gives up with
    ``ImportRejected`` (code ``too_slow``) and nothing is saved: the importer checks the time
    between its steps, and the database cancels a statement that would run past it.
    """
    from sources.importers.article import ArticleImporter

    started = time.perf_counter()
    report = ImportReport(source_name=source_name, dry_run=dry_run)
    deadline = started + time_limit if time_limit else None
    importer = ArticleImporter(report=report, deadline=deadline, time_limit=time_limit)
    try:
        with (
            transaction.atomic(),
            pghistory.context(importer="import_article", source=source_name[:200], user=getattr(actor, "pk", None)),
        ):
            if time_limit:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{int(time_limit * 1000)}ms"])
            importer.run(content, url=url, outlet_name=outlet_name)
            _pause_for_tests()
            if dry_run:
                transaction.set_rollback(True)
    except ImportRejected:
        raise
    except DatabaseError as exc:
        if time_limit and isinstance(exc.__cause__, QueryCanceled):
            # The statement timeout set above: the request's budget ran out inside the database.
            raise ImportRejected(MESSAGE_TOO_SLOW, code="too_slow", params={"seconds": f"{time_limit:g}"}) from exc
        raise ImportFailed(MESSAGE_DATABASE, code="database", params={"error": str(exc).strip()[:500]}) from exc
    except ValidationError as exc:
        # A row the model refuses (full_clean): the same "nothing was saved" answer, with its reasons.
        raise ImportFailed(MESSAGE_DATABASE, code="invalid", params={"error": "; ".join(exc.messages)[:500]}) from exc
    report.elapsed_ms = (time.perf_counter() - started) * 1000
    return report


def _pause_for_tests() -> None:
    marker = os.environ.get(TEST_PAUSE_ENVIRONMENT_VARIABLE)
    if marker:
        Path(marker).write_text("rows written, transaction open\n")
        time.sleep(TEST_PAUSE_SECONDS)


def outlet_create(*, name: str, domain: str = "") -> Outlet:
    """An outlet met for the first time in an import (the curator completes it in the admin)."""
    outlet = Outlet(name=name, domain=domain)
    outlet.full_clean()
    outlet.save()
    return outlet


def article_create(
    *,
    url: str | None,
    outlet: Outlet,
    upstream_outlet_id: int | None,
    upstream_name_as_printed: str,
    title: str,
    lead: str,
    body: str,
    language: str,
    news_code: str,
    published_at: datetime.datetime | None,
    published_as_printed: str,
    published_calendar: str,
    body_sha256: str,
) -> Article:
    """A captured page. The body is stored exactly as given; its SHA-256 is its natural key."""
    article = Article(
        url=url,
        outlet=outlet,
        upstream_outlet_id=upstream_outlet_id,
        upstream_name_as_printed=upstream_name_as_printed,
        title=title,
        lead=lead,
        body=body,
        language=language,
        news_code=news_code,
        published_at=published_at,
        published_as_printed=published_as_printed,
        published_calendar=published_calendar,
        body_sha256=body_sha256,
    )
    # The unique and check constraints are enforced by the database in the same statement, and the
    # outlets were just looked up: skip the per-field queries.
    article.full_clean(exclude=["outlet", "upstream_outlet"], validate_unique=False, validate_constraints=False)
    article.save()
    return article


def article_update(*, article: Article, url: str) -> Article:
    """Give a stored article the URL it was found under (it had none)."""
    article.url = url
    article.version += 1
    article.full_clean(exclude=["outlet", "upstream_outlet"], validate_unique=False, validate_constraints=False)
    article.save(update_fields=["url", "version", "updated_at"])
    return article


def republication_create(
    *,
    article: Article,
    url: str,
    outlet: Outlet,
    published_at: datetime.datetime | None,
    published_as_printed: str,
) -> Republication:
    """The same text found under another URL: a pointer to the stored article, not a second copy."""
    republication = Republication(
        article=article,
        url=url,
        outlet=outlet,
        published_at=published_at,
        published_as_printed=published_as_printed[:200],
    )
    republication.full_clean(exclude=["article", "outlet"], validate_unique=False, validate_constraints=False)
    republication.save()
    return republication


@dataclass
class DraftStatement:
    """One statement an import found: its words (a span of the article body) and suggestions."""

    official_id: int | None
    speaker_name_as_printed: str
    text: str
    question: str
    language: str
    said_on: datetime.date | None
    said_on_as_printed: str
    said_on_calendar: str
    venue_kind: str
    venue_outlet_id: int | None
    attribution: str
    start_offset: int
    end_offset: int
    role: str
    topic_ids: list[int] = field(default_factory=list)


def draft_statements_create(*, article: Article, statements: list[DraftStatement]) -> Counter:
    """Draft statements, each with a verified citation of ``article`` and its suggested topics.

    Three INSERTs whatever the number of statements. A citation is verified only when its quote
    is exactly ``article.body[start:end]``; the database trigger checks the offsets again.
    """
    counts: Counter = Counter()
    if not statements:
        return counts
    rows = []
    for draft in statements:
        statement = Statement(
            official_id=draft.official_id,
            speaker_name_as_printed=draft.speaker_name_as_printed,
            text=draft.text,
            question=draft.question,
            language=draft.language,
            said_on=draft.said_on,
            said_on_as_printed=draft.said_on_as_printed,
            said_on_calendar=draft.said_on_calendar,
            venue_kind=draft.venue_kind,
            venue_outlet_id=draft.venue_outlet_id,
            attribution=draft.attribution,
            status=ReviewStatus.DRAFT,
        )
        statement.full_clean(
            exclude=["official", "venue_outlet", "position"], validate_unique=False, validate_constraints=False
        )
        rows.append(statement)
    created = Statement.objects.bulk_create(rows)
    citations = []
    links = []
    for statement, draft in zip(created, statements, strict=True):
        quote = article.body[draft.start_offset : draft.end_offset]
        citations.append(
            Citation(
                statement=statement,
                article=article,
                quote=quote,
                start_offset=draft.start_offset,
                end_offset=draft.end_offset,
                role=draft.role,
                verified=quote == draft.text,
            )
        )
        links.extend(StatementTopic(statement=statement, topic_id=topic_id) for topic_id in draft.topic_ids)
    Citation.objects.bulk_create(citations)
    if links:
        StatementTopic.objects.bulk_create(links)
    counts["statement"] = len(created)
    counts["citation"] = len(citations)
    if links:
        counts["topic_link"] = len(links)
    return counts
