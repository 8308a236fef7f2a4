"""Read helpers shared by the analysts' pages and the admin."""

import json

from django.core.exceptions import EmptyResultSet
from django.db import connections


def planner_estimate(queryset) -> int:
    """The planner's row estimate for ``queryset``: one EXPLAIN, no rows read.

    Lists show it (labelled "about N") where an exact count(*) of a large result would cost more
    than the page itself.
    """
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
