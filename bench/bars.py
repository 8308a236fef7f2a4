"""The bars the benchmark holds Goftar to (docs/benchmarks.md, "The bars").

Page bars are the median whole-request server time of one client through gunicorn (one sync
worker, production settings), measured at 1,000,000 statements; a smaller corpus is only a check
that the benchmark runs.
"""

LIST_PAGE_SECONDS = 0.060  # the statement list: first, deep, topic subtree + dates, search, search + filters
DETAIL_PAGE_SECONDS = 0.080  # a statement's, an official's, a topic's and an article's page
COUNTS_SECONDS = 0.400  # the counts request beside a list page: facets, timeline, total
ADMIN_SECONDS = 0.150  # admin changelists (also with the topic filter) and admin search
API_LIST_SECONDS = 0.060  # JSON API lists

# Query counts stay pinned and flat in page size; no exact COUNT(*) of a large result.
MAX_PAGE_QUERIES = 4
EXACT_COUNT_ESTIMATE_LIMIT = 20_000

# Exports: wall time against PostgreSQL's own COPY of the same SELECT, first row, memory.
EXPORT_RATIO = 1.10
EXPORT_FIRST_ROW_SLACK = 0.050
EXPORT_MEMORY_MB = 32

IMPORT_SECONDS = 0.5

# Pages cost milliseconds and five samples left their medians noisy from run to run: pages take at
# least this many samples (exports keep --repeat).
PAGE_SAMPLES = 15


def ms(seconds: float) -> str:
    """A bar in the table's words: 0.06 -> "≤60 ms"."""
    return f"≤{seconds * 1000:g} ms"
