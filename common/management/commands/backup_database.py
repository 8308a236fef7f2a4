from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connections

from common.backup import database_dump


class Command(BaseCommand):
    help = "Dump the whole database (data, history, triggers, functions) with pg_dump --format=custom."

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="File to write, e.g. goftar-2025-11-01.dump")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, **options):
        path = database_dump(settings_dict=connections[database].settings_dict, output=output)
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes).")
