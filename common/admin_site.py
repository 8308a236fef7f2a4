"""The admin site: Django's, with Goftar's titles."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class GoftarAdminSite(AdminSite):
    site_header = _("Goftar: curation")
    site_title = _("Goftar curation")
    index_title = _("Officials, statements and their sources")
