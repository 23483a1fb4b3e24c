"""Small project-level views: the health check for load balancers and docker-compose
(answers 503 naming what is down), a liveness ping that touches nothing (also the
baseline the order benchmark compares with), and the favicon browsers ask for."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_ok() -> bool:
    try:
        cache.set("healthz", "ok", timeout=5)
        return cache.get("healthz") == "ok"
    except Exception:  # noqa: BLE001 - any cache client error means the cache is down
        return False


def favicon(request):
    return HttpResponsePermanentRedirect(static("c2b/favicon.svg"))


@never_cache
def healthz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    body = {name: "ok" if ok else "down" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


@never_cache
def ping(request):
    return JsonResponse({"pong": True})
