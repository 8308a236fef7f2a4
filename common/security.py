"""Request-level protection: login required (when configured), absolute session lifetime,
Content-Security-Policy, and limits on what anonymous visitors may export."""

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

MESSAGE_EXPORT_TOO_LARGE = gettext_noop(
    "Anonymous exports are limited to {limit} rows and this one would have about {rows}. Narrow the filter, or sign in."
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
    and could be forged to dodge the sign-in throttle). Used by django-axes and export limits."""
    proxies = settings.GOFTAR_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def _client_address(request) -> str:
    return client_ip(request)


def check_export_allowed(request, row_estimate: int) -> None:
    """Refuse an export that an anonymous visitor may not make: larger than
    GOFTAR_ANONYMOUS_EXPORT_MAX_ROWS, or beyond GOFTAR_ANONYMOUS_EXPORTS_PER_HOUR from one address.

    Signed-in users are not limited. Call it in every export view, before streaming, with the
    planner's row estimate; it raises ExportNotAllowed (a PermissionDenied), or use
    ``export_refusal()`` to get a response instead.
    """
    if request.user.is_authenticated:
        return
    limit = settings.GOFTAR_ANONYMOUS_EXPORT_MAX_ROWS
    if row_estimate > limit:
        raise ExportNotAllowed(_(MESSAGE_EXPORT_TOO_LARGE).format(limit=limit, rows=row_estimate), status=403)
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


def export_refusal(request, row_estimate: int) -> HttpResponse | None:
    """``check_export_allowed`` as a value: None when allowed, else a plain-text 403/429 response."""
    try:
        check_export_allowed(request, row_estimate)
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
