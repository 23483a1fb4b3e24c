"""Requests and answers of the configurator API."""

from rest_framework import serializers

from catalog.models import CODE_PATTERN

MAX_OPTIONS = 500  # far above any catalog; bounds the work one request can ask for


class SelectionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Catalog version the selection was made in."
    )
    options = serializers.ListField(
        child=serializers.RegexField(CODE_PATTERN, max_length=40),
        max_length=MAX_OPTIONS,
        default=list,
    )
    numbers = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=2), default=dict
    )
    texts = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True, trim_whitespace=True),
        default=dict,
    )


class ChooseSerializer(SelectionSerializer):
    option = serializers.RegexField(CODE_PATTERN, max_length=40, help_text="The option to choose.")


class CompleteSerializer(SelectionSerializer):
    prefer = serializers.ChoiceField(choices=["cheapest", "default"], default="cheapest")


class ReasonSerializer(serializers.Serializer):
    rules = serializers.ListField(child=serializers.CharField())
    choices = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()


class OptionStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    state = serializers.ChoiceField(choices=["selected", "available", "excluded", "forced"])
    reason = ReasonSerializer(allow_null=True)


class PriceLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["base", "option", "text", "price_rule"])
    code = serializers.CharField(allow_blank=True)
    label = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class PriceSerializer(serializers.Serializer):
    lines = PriceLineSerializer(many=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()


class FieldMessageSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()


class SelectionEchoSerializer(serializers.Serializer):
    options = serializers.ListField(child=serializers.CharField())
    numbers = serializers.DictField(child=serializers.DecimalField(max_digits=12, decimal_places=2))
    texts = serializers.DictField(child=serializers.CharField())


class EvaluationSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    selection = SelectionEchoSerializer()
    valid = serializers.BooleanField()
    complete = serializers.BooleanField()
    missing = FieldMessageSerializer(many=True, help_text="Groups still to fill in.")
    conflict = ReasonSerializer(allow_null=True)
    states = OptionStateSerializer(many=True)
    price = PriceSerializer()
    remaining = serializers.CharField(
        help_text="Exact number of complete configurations that keep every current choice, "
        "as a decimal string (it can exceed 2**53)."
    )
    distinct_prices = serializers.IntegerField(
        allow_null=True,
        help_text="How many different totals those configurations have; null when there are "
        "too many to count cheaply (early in a configuration).",
    )


class ChooseAnswerSerializer(serializers.Serializer):
    gave_up = serializers.ListField(child=serializers.CharField())
    evaluation = EvaluationSerializer()


class VersionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
