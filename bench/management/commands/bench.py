"""Measure Goftar on a generated corpus against the bars of docs/benchmarks.md (see bench.harness)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.harness import GROUPS, Bench
from bench.report import growth_table, render_markdown, render_table
from bench.scenarios.exports import child_export


class Command(BaseCommand):
    help = (
        "Benchmark list and detail pages, their counts, the JSON API, admin changelists, CSV exports and the "
        "import on a generated corpus; prints medians with min and max and PASS/FAIL against the bars of "
        "docs/benchmarks.md (page times through gunicorn; exports against raw COPY). Run generate_corpus first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repeat", type=int, help="Repetitions per scenario (default 5, 2 with --quick; pages at least 15)."
        )
        parser.add_argument(
            "--quick", action="store_true", help="Two repetitions unless --repeat says, no full export of a big corpus."
        )
        parser.add_argument("--save", help="Write the results as JSON to this file.")
        parser.add_argument(
            "--no-http", action="store_true", help="Time pages in process only (no gunicorn over loopback)."
        )
        parser.add_argument("--only", help=f"Comma-separated groups to run: {', '.join(GROUPS)} (default all).")
        parser.add_argument("--explain", action="store_true", help="Keep EXPLAIN ANALYZE of each page's SQL (JSON).")
        parser.add_argument("--markdown", help="Write the table as Markdown to this file.")
        parser.add_argument(
            "--growth", nargs="+", metavar="JSON", help="Only print a growth table from runs saved with --save."
        )
        parser.add_argument("--load", action="store_true", help="Only run the gunicorn load test (bench.load).")
        parser.add_argument("--load-seconds", type=int, default=60)
        parser.add_argument("--load-clients", type=int, default=16)
        parser.add_argument("--child-export", help="Internal: one export in this process, report memory as JSON.")

    def handle(self, *args, **options):
        if options["child_export"]:
            self.stdout.write(json.dumps(child_export(options["child_export"])))
            return
        if options["growth"]:
            self.stdout.write(growth_table(options["growth"]))
            return
        if options["load"]:
            from bench.load import run_load

            result = run_load(seconds=options["load_seconds"], clients=options["load_clients"], say=self._say)
            self.stdout.write(result.render())
            if result.errors:
                raise CommandError(f"{result.errors} request(s) failed under load.")
            return
        repeat = options["repeat"] if options["repeat"] is not None else (2 if options["quick"] else 5)
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        bench = Bench(repeat=repeat, quick=options["quick"], explain=options["explain"], say=self._say)
        only = {group.strip() for group in options["only"].split(",")} if options["only"] else None
        if only and (unknown := only - set(GROUPS)):
            raise CommandError(f"Unknown group(s): {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}.")
        try:
            report = bench.run(http=not options["no_http"], only=only)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        info = report.info
        self.stdout.write(
            f"\nGoftar bench on {info.get('database')}: {info.get('statements', 0):,} statements, "
            f"PostgreSQL {info.get('postgresql')}, {info.get('cpus')} CPUs, {info.get('ram_gb')} GB RAM; "
            f"{repeat} repetitions (median, min, max)\n"
            f"PostgreSQL settings: {info.get('postgresql_settings')}; pages timed over {info.get('pages_timed_over')}\n"
        )
        self.stdout.write(render_table(report))
        failures = report.failures()
        self.stdout.write(
            f"\n{len(failures)} bar(s) failed" + (": " + "; ".join(r.name for r in failures) if failures else "")
        )
        if options["save"]:
            Path(options["save"]).write_text(report.to_json())
        if options["markdown"]:
            Path(options["markdown"]).write_text(render_markdown(report) + "\n")

    def _say(self, message: str) -> None:
        self.stderr.write(f"... {message}")
        self.stderr.flush()
