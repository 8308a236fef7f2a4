"""Reference rows: organisations, officials and their positions, topics, outlets."""

from __future__ import annotations

import datetime
import itertools
import random
from array import array

from django.utils.text import slugify

from bench.corpus.plan import CORPUS_END, CORPUS_START
from bench.corpus.text import ARABIC_LETTERS, NULL, PERSIAN_DIGITS, copy_text, line, timestamp
from bench.corpus.words import (
    ARABIC_COUNTRIES,
    ARABIC_FIRST,
    ARABIC_LAST,
    ASPECTS,
    BODIES,
    FOREIGN_COUNTRIES,
    FOREIGN_FIRST,
    FOREIGN_LAST,
    IRANIAN_FIRST,
    IRANIAN_LAST,
    REAL_OUTLETS,
    ROOT_TOPICS,
    STATES,
    TITLES,
)
from common.text import fold


class ReferenceRows:
    """Row writers for the small reference tables (a mixin of CorpusGenerator)."""

    def organizations(self):
        rng = self.rng
        lines = []
        for fa, en, code in STATES:
            lines.append((en.removeprefix("the "), fa, "", "state", code, NULL))
        countries = [code for _fa, _en, code in STATES]
        seen = set()
        while len(lines) < self.plan.organizations:
            body_fa, body_en = rng.choice(BODIES)
            state = rng.randrange(len(STATES))
            name = f"{body_en} of {STATES[state][1].removeprefix('the ')}"
            code = countries[state]
            if (name, code) in seen:
                name = f"{name} ({len(lines)})"
            seen.add((name, code))
            lines.append((name, f"{body_fa} {STATES[state][0]}", "", "government_body", code, str(state + 1)))
        self.organization_count = len(lines)
        for pk, (name, native, acronym, kind, code, parent) in enumerate(lines, start=1):
            yield line(
                str(pk),
                timestamp(CORPUS_START),
                timestamp(CORPUS_START),
                "1",
                copy_text(name),
                copy_text(native),
                acronym,
                kind,
                code,
                parent,
            )

    def _official_name(self, rng: random.Random):
        """(display name, native name, country, aliases as (name, language))."""
        roll = rng.random()
        if roll < 0.7:
            first, last = rng.choice(IRANIAN_FIRST), rng.choice(IRANIAN_LAST)
            native = f"{first[0]} {last[0]}"
            display = f"{first[1]} {last[1]}"
            aliases = [(native, "fa"), (display, "en"), (last[1], "en")]
            if last[2]:
                aliases.append((f"{first[2] or first[1]} {last[2]}", "en"))
            if rng.random() < 0.3:
                # Printed with Arabic ي/ك: the same alias once folded, stored as the page had it.
                aliases[0] = (native.translate(ARABIC_LETTERS), "fa")
            if rng.random() < 0.3:
                aliases.append((f"السيد {native.translate(ARABIC_LETTERS)}", "ar"))
            return display, native, "IR", aliases
        if roll < 0.85:
            first, last = rng.choice(ARABIC_FIRST), rng.choice(ARABIC_LAST)
            native = f"{first[0]} {last[0]}"
            display = f"{first[1]} {last[1]}"
            aliases = [(native, "ar"), (display, "en"), (native.replace("ي", "ی").replace("ك", "ک"), "fa")]
            return display, native, rng.choice(ARABIC_COUNTRIES), aliases
        first, last = rng.choice(FOREIGN_FIRST), rng.choice(FOREIGN_LAST)
        display = f"{first[1]} {last[1]}"
        native = f"{first[0]} {last[0]}"
        aliases = [(display, "en"), (last[1], "en"), (native, "fa")]
        return display, native, rng.choice(FOREIGN_COUNTRIES), aliases

    def officials(self):
        """Officials; their aliases and positions are written to side buffers for later tables."""
        rng = self.rng
        self.official_names: list[str] = []
        self.official_aliases: list[str] = []
        self.position_lines: list[str] = []
        self.position_first = array("i")
        self.position_count = array("b")
        alias_id = position_id = 0
        ts = timestamp(CORPUS_START)
        for pk in range(1, self.plan.officials + 1):
            display, native, country, aliases = self._official_name(rng)
            wikidata = f"Q{1_000_000 + pk}" if rng.random() < 0.6 else NULL
            self.official_names.append(aliases[0][0])
            yield line(str(pk), ts, ts, "1", copy_text(display), copy_text(native), country, wikidata, "")
            seen = set()
            for name, language in aliases:
                folded = fold(name)
                if folded in seen:
                    continue
                seen.add(folded)
                alias_id += 1
                self.official_aliases.append(line(str(alias_id), copy_text(name), language, str(pk)))
            self.position_first.append(position_id + 1)
            count = rng.choice((1, 1, 2, 2, 3))
            self.position_count.append(count)
            start = CORPUS_START - datetime.timedelta(days=rng.randint(0, 2000))
            for index in range(count):
                title_fa, title_en = rng.choice(TITLES)
                length = rng.randint(365, 3000)
                end = start + datetime.timedelta(days=length)
                last = index == count - 1 and end > CORPUS_END - datetime.timedelta(days=365)
                position_id += 1
                organization = rng.randint(len(STATES) + 1, self.organization_count)
                self.position_lines.append(
                    line(
                        str(position_id),
                        ts,
                        ts,
                        "1",
                        copy_text(title_en),
                        copy_text(title_fa),
                        start.isoformat(),
                        "day",
                        NULL if last else end.isoformat(),
                        "day",
                        str(organization),
                        str(pk),
                    )
                )
                start = end + datetime.timedelta(days=1)

    def official_alias_rows(self):
        yield from self.official_aliases

    def positions(self):
        yield from self.position_lines

    def topics(self):
        rng = self.rng
        total = self.plan.topics
        roots = min(len(ROOT_TOPICS), max(3, round(total / 20)))
        self.topic_parent = array("i", [0])  # 1-based; index 0 unused
        self.topic_depth = array("b", [0])
        ts = timestamp(CORPUS_START)
        names: list[str] = [""]
        for pk in range(1, total + 1):
            if pk <= roots:
                name, name_fa = ROOT_TOPICS[pk - 1]
                parent, depth = 0, 0
                keywords = [name.split(" (")[0].lower(), name_fa]
            else:
                # Attach under a root or a first-level topic (trees three levels deep at most).
                while True:
                    parent = rng.randint(1, pk - 1) if rng.random() < 0.5 else rng.randint(1, roots)
                    if self.topic_depth[parent] < 2:
                        break
                depth = self.topic_depth[parent] + 1
                aspect, aspect_fa = rng.choice(ASPECTS)
                name = f"{names[parent]}: {aspect}"
                name_fa = f"{aspect_fa}"
                keywords = [aspect, aspect_fa]
            names.append(name)
            self.topic_parent.append(parent)
            self.topic_depth.append(depth)
            slug = f"{slugify(name)[:180]}-{pk}"
            array_literal = "{" + ",".join('"' + k.replace('"', "") + '"' for k in keywords) + "}"
            yield line(
                str(pk),
                ts,
                ts,
                "1",
                copy_text(name[:200]),
                copy_text(name_fa),
                "",
                slug,
                copy_text(array_literal),
                "",
                str(parent) if parent else NULL,
            )
        # Popularity: a long tail, in an order unrelated to the tree.
        order = list(range(1, total + 1))
        rng.shuffle(order)
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(total)]
        self.topic_order = order
        self.topic_cum_weights = list(itertools.accumulate(weights))
        # Each root's subtree, to keep a statement's topics near the article's theme.
        self.subtrees: dict[int, list[int]] = {}
        for pk in range(1, total + 1):
            root = pk
            while self.topic_parent[root]:
                root = self.topic_parent[root]
            self.subtrees.setdefault(root, []).append(pk)
        self.topic_roots = sorted(self.subtrees)

    def outlets(self):
        rng = self.rng
        ts = timestamp(CORPUS_START)
        self.outlets_fa: list[int] = []
        self.outlets_en: list[int] = []
        self.outlet_native: list[str] = [""]
        self.outlet_domain: list[str] = [""]
        self.outlet_alias_lines: list[str] = []
        for pk in range(1, self.plan.outlets + 1):
            if pk <= len(REAL_OUTLETS):
                name, native, domain, country, language, kind = REAL_OUTLETS[pk - 1]
            else:
                language = "fa" if rng.random() < 0.65 else "en"
                kind = rng.choice(("news_site", "newspaper", "news_agency", "broadcaster"))
                if language == "fa":
                    name, native, country = f"Akhbar {pk}", f"اخبار {pk}".translate(PERSIAN_DIGITS), "IR"
                else:
                    name, native, country = f"Daily Wire Service {pk}", "", rng.choice(("GB", "US", "QA", "AE"))
                domain = f"outlet{pk}.example.com"
            (self.outlets_fa if language == "fa" else self.outlets_en).append(pk)
            self.outlet_native.append(native)
            self.outlet_domain.append(domain)
            if native:
                self.outlet_alias_lines.append(line(str(len(self.outlet_alias_lines) + 1), copy_text(native), str(pk)))
            yield line(str(pk), ts, ts, "1", copy_text(name), copy_text(native), domain, country, language, kind)
        # Both languages need an outlet even in the smallest corpus.
        if not self.outlets_en:
            self.outlets_en.append(self.outlets_fa[-1])
        if not self.outlets_fa:
            self.outlets_fa.append(self.outlets_en[-1])

    def outlet_alias_rows(self):
        yield from self.outlet_alias_lines
