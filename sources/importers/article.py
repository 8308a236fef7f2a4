"""The news-page feed: one page (plain text or saved HTML) to an Article and draft Statements.

``ArticleImporter.run`` follows the lifecycle of ``importers.base``:

- decode the bytes (``importers.decoding``) and read the page (``importers.html`` for HTML,
  then ``importers.text``): title, lead, body, news code, publication date, language;
- match by natural key: the same URL, or the same body (SHA-256), is "unchanged"; the same body
  under another URL is a republication of the stored article; a known URL whose text has changed
  is skipped (its citations point into the text as captured);
- match suggestions (``importers.matching``): the page's outlet and the upstream outlet it
  credits, the speaker of every statement, the venue, the topics;
- write through ``sources.services``, counting what was created, updated, unchanged and skipped.

It must run inside the caller's transaction (``sources.services.article_import`` opens it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from claims.choices import CitationRole, VenueKind
from common.dates import TEHRAN
from common.text import fold
from sources import services
from sources.importers.base import MESSAGE_BAD_URL, MESSAGE_NO_BODY, BaseImporter, ImportRejected, StatementPreview
from sources.importers.credits import VenuePhrase, find_credits, find_venue, printed_outlet_name
from sources.importers.dates import parse_printed_datetime
from sources.importers.html import extract_html, looks_like_html
from sources.importers.matching import Lexicon, Speaker, most_mentioned_official, printed_name
from sources.importers.speech import Interview, StatementDraft, find_statements, squash
from sources.importers.text import DateMention, Line, ParsedPage, parse_lines, split_lines
from sources.models import Article, Outlet, Republication

UNKNOWN_OUTLET_NAME = "Unknown outlet"
# A page without any headline is named by the start of its text.
TITLE_FROM_BODY_LENGTH = 120
UNIDENTIFIED_SPEAKER = "?"
# A lead or summary that repeats words said later sits in the first paragraphs (or an interview's intro).
LEAD_PARAGRAPHS = 3
# Repeats shorter than this (in folded letters) are too short to call a repeat.
MIN_REPEAT_LENGTH = 20
# Where an outlet's printed times are local to, when the page prints no zone.
COUNTRY_ZONES = {
    "IR": "Asia/Tehran",
    "QA": "Asia/Qatar",
    "AE": "Asia/Dubai",
    "SA": "Asia/Riyadh",
    "LB": "Asia/Beirut",
    "IQ": "Asia/Baghdad",
    "SY": "Asia/Damascus",
    "EG": "Africa/Cairo",
    "TR": "Europe/Istanbul",
    "GB": "Europe/London",
    "US": "America/New_York",
    "YE": "Asia/Aden",
    "JO": "Asia/Amman",
    "KW": "Asia/Kuwait",
    "BH": "Asia/Bahrain",
    "OM": "Asia/Muscat",
    "RU": "Europe/Moscow",
    "FR": "Europe/Paris",
    "DE": "Europe/Berlin",
    "CN": "Asia/Shanghai",
    "IL": "Asia/Jerusalem",
    "PS": "Asia/Gaza",
    "AF": "Asia/Kabul",
    "PK": "Asia/Karachi",
}

MESSAGE_PAGE_CHANGED = _(
    "The page at %(url)s was captured before with different text; the captured text is kept because "
    "citations point into it. Nothing was imported."
)
MESSAGE_OUTLET_CREATED = _("The outlet “%(name)s” was not known and was created; check its details in the admin.")
MESSAGE_OUTLET_UNKNOWN = _(
    "The page's outlet is unknown (give --outlet or the page's URL); the article was attached to “%(name)s”."
)
MESSAGE_OUTLET_FROM_MASTHEAD = _("The outlet “%(name)s” was recognised from its name at the top of the page.")
MESSAGE_UPSTREAM_UNKNOWN = _("The page credits “%(name)s”, which matches no known outlet or alias.")
MESSAGE_SPEAKER_UNKNOWN = _("Speaker not found among known officials: “%(name)s” (kept as printed for review).")
MESSAGE_SPEAKER_AMBIGUOUS = _("“%(name)s” is an alias of more than one official; choose the right one in review.")
MESSAGE_SPEAKER_BY_TITLE = _("“%(name)s” was taken to be %(official)s, who held that post on the article's date.")
MESSAGE_NO_SPEAKER = _("The interviewee could not be identified; the answers were kept with speaker “?”.")
MESSAGE_UNANSWERED = _("A question has no answer and was skipped: “%(question)s”.")
MESSAGE_REPEAT = _(
    "Words repeated elsewhere on the page were not made a statement of their own: “%(text)s…” "
    "(characters %(start)s–%(end)s)."
)
MESSAGE_NO_STATEMENTS = _("No statement (interview answer or reported speech) was found in the text.")


@dataclass
class PageSource:
    """What a page offers before any database lookup."""

    format: str
    lines: list[Line]
    title: str = ""
    canonical_url: str = ""
    site_name: str = ""
    meta_dates: list[str] | None = None


@dataclass
class PlannedStatement:
    draft: StatementDraft
    speaker: Speaker
    venue_kind: str
    venue_outlet_id: int | None
    topic_ids: list[int]


_TRACKING_PARAMETERS = re.compile(r"^(?:utm_\w+|fbclid|gclid|igshid|mc_cid|mc_eid|ref_src)$", re.IGNORECASE)


def clean_url(url: str) -> str:
    """The page's address as its natural key: http(s) only, without #fragment or tracking parameters."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise ImportRejected(MESSAGE_BAD_URL, code="bad_url", params={"url": url[:200]})
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMETERS.match(k)]
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, query, ""))[:2000]


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _strip_site_suffix(title: str) -> str:
    return re.split(r"\s+[|–—-]\s+(?=[^|–—-]+$)", title)[0].strip() if title else ""


