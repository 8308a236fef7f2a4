from config.database import database_config, replica_database_configs
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, INSTALLED_APPS

DATABASES = {"default": database_config(base_dir=BASE_DIR, embedded=True), **replica_database_configs()}
# The benchmark and the corpus generator (manage.py bench, generate_corpus); never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
