"""SQL issued inside a request: captured with ``connection.execute_wrapper`` (text, parameters,
time), explained, and replayed raw on the psycopg cursor ("the same SQL run raw")."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.db import connection

# The statement list's page query: a SELECT from claims_statement that ends in its LIMIT, or (a
# rare search word: claims.pagination.keyset_page) holds it in the subquery that picks the page's ids.
PAGE_SQL = re.compile(r'^\s*SELECT\s.*?\sFROM\s+"claims_statement"\s', re.DOTALL)
LIMIT_SQL = re.compile(r"\bLIMIT\s+\d+")
# An exact COUNT(*) as Django's paginator issues it: a list page must never send one.
COUNT_SQL = re.compile(r'^\s*SELECT\s+COUNT\(\*\)\s+AS\s+"__count"', re.IGNORECASE)


@dataclass
class Captured:
    sql: str
    params: object
    seconds: float


class SqlCapture:
    """Records every statement Django executes (text, parameters, time) while installed."""

    def __init__(self):
        self.statements: list[Captured] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(Captured(sql, params, time.perf_counter() - started))

    @property
    def seconds(self) -> float:
        return sum(statement.seconds for statement in self.statements)

    @property
    def count(self) -> int:
        return len(self.statements)


def explain_all(statements: list[Captured]) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of each captured SELECT, with its time inside the request."""
    plans = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for statement in statements:
            text = statement.sql.lstrip()
            if not text.upper().startswith(("SELECT", "WITH", "(")):
                continue
            raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params)
            plan = "\n".join(row[0] for row in raw.fetchall())
            plans.append({"sql": statement.sql, "ms": round(statement.seconds * 1000, 2), "plan": plan})
    return plans


def replay_raw(statements: list[Captured]) -> float:
    """Run the captured statements again on the bare psycopg cursor, fetching every row."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for statement in statements:
            if statement.sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "SET ")):
                continue
            raw.execute(statement.sql, statement.params)
            if raw.description is not None:
                raw.fetchall()
    return time.perf_counter() - started


def page_queries(statements: list[Captured]) -> list[Captured]:
    """The statement list's page query among a request's statements (empty if none matched)."""
    return [s for s in statements if PAGE_SQL.match(s.sql) and LIMIT_SQL.search(s.sql)]


def exact_counts(statements: list[Captured]) -> list[Captured]:
    return [s for s in statements if COUNT_SQL.match(s.sql)]