class ArticleImporter(BaseImporter):
    """News pages (plain text as copied from a browser, or saved HTML) to an Article and drafts."""

    # -- parse (no database) -------------------------------------------------------------------

    def read(self, text: str) -> PageSource:
        if looks_like_html(text):
            page = extract_html(text)
            self.report.format = "HTML"
            title = page.heading or page.meta.get("og:title", "") or _strip_site_suffix(page.title)
            return PageSource(
                format="HTML",
                lines=page.lines,
                title=title,
                canonical_url=page.canonical_url,
                site_name=page.site_name,
                meta_dates=[d for d in (page.published_time,) if d],
            )
        self.report.format = "text"
        return PageSource(format="text", lines=split_lines(text))

    def parse(self, source: PageSource, *, tz: ZoneInfo = TEHRAN) -> ParsedPage:
        extra = []
        for printed in source.meta_dates or []:
            parsed = parse_printed_datetime(printed, tz=tz)
            if parsed:
                extra.append(DateMention("meta", printed, parsed[0], parsed[1].calendar))
        page = parse_lines(
            source.lines,
            title=source.title,
            tz=tz,
            extra_dates=extra,
            restrict_to_container=source.format == "HTML",
        )
        if not page.body:
            raise ImportRejected(MESSAGE_NO_BODY, code="no_body")
        return page

    # -- the whole run ---------------------------------------------------------------------------

    def run(self, content: bytes | str, *, url: str = "", outlet_name: str = "") -> None:
        report = self.report
        text = self.decode(content)
        source = self.read(text)
        self.check_time()
        url = clean_url(url)
        if not url and source.canonical_url:
            try:
                url = clean_url(source.canonical_url)
            except ImportRejected:
                url = ""
        outlet = self.match_outlet(
            name=outlet_name, url=url, site_name=source.site_name, header_lines=_header_lines(source.lines)
        )
        zone = ZoneInfo(COUNTRY_ZONES.get(outlet.country, "Asia/Tehran"))
        page = self.parse(source, tz=zone)
        self.check_time()
        for warning in page.warnings:
            report.warn(warning)
        body_sha256 = hashlib.sha256(page.body.encode("utf-8")).hexdigest()
        self._fill_report(page, url=url, outlet=outlet, body_sha256=body_sha256)

        if self.match_existing(page, url=url, outlet=outlet, body_sha256=body_sha256):
            return

        drafts, interview = find_statements(page.body, page.paragraphs, language=page.language)
        self.check_time()
        said_on = page.published_at.astimezone(zone).date() if page.published_at else None
        lexicon = Lexicon.load(texts=[page.title, page.body], on_date=said_on)
        upstream_id, upstream_printed = self.match_upstream(page, lexicon, outlet)
        planned = self.plan_statements(page, drafts, interview, lexicon, outlet)
        self.check_time()
        lexicon.load_details(
            {p.speaker.official_id for p in planned if p.speaker.official_id},
            {p.venue_outlet_id for p in planned if p.venue_outlet_id} | ({upstream_id} if upstream_id else set()),
        )
        if upstream_id:
            report.upstream_outlet = lexicon.outlets[upstream_id].name
        report.upstream_as_printed = upstream_printed

        self.limit_database_time()
        article = services.article_create(
            url=url or None,
            outlet=outlet,
            upstream_outlet_id=upstream_id,
            upstream_name_as_printed=upstream_printed,
            title=page.title or page.body[:TITLE_FROM_BODY_LENGTH],
            lead=page.lead,
            body=page.body,
            language=page.language,
            news_code=page.news_code[:64],
            published_at=page.published_at,
            published_as_printed=page.published_as_printed,
            published_calendar=page.published_calendar,
            body_sha256=body_sha256,
        )
        report.article_id = article.pk
        report.outcome = "created"
        report.created["article"] += 1

        role = CitationRole.REPUBLISHER if upstream_id or upstream_printed else CitationRole.REPORTER
        rows = []
        for plan in planned:
            speaker = plan.speaker
            rows.append(
                services.DraftStatement(
                    official_id=speaker.official_id,
                    speaker_name_as_printed=speaker.name_as_printed[:300],
                    text=plan.draft.text,
                    question=plan.draft.question,
                    language=page.language,
                    said_on=said_on,
                    said_on_as_printed=page.published_as_printed[:100],
                    said_on_calendar=page.published_calendar,
                    venue_kind=plan.venue_kind,
                    venue_outlet_id=plan.venue_outlet_id,
                    attribution=plan.draft.attribution,
                    topic_ids=plan.topic_ids,
                    start_offset=plan.draft.start,
                    end_offset=plan.draft.end,
                    role=CitationRole.ORIGINAL_VENUE if plan.venue_outlet_id == outlet.pk else role,
                )
            )
            report.statements.append(
                StatementPreview(
                    speaker=lexicon.officials.get(speaker.official_id, "") if speaker.official_id else "",
                    official_id=speaker.official_id,
                    position=lexicon.held_positions.get(speaker.official_id, "") if speaker.official_id else "",
                    question=plan.draft.question,
                    text=plan.draft.text,
                    attribution=str(plan.draft.attribution),
                    venue_kind=str(plan.venue_kind),
                    venue_outlet=lexicon.outlets[plan.venue_outlet_id].name if plan.venue_outlet_id else "",
                    topics=[lexicon.topics.names[t] for t in plan.topic_ids],
                    start_offset=plan.draft.start,
                    end_offset=plan.draft.end,
                )
            )
            if not speaker.official_id:
                report.statements[-1].speaker = speaker.name_as_printed
        self.check_time()
        counts = services.draft_statements_create(article=article, statements=rows)
        report.created.update(counts)
        if not planned:
            report.warn(MESSAGE_NO_STATEMENTS)

    def _fill_report(self, page: ParsedPage, *, url: str, outlet: Outlet, body_sha256: str) -> None:
        report = self.report
        report.title = page.title
        report.lead = page.lead
        report.body = page.body
        report.language = page.language
        report.news_code = page.news_code
        report.url = url
        report.outlet = outlet.name
        report.published_at = page.published_at
        report.published_as_printed = page.published_as_printed
        report.body_sha256 = body_sha256

    # -- match ---------------------------------------------------------------------------------

    def match_outlet(self, *, name: str, url: str, site_name: str, header_lines: list[str] = ()) -> Outlet:
        """The page's own outlet: --outlet, else the URL's domain, else the page's site name, else
        a name printed alone at the top of the page (the masthead as copied: "ایسنا")."""
        report = self.report
        if name:
            outlet = _outlet_named(name)
            if outlet is None:
                outlet = services.outlet_create(name=name.strip()[:200])
                report.created["outlet"] += 1
                report.warn(MESSAGE_OUTLET_CREATED % {"name": outlet.name})
            return outlet
        host = _host(url) if url else ""
        if host:
            parts = host.split(".")
            domains = [".".join(parts[i:]) for i in range(len(parts) - 1)]
            by_domain = {o.domain.lower().removeprefix("www."): o for o in Outlet.objects.filter(domain__in=domains)}
            for domain in domains:
                if domain in by_domain:
                    return by_domain[domain]
        if site_name and (outlet := _outlet_named(site_name)):
            return outlet
        if not host and header_lines:
            masthead = _outlets_named_in(header_lines)
            if len(masthead) == 1:
                outlet = masthead[0]
                report.warn(MESSAGE_OUTLET_FROM_MASTHEAD % {"name": outlet.name})
                return outlet
        if host:
            outlet = Outlet.objects.filter(name=host).first()
            if outlet is None:
                outlet = services.outlet_create(name=host, domain=host)
                report.created["outlet"] += 1
                report.warn(MESSAGE_OUTLET_CREATED % {"name": outlet.name})
            return outlet
        outlet = Outlet.objects.filter(name=UNKNOWN_OUTLET_NAME).first()
        if outlet is None:
            outlet = services.outlet_create(name=UNKNOWN_OUTLET_NAME)
            report.created["outlet"] += 1
        report.warn(MESSAGE_OUTLET_UNKNOWN % {"name": outlet.name})
        return outlet

    def match_existing(self, page: ParsedPage, *, url: str, outlet: Outlet, body_sha256: str) -> bool:
        """Handle a page seen before (True), or say it is new (False)."""
        from claims.models import Citation

        report = self.report
        existing = None
        if url:
            existing = Article.objects.filter(url=url).first()
            if existing is None:
                republication = Republication.objects.select_related("article").filter(url=url).first()
                existing = republication.article if republication else None
            if existing is not None and existing.body_sha256 != body_sha256:
                report.skipped["article"] += 1
                report.outcome = "skipped"
                report.article_id = existing.pk
                report.warn(MESSAGE_PAGE_CHANGED % {"url": url})
                return True
        if existing is None:
            existing = Article.objects.filter(body_sha256=body_sha256).first()
            if existing is not None and url and existing.url != url:
                report.article_id = existing.pk
                if existing.url is None:
                    services.article_update(article=existing, url=url)
                    report.updated["article"] += 1
                    report.outcome = "updated"
                else:
                    services.republication_create(
                        article=existing,
                        url=url,
                        outlet=outlet,
                        published_at=page.published_at,
                        published_as_printed=page.published_as_printed,
                    )
                    report.created["republication"] += 1
                    report.outcome = "republication"
                return True
        if existing is None:
            return False
        report.article_id = existing.pk
        report.outcome = "unchanged"
        report.unchanged["article"] += 1
        statements = Citation.objects.filter(article=existing).values("statement_id").distinct().count()
        if statements:
            report.unchanged["statement"] += statements
        return True

    def match_upstream(self, page: ParsedPage, lexicon: Lexicon, outlet: Outlet) -> tuple[int | None, str]:
        """The outlet the page credits (به گزارش خبرآنلاین), and its name as printed."""
        for credit in find_credits(page.body):
            outlet_id = lexicon.outlet_in(credit.name, exclude=outlet.pk)
            if outlet_id == outlet.pk:
                continue  # the page crediting itself
            if outlet_id:
                return outlet_id, printed_outlet_name(credit.name)[:200]
            if credit.strong:
                printed = printed_outlet_name(credit.name)[:200]
                if printed and fold(printed) not in (fold(outlet.name), fold(outlet.name_native)):
                    self.report.warn(MESSAGE_UPSTREAM_UNKNOWN % {"name": printed})
                    return None, printed
        return None, ""

    def plan_statements(
        self,
        page: ParsedPage,
        drafts: list[StatementDraft],
        interview: Interview | None,
        lexicon: Lexicon,
        outlet: Outlet,
    ) -> list[PlannedStatement]:
        """Speakers, venues and topics for the drafts; repeats dropped."""
        report = self.report
        if interview:
            for question in interview.unanswered:
                report.skipped["statement"] += 1
                report.warn(MESSAGE_UNANSWERED % {"question": question[:80]})
        lead_paragraphs = max(LEAD_PARAGRAPHS, len(interview.intro) if interview else 0)
        kept = _drop_repeats(drafts, report, lead_paragraphs=lead_paragraphs)

        intro_texts = [page.title] + ([page.paragraphs[i].text for i in interview.intro] if interview else [])
        interviewee = self._interviewee(intro_texts, kept, lexicon, page.language) if interview else None
        interview_venue = find_venue(" \n".join(intro_texts)) if interview else None
        if interview and interview.interviewer and not (interview_venue and interview_venue.name):
            # A transcript's interviewer may be the outlet itself ("Al Jazeera: ...?").
            interview_venue = VenuePhrase(VenueKind.INTERVIEW, interview.interviewer)

        by_paragraph = {d.paragraph_index: d for d in kept if not d.interview_answer}
        answers = {d.paragraph_index: d for d in kept if d.interview_answer}
        planned: list[PlannedStatement] = []
        last_speaker: Speaker | None = None
        for index, paragraph in enumerate(page.paragraphs):
            if index % 256 == 0:
                self.check_time()
            draft = answers.get(index) or by_paragraph.get(index)
            if draft is None:
                mentioned = {m.values for m in lexicon.official_mentions(paragraph.text) if len(m.values) == 1}
                if len(mentioned) == 1:
                    last_speaker = Speaker(next(iter(next(iter(mentioned)))), "", "alias")
                continue
            if draft.interview_answer:
                speaker = interviewee
                if draft.subject:
                    # A transcript names the speaker of each answer ("Kharrazi: ...").
                    named = lexicon.resolve(draft.subject, language=page.language)
                    if named and (named.official_id or not interviewee.official_id):
                        speaker = named
                venue = interview_venue
            else:
                if draft.according and lexicon.outlet_in(draft.subject) is not None:
                    continue  # "According to Reuters, ...": a credit, not a speaker
                speaker = None if draft.pronoun else lexicon.resolve(draft.subject, language=page.language)
                if speaker is None:
                    speaker = last_speaker or Speaker(
                        None, draft.subject.strip()[:300] or UNIDENTIFIED_SPEAKER, "unknown"
                    )
                venue = find_venue(draft.context)
                if venue is None:
                    # "..., وذلك في مؤتمر صحفي", "... at a news conference on Monday": the venue
                    # may follow the words; only the kinds that name an occasion are taken from there.
                    trailing = find_venue(page.paragraphs[draft.paragraph_index].text)
                    if trailing and trailing.kind in (VenueKind.PRESS_CONFERENCE, VenueKind.INTERVIEW):
                        venue = trailing
            self._warn_speaker(speaker, lexicon)
            last_speaker = speaker
            venue_kind, venue_outlet_id = VenueKind.OTHER, None
            if venue:
                venue_outlet_id = lexicon.outlet_in(venue.name) if venue.name else None
                if not venue.outlet_required or venue_outlet_id:
                    venue_kind = venue.kind
            if draft.interview_answer and venue_kind == VenueKind.OTHER:
                venue_kind = VenueKind.INTERVIEW
            topics = sorted(
                lexicon.topics.match(f"{draft.question}\n{draft.text}"), key=lambda t: lexicon.topics.names[t]
            )
            planned.append(PlannedStatement(draft, speaker, venue_kind, venue_outlet_id, topics))
        return planned

    def _interviewee(self, intro_texts, drafts, lexicon: Lexicon, language: str) -> Speaker:
        official_id = most_mentioned_official(lexicon, intro_texts)
        printed = ""
        for draft in drafts:
            if not draft.interview_answer and draft.subject:
                resolved = lexicon.resolve(draft.subject, language=language)
                if resolved and (official_id is None or resolved.official_id == official_id):
                    printed = resolved.name_as_printed
                    official_id = official_id or resolved.official_id
                    break
        if official_id:
            return Speaker(official_id, printed, "alias")
        for text in intro_texts:
            match = re.search(
                r"(?:به" + "[\\s\u200c]*" + r"روایت|گفتگو با|گفتوگو با|گفت[\s\u200c]وگو با|مصاحبه با|"
                r"interview with|مقابلة مع|حوار مع)\s+([^،,.:؛\n«»]{2,60})",
                text,
                re.IGNORECASE,
            )
            if match and lexicon.outlet_in(match.group(1)) is None:
                name = printed_name(match.group(1), language=language)
                if name:
                    return Speaker(None, name, "unknown")
        if printed:
            return Speaker(None, printed, "unknown")
        self.report.warn(MESSAGE_NO_SPEAKER)
        return Speaker(None, UNIDENTIFIED_SPEAKER, "unknown")

    def _warn_speaker(self, speaker: Speaker, lexicon: Lexicon) -> None:
        if speaker.how == "unknown" and speaker.name_as_printed != UNIDENTIFIED_SPEAKER:
            self.report.warn(MESSAGE_SPEAKER_UNKNOWN % {"name": speaker.name_as_printed})
        elif speaker.how == "ambiguous":
            self.report.warn(MESSAGE_SPEAKER_AMBIGUOUS % {"name": speaker.name_as_printed})
        elif speaker.how == "position":
            lexicon.load_details({speaker.official_id}, set())
            self.report.warn(
                MESSAGE_SPEAKER_BY_TITLE
                % {"name": speaker.name_as_printed, "official": lexicon.officials.get(speaker.official_id, "")}
            )


