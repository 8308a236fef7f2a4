from django.utils import translation


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
