from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from psycopg import sql
from psycopg.conninfo import make_conninfo

from common.backup import database_restore, libpq_environment


class Command(BaseCommand):
    help = (
        "Restore a dump made by backup_database into a NEW database (never over the live one); "
        "then point DATABASE_URL at it."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)
        parser.add_argument("target", help="Name of the database to create and restore into.")
        parser.add_argument("--database", default="default", help="Connection whose server receives it.")

    def handle(self, *args, dump, target, database, **options):
        if not dump.exists():
            raise CommandError(f"{dump} does not exist.")
        settings_dict = connections[database].settings_dict
        if target == settings_dict["NAME"]:
            raise CommandError("Restore into a new database, not over the one in use.")
        env = libpq_environment(settings_dict, database="postgres")
        conninfo = make_conninfo(
            dbname="postgres",
            **{
                key: env[var]
                for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD"))
                if env.get(var)
            },
        )
        with psycopg.connect(conninfo, autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
            if exists:
                raise CommandError(f"Database {target} already exists: choose a new name.")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
        database_restore(settings_dict=settings_dict, dump=dump, target=target)
        self.stdout.write(f"Restored {dump} into database {target}.")
