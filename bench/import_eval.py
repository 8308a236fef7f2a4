"""The import measured on real pages: ``manage.py import_eval`` (see bench/evaluation/README.md).

The evaluation set is a folder with ``pages/`` (each page's stored text ``NAME.txt`` and its
hand-written expectation ``NAME.json``), ``officials.json`` and ``outlets.json``. The run loads the
officials and outlets as a curator would enter them, imports every page through
``sources.services.article_import`` (the door the admin and ``import_article`` use), and compares
what the importer read with what the curator recorded. Everything happens inside one transaction
that is rolled back at the end, and each page's import inside a savepoint rolled back once it is
scored, so pages do not see each other's rows (unless ``keep``).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from claims.choices import OrganizationKind
from claims.models import Official, OfficialAlias, Organization, Position
from common.dates import parse_date
from common.text import fold
from sources.importers.article import COUNTRY_ZONES
from sources.importers.base import ImportRejected, ImportReport
from sources.importers.dates import parse_printed_datetime
from sources.models import Article, Outlet, OutletAlias
from sources.services import article_import

EVALUATION_DIR = Path(__file__).resolve().parent / "evaluation"
DEFAULT_ZONE = "Asia/Tehran"  # the importer's own default when an outlet's country is unknown
# The outlet's local time, for the countries of the set's outlets that the importer does not list.
SCORING_ZONES = {"IN": "Asia/Kolkata", "IT": "Europe/Rome", "TN": "Africa/Tunis"} | COUNTRY_ZONES

# The bars of issue 16, as (label, total's key, comparison, bar).
BARS = [
    ("printed date read right", "date_rate", ">=", 0.95),
    ("dates invented", "dates_invented", "==", 0),
    ("right-speaker recall", "recall", ">=", 0.85),
    ("right-speaker precision", "precision", ">=", 0.90),
    ("wrong attributions", "wrong_attributions", "==", 0),
    ("upstream credit right", "upstream_rate", ">=", 0.90),
    ("titles and speakers that are page chrome", "chrome", "==", 0),
]

# Places that datelines and menus print; a title or speaker that is only one of them is chrome.
PLACES = {
    fold(name)
    for name in (
        "Tehran", "تهران", "طهران", "Washington", "واشنطن", "واشنگتن", "Moscow", "موسکو", "مسکو", "Ankara",
        "أنقرة", "آنکارا", "Istanbul", "إسطنبول", "استانبول", "Cairo", "القاهرة", "قاهره", "Amman", "عمان",
        "Doha", "الدوحة", "دوحه", "Riyadh", "الرياض", "ریاض", "Sanaa", "صنعاء", "Manama", "المنامة", "Beirut",
        "بيروت", "بیروت", "Damascus", "دمشق", "Baghdad", "بغداد", "Geneva", "جنيف", "ژنو", "New York",
        "نيويورك", "نیویورک", "London", "لندن", "Paris", "باريس", "پاریس", "Berlin", "برلين", "برلین",
        "Beijing", "بكين", "پکن", "Tokyo", "Brussels", "Vienna", "فيينا", "وین", "Baku", "باكو", "باکو",
        "Rome", "Muscat", "مسقط", "Kabul", "كابل", "کابل", "Gaza", "غزة", "غزه",
        "The US", "US", "U.S.", "United States", "Iran", "ایران", "إيران", "Russia", "روسیه", "روسيا",
    )
}  # fmt: skip
_TIME_STAMP = re.compile(r"^[(\[]?\d{1,2}:\d{2}(?::\d{2})?[)\]]?$")
_PRINTED_OFFSET = re.compile(r"GMT\s*([+-])\s*(\d{1,2}):?(\d{2})?", re.IGNORECASE)


# -- the set ------------------------------------------------------------------------------------


@dataclass
class EvalPage:
    """One page of the set: its stored text and what a curator recorded from it."""

    name: str
    text: bytes
    expected: dict


def pages_load(directory: Path = EVALUATION_DIR, *, only: str = "") -> list[EvalPage]:
    """The set's pages in name order (``only``: one page, by its name or a unique prefix)."""
    pages_dir = directory / "pages"
    names = sorted(path.stem for path in pages_dir.glob("*.json"))
    if only:
        chosen = [name for name in names if name == only] or [name for name in names if name.startswith(only)]
        if len(chosen) != 1:
            raise ValueError(f"--page {only!r} names {len(chosen)} pages of {pages_dir} (give one).")
        names = chosen
    return [
        EvalPage(
            name=name,
            text=(pages_dir / f"{name}.txt").read_bytes(),
            expected=json.loads((pages_dir / f"{name}.json").read_text(encoding="utf-8")),
        )
        for name in names
    ]


