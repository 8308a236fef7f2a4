"""Settings shared by every environment. Everything configurable is read here, through config.env."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Development default only; production.py refuses to start without SECRET_KEY in the environment.
SECRET_KEY = env("SECRET_KEY", "dev-insecure-goftar-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "common.apps.GoftarAdminConfig",  # django.contrib.admin with common.admin_site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI / Redoc assets served locally (no CDN)
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "common",
    "sources",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.security.ContentSecurityPolicyMiddleware",
    "common.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which server this request reads (common.routers): outside everything that may read.
    "common.middleware.ReadPrimaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.security.AbsoluteSessionTimeoutMiddleware",
    "common.security.LoginRequiredMiddleware",
    "common.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Attaches the acting user and URL to every history event written during a request that may
    # write (PGHISTORY_MIDDLEWARE_METHODS below).
    "pghistory.middleware.HistoryMiddleware",
    # Turns a locked-out sign-in into a clear 429 page; keep it last (django-axes).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses sign-in after too many failures, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Each settings module names its database (config.database): local and test may start the embedded
# PostgreSQL, production requires DATABASE_URL; DATABASE_REPLICA_URLS adds read replicas.
DATABASE_ROUTERS = ["common.routers.ReplicaRouter"]
# After a signed-in user's writing request, their requests read the primary this long, so they
# see their own edit on a replica that has not replayed it yet.
GOFTAR_READ_PRIMARY_SECONDS = env_int("GOFTAR_READ_PRIMARY_SECONDS", 5)
# A replica further behind the primary than this is skipped; each process asks each replica at
# most once every GOFTAR_REPLICA_CHECK_SECONDS.
GOFTAR_REPLICA_MAX_LAG_SECONDS = env_int("GOFTAR_REPLICA_MAX_LAG_SECONDS", 30)
GOFTAR_REPLICA_CHECK_SECONDS = env_int("GOFTAR_REPLICA_CHECK_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "admin:login"
# Signing in outside the admin (a refused ?next=) lands on the curators' admin, not on an unrouted profile page.
LOGIN_REDIRECT_URL = "admin:index"

# Access and sessions (issue 6). Anonymous visitors read published material only; this makes
# every page need a signed-in user instead.
GOFTAR_REQUIRE_LOGIN = env_bool("GOFTAR_REQUIRE_LOGIN", False)
# Idle timeout: the session lives this long after the last request. A signed-in user's session
# is saved again (with a new expiry) at most every GOFTAR_SESSION_REFRESH_SECONDS, not on every
# request (common.security.SessionTimeoutMiddleware): an UPDATE per page view bought nothing.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
GOFTAR_SESSION_REFRESH_SECONDS = 5 * 60
# Absolute timeout: signed out this long after signing in, however active.
GOFTAR_SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): after 5 failures for one username from one address, sign-in
# is refused for an hour; a success resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.security.client_ip"
# How many proxies in front of the application append to X-Forwarded-For (0: use REMOTE_ADDR).
GOFTAR_TRUSTED_PROXY_COUNT = env_int("GOFTAR_TRUSTED_PROXY_COUNT", 0)

# Our pages and the admin need no inline script; the admin sets a few inline styles.
GOFTAR_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# ReDoc (served from our static files) runs its search in a web worker made from a blob.
GOFTAR_CONTENT_SECURITY_POLICY_EXTRAS = {"/api/redoc/": {"worker-src": ["blob:"]}}

# Anonymous exports: at most this many rows each, and this many exports per address per hour.
GOFTAR_ANONYMOUS_EXPORT_MAX_ROWS = env_int("GOFTAR_ANONYMOUS_EXPORT_MAX_ROWS", 10_000)
GOFTAR_ANONYMOUS_EXPORTS_PER_HOUR = env_int("GOFTAR_ANONYMOUS_EXPORTS_PER_HOUR", 60)
GOFTAR_API_ANONYMOUS_RATE = env("GOFTAR_API_ANONYMOUS_RATE", "1200/hour")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

PGHISTORY_DEFAULT_TRACKERS = None  # every tracked model states its trackers explicitly
PGHISTORY_ADMIN_MODEL = "pghistory.Events"
# Who and which URL are attached to the writes of requests that write. Safe methods (GET, HEAD)
# only read: attaching the context to them prefixed every SELECT of every page with two
# set_config() calls (a second statement per query, and JSON to build for each).
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

REST_FRAMEWORK = {
    # Anonymous API clients share GOFTAR_API_ANONYMOUS_RATE per address (the API pages through everything).
    "DEFAULT_THROTTLE_CLASSES": ["common.security.AnonymousApiThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Goftar API",
    "DESCRIPTION": "Read-only access to officials, statements, claims, topics and source articles.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set, so the schema is stable and `check --deploy` has nothing to warn about.
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "common.dates.DatePrecision",
        "ClaimKindEnum": "claims.choices.ClaimKind",
        "ClaimRelationKindEnum": "claims.choices.ClaimRelationKind",
        "OrganizationKindEnum": "claims.choices.OrganizationKind",
        "OutletKindEnum": "sources.choices.OutletKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