def _outlet_named(name: str) -> Outlet | None:
    from django.db.models import Q

    from common.expressions import Fold

    folded = fold(name)
    return (
        Outlet.objects.annotate(folded_name=Fold("name"), folded_native=Fold("name_native"))
        .filter(
            Q(folded_name=folded) | Q(folded_native=folded) | Q(aliases__normalized=folded) | Q(domain=name.strip())
        )
        .order_by("pk")
        .first()
    )


# The masthead is among the first lines, and short.
MASTHEAD_LINES = 8
MASTHEAD_WORDS = 4


def _header_lines(lines: list[Line]) -> list[str]:
    """Short lines before the first line that reads as a headline or a paragraph."""
    found = []
    for line in lines[: MASTHEAD_LINES * 3]:
        words = line.text.split()
        if not words:
            continue
        if len(words) > MASTHEAD_WORDS:
            break
        found.append(line.text.strip())
        if len(found) >= MASTHEAD_LINES:
            break
    return found


def _outlets_named_in(lines: list[str]) -> list[Outlet]:
    """Outlets one of whose names or aliases is a whole line of ``lines``."""
    from django.db.models import Q

    from common.expressions import Fold
    from sources.importers.matching import ngrams, tokens

    folded = set().union(*(ngrams(tokens(line), MASTHEAD_WORDS) for line in lines))
    if not folded:
        return []
    return list(
        Outlet.objects.annotate(folded_name=Fold("name"), folded_native=Fold("name_native"))
        .filter(Q(folded_name__in=folded) | Q(folded_native__in=folded) | Q(aliases__normalized__in=folded))
        .distinct()
        .order_by("pk")[:2]
    )