@dataclass
class ReferenceData:
    """The curated rows the run loaded: officials by their set id, outlets by their set key."""

    official_ids: dict[str, int] = field(default_factory=dict)
    slugs: dict[int, str] = field(default_factory=dict)
    outlet_keys: dict[int, str] = field(default_factory=dict)  # Outlet.pk → key
    outlets: dict[str, Outlet] = field(default_factory=dict)
    outlet_by_name: dict[str, str] = field(default_factory=dict)  # Outlet.name → key


def outlet_key(spec: dict) -> str:
    """How the set names an outlet: its domain (without www.), else its folded name."""
    domain = (spec.get("domain") or "").lower().removeprefix("www.")
    return domain or fold(spec.get("name") or "")


def reference_data_load(directory: Path = EVALUATION_DIR) -> ReferenceData:
    """Officials (with aliases and posts, each post in its organisation and country) and outlets,
    as a curator enters them before importing. Rows already present are reused, not doubled."""
    reference = ReferenceData()
    organizations: dict[tuple[str, str], Organization] = {}
    for spec in json.loads((directory / "officials.json").read_text(encoding="utf-8")):
        official = Official.objects.filter(display_name=spec["display_name"], country=spec.get("country") or "").first()
        if official is None:
            official = Official(
                display_name=spec["display_name"],
                native_name=spec.get("native_name") or "",
                country=spec.get("country") or "",
            )
            official.full_clean()
            official.save()
        reference.official_ids[spec["id"]] = official.pk
        reference.slugs[official.pk] = spec["id"]
        known = set(OfficialAlias.objects.filter(official=official).values_list("normalized", flat=True))
        for name in [spec["display_name"], spec.get("native_name") or "", *spec.get("aliases", [])]:
            if name and fold(name) not in known:
                known.add(fold(name))
                OfficialAlias.objects.create(official=official, name=name)
        for post in spec.get("positions", []):
            country = post.get("organization_country") or ""
            organization = organizations.get((post["organization"], country))
            if organization is None:
                organization = Organization.objects.filter(name=post["organization"], country=country).first()
                if organization is None:
                    organization = Organization(
                        name=post["organization"],
                        name_native=post.get("organization_native") or "",
                        country=country,
                        kind=OrganizationKind.GOVERNMENT_BODY if country else OrganizationKind.INTERNATIONAL,
                    )
                    organization.full_clean()
                    organization.save()
                organizations[(post["organization"], country)] = organization
            if Position.objects.filter(official=official, organization=organization, title=post["title"]).exists():
                continue
            start = parse_date(post["start"]) if post.get("start") else None
            end = parse_date(post["end"]) if post.get("end") else None
            position = Position(
                official=official,
                organization=organization,
                title=post["title"],
                title_native=post.get("title_native") or "",
                start_date=start.date if start else None,
                start_precision=start.precision if start else "day",
                end_date=end.date if end else None,
                end_precision=end.precision if end else "day",
            )
            position.full_clean()
            position.save()
    for spec in json.loads((directory / "outlets.json").read_text(encoding="utf-8")):
        key = outlet_key(spec)
        outlet = (Outlet.objects.filter(domain=spec["domain"]).first() if spec.get("domain") else None) or (
            Outlet.objects.filter(name=spec["name"]).first()
        )
        if outlet is None:
            outlet = Outlet(
                name=spec["name"],
                name_native=spec.get("name_native") or "",
                domain=spec.get("domain") or "",
                country=spec.get("country") or "",
            )
            outlet.full_clean()
            outlet.save()
        known = set(OutletAlias.objects.filter(outlet=outlet).values_list("normalized", flat=True))
        for name in spec.get("aliases", []):
            if fold(name) not in known:
                known.add(fold(name))
                OutletAlias.objects.create(outlet=outlet, name=name)
        reference.outlets[key] = outlet
        reference.outlet_keys[outlet.pk] = key
        reference.outlet_by_name[outlet.name] = key
    return reference


