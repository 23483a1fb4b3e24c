"""Requests and answers of the orders API."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse
from rest_framework import serializers

from catalog.models import CODE_PATTERN
from configurator.serializers import MAX_OPTIONS, SelectionSerializer
from orders.models import MAX_QUANTITY, DemandBatch, Order
from orders.regions import region_label
from orders.timeline import describe

PROVINCE_PATTERN = r"^\d{2}$"


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
    province = serializers.RegexField(
        PROVINCE_PATTERN, help_text="GB/T 2260 province code, e.g. 31."
    )
    city = serializers.CharField(max_length=40, help_text="City name in Chinese, e.g. 上海市.")

    def validate(self, attrs):
        if not attrs.get("product") and not attrs.get("configuration"):
            raise serializers.ValidationError(
                {"product": "Give the product (with a selection) or a saved configuration."}
            )
        return attrs


_CODE = re.compile(CODE_PATTERN)
_PROVINCE = re.compile(PROVINCE_PATTERN)
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")
_AMOUNT = re.compile(r"^-?\d{1,10}(\.\d{1,2})?\Z")
_FEN = Decimal("0.01")


def order_create_data(data) -> dict:
    """OrderCreateSerializer's validated data. A well-formed body, which is nearly every
    order, is checked in plain Python: DRF deep-copies and runs a field object per value,
    which cost half a millisecond per order, the largest share of the API's own work on
    the hot path. Anything unusual goes to the serializer, so every error (and every
    coercion) is DRF's own; a property test holds the two equal on valid bodies."""
    fast = _well_formed(data)
    if fast is not None:
        return fast
    serializer = OrderCreateSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _well_formed(data) -> dict | None:
    """The validated data of a plainly valid body, or None to let DRF decide."""
    if type(data) is not dict:
        return None
    result = {}
    for name in ("product", "configuration"):
        if name in data:
            value = _text(data[name], 60 if name == "product" else 16)
            if value is None or (name == "product" and not _SLUG.match(value)):
                return None
            result[name] = value
    if not (result.get("product") or result.get("configuration")):
        return None
    if "version" in data:
        if type(data["version"]) is not int or data["version"] < 1:
            return None
        result["version"] = data["version"]
    options = data.get("options", [])
    if type(options) is not list or len(options) > MAX_OPTIONS:
        return None
    for code in options:
        if type(code) is not str or len(code) > 40 or not _CODE.match(code) or "\n" in code:
            return None
    result["options"] = list(options)
    numbers = data.get("numbers", {})
    if type(numbers) is not dict:
        return None
    result["numbers"] = {}
    for code, amount in numbers.items():
        if type(amount) not in (str, int) or not _AMOUNT.match(str(amount)):
            return None
        result["numbers"][code] = Decimal(str(amount)).quantize(_FEN)
    texts = data.get("texts", {})
    if type(texts) is not dict:
        return None
    result["texts"] = {}
    for code, text in texts.items():
        value = _text(text, 200, blank=True)
        if value is None:
            return None
        result["texts"][code] = value
    quantity = data.get("quantity", 1)
    if type(quantity) is not int or not 1 <= quantity <= MAX_QUANTITY:
        return None
    result["quantity"] = quantity
    province, city = _text(data.get("province"), 2), _text(data.get("city"), 40)
    if province is None or not _PROVINCE.match(province) or not city:
        return None
    result["province"], result["city"] = province, city
    return result


def _text(value, max_length: int, blank: bool = False) -> str | None:
    """A CharField's value (trimmed), when it is plainly valid."""
    if type(value) is not str or "\x00" in value:
        return None
    try:
        value.encode()  # lone surrogates, which DRF refuses
    except UnicodeEncodeError:
        return None
    value = value.strip()
    if len(value) > max_length or not (value or blank):
        return None
    return value


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
