"""The generator: one random stream, a pool of parallel sentences, and the row writers of each table group."""

from __future__ import annotations

import random
from collections.abc import Callable

from bench.corpus.articles import ArticleRows
from bench.corpus.plan import POOL_SIZE, CorpusPlan
from bench.corpus.reference import ReferenceRows
from bench.corpus.statements import StatementRows
from bench.corpus.text import PERSIAN_DIGITS, PRINTINGS, printed
from bench.corpus.words import ACTORS_EXTRA, STATES, SUBJECTS, TEMPLATES


class CorpusGenerator(ReferenceRows, ArticleRows, StatementRows):
    """Streams the rows of one corpus, table by table, as COPY text lines."""

    def __init__(self, plan: CorpusPlan, *, seed: int, progress: Callable[[str], None] | None = None):
        self.plan = plan
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress or (lambda message: None)
        self.rows: dict[str, int] = {}
        self._build_pool()

    # -- sentences -------------------------------------------------------------------------

    def _build_pool(self) -> None:
        """Parallel Persian/English sentences; sentence i in one language says sentence i in the other."""
        rng = self.rng
        actors = [(fa, en) for fa, en, _code in STATES] + ACTORS_EXTRA
        self.pool_fa: list[str] = []
        self.pool_en: list[str] = []
        self.pool_kind: list[str] = []
        self.pool_parties: list[tuple[int, ...]] = []
        for _ in range(POOL_SIZE):
            fa_template, en_template, kind = rng.choice(TEMPLATES)
            a, b = rng.sample(range(len(actors)), 2)
            subject = rng.randrange(len(SUBJECTS))
            n, m = rng.randint(2, 90), rng.randint(2, 12)
            year = rng.randint(1384, 1404)
            fa = fa_template.format(
                a=actors[a][0],
                b=actors[b][0],
                s=SUBJECTS[subject][0],
                n=str(n).translate(PERSIAN_DIGITS),
                m=str(m).translate(PERSIAN_DIGITS),
                y=str(year).translate(PERSIAN_DIGITS),
            )
            en_a, en_b = actors[a][1], actors[b][1]
            en = en_template.format(
                a=en_a,
                b=en_b,
                A=en_a[:1].upper() + en_a[1:],
                B=en_b[:1].upper() + en_b[1:],
                s=SUBJECTS[subject][1],
                n=n,
                m=m,
                y=year + 621,
            )
            self.pool_fa.append(fa)
            self.pool_en.append(en)
            self.pool_kind.append(kind)
            # Parties are states only (the first organisations), when the actor is a state.
            self.pool_parties.append(tuple(x for x in (a, b) if x < len(STATES)))
        self.printed_fa = [[printed(s, p) for s in self.pool_fa] for p in range(len(PRINTINGS))]