# -- scoring one page ---------------------------------------------------------------------------


@dataclass
class DraftScore:
    speaker: str  # the official's set id, or the name as printed when unresolved
    resolved: bool
    text: str
    matches: list[int]  # indexes of the expected statements whose words it contains
    right: bool
    wrong_attribution: bool
    chrome: str


@dataclass
class ExpectedScore:
    speaker: str | None
    words: str
    found: bool
    right_speaker: bool
    cut: bool  # words_continued given and missing from the draft holding the words


@dataclass
class PageScore:
    """What the importer read from one page, set against the curator's expectation."""

    name: str
    language: str
    error: str = ""
    outcome: str = ""
    date_expected: str = ""
    date_read: str = ""
    date_printed: bool = False
    date_right: bool = False
    date_invented: bool = False
    upstream_expected: str = ""
    upstream_read: str = ""
    upstream: str = ""  # right / missed / false / false: the outlet itself / false: a denied source
    title: str = ""
    title_right: bool | None = None
    title_chrome: str = ""
    statements: list[ExpectedScore] = field(default_factory=list)
    drafts: list[DraftScore] = field(default_factory=list)

    @property
    def expected_count(self) -> int:
        return len(self.statements)

    @property
    def found_right(self) -> int:
        return sum(1 for s in self.statements if s.right_speaker)

    @property
    def found_any(self) -> int:
        return sum(1 for s in self.statements if s.found)

    @property
    def drafts_right(self) -> int:
        return sum(1 for d in self.drafts if d.right)

    @property
    def wrong_attributions(self) -> int:
        return sum(1 for d in self.drafts if d.wrong_attribution)

    @property
    def chrome(self) -> int:
        return (1 if self.title_chrome else 0) + sum(1 for d in self.drafts if d.chrome)

    @property
    def cut(self) -> int:
        return sum(1 for s in self.statements if s.cut)


def chrome_reason(text: str, *, site_names: set[str]) -> str:
    """Why ``text`` (a title or a speaker as printed) is page chrome, or '' when it is not."""
    folded = fold(text).strip(" :：-–—|()[]،,.")
    if not folded:
        return ""
    if _TIME_STAMP.match(folded):
        return "time stamp"
    if parse_printed_datetime(text):
        return "date"
    if any(_contains_words(folded, name) and len(folded.split()) <= len(name.split()) + 2 for name in site_names):
        return "site name"
    if folded in PLACES:
        return "place"
    # "TEHRAN, Jan 23 (IRNA) --", "مسکو - ایرنا - ...": a place and a separator open a date line.
    head = re.split(r"\s*[,،(]\s*|\s+[-–—]\s+", folded, maxsplit=1)
    if len(head) == 2 and head[0] in PLACES:
        return "date line"
    return ""


def _country(expected: dict) -> str:
    return (expected.get("outlet") or {}).get("country") or ""


def _zone_for(expected: dict) -> ZoneInfo | datetime.timezone:
    """The outlet's local time: its country's zone, else the offset printed beside the date."""
    country = _country(expected)
    if country in SCORING_ZONES:
        return ZoneInfo(SCORING_ZONES[country])
    printed = (expected.get("published") or {}).get("printed") or ""
    if match := _PRINTED_OFFSET.search(printed):
        offset = datetime.timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        return datetime.timezone(-offset if match.group(1) == "-" else offset)
    return ZoneInfo(DEFAULT_ZONE)


def _names(spec: dict | None, reference: ReferenceData) -> set[str]:
    """Every folded name an outlet of the set goes by."""
    if not spec:
        return set()
    names = {fold(spec.get("name")), fold(spec.get("name_native")), fold(spec.get("printed"))}
    outlet = reference.outlets.get(outlet_key(spec))
    if outlet is not None:
        names |= {fold(outlet.name), fold(outlet.name_native), fold(outlet.domain)}
        names |= {fold(a.name) for a in outlet.aliases.all()}
    return {n for n in names if n}


