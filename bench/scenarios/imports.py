"""The import of one saved article page (bench/data/seed_article.txt), rolled back each time."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from bench.bars import IMPORT_SECONDS
from bench.report import Row

if TYPE_CHECKING:
    from bench.harness import Bench

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "data" / "seed_article.txt"


def run(bench: Bench) -> None:
    importer = find_article_importer()
    if importer is None:
        bench.report.add(Row("import", "import of the seed article", [], notes="no importer found yet"))
        return
    bench.say("import")
    content = SEED_ARTICLE.read_bytes()
    samples = []
    for _ in range(bench.repeat):

        def run():
            with transaction.atomic():
                importer(content)
                transaction.set_rollback(True)

        samples.append(bench.timed(run))
    bench.report.add(
        Row(
            "import",
            "import of the seed article (rolled back)",
            samples,
            bar=f"<{IMPORT_SECONDS * 1000:g} ms",
            passed=statistics.median(samples) < IMPORT_SECONDS,
        )
    )


def find_article_importer():
    """A callable taking the page's bytes, from whatever the import work provides (or None)."""
    try:
        from sources import services
    except ImportError:
        services = None
    for name in ("article_import", "article_import_page", "import_article"):
        function = getattr(services, name, None) if services else None
        if callable(function):
            return lambda content, f=function: _call_importer(f, content)
    try:
        from django.core.management import get_commands
    except ImportError:  # pragma: no cover
        return None
    commands = get_commands()
    for name in ("import_article", "import_page", "import_articles", "import_pages"):
        if name in commands:
            return lambda content, n=name: _call_command_on_file(n, content)
    return None


def _call_importer(function, content: bytes):
    for kwargs in ({"content": content}, {"data": content}, {"text": content.decode()}):
        try:
            return function(**kwargs)
        except TypeError:
            continue
    return function(content)


def _call_command_on_file(name: str, content: bytes):
    import io
    import tempfile

    from django.core.management import call_command

    with tempfile.NamedTemporaryFile(suffix=".txt") as handle:
        handle.write(content)
        handle.flush()
        call_command(name, handle.name, stdout=io.StringIO(), stderr=io.StringIO())
