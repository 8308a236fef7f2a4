"""Production settings plus the benchmark's trivial view (bench.urls), for the gunicorn runs."""

from config.env import env
from config.settings.production import *  # noqa: F403
from config.settings.production import INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

# The benchmark may run against a database named at run time (a test database): follow it.
if _bench_database := env("GOFTAR_BENCH_DATABASE_NAME", ""):
    DATABASES["default"]["NAME"] = _bench_database  # noqa: F405
