"""Request-level protection: login required (when configured), absolute session lifetime,
Content-Security-Policy, and limits on what anonymous visitors may export."""

import ipaddress
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework.throttling import AnonRateThrottle

SESSION_LOGIN_AT = "goftar_login_at"
SESSION_SEEN_AT = "goftar_seen_at"

MESSAGE_EXPORT_CUT = gettext_noop(
    "Export stopped at {limit} rows, the limit without signing in: sign in, or narrow the filter, for the rest."
)
MESSAGE_EXPORT_RATE = gettext_noop("Too many exports from your address: at most {limit} per hour without signing in.")


class LoginRequiredMiddleware:
    """With GOFTAR_REQUIRE_LOGIN on, everything but the sign-in page, static files and the
    language switch needs a signed-in user (a private deployment)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.GOFTAR_REQUIRE_LOGIN and not request.user.is_authenticated and not self._open(request.path):
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        open_paths = (
            reverse(settings.LOGIN_URL),
            reverse("set_language"),
            reverse("common:health"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        return any(path.startswith(prefix) for prefix in open_paths)


class AbsoluteSessionTimeoutMiddleware:
    """Sign a user out GOFTAR_SESSION_ABSOLUTE_SECONDS after they signed in, however active they
    were; and keep an active user's session alive (the idle timeout, SESSION_COOKIE_AGE) by saving
    it again once every GOFTAR_SESSION_REFRESH_SECONDS, so that the idle timeout runs from the last
    request give or take that interval."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(SESSION_LOGIN_AT)
            if login_at is None:
                request.session[SESSION_LOGIN_AT] = now
            elif now - int(login_at) > settings.GOFTAR_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return self.get_response(request)
            if now - int(request.session.get(SESSION_SEEN_AT, 0)) >= settings.GOFTAR_SESSION_REFRESH_SECONDS:
                request.session[SESSION_SEEN_AT] = now  # marks the session modified: saved, expiry renewed
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send GOFTAR_CONTENT_SECURITY_POLICY on every response that does not set its own.

    Our pages and the admin need no inline script; the admin sets a few inline styles, hence
    'unsafe-inline' for styles only. GOFTAR_CONTENT_SECURITY_POLICY_EXTRAS adds sources under a
    path prefix (the API's Swagger and ReDoc pages load their bundles from a CDN).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        base = settings.GOFTAR_CONTENT_SECURITY_POLICY
        self.policy = self._render(base)
        self.extras = []
        for prefix, additions in getattr(settings, "GOFTAR_CONTENT_SECURITY_POLICY_EXTRAS", {}).items():
            merged = {directive: list(sources) for directive, sources in base.items()}
            for directive, sources in additions.items():
                merged.setdefault(directive, list(base.get("default-src", [])))
                merged[directive] += [source for source in sources if source not in merged[directive]]
            self.extras.append((prefix, self._render(merged)))

    @staticmethod
    def _render(policy: dict) -> str:
        return "; ".join(f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            policy = next((extra for prefix, extra in self.extras if request.path.startswith(prefix)), self.policy)
            response["Content-Security-Policy"] = policy
        return response


class ExportNotAllowed(PermissionDenied):
    """An export refused by the anonymous limits; ``status`` is 403 (too large) or 429 (too often)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind GOFTAR_TRUSTED_PROXY_COUNT proxies, the
    X-Forwarded-For entry the outermost trusted proxy saw (entries further left are client-made
    and could be forged to dodge the sign-in throttle). An entry that is not an IP address falls
    back to REMOTE_ADDR. Used by django-axes, the export limits and the API throttle."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.GOFTAR_TRUSTED_PROXY_COUNT or 0
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                return remote
    return remote


def _client_address(request) -> str:
    return client_ip(request)


def export_cut_note(limit: int) -> str:
    """What an anonymous export says, in its last row, when it stopped at ``limit`` rows."""
    return _(MESSAGE_EXPORT_CUT).format(limit=f"{limit:,}")


def check_export_allowed(request) -> None:
    """Refuse an export beyond GOFTAR_ANONYMOUS_EXPORTS_PER_HOUR from one address without signing in.

    Signed-in users are not limited; anonymous exports also stop at GOFTAR_ANONYMOUS_EXPORT_MAX_ROWS
    rows (the export view passes the limit to the stream). Raises ExportNotAllowed (a
    PermissionDenied), or use ``export_refusal()`` to get a response instead.
    """
    if request.user.is_authenticated:
        return
    per_hour = settings.GOFTAR_ANONYMOUS_EXPORTS_PER_HOUR
    key = f"goftar:export-rate:{_client_address(request)}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > per_hour:
        raise ExportNotAllowed(_(MESSAGE_EXPORT_RATE).format(limit=per_hour), status=429)


def export_refusal(request) -> HttpResponse | None:
    """``check_export_allowed`` as a value: None when allowed, else a plain-text 429 response."""
    try:
        check_export_allowed(request)
    except ExportNotAllowed as exc:
        response = HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
        if exc.status == 429:
            response["Retry-After"] = "3600"
        return response
    return None


class AnonymousApiThrottle(AnonRateThrottle):
    """DRF throttle for anonymous API use, by the same client address as sign-in throttling,
    at GOFTAR_API_ANONYMOUS_RATE (e.g. "1200/hour"; None turns it off). Signed-in users are not
    throttled."""

    def get_rate(self):
        return settings.GOFTAR_API_ANONYMOUS_RATE

    def get_ident(self, request):
        return client_ip(request)
