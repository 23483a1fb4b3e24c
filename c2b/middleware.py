"""A database that is down or unreachable answers 503 with Retry-After, quickly, instead
of a 500: the client can tell a temporary outage from a bug and retry (with the same
idempotency key, which then returns the same order)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5
DATABASE_DOWN = (OperationalError, InterfaceError)

log = logging.getLogger(__name__)


def unavailable(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable; retry in a few seconds."}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            log.error("Database unavailable: %s", exception)
            return unavailable(request)
        return None


def server_error(request):
    """handler500: outages raised outside a view (in middleware) are 503s too."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        return unavailable(request)
    return HttpResponse(render_to_string("500.html"), status=500)
