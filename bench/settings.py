"""Production settings plus the benchmark's trivial view (bench.urls), for the gunicorn runs."""

from config.settings.production import *  # noqa: F403
from config.settings.production import INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
