"""Links to pages addressed by one integer id (``<int:pk>``), reversed once per process.

A list page or an API page links every row, its speaker and its topics: a reverse() per link was a
third of a list page's rendering. The path is reversed once with a placeholder id and split
around it; the script prefix and URLconf in force are part of the cache key.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_ID_PLACEHOLDER = 918273645546372819


@functools.lru_cache(maxsize=256)
def _parts(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_ID_PLACEHOLDER], urlconf=urlconf).partition(str(_ID_PLACEHOLDER))
    return head, tail


def id_path_parts(name: str) -> tuple[str, str]:
    """(before the id, after the id) of the path of URL pattern ``name``."""
    return _parts(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def id_paths(name: str) -> Callable[[object], str]:
    """``pk -> reverse(name, args=[pk])`` for the rows of one page: prefix and URLconf looked up once."""
    head, tail = id_path_parts(name)
    return lambda pk: f"{head}{int(pk)}{tail}"