def _drop_repeats(drafts: list[StatementDraft], report, *, lead_paragraphs: int) -> list[StatementDraft]:
    """Drafts that only repeat other words on the page are not kept.

    A lead or summary (in the first ``lead_paragraphs`` paragraphs) whose words are all inside
    another draft repeats it; anywhere else only an identical text does. Linear in the number of
    drafts (a page of thousands of paragraphs must not take minutes).
    """
    squashed = [squash(d.text) for d in drafts]
    by_text: dict[str, list[int]] = {}
    for index, text in enumerate(squashed):
        by_text.setdefault(text, []).append(index)

    def repeats(index: int, other_index: int) -> bool:
        draft, other = drafts[index], drafts[other_index]
        if len(squashed[other_index]) > len(squashed[index]):
            return True
        # Equal texts: keep the interview answer, else the first.
        return (other.interview_answer and not draft.interview_answer) or (
            other.interview_answer == draft.interview_answer and other_index < index
        )

    kept = []
    for index, draft in enumerate(drafts):
        mine = squashed[index]
        repeat = False
        if len(mine) >= MIN_REPEAT_LENGTH:
            if not draft.interview_answer and draft.paragraph_index < lead_paragraphs:
                candidates = (i for i in range(len(drafts)) if i != index and mine in squashed[i])
            else:
                candidates = (i for i in by_text[mine] if i != index)
            repeat = any(repeats(index, other_index) for other_index in candidates)
        if repeat:
            report.skipped["statement"] += 1
            report.warn(MESSAGE_REPEAT % {"text": draft.text[:60], "start": draft.start, "end": draft.end})
        else:
            kept.append(draft)
    return kept
