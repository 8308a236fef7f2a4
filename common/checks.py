"""Deployment checks of Goftar's own settings (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

W_PROXY_COUNT = Warning(
    "GOFTAR_TRUSTED_PROXY_COUNT is not set while SECURE_PROXY_SSL_HEADER says a proxy is in front: no "
    "forwarded client address is believed, so sign-in lockouts, export limits and the API throttle "
    "count every visitor as the proxy.",
    hint="Set GOFTAR_TRUSTED_PROXY_COUNT to the number of proxies that append to X-Forwarded-For "
    "(1 behind one TLS proxy), or 0 if clients reach the app directly.",
    id="goftar.W001",
)


@register(Tags.security, deploy=True)
def check_trusted_proxy_count(app_configs, **kwargs):
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.GOFTAR_TRUSTED_PROXY_COUNT is None:
        return [W_PROXY_COUNT]
    return []
