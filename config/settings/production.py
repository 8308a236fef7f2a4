from config.database import database_config, replica_database_configs
from config.env import env_bool, env_int, env_list, env_required
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
DATABASES = {"default": database_config(base_dir=BASE_DIR, embedded=False), **replica_database_configs()}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front append to X-Forwarded-For. Unset, no forwarded address is believed
# (a client could forge one), and `check --deploy` asks for it (common.checks).
GOFTAR_TRUSTED_PROXY_COUNT = env_int("GOFTAR_TRUSTED_PROXY_COUNT", None)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
