"""A realistic synthetic corpus for benchmarks: officials, topics, outlets, articles, statements.

Everything is derived from one ``random.Random(seed)``, so the same seed and size give the same
rows (ids included). Rows are streamed into PostgreSQL with COPY: the statements straight from the
generator (so Python and PostgreSQL work at the same time on two cores), their child rows (topics,
claims, citations, relations) through temporary files in COPY's text format, loaded right after.

Realism that matters for the benchmarks:
- Persian text as printed on real sites: each article is captured in one "printing" of its
  sentences (careful, no ZWNJ, Arabic ي/ك, ZWNJ as a space with ASCII digits, Arabic-Indic digits),
  and گفت‌وگو / گفتوگو / گفتگو all occur, as do Persian digits.
- A statement's words are a run of consecutive sentences of the article that cites it, so every
  citation's quote is exactly ``article.body[start_offset:end_offset]``; Persian statements carry an
  English translation (the same sentences of the parallel English pool) and claims are sentences.
- Dates span twenty years with more recent years denser (density grows linearly with time);
  statements are entered roughly in date order (ids follow dates, 10% are backfilled later), as
  in a database curated over the years, so the table's physical order correlates with said_on;
  officials, topics and outlets are skewed (a few speak, or are spoken about, much more).
- Review statuses are mostly published, with reviewed, draft and retracted ones.

The load runs in one transaction: tables are truncated (so COPY can FREEZE the rows), secondary
indexes and foreign keys are dropped and rebuilt after the load (one sort per index instead of a
million inserts), and the history triggers are disabled: synthetic rows are not recorded in the
audit trail. The triggers that check citation offsets and keep the topic tree's closure stay on.
"""

from bench.corpus.loader import COLUMNS, corpus_generate, corpus_row_counts, corpus_tables_in_use
from bench.corpus.plan import BULK_TABLES, CORPUS_TABLES, REFERENCE_TABLES, CorpusPlan, CorpusReport
from bench.corpus.text import PRINTINGS, printed

__all__ = [
    "BULK_TABLES",
    "COLUMNS",
    "CORPUS_TABLES",
    "PRINTINGS",
    "REFERENCE_TABLES",
    "CorpusPlan",
    "CorpusReport",
    "corpus_generate",
    "corpus_row_counts",
    "corpus_tables_in_use",
    "printed",
]
