"""The anonymous id that ties one browser's behaviour events together."""

from __future__ import annotations

import secrets

from analytics.services import SESSION_ID

COOKIE = "c2b_sid"
ONE_YEAR = 365 * 24 * 3600  # seconds


class AnalyticsSessionMiddleware:
    """Give every browser a random id in a cookie, readable by the server (for the events it
    records) and handed to the page's script by the page, never tied to an account here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        known = request.COOKIES.get(COOKIE, "")
        request.analytics_session = known if SESSION_ID.match(known) else secrets.token_urlsafe(18)
        response = self.get_response(request)
        if request.analytics_session != known:
            response.set_cookie(
                COOKIE,
                request.analytics_session,
                max_age=ONE_YEAR,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
