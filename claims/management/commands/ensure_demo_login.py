from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config.env import env

DEMO_USERNAME = "admin"
DEFAULT_DEMO_PASSWORD = "goftar-demo"
PASSWORD_ENV = "GOFTAR_DEMO_PASSWORD"


class Command(BaseCommand):
    help = (
        f"For the local demo only: make sure a superuser '{DEMO_USERNAME}' exists with the password in "
        f"${PASSWORD_ENV} (default '{DEFAULT_DEMO_PASSWORD}'), and print how to log in. Safe to run again. "
        "With DEBUG off it refuses the default password: never use it on a server others can reach."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/", help="Where the admin is served.")

    def handle(self, *args, url, **options):
        password = env(PASSWORD_ENV, "") or DEFAULT_DEMO_PASSWORD
        if password == DEFAULT_DEMO_PASSWORD and not settings.DEBUG:
            raise CommandError(
                f"DEBUG is off: refusing to create '{DEMO_USERNAME}' with the default password. "
                f"Set {PASSWORD_ENV} to a password of your own."
            )
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        changed = []
        if not (user.is_staff and user.is_superuser and user.is_active):
            user.is_staff = user.is_superuser = user.is_active = True
            changed += ["is_staff", "is_superuser", "is_active"]
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
        state = "created" if created else ("updated" if changed else "already set up")
        self.stdout.write(f"Demo superuser '{DEMO_USERNAME}': {state}.")
        shown = password if password == DEFAULT_DEMO_PASSWORD else f"the value of ${PASSWORD_ENV}"
        self.stdout.write(f"Log in at {url} as '{DEMO_USERNAME}' with password {shown}.")
