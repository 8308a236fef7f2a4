"""Links to addresses stored from outside (an article's URL): only the web's own schemes are linked."""

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = ("http", "https")


@register.filter
def web_url(value) -> str:
    """``value`` when it is an http(s) address, else "" (a ``javascript:`` or ``data:`` URL is never a link)."""
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in WEB_SCHEMES else ""
