from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _ensure_roles(sender, using="default", **kwargs):
    from common.roles import roles_ensure

    roles_ensure(using=using)


class CommonConfig(AppConfig):
    default = True  # this module also holds GoftarAdminConfig, named in INSTALLED_APPS by its path
    name = "common"
    verbose_name = "Common"

    def ready(self):
        from common import checks  # noqa: F401  (registers the deployment checks)

        # Groups follow the models: every migrate (and every test database) gets the four roles
        # with their current permissions. `manage.py ensure_roles` does the same by hand.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="goftar_ensure_roles")


class GoftarAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Goftar's admin site as ``admin.site``."""

    default = False
    default_site = "common.admin_site.GoftarAdminSite"
