from django.core.management.base import BaseCommand

from common.roles import roles_ensure


class Command(BaseCommand):
    help = "Create or repair the Curators, Editors, Analysts and Administrators groups and their permissions."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        counts = roles_ensure(using=database)
        for role, count in counts.items():
            self.stdout.write(f"{role}: {count} permissions")
