"""Analytics API: the browser's event batches in, the dashboards' tables out."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from analytics import dashboards
from analytics.forms import FilterForm
from analytics.queries import MIN_CONSUMERS, product_get_for, products_for
from analytics.services import MAX_BODY_BYTES, BatchRefused, events_ingest
from analytics.tasks import rollup_advance_task
from c2b.rest import BAD_REQUEST, FORBIDDEN, NOT_FOUND


class SameOriginSession(SessionAuthentication):
    """The signed-in user, for same-origin requests only. A beacon carries no CSRF token,
    and another site's page must not record events in a signed-in consumer's name: its
    events still count, as an anonymous session's."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active:
            return None
        if request.headers.get("Origin") != f"{request.scheme}://{request.get_host()}":
            return None
        return (user, None)


class SameOriginSessionScheme(OpenApiAuthenticationExtension):
    """In the schema, the same session cookie as the rest of the API."""

    target_class = SameOriginSession
    name = "sameOriginCookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class EventBatch(serializers.Serializer):
    session = serializers.CharField(help_text="The browser's anonymous id (16–64 characters).")
    product = serializers.CharField(help_text="The product's slug.")
    version = serializers.IntegerField(help_text="The catalog version shown.")
    events = serializers.ListField(child=serializers.DictField(), max_length=50)


@extend_schema(
    request=EventBatch,
    responses={
        202: inline_serializer(
            "EventsAccepted",
            {"accepted": serializers.IntegerField(), "rejected": serializers.ListField()},
        ),
        400: BAD_REQUEST,
        413: OpenApiResponse(OpenApiTypes.OBJECT, description="The batch is over 16 KB."),
        429: OpenApiResponse(
            OpenApiTypes.OBJECT, description="Too many events from this session; wait a minute."
        ),
    },
    description="Behaviour events from the configurator page, in batches of up to 50. "
    "Each bad event is refused with its field and reason and never stored; the good ones "
    "of the same batch are kept.",
)
@api_view(["POST"])
@authentication_classes([SameOriginSession])
@permission_classes([AllowAny])
@throttle_classes([])
@parser_classes([JSONParser])
def events_create(request):
    if len(request.body) > MAX_BODY_BYTES:
        return Response(
            {"body": [_("A batch is at most %(n)s bytes.") % {"n": MAX_BODY_BYTES}]},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    try:
        accepted, rejected = events_ingest(payload=request.data, user=request.user)
    except BatchRefused as refused:
        return Response({refused.field: [str(refused)]}, status=refused.status)
    if accepted:
        _roll_up_soon()
    body = {
        "accepted": accepted,
        "rejected": [{"field": r.field, "message": r.message} for r in rejected],
    }
    return Response(body, status=status.HTTP_202_ACCEPTED if accepted else 400)


def _roll_up_soon() -> None:
    """One rollup per lag window, after the batch's events are old enough to be folded."""
    lag = settings.ANALYTICS_ROLLUP_LAG_SECONDS
    if cache.add("analytics:rollup-scheduled", 1, timeout=max(lag, 5)):
        transaction.on_commit(lambda: rollup_advance_task.apply_async(countdown=lag + 1))


@extend_schema(
    parameters=[
        OpenApiParameter("start", str, description="First week (a date; its Monday is used)."),
        OpenApiParameter("end", str, description="Last week, included."),
        OpenApiParameter("province", str, description="GB/T 2260 code, or none."),
        OpenApiParameter("age_band", str),
        OpenApiParameter("gender", str),
    ],
    responses={
        200: inline_serializer("InsightTables", {"tables": serializers.ListField()}),
        400: BAD_REQUEST,
        403: FORBIDDEN,
        404: NOT_FOUND,
    },
    description="One dashboard's tables, as on its page; a figure covering fewer than "
    f"{MIN_CONSUMERS} consumers is null and its row marked suppressed.",
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def insights_detail(request, slug: str, view: str):
    if not products_for(request.user).exists():
        raise PermissionDenied("Demand figures are for the manufacturer's staff.")
    chosen = dashboards.BY_SLUG.get(view)
    if chosen is None:
        raise NotFound("No dashboard has that name.")
    product = product_get_for(request.user, slug)  # Http404 becomes the API's 404
    form = FilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    filters = form.filters(product)
    tables = dashboards.build(chosen, filters)
    return Response(
        {
            "product": product.slug,
            "view": chosen.slug,
            "start": filters.start,
            "end": filters.end,
            "tables": [
                {
                    "slug": table.slug,
                    "title": str(table.title),
                    "columns": [{"field": f, "heading": str(h)} for f, h in table.columns],
                    "rows": table.rows,
                    "notes": [str(note) for note in table.notes],
                }
                for table in tables
            ],
        }
    )
