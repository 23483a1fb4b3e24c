"""Conventions every app's REST API shares: bounded pagination that rejects bad values
with a 400 naming the parameter, documented error responses, and JSON 404s for any
address under /api/."""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.pagination import LimitOffsetPagination

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
        model = self.get_model()
        token = (
            model.objects.select_related("user", "user__consumer_profile").filter(key=key).first()
        )
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)


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
