"""Read helpers shared by the analysts' pages and the admin."""

import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections


@dataclass(frozen=True)
class Plan:
    """What the planner expects of a query: rows out, its total cost (in the planner's units), and
    whether it reads some table from end to end instead of through an index."""

    rows: int
    cost: float
    scans_a_whole_table: bool = False


_WHOLE_TABLE_SCANS = {"Seq Scan", "Parallel Seq Scan"}


def _scans_a_whole_table(node: dict) -> bool:
    return node["Node Type"] in _WHOLE_TABLE_SCANS or any(_scans_a_whole_table(n) for n in node.get("Plans", ()))


def planner_plan(queryset) -> Plan:
    """The planner's row estimate and cost for ``queryset``: one EXPLAIN, no rows read."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return Plan(0, 0.0)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    top = plan[0]["Plan"]
    return Plan(int(top["Plan Rows"]), float(top["Total Cost"]), _scans_a_whole_table(top))


def planner_estimate(queryset) -> int:
    """The planner's row estimate for ``queryset``: one EXPLAIN, no rows read.

    Lists show it (labelled "about N") where an exact count(*) of a large result would cost more
    than the page itself.
    """
    return planner_plan(queryset).rows


def table_rows(model, using: str = "default") -> int:
    """The table's row count as the statistics last saw it (pg_class.reltuples): no scan."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0
