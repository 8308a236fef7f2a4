"""Operational endpoints, and the answer while the database is unreachable."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health_view(request):
    """200 "ok" when the database answers, 503 otherwise: for load balancers and restart checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The 500 handler: a database that cannot be reached is a 503 with Retry-After (the request
    may succeed in a moment), anything else Django's own 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(
            "The database is unavailable for a moment; try again shortly.", status=503, content_type="text/plain"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
