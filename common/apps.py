from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, using="default", **kwargs):
    from common.roles import roles_ensure

    roles_ensure(using=using)


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        # Groups follow the models: every migrate (and every test database) gets the four roles
        # with their current permissions. `manage.py ensure_roles` does the same by hand.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="goftar_ensure_roles")
