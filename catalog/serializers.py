"""Read-only representations of the catalog for the REST API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import (
    CatalogVersion,
    Manufacturer,
    Option,
    OptionGroup,
    PriceRule,
    ProductionLine,
    ProductModel,
    Rule,
    Station,
)


class ManufacturerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Manufacturer
        fields = ["slug", "name"]


class ProductSerializer(serializers.ModelSerializer):
    manufacturer = ManufacturerSerializer(read_only=True)
    published_version = serializers.SerializerMethodField()
    base_price = serializers.SerializerMethodField()

    class Meta:
        model = ProductModel
        fields = [
            "slug", "name", "tagline", "description", "preview", "manufacturer",
            "published_version", "base_price",
        ]  # fmt: skip

    @staticmethod
    def _published(product: ProductModel) -> CatalogVersion | None:
        published = getattr(product, "published", None)
        if published is not None:
            return published[0] if published else None
        return product.published_version()

    @extend_schema_field(OpenApiTypes.INT)
    def get_published_version(self, product: ProductModel) -> int | None:
        version = self._published(product)
        return version.number if version else None

    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
    def get_base_price(self, product: ProductModel) -> str | None:
        version = self._published(product)
        return None if version is None else str(version.base_price)


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["code", "label", "description", "price_delta", "is_default", "paint_colour"]


class OptionGroupSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)

    class Meta:
        model = OptionGroup
        fields = [
            "code", "name", "section", "description", "kind", "min_choices", "max_choices",
            "required", "max_length", "allowed_pattern", "price_per_character", "min_value",
            "max_value", "step", "default_value", "unit", "options",
        ]  # fmt: skip


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = ["code", "expression", "message"]


class PriceRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceRule
        fields = ["code", "label", "condition", "kind", "value"]


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogVersion
        fields = ["number", "status", "base_price", "published_at", "retired_at"]


class CatalogSerializer(serializers.ModelSerializer):
    """A whole catalog version: what a configurator needs to show the product."""

    product = serializers.SlugRelatedField(
        source="product_model", slug_field="slug", read_only=True
    )
    currency = serializers.SerializerMethodField()
    groups = OptionGroupSerializer(many=True, read_only=True)
    rules = RuleSerializer(many=True, read_only=True)
    price_rules = PriceRuleSerializer(many=True, read_only=True)

    class Meta:
        model = CatalogVersion
        fields = [
            "product", "number", "status", "base_price", "currency", "published_at",
            "groups", "rules", "price_rules",
        ]  # fmt: skip

    def get_currency(self, version: CatalogVersion) -> str:
        return "CNY"


class StationSerializer(serializers.ModelSerializer):
    p = serializers.IntegerField(source="capacity_p", read_only=True)
    q = serializers.IntegerField(source="capacity_q", read_only=True)

    class Meta:
        model = Station
        fields = ["code", "name", "p", "q", "priority"]


class ProductionLineSerializer(serializers.ModelSerializer):
    manufacturer = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    product_models = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    stations = StationSerializer(many=True, read_only=True)
    working_days = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = ProductionLine
        fields = [
            "id", "code", "name", "plant", "manufacturer", "product_models", "daily_capacity",
            "working_days", "paint_batch_limit", "colour_change_cost", "stations",
        ]  # fmt: skip
