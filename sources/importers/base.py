"""The importer lifecycle and what an import reports.

Every feed goes through the same four steps (Open States ``importers/base.py`` shape):

1. **decode**: bytes to text, refusing what is not a text page (see ``sources.importers.decoding``);
2. **parse**: the page to plain records, with no database access (``ParsedArticle``,
   ``StatementDraft``);
3. **match**: records to existing rows by natural key and to suggestions (officials, outlets,
   topics) by folded alias;
4. **write**: create or update through ``sources.services``, counting what was created, updated,
   left unchanged or skipped, in one transaction per page.

The report is a plain dataclass so that the command prints it and the admin page shows it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# The largest page the importer accepts. A long news page is ~100 kB of HTML; anything past this
# is not an article (a PDF, a database dump, a whole site), and parsing it would hold a
# transaction and a worker for nothing.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_LABEL = "2 MB"
# The largest page the admin's import page takes: what it previews (and then imports) well within
# one request on a small server (docs/benchmarks.md, "Import of large pages"), whatever the page's
# shape. Larger pages, up to MAX_IMPORT_BYTES, go through ``manage.py import_article``.
PREVIEW_MAX_BYTES = 256 * 1024
PREVIEW_MAX_LABEL = "256 kB"
# The time the import page gives one preview or import, well inside a worker's timeout (gunicorn's
# 30 s by default): past it the import gives up, nothing is saved and the curator is told, so a
# request never ends in a worker timeout whatever the server's load.
PREVIEW_SECONDS = 20

MESSAGE_EMPTY = _("The page is empty: there is no text to import.")
MESSAGE_TOO_SLOW = _(
    "The page could not be imported within the %(seconds)s seconds this page has for one request; "
    "nothing was saved. Import it with the command: manage.py import_article PATH."
)
MESSAGE_TOO_LARGE_FOR_PREVIEW = _(
    "The page is %(size)s; this page previews and imports pages of at most %(limit)s (what it can do "
    "within one request). Import it with the command instead: manage.py import_article PATH "
    "(pages up to %(command_limit)s)."
)
MESSAGE_TOO_LARGE = _("The page is %(size)s; the import limit is %(limit)s. Save only the article page.")
MESSAGE_BINARY = _("This is a binary file (%(kind)s), not a text or HTML page. Save the page as text or HTML.")
MESSAGE_UNKNOWN_ENCODING = _(
    "The text is neither UTF-8 nor Windows-1256 (Arabic/Persian) nor Windows-1252. Save the page as UTF-8."
)
MESSAGE_DAMAGED = _("The page was read as %(encoding)s: check the text around the replaced characters.")
MESSAGE_NO_BODY = _("No article text was found on the page (only navigation or page furniture).")
MESSAGE_BAD_URL = _("“%(url)s” is not a web address (it must start with http:// or https://).")
MESSAGE_DATABASE = _("The import failed and nothing was saved: %(error)s")


class ImportRejected(ValidationError):
    """Input the importer refuses before touching the database (empty, binary, too large ...)."""


@dataclass
class StatementPreview:
    """One draft statement as the curator sees it before confirming (and as it was written)."""

    speaker: str
    official_id: int | None
    position: str
    question: str
    text: str
    attribution: str
    venue_kind: str
    venue_outlet: str
    topics: list[str]
    start_offset: int
    end_offset: int

    @property
    def attribution_label(self) -> str:
        from claims.choices import AttributionType

        return str(AttributionType(self.attribution).label) if self.attribution in AttributionType.values else ""

    @property
    def venue_label(self) -> str:
        from claims.choices import VenueKind

        return str(VenueKind(self.venue_kind).label) if self.venue_kind in VenueKind.values else ""


# What an import did with the page, as the curator reads it.
OUTCOME_LABELS = {
    "created": _("a new article"),
    "updated": _("a stored article completed"),
    "unchanged": _("already imported: nothing changed"),
    "republication": _("the same text under another URL: recorded as a republication"),
    "skipped": _("skipped"),
}


@dataclass
class ImportReport:
    """What one page's import did (or, for a dry run or a preview, would do)."""

    source_name: str = ""
    encoding: str = ""
    format: str = ""
    dry_run: bool = False
    outcome: str = ""  # created / updated / unchanged / republication / skipped
    article_id: int | None = None
    title: str = ""
    lead: str = ""
    body: str = ""
    language: str = ""
    news_code: str = ""
    url: str = ""
    outlet: str = ""
    upstream_outlet: str = ""
    upstream_as_printed: str = ""
    published_at: datetime.datetime | None = None
    published_as_printed: str = ""
    body_sha256: str = ""
    statements: list[StatementPreview] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0
    _warned: set = field(default_factory=set, repr=False)

    def warn(self, message) -> None:
        text = str(message)
        if text not in self._warned:
            self._warned.add(text)
            self.warnings.append(text)

    @property
    def outcome_label(self) -> str:
        return str(OUTCOME_LABELS.get(self.outcome, self.outcome))

    @property
    def language_label(self) -> str:
        from sources.choices import Language

        return str(Language(self.language).label) if self.language in Language.values else self.language

    @property
    def written(self) -> bool:
        return bool(self.created or self.updated) and not self.dry_run

    def summary(self) -> str:
        """One line: ``created 1 article, 4 statements ...; unchanged ...; skipped ...``."""
        parts = []
        verb_created = _("would create") if self.dry_run else _("created")
        verb_updated = _("would update") if self.dry_run else _("updated")
        for verb, counter in (
            (verb_created, self.created),
            (verb_updated, self.updated),
            (_("unchanged"), self.unchanged),
            (_("skipped"), self.skipped),
        ):
            parts.append(f"{verb} {_describe(counter)}")
        return "; ".join(parts)


