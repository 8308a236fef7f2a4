from config.database import database_config, replica_database_configs
from config.env import env
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, INSTALLED_APPS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Several test runs may share one server (CI runs the suite against two); each names its own.
DATABASES = {"default": database_config(base_dir=BASE_DIR, embedded=True), **replica_database_configs()}
DATABASES["default"]["TEST"] = {"NAME": env("GOFTAR_TEST_DATABASE", "test_goftar")}
# Django's test client signs in without a request, which django-axes refuses; the lockout
# test turns it back on with override_settings.
AXES_ENABLED = False
# The suite makes thousands of anonymous API requests from one address; the throttle test sets a rate.
GOFTAR_API_ANONYMOUS_RATE = None
# The benchmark and the corpus generator (manage.py bench, generate_corpus); never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
