from config.database import database_config, replica_database_configs
from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR

DATABASES = {"default": database_config(base_dir=BASE_DIR, embedded=True), **replica_database_configs()}
