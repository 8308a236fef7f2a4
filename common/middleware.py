from django.http import HttpResponseBadRequest
from django.utils import translation

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
