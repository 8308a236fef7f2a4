"""``manage.py import_article PATH [PATH ...]``: news pages to articles and draft statements."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.importers.base import MAX_IMPORT_BYTES, BatchSummary, ImportRejected, ImportReport
from sources.services import article_import

PROGRESS_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import news pages (plain text as copied from a browser, or saved HTML) as source articles with draft "
        "statements for review. PATH may be '-' for standard input. Each page is one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="page file(s), or - for standard input")
        parser.add_argument("--url", default="", help="canonical URL of the page (one PATH only)")
        parser.add_argument("--outlet", default="", help="the outlet that published the page (name or alias)")
        parser.add_argument("--dry-run", action="store_true", help="show what would be imported, then roll back")

    def handle(self, *args, paths, url, outlet, dry_run, **options):
        if url and len(paths) > 1:
            raise CommandError("--url names one page: give a single PATH with it.")
        if paths.count("-") > 1:
            raise CommandError("Standard input ('-') can be read only once.")
        summary = BatchSummary()
        failures: list[str] = []
        verbosity = options.get("verbosity", 1)
        for number, path in enumerate(paths, start=1):
            if len(paths) > 1:
                self._progress(number - 1, len(paths), path)
            try:
                content = self._read(path)
                report = article_import(content=content, source_name=path, url=url, outlet_name=outlet, dry_run=dry_run)
            except ImportRejected as exc:
                message = f"{path}: {' '.join(exc.messages)} Nothing was saved."
                if len(paths) == 1:
                    raise CommandError(message) from exc
                summary.failed += 1
                failures.append(message)
                self.stderr.write(message)
                continue
            summary.add(report)
            self._print(report, verbosity=verbosity)
        if len(paths) > 1:
            self._progress(len(paths), len(paths), "")
            self.stdout.write(("Dry run (rolled back): " if dry_run else "") + summary.summary(dry_run=dry_run))
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(paths)} page(s) could not be imported:\n" + "\n".join(failures)
            )

    def _read(self, path: str) -> bytes:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
            return data
        file = Path(path)
        if not file.is_file():
            raise ImportRejected(f"No such file: {path}.", code="missing")
        if file.stat().st_size > MAX_IMPORT_BYTES:
            # Read no more than the limit and one byte: enough for the importer to refuse it.
            with file.open("rb") as handle:
                return handle.read(MAX_IMPORT_BYTES + 1)
        return file.read_bytes()

    def _print(self, report: ImportReport, *, verbosity: int) -> None:
        prefix = "[dry run, rolled back] " if report.dry_run else ""
        article = f"article #{report.article_id}" if report.article_id and not report.dry_run else "article"
        self.stdout.write(
            f"{prefix}{report.source_name}: {report.outcome} – {article} “{report.title}” "
            f"({report.encoding}, {report.format}, {report.elapsed_ms:.0f} ms)"
        )
        self.stdout.write(f"  {report.summary()}")
        if verbosity >= 2 or report.dry_run:
            published = report.published_at.isoformat() if report.published_at else "-"
            self.stdout.write(
                f"  language {report.language}; news code {report.news_code or '-'}; published {published} "
                f"(printed “{report.published_as_printed}”); outlet {report.outlet}; "
                f"upstream {report.upstream_outlet or report.upstream_as_printed or '-'}"
            )
            for statement in report.statements:
                speaker = statement.speaker + (f" ({statement.position})" if statement.position else "")
                self.stdout.write(
                    f"  - {speaker}: {statement.text[:80]} [{statement.start_offset}:{statement.end_offset}] "
                    f"venue {statement.venue_kind}{' ' + statement.venue_outlet if statement.venue_outlet else ''}; "
                    f"topics {', '.join(statement.topics) or '-'}"
                )
        for warning in report.warnings:
            self.stdout.write(f"  warning: {warning}")

    def _progress(self, done: int, total: int, path: str) -> None:
        filled = PROGRESS_WIDTH * done // total
        bar = "#" * filled + "-" * (PROGRESS_WIDTH - filled)
        self.stderr.write(f"[{bar}] {done}/{total} {path}", ending="\n")
