"""Statement rows and their children: topics, claims, claim topics and parties, relations, citations."""

from __future__ import annotations

import bisect
import datetime
import time

from bench.corpus.plan import BACKFILL_SHARE, CORPUS_START, PROGRESS_STEPS, STATEMENT_MAX_CHARS, STATEMENT_MIN_CHARS
from bench.corpus.text import NULL, copy_text, line, skewed_index, timestamp
from bench.corpus.words import QUESTIONS, RETRACTION_REASONS, STATES, SUBJECTS
from claims.choices import AttributionType, CitationRole, ClaimRelationKind, ReviewStatus, VenueKind
from common.dates import solar_hijri


class StatementRows:
    """Row writer for statements and their child tables (a mixin of CorpusGenerator)."""

    def statements(self, children: dict[str, object]):
        """Statements; topic links, claims, claim topics and parties, relations and citations
        are written to the ``children`` files (one per table) as the statements are made."""
        rng = self.rng
        plan = self.plan
        total = plan.statements
        write_topic = children["claims_statementtopic"].write
        write_claim = children["claims_claim"].write
        write_claim_topic = children["claims_claimtopic"].write
        write_party = children["claims_claimparty"].write
        write_relation = children["claims_claimrelation"].write
        write_citation = children["claims_citation"].write
        counts = dict.fromkeys(children, 0)
        claim_id = relation_id = 0
        last_claim_of: dict[int, int] = {}
        topic_order, topic_cum = self.topic_order, self.topic_cum_weights
        statuses = (
            [ReviewStatus.PUBLISHED] * 85
            + [ReviewStatus.REVIEWED] * 7
            + [ReviewStatus.DRAFT] * 6
            + [ReviewStatus.RETRACTED] * 2
        )
        venues = (
            [VenueKind.INTERVIEW] * 3
            + [VenueKind.PRESS_CONFERENCE] * 4
            + [VenueKind.SPEECH] * 2
            + [VenueKind.SOCIAL_POST, VenueKind.WRITTEN_STATEMENT, VenueKind.OTHER]
        )
        attributions = (
            [AttributionType.DIRECT_QUOTE] * 6
            + [AttributionType.PARAPHRASE] * 2
            + [AttributionType.TRANSLATION, AttributionType.UNNAMED_SOURCE]
        )
        relation_kinds = (
            [ClaimRelationKind.REPEATS] * 4
            + [ClaimRelationKind.SUPPORTS] * 3
            + [
                ClaimRelationKind.CONTRADICTS,
                ClaimRelationKind.QUALIFIES,
                ClaimRelationKind.QUALIFIES,
                ClaimRelationKind.REVERSES,
                ClaimRelationKind.RETRACTS,
            ]
        )
        claim_counts = (0, 1, 1, 2, 2, 2, 2, 3, 3, 4)  # mean 2.0
        topic_counts = (1, 2, 2, 3, 3, 4)  # mean 2.5
        articles = plan.articles
        started = time.monotonic()
        step = max(1, total // PROGRESS_STEPS)
        start_ordinal = CORPUS_START.toordinal()
        # Statements are entered roughly as they happen, so ids follow dates: walk the (date-ordered)
        # articles through sorted uniform draws, with some older statements entered late (backfill).
        frontier = 0.0
        for pk in range(1, total + 1):
            frontier += (1.0 - frontier) * (1.0 - rng.random() ** (1.0 / (total - pk + 1)))
            current = min(articles - 1, int(frontier * articles))
            article = rng.randrange(articles) if rng.random() < BACKFILL_SHARE else current
            is_fa = self.article_fa[article]
            day = datetime.date.fromordinal(max(start_ordinal, self.article_day[article] - rng.choice((0, 0, 0, 1, 2))))
            # The run of sentences the statement consists of (200-800 characters).
            first = self.article_sentence_start[article]
            count = (
                self.article_sentence_start[article + 1] if article + 1 < articles else len(self.article_sentences)
            ) - first
            pieces = self._article_text_pieces(article)
            # Lengths: the printed run must reach the minimum, the careful one (longer, with its
            # ZWNJs) must stay under the maximum.
            careful_pieces = self.pool_fa if is_fa else self.pool_en
            sentences = self.article_sentences
            target = rng.randint(STATEMENT_MIN_CHARS, STATEMENT_MAX_CHARS)
            begin = rng.randrange(max(1, count - 3))
            end = begin
            length = longest = -1
            while end < count:
                sentence = sentences[first + end]
                next_longest = longest + 1 + len(careful_pieces[sentence])
                if next_longest > STATEMENT_MAX_CHARS and end > begin:
                    break
                length += 1 + len(pieces[sentence])
                longest = next_longest
                end += 1
                if length >= target:
                    break
            while length < STATEMENT_MIN_CHARS and begin > 0:
                begin -= 1
                length += 1 + len(pieces[sentences[first + begin]])
            ids = self.article_sentences[first + begin : first + end]
            start_offset = self.article_header[article] + sum(
                len(pieces[s]) + 1 for s in self.article_sentences[first : first + begin]
            )
            # The quote as printed, separators included (a space or a paragraph break).
            separators = ["\n" if (begin + i + 1) % 4 == 0 else " " for i in range(len(ids) - 1)]
            quote = "".join(pieces[s] + (separators[i] if i < len(separators) else "") for i, s in enumerate(ids))
            end_offset = start_offset + len(quote)
            if is_fa:
                careful = rng.random() < 0.5
                text = " ".join(self.pool_fa[s] for s in ids) if careful else quote
                translation = " ".join(self.pool_en[s] for s in ids)
                language = "fa"
            else:
                text, translation, language = quote, "", "en"
            official = skewed_index(rng, plan.officials, 2.2) + 1
            speaker = self.official_names[official - 1] if rng.random() < 0.3 else ""
            if rng.random() < 0.005:
                official = 0
                speaker = speaker or "یک مقام آگاه"
            position = NULL
            if official and rng.random() < 0.03:
                position = str(self.position_first[official - 1] + rng.randrange(self.position_count[official - 1]))
            venue = rng.choice(venues)
            question = ""
            if venue == VenueKind.INTERVIEW and rng.random() < 0.8:
                q_fa, q_en = rng.choice(QUESTIONS)
                sentence = ids[0]
                actors = (SUBJECTS[sentence % len(SUBJECTS)], STATES[sentence % len(STATES)])
                question = (q_fa if is_fa else q_en).format(
                    a=(STATES[0][0] if is_fa else "Iran"),
                    b=actors[1][0] if is_fa else actors[1][1],
                    s=actors[0][0] if is_fa else actors[0][1],
                )
            outlet = self.article_outlet[article]
            venue_outlet = str(outlet) if rng.random() < 0.5 else NULL
            status = rng.choice(statuses)
            reason = rng.choice(RETRACTION_REASONS) if status == ReviewStatus.RETRACTED else ""
            entered = datetime.date.fromordinal(max(self.article_day[current], day.toordinal()))
            created = timestamp(entered + datetime.timedelta(days=rng.randint(1, 30)), rng.randint(0, 86_399))
            changed = created if status != ReviewStatus.DRAFT else NULL
            calendar = "solar_hijri" if is_fa else "gregorian"
            as_printed = solar_hijri(day) if is_fa else day.isoformat()
            yield line(
                str(pk),
                created,
                created,
                "1",
                copy_text(speaker),
                copy_text(text),
                language,
                copy_text(translation),
                copy_text(question),
                day.isoformat(),
                "day",
                as_printed,
                calendar,
                venue,
                rng.choice(attributions),
                status,
                changed,
                copy_text(reason),
                str(official) if official else NULL,
                position,
                venue_outlet,
            )
            # Topics: mostly from the article's theme, the rest from the popular ones.
            theme = self.subtrees[self.article_theme[article]]
            wanted = rng.choice(topic_counts)
            chosen: list[int] = []
            for _ in range(wanted * 3):
                if len(chosen) == wanted:
                    break
                if rng.random() < 0.7:
                    topic = rng.choice(theme)
                else:
                    topic = topic_order[bisect.bisect_left(topic_cum, rng.random() * topic_cum[-1])]
                if topic not in chosen:
                    chosen.append(topic)
            for topic in chosen:
                counts["claims_statementtopic"] += 1
                write_topic(line(str(counts["claims_statementtopic"]), str(pk), str(topic)))
            # Claims: one sentence of the statement each.
            for index in range(min(len(ids), rng.choice(claim_counts))):
                claim_id += 1
                sentence = ids[index]
                write_claim(
                    line(
                        str(claim_id),
                        created,
                        created,
                        "1",
                        copy_text(self.pool_en[sentence]),
                        copy_text(self.pool_fa[sentence] if is_fa else ""),
                        self.pool_kind[sentence],
                        str(pk),
                    )
                )
                counts["claims_claim"] += 1
                claim_topic = chosen[index % len(chosen)]
                counts["claims_claimtopic"] += 1
                write_claim_topic(line(str(counts["claims_claimtopic"]), str(claim_id), str(claim_topic)))
                for party in self.pool_parties[sentence][: rng.randint(0, 2)]:
                    counts["claims_claimparty"] += 1
                    write_party(line(str(counts["claims_claimparty"]), str(claim_id), str(party + 1)))
                previous = last_claim_of.get(official)
                if previous and rng.random() < 0.2:
                    relation_id += 1
                    counts["claims_claimrelation"] += 1
                    write_relation(
                        line(
                            str(relation_id),
                            created,
                            created,
                            "1",
                            rng.choice(relation_kinds),
                            "",
                            str(claim_id),
                            str(previous),
                        )
                    )
                last_claim_of[official] = claim_id
            role = CitationRole.ORIGINAL_VENUE if venue_outlet != NULL else CitationRole.REPORTER
            counts["claims_citation"] += 1
            write_citation(
                line(
                    str(counts["claims_citation"]),
                    created,
                    created,
                    "1",
                    copy_text(quote),
                    str(start_offset),
                    str(end_offset),
                    role,
                    "t" if rng.random() < 0.8 else "f",
                    str(article + 1),
                    str(pk),
                )
            )
            if pk % step == 0:
                self.progress(f"statements {pk:,}/{total:,} ({time.monotonic() - started:.1f}s)")
        self.rows.update(counts)
