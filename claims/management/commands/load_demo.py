from django.core.management.base import BaseCommand
from django.db import transaction

from claims.demo import demo_load


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Record the seed article (Kamal Kharrazi's interview with Al Jazeera, republished from Khabaronline) "
        "as a careful curator would: official, position, outlets, article, statements, claims, topics. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, then roll back.")

    def handle(self, *args, dry_run=False, **options):
        try:
            with transaction.atomic():
                report = demo_load()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif report.changed:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already up to date: nothing changed."))
