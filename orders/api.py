"""Orders API: place an order (Idempotency-Key header required), list and read your own,
cancel, take an offered swap; the payment provider's callback; batches for the
manufacturer's staff."""

from __future__ import annotations

from django.db import DatabaseError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from c2b.rest import BAD_REQUEST, FORBIDDEN, NOT_FOUND
from configurator import queries as saved_queries
from configurator.engine.pricing import Selection
from orders import queries
from orders.idempotency import fingerprint, key_problem, run_once
from orders.models import Order
from orders.serializers import (
    BatchDetailSerializer,
    BatchSerializer,
    OrderCreateSerializer,
    OrderSerializer,
    order_create_data,
    order_payload,
)
from orders.services import (
    OrderRefused,
    order_accept_swap,
    order_cancel,
    order_place,
    order_quote,
    payment_callback,
)

REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="The order cannot be made; each key names the field."
)
IN_FLIGHT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A request with this key is still in flight, or the order "
    "is not in a state that allows this.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="A unique string per submission (a UUID). Repeating it returns the first "
    "answer; reusing it with a different body is refused with 422.",
)


class OrderList(generics.ListCreateAPIView):
    """Your orders, newest first; POST places one."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self):
        return queries.orders_of(self.request.user).prefetch_related("events")

    @extend_schema(responses={200: OrderSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=OrderCreateSerializer,
        responses={
            201: OrderSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND,
            409: IN_FLIGHT, 422: REFUSED,
        },
    )  # fmt: skip
    def post(self, request):
        key = request.headers.get("Idempotency-Key")
        problem = key_problem(key)
        if problem:
            return Response({"idempotency_key": [problem]}, status=status.HTTP_400_BAD_REQUEST)
        data = order_create_data(request.data)
        version, selection = _version_and_selection(request, data)
        site = request.build_absolute_uri("/").rstrip("/")

        def work():
            quote = order_quote(
                version=version,
                selection=selection,
                quantity=data["quantity"],
                province=data["province"],
                city=data["city"],
            )
            order = order_place(user=request.user, quote=quote, client_key=key, site_url=site)
            return 201, order_payload(order), order

        try:
            outcome = run_once(request.user, key, fingerprint(request.data), work)
        except OrderRefused as refused:
            return Response(refused.errors, status=refused.status)
        response = Response(outcome.body, status=outcome.status)
        if outcome.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def _version_and_selection(request, data):
    if data.get("configuration"):
        saved = saved_queries.configuration_by_share_code(data["configuration"])
        return saved.version, saved_queries.selection_of(saved)
    version = queries.version_to_order(data["product"], data.get("version") or None)
    if version is None:
        raise Http404("No such product, or no such version of it on sale.")
    return version, Selection(
        frozenset(data["options"]), dict(data["numbers"]), dict(data["texts"])
    )


def _order_action(request, reference: str, action) -> Response:
    """A consumer's action on their own order: the order as it now is, or why not."""
    order = queries.order_get_for(request.user, reference)
    try:
        order = action(order)
    except OrderRefused as refused:
        return Response(refused.errors, status=refused.status)
    return Response(order_payload(_fresh(order)))


def _fresh(order: Order) -> Order:
    return Order.objects.select_related("product_model", "version", "batch").get(pk=order.pk)


@extend_schema(responses={200: OrderSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
class OrderDetail(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer

    def get_object(self) -> Order:
        return queries.order_get_for(self.request.user, self.kwargs["reference"])


@extend_schema(
    request=None,
    responses={200: OrderSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: IN_FLIGHT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def order_cancel_view(request, reference: str):
    """Cancel: free before paying, full refund before the batch launches, deposit kept
    after; not possible once scheduled."""
    return _order_action(request, reference, order_cancel)


@extend_schema(
    request=None,
    responses={200: OrderSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: IN_FLIGHT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def order_accept_swap_view(request, reference: str):
    """Take the option swap offered when a chosen option missed its batch minimum."""
    return _order_action(request, reference, order_accept_swap)


@extend_schema(
    request={"application/json": OpenApiTypes.OBJECT},
    responses={
        200: OpenApiResponse(OpenApiTypes.OBJECT, description="Applied, or a replay ignored."),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad or stale signature."),
        404: NOT_FOUND,
    },
)
@api_view(["POST"])
@authentication_classes([])  # the provider proves itself by signature, not by session
@permission_classes([AllowAny])
def payment_callback_view(request, provider: str):
    """The payment provider's signed asynchronous callback. Its signature covers the exact
    bytes, so the raw body is read, never parsed and re-serialised."""
    try:
        status_code, body = payment_callback(provider, request.body, request.headers)
    except DatabaseError:
        # Not recorded (and a successful charge already voided): the provider retries.
        return Response(
            {"detail": "Could not record the event; retry later."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "30"},
        )
    return Response(body, status=status_code)


@extend_schema(responses={200: BatchSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN})
class BatchList(generics.ListAPIView):
    """Demand batches of your manufacturer's products (all, for admins)."""

    permission_classes = [IsAuthenticated]
    serializer_class = BatchSerializer

    def get_queryset(self):
        return queries.batches_for(self.request.user).order_by("-opened_at", "-pk")


@extend_schema(responses={200: BatchDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
class BatchDetail(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = BatchDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        batch = queries.batch_get_for(request.user, self.kwargs["pk"])
        return Response({**BatchSerializer(batch).data, **queries.batch_figures(batch)})


@extend_schema(
    request=AuthTokenSerializer,
    responses={
        200: OpenApiResponse(OpenApiTypes.OBJECT, description='{"token": "..."}'),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="Wrong credentials, or locked out after repeated failures.",
        ),
    },
)
class TokenObtain(ObtainAuthToken):
    """Exchange a user name and password for the API token (`Authorization: Token ...`).
    Failed attempts count toward the same lockout as the sign-in form."""

    authentication_classes = []  # credentials are the body; no session, so no CSRF
