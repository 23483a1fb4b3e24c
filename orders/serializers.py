"""Requests and answers of the orders API."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from configurator.serializers import SelectionSerializer
from orders.models import MAX_QUANTITY, DemandBatch, Order
from orders.regions import region_label
from orders.timeline import describe


class OrderCreateSerializer(SelectionSerializer):
    product = serializers.SlugField(
        max_length=60, required=False, help_text="The product, when the selection is given here."
    )
    configuration = serializers.CharField(
        max_length=16,
        required=False,
        help_text="Share code of a saved configuration to order, instead of a selection.",
    )
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, default=1)
    province = serializers.RegexField(r"^\d{2}$", help_text="GB/T 2260 province code, e.g. 31.")
    city = serializers.CharField(max_length=40, help_text="City name in Chinese, e.g. 上海市.")

    def validate(self, attrs):
        if not attrs.get("product") and not attrs.get("configuration"):
            raise serializers.ValidationError(
                {"product": "Give the product (with a selection) or a saved configuration."}
            )
        return attrs


class TimelineLineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    state = serializers.CharField()
    text = serializers.CharField()


class BatchProgressSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    units = serializers.IntegerField()
    minimum_quantity = serializers.IntegerField()
    cutoff_at = serializers.DateTimeField()


class OrderSerializer(serializers.ModelSerializer):
    product = serializers.CharField(source="product_model.slug")
    version = serializers.IntegerField(source="version.number")
    state_label = serializers.CharField(source="get_state_display")
    region = serializers.SerializerMethodField()
    batch = BatchProgressSerializer(allow_null=True)
    timeline = serializers.SerializerMethodField()
    pay_url = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "reference", "product", "version", "state", "state_label", "snapshot",
            "unit_price", "quantity", "total", "deposit", "currency", "province", "city",
            "region", "promised_from", "promised_to", "batch", "swap_offer",
            "production_date", "delivery_estimate", "timeline", "pay_url", "created_at",
        ]  # fmt: skip

    def get_region(self, order: Order) -> str:
        return region_label(order.province, order.city)

    def get_timeline(self, order: Order) -> list[dict]:
        return TimelineLineSerializer(
            [
                {"at": e.at, "kind": e.kind, "state": e.state, "text": describe(e)}
                for e in order.events.all()
            ],
            many=True,
        ).data

    def get_pay_url(self, order: Order) -> str | None:
        if order.state != Order.State.PENDING_PAYMENT:
            return None
        return reverse("order-pay", args=[order.reference])

    def get_currency(self, order: Order) -> str:
        return "CNY"


class OptionDemandSerializer(serializers.Serializer):
    option_code = serializers.CharField()
    units = serializers.IntegerField()
    minimum = serializers.IntegerField(allow_null=True)


class RegionDemandSerializer(serializers.Serializer):
    province = serializers.CharField()
    region = serializers.CharField()
    units = serializers.IntegerField()


class BatchSerializer(serializers.ModelSerializer):
    product = serializers.CharField(source="product_model.slug")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = DemandBatch
        fields = [
            "id", "product", "plant", "number", "status", "status_label", "units",
            "minimum_quantity", "opened_at", "cutoff_at", "closed_at",
        ]  # fmt: skip


class BatchDetailSerializer(BatchSerializer):
    orders_by_state = serializers.DictField(child=serializers.IntegerField())
    option_demand = OptionDemandSerializer(many=True)
    regions = RegionDemandSerializer(many=True)

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "orders_by_state", "option_demand", "regions"]


_MONEY = serializers.DecimalField(max_digits=14, decimal_places=2)
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _date(value):
    return None if value is None else _DATE.to_representation(value)


def order_payload(order: Order) -> dict:
    """What OrderSerializer gives, built directly. Placing an order is the hot path of the
    API, and DRF builds a ModelSerializer's fields anew for every instance; a test holds
    the two equal."""
    batch = order.batch
    return {
        "reference": order.reference,
        "product": order.product_model.slug,
        "version": order.version.number,
        "state": order.state,
        "state_label": str(order.get_state_display()),
        "snapshot": order.snapshot,
        "unit_price": _MONEY.to_representation(order.unit_price),
        "quantity": order.quantity,
        "total": _MONEY.to_representation(order.total),
        "deposit": _MONEY.to_representation(order.deposit),
        "currency": "CNY",
        "province": order.province,
        "city": order.city,
        "region": region_label(order.province, order.city),
        "promised_from": _date(order.promised_from),
        "promised_to": _date(order.promised_to),
        "batch": None
        if batch is None
        else {
            "number": batch.number,
            "status": batch.status,
            "units": batch.units,
            "minimum_quantity": batch.minimum_quantity,
            "cutoff_at": _DATETIME.to_representation(batch.cutoff_at),
        },
        "swap_offer": order.swap_offer,
        "production_date": _date(order.production_date),
        "delivery_estimate": _date(order.delivery_estimate),
        "timeline": [
            {
                "at": _DATETIME.to_representation(event.at),
                "kind": event.kind,
                "state": event.state,
                "text": describe(event),
            }
            for event in order.events.all()
        ],
        "pay_url": reverse("order-pay", args=[order.reference])
        if order.state == Order.State.PENDING_PAYMENT
        else None,
        "created_at": _DATETIME.to_representation(order.created_at),
    }
