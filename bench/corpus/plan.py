"""The corpus's size, dates and tables: how many rows of each kind a corpus of N statements holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bench.corpus.words import REAL_OUTLETS, STATES

FULL_SIZE = 1_000_000
CORPUS_END = datetime.date(2025, 11, 1)
CORPUS_YEARS = 20
CORPUS_START = CORPUS_END.replace(year=CORPUS_END.year - CORPUS_YEARS)
SPAN_DAYS = (CORPUS_END - CORPUS_START).days
POOL_SIZE = 6000
STATEMENT_MIN_CHARS = 200
STATEMENT_MAX_CHARS = 800
PROGRESS_STEPS = 10
# Share of statements entered long after they were made (the rest are entered in date order).
BACKFILL_SHARE = 0.1

# Tables in load order (parents first). The first group is small reference data; the second is
# bulk data whose secondary indexes and foreign keys are rebuilt after the load.
REFERENCE_TABLES = (
    "claims_organization",
    "claims_official",
    "claims_officialalias",
    "claims_position",
    "claims_topic",
    "sources_outlet",
    "sources_outletalias",
)
BULK_TABLES = (
    "sources_article",
    "claims_statement",
    "claims_statementtopic",
    "claims_claim",
    "claims_claimtopic",
    "claims_claimparty",
    "claims_claimrelation",
    "claims_citation",
)
CORPUS_TABLES = REFERENCE_TABLES + BULK_TABLES
# Other tables that point at corpus rows and are cleared with them (TRUNCATE ... CASCADE would
# clear them anyway; naming them makes the command's report honest).
DEPENDENT_TABLES = ("claims_statementtransition", "sources_republication")
# Triggers that stay enabled during the load: the one that keeps citation offsets inside the
# article body, and the one that keeps the topic tree's closure table (filters read it).
KEPT_TRIGGERS = ("citation_offsets_in_body", "topic_closure_rebuild")


@dataclass(frozen=True)
class CorpusPlan:
    """How many rows of each kind a corpus of ``statements`` statements has (scaled from 1M)."""

    statements: int
    officials: int
    organizations: int
    topics: int
    outlets: int
    articles: int
    mean_topics_per_statement: float = 2.5
    mean_claims_per_statement: float = 2.0

    @classmethod
    def for_statements(cls, statements: int) -> CorpusPlan:
        scale = statements / FULL_SIZE
        return cls(
            statements=statements,
            officials=max(20, round(10_000 * scale)),
            organizations=max(len(STATES) + 12, round(400 * scale)),
            topics=max(15, round(500 * scale)),
            outlets=max(len(REAL_OUTLETS), round(300 * scale)),
            articles=max(50, round(200_000 * scale)),
        )


@dataclass
class CorpusReport:
    """Rows written per table, and seconds spent per phase."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
