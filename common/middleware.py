from django.conf import settings
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import translation

from common.routers import begin_request, replica_aliases

NUL_IN_REQUEST_MESSAGE = "Request parameters must not contain NUL characters."


class RejectNulBytesMiddleware:
    """Answer 400 to a request whose query string or form fields carry NUL characters.

    PostgreSQL cannot store or compare text with NUL in it, so such a value would fail deep inside
    any view that filters, searches or saves with it; it is malformed input, refused at the door.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request.GET):
            return HttpResponseBadRequest(NUL_IN_REQUEST_MESSAGE)
        if (
            request.method == "POST"
            and request.content_type
            in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )
            and self._has_nul(request.POST)
        ):
            return HttpResponseBadRequest(NUL_IN_REQUEST_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _has_nul(query_dict) -> bool:
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in query_dict.lists())


class UserLanguageMiddleware:
    """Use the signed-in user's chosen interface language; otherwise LocaleMiddleware's choice
    (the language cookie, then the browser's Accept-Language) stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = self._profile(user)
            if profile is not None and profile.language:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

    @staticmethod
    def _profile(user):
        from common.models import UserProfile

        try:
            return user.profile
        except UserProfile.DoesNotExist:
            return None


class ReadPrimaryMiddleware:
    """Decides, for common.routers, whether this request reads the primary: the admin, a writing
    request and, for GOFTAR_READ_PRIMARY_SECONDS after a signed-in user's request that wrote, that
    user's requests (marked by a signed cookie, so no session is read or saved to know it).
    Without replicas it does nothing."""

    COOKIE_NAME = "goftar_read_primary"
    COOKIE_SALT = "common.middleware.ReadPrimaryMiddleware"
    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)  # one server: nothing to decide
        writing = request.method not in self.SAFE_METHODS
        state = begin_request(primary=writing or self._in_admin(request) or self._recently_wrote(request))
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (writing or state.wrote) and user is not None and user.is_authenticated:
            response.set_signed_cookie(
                self.COOKIE_NAME,
                "1",
                salt=self.COOKIE_SALT,
                max_age=settings.GOFTAR_READ_PRIMARY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def _recently_wrote(self, request) -> bool:
        marked = request.get_signed_cookie(
            self.COOKIE_NAME, default=None, salt=self.COOKIE_SALT, max_age=settings.GOFTAR_READ_PRIMARY_SECONDS
        )
        return marked is not None

    @staticmethod
    def _in_admin(request) -> bool:
        return request.path_info.startswith(reverse("admin:index"))
