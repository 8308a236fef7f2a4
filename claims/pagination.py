"""Keyset pages: a list's rows after or before the row a signed cursor names, one query a page.

A cursor holds the sort key of the row next to the page, so a deep page costs as much as the first
one (no OFFSET scan), and it is signed, so no forged value ever reaches a query.
"""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.selectors import FilterError

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

MESSAGE_BAD_CURSOR = _("This page link is damaged or out of date: start again from the first page.")
MESSAGE_BAD_PAGE_SIZE = _("The page size must be a whole number from 1 to %(limit)d.")


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None
    size: int

    @property
    def is_first(self) -> bool:
        return self.previous_cursor is None


def page_size_from(value, *, default: int = PAGE_SIZE) -> int:
    if value in (None, ""):
        return default
    try:
        size = int(str(value))
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise FilterError({"page_size": [str(MESSAGE_BAD_PAGE_SIZE % {"limit": MAX_PAGE_SIZE})]})
    return size


def _ordering(queryset) -> list[tuple[str, bool]]:
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    keys = [(name.lstrip("-"), name.startswith("-")) for name in order]
    if keys[-1][0] not in ("id", "pk"):
        keys.append(("id", keys[-1][1]))
    return keys


def _model_field(model, path: str):
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field("id" if parts[-1] == "pk" else parts[-1])


def _value_of(row, path: str):
    if isinstance(row, dict):  # a values() row
        return row[path]
    value = row
    for part in path.split("__"):
        value = getattr(value, part) if value is not None else None
    return value


# Cursors are signed: a page link is ours or it is refused, so no forged value (an infinity, a NUL,
# a lone surrogate, a number past bigint) ever reaches a query. The values are still typed strictly.
_CURSOR_SIGNER = signing.Signer(salt="goftar.page-cursor")
_BIGINT = 2**63


def _encode_cursor(direction: str, values: list) -> str:
    plain = [v.isoformat() if isinstance(v, datetime.date | datetime.datetime) else v for v in values]
    return _CURSOR_SIGNER.sign_object([direction, plain])


def _cursor_value(model_field, value):
    if isinstance(model_field, models.DateTimeField):
        return datetime.datetime.fromisoformat(value)
    if isinstance(model_field, models.DateField):
        return datetime.date.fromisoformat(value)
    if isinstance(model_field, models.IntegerField | models.AutoField):
        if not isinstance(value, int) or isinstance(value, bool) or not -_BIGINT <= value < _BIGINT:
            raise ValueError(value)
        return value
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(value)
    value.encode()  # a lone surrogate raises UnicodeEncodeError
    return model_field.to_python(value)


def _decode_cursor(token: str, keys, model) -> tuple[str, list]:
    try:
        direction, values = _CURSOR_SIGNER.unsign_object(token)
        if direction not in ("n", "p") or not isinstance(values, list) or len(values) != len(keys):
            raise ValueError
        parsed = [
            None if value is None else _cursor_value(_model_field(model, path), value)
            for (path, _descending), value in zip(keys, values, strict=True)
        ]
        if parsed[-1] is None:
            raise ValueError
        return direction, parsed
    except (
        signing.BadSignature, ValueError, TypeError, UnicodeError, ValidationError, FieldDoesNotExist,
    ) as error:  # fmt: skip
        raise FilterError({"cursor": [str(MESSAGE_BAD_CURSOR)]}) from error


def _after(keys: list[tuple[str, bool]], values: list) -> Q:
    """Rows strictly after ``values`` in the order ``keys`` (PostgreSQL's defaults: DESC puts NULLs first).

    Written as ``key <= v AND (key < v OR id < i)`` so the index on (key, id) bounds the scan.
    """
    (path, descending), (id_path, _) = keys[0], keys[-1]
    last_id = values[-1]
    id_after = Q(**{f"{id_path}__{'lt' if descending else 'gt'}": last_id})
    if len(keys) == 1:
        return id_after
    value = values[0]
    strict, loose = ("lt", "lte") if descending else ("gt", "gte")
    if value is None:
        if descending:  # NULLs came first; then every non-NULL row
            return (Q(**{f"{path}__isnull": True}) & id_after) | Q(**{f"{path}__isnull": False})
        return Q(**{f"{path}__isnull": True}) & id_after
    after = Q(**{f"{path}__{loose}": value}) & (Q(**{f"{path}__{strict}": value}) | id_after)
    if not descending:  # NULLs come last in ascending order
        after |= Q(**{f"{path}__isnull": True})
    return after


def _order_by(keys, *, reverse: bool = False, model=None, sort_matches: bool = False):
    expressions = []
    for index, (path, descending) in enumerate(keys):
        key = models.F(path)
        if sort_matches and index == 0 and _shiftable(field := _model_field(model, path)):
            # The same order through an expression no index matches: see keyset_page.
            key = models.ExpressionWrapper(key + 0, output_field=field)
        if descending != reverse:
            expressions.append(key.desc(nulls_first=True))
        else:
            expressions.append(key.asc(nulls_last=True))
    return expressions


def _shiftable(model_field) -> bool:
    """Whether "+ 0" leaves the key as it is: a date plus zero days, a whole number plus zero (a
    timestamp, though a DateField to Django, takes no integer in PostgreSQL)."""
    return isinstance(model_field, models.DateField | models.IntegerField) and not isinstance(
        model_field, models.DateTimeField
    )


def keyset_page(queryset, *, cursor: str | None = None, size: int = PAGE_SIZE, sort_matches: bool = False) -> Page:
    """One page of ``queryset`` in its order, after or before the row a cursor names: one query.

    The cursor holds the sort key of the row next to the page, so a deep page costs as much as the
    first one (no OFFSET scan).

    ``sort_matches``: collect the matching rows and sort them, instead of walking the sort key's
    index and testing each row until a page is full. For a rare search word PostgreSQL walks the
    date index expecting matches spread evenly; they seldom are (a name is in the news for some
    years), and at a million statements the walk cost 32 ms where the GIN matches sorted took 12,
    and 7 with the page's ids sorted before its rows are read. Only for few matches (the caller
    asks the planner): sorting half a million would take seconds.
    """
    keys = _ordering(queryset)
    direction, values = ("n", None)
    if cursor:
        direction, values = _decode_cursor(cursor, keys, queryset.model)
    reverse = direction == "p"
    order = _order_by(keys, reverse=reverse, model=queryset.model, sort_matches=sort_matches)
    window = queryset.order_by(*order)
    if values is not None:
        reversed_keys = [(path, descending != reverse) for path, descending in keys]
        window = window.filter(_after(reversed_keys, values))
    if sort_matches:
        # The page's ids first, sorted from the matches alone, then their rows and columns: joined
        # before the sort, every match also built its speaker join (a hash of all officials).
        # No second LIMIT: over a set the planner already expects to be tiny it chose to scan the
        # officials table for every row (11 ms) instead of looking each speaker up.
        rows = list(queryset.filter(pk__in=window.values("pk")[: size + 1]).order_by(*order))
    else:
        rows = list(window[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()

    def token(direction_, row):
        return _encode_cursor(direction_, [_value_of(row, path) for path, _ in keys])

    if not rows:
        return Page(rows, None, None, size)
    if reverse:
        next_cursor = token("n", rows[-1])
        previous_cursor = token("p", rows[0]) if more else None
    else:
        next_cursor = token("n", rows[-1]) if more else None
        previous_cursor = token("p", rows[0]) if values is not None else None
    return Page(rows, next_cursor, previous_cursor, size)
