"""Conventions every app's REST API shares: bounded pagination that rejects bad values
with a 400 naming the parameter, documented error responses, and JSON 404s for any
address under /api/."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.pagination import LimitOffsetPagination

from c2b import lean

MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000  # far beyond any real list; bigger values are typos or probes

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Invalid parameters; each key names the field at fault."
)
NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No such object, or not yours.")
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Not signed in, or not allowed.")


class ProfileTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, reading the consumer's profile in the same query:
    placing an order needs it (the region's demand event), and it is the API's hot path."""

    def authenticate_credentials(self, key):
        token = token_with_user(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


def token_with_user(key: str) -> Token | None:
    """The token, its user and the user's profile (or none), in one plain query: what
    `select_related("user", "user__consumer_profile")` gives, at a third of its cost."""
    from orders.models import ConsumerProfile

    parts = (
        lean.columns(Token, "t"),
        lean.columns(get_user_model(), "u"),
        lean.columns(ConsumerProfile, "p"),
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        lean.execute(
            cursor,
            f"SELECT {', '.join(part.sql for part in parts)} "
            f"FROM {quote(Token._meta.db_table)} t "
            f"JOIN {quote(get_user_model()._meta.db_table)} u ON u.id = t.user_id "
            f"LEFT JOIN {quote(ConsumerProfile._meta.db_table)} p ON p.user_id = u.id "
            "WHERE t.key = %s",
            [key],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token, user, profile = lean.split(row, *parts)
    # remembered even when None, as select_related does, so nothing asks again
    get_user_model()._meta.get_field("consumer_profile").set_cached_value(user, profile)
    if profile is not None:
        profile.user = user
    token.user = user
    return token


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request) -> int:
        return self._bounded(request, self.limit_query_param, 1, MAX_PAGE_SIZE, self.default_limit)

    def get_offset(self, request) -> int:
        return self._bounded(request, self.offset_query_param, 0, MAX_OFFSET, 0)

    @staticmethod
    def _bounded(request, name: str, low: int, high: int, default: int) -> int:
        """An absent parameter takes its default; anything but one in-range integer is a
        400, since silently falling back would hide the caller's mistake."""
        values = request.query_params.getlist(name)
        if not values:
            return default
        value = values[0]
        if len(values) > 1 or not value.isascii() or not value.isdigit():
            raise ValidationError({name: [f"Must be one whole number from {low} to {high}."]})
        if not low <= int(value) <= high:
            raise ValidationError({name: [f"Must be one whole number from {low} to {high}."]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: (1, MAX_PAGE_SIZE),
            self.offset_query_param: (0, MAX_OFFSET),
        }
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"].update({"minimum": low, "maximum": high})
        return parameters


def document_request_line_limit(result, generator, request, public):
    """drf-spectacular hook: any operation can meet the HTTP server's request-line limit
    (gunicorn answers 414 past 8 KB, as a front proxy would), so the schema says so."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            operation["responses"].setdefault(
                "414", {"description": "The request line (address and query) is too long."}
            )
    return result


@csrf_exempt  # it changes nothing; a POST to a wrong address deserves the JSON 404 too
def api_not_found(request, path: str = ""):
    return JsonResponse({"detail": "No API endpoint at this address."}, status=404)