# Kinds counted in a report, singular and plural, in the order they are shown.
_KIND_LABELS = {
    "article": ("article", "articles"),
    "republication": ("republication", "republications"),
    "outlet": ("outlet", "outlets"),
    "statement": ("statement", "statements"),
    "citation": ("citation", "citations"),
    "topic_link": ("topic link", "topic links"),
}


def _describe(counter: Counter) -> str:
    if not sum(counter.values()):
        return "0"
    pieces = []
    for kind in sorted(counter, key=lambda k: list(_KIND_LABELS).index(k) if k in _KIND_LABELS else 99):
        singular, plural = _KIND_LABELS.get(kind, (kind, kind))
        pieces.append(f"{counter[kind]} {ngettext(singular, plural, counter[kind])}")
    return ", ".join(pieces)


@dataclass
class BatchSummary:
    """Totals over several pages (the command's closing line)."""

    files: int = 0
    failed: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    warnings: int = 0

    def add(self, report: ImportReport) -> None:
        self.files += 1
        self.created.update(report.created)
        self.updated.update(report.updated)
        self.unchanged.update(report.unchanged)
        self.skipped.update(report.skipped)
        self.warnings += len(report.warnings)

    def summary(self, *, dry_run: bool = False) -> str:
        created, updated = ("would create", "would update") if dry_run else ("created", "updated")
        return (
            f"{self.files + self.failed} page(s), {self.failed} failed: {created} {_describe(self.created)}; "
            f"{updated} {_describe(self.updated)}; unchanged {_describe(self.unchanged)}; "
            f"skipped {_describe(self.skipped)}; {self.warnings} warning(s)"
        )


class BaseImporter:
    """The lifecycle every feed follows: decode → parse → match → write (see the module docstring).

    Subclasses implement :meth:`parse` (pure, no database) and :meth:`write` (inside the caller's
    transaction). :meth:`run` ties them together and fills the report.
    """

    def __init__(self, *, report: ImportReport, deadline: float | None = None, time_limit: float | None = None):
        self.report = report
        # ``time.perf_counter()`` past which the import gives up (an interactive request's budget).
        self.deadline = deadline
        self.time_limit = time_limit

    def check_time(self) -> None:
        """Give up (nothing is saved) once the deadline has passed: called between steps and in loops."""
        import time

        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise ImportRejected(MESSAGE_TOO_SLOW, code="too_slow", params={"seconds": f"{self.time_limit:g}"})

    def limit_database_time(self) -> None:
        """Before the writes: the database may spend only what is left of the time (its statement
        timeout, local to the import's transaction; ``sources.services`` turns a cancel into the
        same refusal)."""
        import time

        from django.db import connection

        if self.deadline is None:
            return
        self.check_time()
        remaining_ms = max(1, int((self.deadline - time.perf_counter()) * 1000))
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{remaining_ms}ms"])

    def decode(self, content: bytes | str) -> str:
        from sources.importers.decoding import decode_page

        if isinstance(content, str):
            content = content.encode("utf-8")
        text, encoding = decode_page(content)
        self.report.encoding = encoding
        if "damaged" in encoding:
            self.report.warn(MESSAGE_DAMAGED % {"encoding": encoding})
        return text

    def parse(self, text: str):  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, parsed):  # pragma: no cover - abstract
        raise NotImplementedError
