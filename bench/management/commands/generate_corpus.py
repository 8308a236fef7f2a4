"""Generate a synthetic corpus for benchmarks (see bench.corpus)."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.corpus import CorpusPlan, corpus_generate, corpus_tables_in_use


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic synthetic corpus of N statements (officials, topics, outlets, "
        "articles, claims, citations scaled from 10,000 officials, 500 topics, 300 outlets and 200,000 articles "
        "per million statements), loaded with COPY. The same --seed gives the same rows. History is NOT recorded "
        "for synthetic data: the audit triggers are disabled during the load (the citation offsets check stays on). "
        "Refuses to touch a database whose corpus tables hold rows, unless --force, which clears them (and their "
        "history) first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, default=20_000, help="Number of statements (default 20,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--force", action="store_true", help="Clear the corpus tables (and their history) if they hold rows."
        )

    def handle(self, *args, statements, seed, force, **options):
        if statements < 1:
            raise CommandError("--statements must be at least 1.")
        in_use = corpus_tables_in_use()
        if in_use and not force:
            raise CommandError(
                f"The database already holds data ({', '.join(in_use)}). Use --force to clear it and generate anew."
            )
        plan = CorpusPlan.for_statements(statements)
        self.stdout.write(
            f"Generating {plan.statements:,} statements, {plan.officials:,} officials, {plan.topics:,} topics, "
            f"{plan.outlets:,} outlets, {plan.articles:,} articles (seed {seed})"
        )
        started = time.monotonic()
        report = corpus_generate(
            statements=statements, seed=seed, clear_history=bool(in_use), progress=self._progress(started)
        )
        for table, rows in report.rows.items():
            self.stdout.write(f"  {table:<24} {rows:>12,}")
        phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.seconds.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f}s ({phases})."))

    def _progress(self, started):
        def say(message: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:7.1f}s] {message}")
            self.stdout.flush()

        return say
