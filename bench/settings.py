"""Production settings plus the benchmark's trivial view (bench.urls), for the gunicorn runs."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