def _same_outlet(read_key: str, printed: str, spec: dict | None, reference: ReferenceData) -> bool:
    if not spec:
        return False
    outlet_spec = spec.get("outlet") if "printed" in spec and "outlet" in spec else spec
    if read_key and outlet_spec and read_key == outlet_key(outlet_spec):
        return True
    folded = fold(printed)
    if not folded:
        return False
    names = _names(outlet_spec, reference) | ({fold(spec["printed"])} if spec.get("printed") else set())
    return any(_contains_words(folded, name) or _contains_words(name, folded) for name in names)


def _contains_words(text: str, words: str) -> bool:
    """``words`` is a run of whole words of ``text`` (both folded)."""
    return bool(words) and f" {words} " in f" {text} "


def page_score(page: EvalPage, report: ImportReport | None, reference: ReferenceData, *, error: str = "") -> PageScore:
    """Compare one import's report with the page's expectation (see bench/evaluation/README.md)."""
    expected = page.expected
    score = PageScore(name=page.name, language=expected.get("language", ""), error=error)
    published = expected.get("published")
    score.date_printed = bool(published)
    score.date_expected = published["iso"] if published else ""
    upstream = expected.get("upstream")
    score.upstream_expected = (upstream or {}).get("printed") or ""
    statements = expected.get("statements", [])
    if report is None:
        score.upstream = "missed" if upstream else "right"
        score.statements = [ExpectedScore(s.get("speaker"), s["words"], False, False, False) for s in statements]
        return score
    score.outcome = report.outcome

    # Publication date, in the outlet's local time; the time only when one is printed.
    if report.published_at:
        with_time = "T" in score.date_expected or not published
        # A day without a time is midnight in the zone the importer gave the outlet: read it there.
        zone = _zone_for(expected) if with_time else ZoneInfo(COUNTRY_ZONES.get(_country(expected), DEFAULT_ZONE))
        local = report.published_at.astimezone(zone)
        score.date_read = local.strftime("%Y-%m-%dT%H:%M" if with_time else "%Y-%m-%d")
        score.date_right = bool(published) and score.date_read == score.date_expected
        score.date_invented = not score.date_right

    # Upstream credit.
    read_key = ""
    if report.upstream_outlet:
        read_key = reference.outlet_by_name.get(report.upstream_outlet, fold(report.upstream_outlet))
    printed = report.upstream_as_printed or report.upstream_outlet
    score.upstream_read = printed
    if not read_key and not printed:
        score.upstream = "missed" if upstream else "right"
    elif _same_outlet(read_key, printed, expected.get("outlet"), reference):
        score.upstream = "false: the outlet itself"
    elif _same_outlet(read_key, printed, expected.get("denied_source"), reference):
        score.upstream = "false: a denied source"
    elif _same_outlet(read_key, printed, upstream, reference):
        score.upstream = "right"
    else:
        score.upstream = "false"

    site_names = _names(expected.get("outlet"), reference)
    score.title = report.title
    if expected.get("title"):
        score.title_right = fold(report.title) == fold(expected["title"])
    score.title_chrome = chrome_reason(report.title, site_names=site_names)

    expected_words = [(fold(s["words"]), fold(s.get("words_continued") or "")) for s in statements]
    for statement, (words, continued) in zip(statements, expected_words, strict=True):
        holders = [d for d in report.statements if words and words in fold(d.text)]
        right = [d for d in holders if _speaker_right(d, statement.get("speaker"), reference)]
        score.statements.append(
            ExpectedScore(
                speaker=statement.get("speaker"),
                words=statement["words"],
                found=bool(holders),
                right_speaker=bool(right),
                cut=bool(continued) and bool(holders) and not any(continued in fold(d.text) for d in holders),
            )
        )
    for draft in report.statements:
        text = fold(draft.text)
        matches = [i for i, (words, _) in enumerate(expected_words) if words and words in text]
        right = any(_speaker_right(draft, statements[i].get("speaker"), reference) for i in matches)
        wrong = bool(draft.official_id) and any(
            reference.slugs.get(draft.official_id) != statements[i].get("speaker") for i in matches
        )
        score.drafts.append(
            DraftScore(
                speaker=reference.slugs.get(draft.official_id, draft.speaker) if draft.official_id else draft.speaker,
                resolved=bool(draft.official_id),
                text=draft.text,
                matches=matches,
                right=right,
                wrong_attribution=wrong and not right,
                chrome="" if draft.official_id else chrome_reason(draft.speaker, site_names=site_names),
            )
        )
    return score


