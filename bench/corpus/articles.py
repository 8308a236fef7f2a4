"""Article rows: the pages statements are cited from, each in one printing of its sentences."""

from __future__ import annotations

import datetime
import hashlib
import math
import time
from array import array

import jdatetime

from bench.corpus.plan import CORPUS_START, POOL_SIZE, PROGRESS_STEPS, SPAN_DAYS
from bench.corpus.text import NULL, PERSIAN_DIGITS, PRINTINGS, copy_text, line, timestamp


class ArticleRows:
    """Row writer for sources_article (a mixin of CorpusGenerator)."""

    def articles(self):
        """Articles in date order (skewed to recent years); keeps what citations need to find quotes."""
        rng = self.rng
        total = self.plan.articles
        self.article_day = array("i")
        self.article_fa = array("b")
        self.article_printing = array("b")
        self.article_outlet = array("i")
        self.article_header = array("i")
        self.article_sentence_start = array("i")
        self.article_sentences = array("i")
        self.article_theme = array("i")
        started = time.monotonic()
        step = max(1, total // PROGRESS_STEPS)
        for index in range(total):
            pk = index + 1
            # Quantiles of a density growing linearly with time: x = sqrt(q).
            x = math.sqrt((index + rng.random()) / total)
            day = CORPUS_START + datetime.timedelta(days=min(SPAN_DAYS, int(x * SPAN_DAYS)))
            seconds = rng.randint(5 * 3600, 21 * 3600)
            is_fa = rng.random() < 0.65
            outlet = rng.choice(self.outlets_fa if is_fa else self.outlets_en)
            printing = rng.randrange(len(PRINTINGS)) if is_fa else 0
            count = rng.randint(8, 24)
            sentences = [rng.randrange(POOL_SIZE) for _ in range(count)]
            self.article_day.append(day.toordinal())
            self.article_fa.append(1 if is_fa else 0)
            self.article_printing.append(printing)
            self.article_outlet.append(outlet)
            self.article_sentence_start.append(len(self.article_sentences))
            self.article_sentences.extend(sentences)
            self.article_theme.append(rng.choice(self.topic_roots))
            news_code = str(100_000 + pk * 7 + rng.randint(0, 6))
            if is_fa:
                pieces = self.printed_fa[printing]
                code_printed = news_code if printing == 3 else news_code.translate(PERSIAN_DIGITS)
                header = f"کد خبر: {code_printed}"
                title = pieces[rng.randrange(POOL_SIZE)][:300]
                upstream = rng.choice(self.outlets_fa) if rng.random() < 0.2 else 0
                j = jdatetime.datetime.fromgregorian(date=day)
                published_printed = (
                    f"{seconds // 3600:02d}:{seconds // 60 % 60:02d} - {j.day:02d}-{j.month:02d}-{j.year}"
                ).translate(PERSIAN_DIGITS)
                calendar = "solar_hijri"
            else:
                pieces = self.pool_en
                header = f"News ID: {news_code}"
                title = pieces[rng.randrange(POOL_SIZE)][:300]
                upstream = 0
                published_printed = day.strftime("%d %B %Y")
                calendar = "gregorian"
            if upstream == outlet:
                upstream = 0
            self.article_header.append(len(header) + 1)
            texts = [pieces[s] for s in sentences]
            # Paragraphs of four sentences; the separator is one character either way, so offsets
            # only need the sentence lengths.
            body = (
                header
                + "\n"
                + "".join(
                    text + ("\n" if (i + 1) % 4 == 0 and i + 1 < count else " " if i + 1 < count else "")
                    for i, text in enumerate(texts)
                )
            )
            body_sha = hashlib.sha256(body.encode()).hexdigest()
            url = f"https://{self.outlet_domain[outlet]}/news/{news_code}"
            published = timestamp(day, seconds)
            captured = timestamp(day + datetime.timedelta(days=1), seconds)
            upstream_name = self.outlet_native[upstream] if upstream else ""
            yield line(
                str(pk),
                captured,
                captured,
                "1",
                url,
                copy_text(upstream_name),
                copy_text(title),
                copy_text(texts[0]),
                copy_text(body),
                "fa" if is_fa else "en",
                news_code,
                published,
                copy_text(published_printed),
                calendar,
                captured,
                body_sha,
                str(outlet),
                str(upstream) if upstream else NULL,
            )
            if pk % step == 0:
                self.progress(f"articles {pk:,}/{total:,} ({time.monotonic() - started:.1f}s)")

    def _article_text_pieces(self, article: int) -> list[str]:
        return self.printed_fa[self.article_printing[article]] if self.article_fa[article] else self.pool_en