def _speaker_right(draft, speaker: str | None, reference: ReferenceData) -> bool:
    if speaker is None:
        return draft.official_id is None
    return draft.official_id is not None and draft.official_id == reference.official_ids.get(speaker)


# -- the run ------------------------------------------------------------------------------------


@dataclass
class EvaluationResult:
    pages: list[PageScore]
    kept: bool = False

    def totals(self) -> dict:
        pages = self.pages
        dated = [p for p in pages if p.date_printed]
        expected = sum(p.expected_count for p in pages)
        drafts = sum(len(p.drafts) for p in pages)
        found_right = sum(p.found_right for p in pages)
        drafts_right = sum(p.drafts_right for p in pages)
        upstream_right = sum(1 for p in pages if p.upstream == "right")
        return {
            "pages": len(pages),
            "errors": sum(1 for p in pages if p.error),
            "dates_printed": len(dated),
            "dates_right": sum(1 for p in dated if p.date_right),
            "date_rate": _rate(sum(1 for p in dated if p.date_right), len(dated)),
            "dates_invented": sum(1 for p in pages if p.date_invented),
            "upstream_right": upstream_right,
            "upstream_false": sum(1 for p in pages if p.upstream.startswith("false")),
            "upstream_missed": sum(1 for p in pages if p.upstream == "missed"),
            "upstream_credited": sum(1 for p in pages if p.upstream_expected),
            "upstream_credited_right": sum(1 for p in pages if p.upstream_expected and p.upstream == "right"),
            "upstream_rate": _rate(upstream_right, len(pages)),
            "statements_expected": expected,
            "statements_found": sum(p.found_any for p in pages),
            "statements_found_right": found_right,
            "recall": _rate(found_right, expected),
            "drafts": drafts,
            "drafts_right": drafts_right,
            "precision": _rate(drafts_right, drafts),
            "wrong_attributions": sum(p.wrong_attributions for p in pages),
            "quotes_cut": sum(p.cut for p in pages),
            "titles_expected": sum(1 for p in pages if p.title_right is not None),
            "titles_right": sum(1 for p in pages if p.title_right),
            "chrome": sum(p.chrome for p in pages),
        }

    def bars(self) -> list[tuple[str, object, str, object, bool]]:
        totals = self.totals()
        results = []
        for label, key, comparison, bar in BARS:
            value = totals[key]
            passed = value >= bar if comparison == ">=" else value == bar
            results.append((label, value, comparison, bar, passed))
        return results

    def as_dict(self) -> dict:
        return {
            "totals": self.totals(),
            "bars": [
                {"label": label, "value": value, "comparison": comparison, "bar": bar, "passed": passed}
                for label, value, comparison, bar, passed in self.bars()
            ],
            "pages": [
                asdict(p)
                | {
                    "found_right": p.found_right,
                    "drafts_right": p.drafts_right,
                    "wrong_attributions": p.wrong_attributions,
                    "chrome": p.chrome,
                }
                for p in self.pages
            ],
        }


def _rate(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def evaluation_run(
    *, directory: Path = EVALUATION_DIR, only: str = "", keep: bool = False, say: Callable[[str], None] = lambda _: None
) -> EvaluationResult:
    """Load the reference data, import and score every page; roll it all back unless ``keep``."""
    pages = pages_load(directory, only=only)
    scores = []
    with transaction.atomic():
        reference = reference_data_load(directory)
        for page in pages:
            url = page.expected.get("url") or ""
            if Article.objects.filter(url=url).exists():
                say(f"{page.name}: an article with this URL is already in the database; its drafts are not re-made.")
            try:
                with transaction.atomic():
                    report = article_import(content=page.text, source_name=page.name, url=url)
                    score = page_score(page, report, reference)
                    if not keep:
                        transaction.set_rollback(True)
            except ImportRejected as exc:
                score = page_score(page, None, reference, error=" ".join(exc.messages))
            scores.append(score)
        if not keep:
            transaction.set_rollback(True)
    return EvaluationResult(pages=scores, kept=keep)


# -- the printed report -------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


_DATE_MARK = {(True, True): "ok", (True, False): "-", (False, False): "·"}


def render_report(result: EvaluationResult, *, verbose: bool = False) -> str:
    """The per-page table, the totals and the bars, as plain text."""
    lines = []
    header = (
        f"{'page':<42} {'date':<8} {'upstream':<10} {'stmts':>5} {'right':>5} {'drafts':>6} {'ok':>3} "
        f"{'wrong':>5} {'chrome':>6} {'cut':>3}"
    )
    lines += [header, "-" * len(header)]
    for page in result.pages:
        if page.date_right:
            date = "ok"
        elif page.date_invented:
            date = "WRONG" if page.date_printed else "INVENTED"
        else:
            date = "missed" if page.date_printed else "·"
        upstream = {"right": "ok", "missed": "missed"}.get(page.upstream, "FALSE")
        lines.append(
            f"{page.name[:42]:<42} {date:<8} {upstream:<10} {page.expected_count:>5} {page.found_right:>5} "
            f"{len(page.drafts):>6} {page.drafts_right:>3} {page.wrong_attributions:>5} {page.chrome:>6} "
            f"{page.cut:>3}" + (f"  ERROR {page.error[:60]}" if page.error else "")
        )
        if verbose:
            lines.extend(_page_details(page))
    totals = result.totals()
    lines += [
        "",
        f"pages {totals['pages']} ({totals['errors']} refused by the importer)",
        f"printed date read right: {totals['dates_right']} of {totals['dates_printed']} pages that print one "
        f"({_percent(totals['date_rate'])}); dates invented or wrong: {totals['dates_invented']}",
        f"upstream credit right: {totals['upstream_right']} of {totals['pages']} ({_percent(totals['upstream_rate'])});"
        f" false {totals['upstream_false']}, missed {totals['upstream_missed']}; right on "
        f"{totals['upstream_credited_right']} of the {totals['upstream_credited']} pages that credit another outlet",
        f"statements with the right speaker: {totals['statements_found_right']} of {totals['statements_expected']} "
        f"(recall {_percent(totals['recall'])}; found with any speaker {totals['statements_found']})",
        f"drafts that are an expected statement with the right speaker: {totals['drafts_right']} of "
        f"{totals['drafts']} (precision {_percent(totals['precision'])})",
        f"wrong attributions: {totals['wrong_attributions']}; quotes cut before their continuation: "
        f"{totals['quotes_cut']}; titles as printed: {totals['titles_right']} of {totals['titles_expected']}; "
        f"titles and speakers that are page chrome: {totals['chrome']}",
        "",
        "bars (issue 16):",
    ]
    for label, value, comparison, bar, passed in result.bars():
        shown = _percent(value) if isinstance(bar, float) else str(value)
        wanted = _percent(bar) if isinstance(bar, float) else str(bar)
        lines.append(f"  {'PASS' if passed else 'FAIL'}  {label}: {shown} (bar {comparison} {wanted})")
    if result.kept:
        lines.append("The imported rows were kept (--keep).")
    return "\n".join(lines)


def _page_details(page: PageScore) -> list[str]:
    lines = [
        f"    date expected {page.date_expected or 'not printed'}, read {page.date_read or '-'}; upstream expected "
        f"{page.upstream_expected or '-'}, read {page.upstream_read or '-'} ({page.upstream}); outcome {page.outcome}",
        f"    title {page.title[:90]!r}"
        + (f" (chrome: {page.title_chrome})" if page.title_chrome else "")
        + ("" if page.title_right is None else (" right" if page.title_right else " NOT the printed headline")),
    ]
    for draft in page.drafts:
        if draft.right:
            mark = "ok"
        elif draft.wrong_attribution:
            mark = "WRONG"
        elif draft.matches:
            mark = "speaker?"
        else:
            mark = "extra"
        chrome = f" [chrome: {draft.chrome}]" if draft.chrome else ""
        lines.append(f"    {mark:<8} {draft.speaker[:30]}{chrome}: {' '.join(draft.text.split())[:100]}")
    for statement in page.statements:
        if not statement.right_speaker:
            why = "found, wrong speaker" if statement.found else "missed"
            lines.append(f"    {why}: {statement.speaker or 'unnamed'}: {statement.words}")
        if statement.cut:
            lines.append(f"    cut before its continuation: {statement.words}")
    return lines
