from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from catalog.models import OptionGroup, Station
from tests.factories import CatalogVersionFactory, ProductionLineFactory, StationFactory

pytestmark = pytest.mark.django_db


def messages_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def group(**fields) -> OptionGroup:
    return OptionGroup(version=CatalogVersionFactory(), code="G", name="Group", **fields)


def test_number_field_values_must_be_whole_steps_from_the_minimum():
    errors = messages_of(
        group(kind="number", min_value=Decimal(0), max_value=Decimal(10), step=Decimal(3))
    )
    assert errors == {
        "max_value": ["The range from minimum to maximum must be a whole number of steps."]
    }


def test_number_field_default_must_be_an_allowed_value():
    errors = messages_of(
        group(kind="number", min_value=0, max_value=60, step=12, default_value=Decimal(13))
    )
    assert errors == {"default_value": ["Must be one of the allowed values."]}


def test_text_field_needs_a_length_a_valid_pattern_and_real_blocked_words():
    errors = messages_of(group(kind="text", allowed_pattern="(", blocked_words=["ok", ""]))

    assert set(errors) == {"max_length", "allowed_pattern", "blocked_words"}


def test_several_group_bounds_must_be_ordered():
    errors = messages_of(group(kind="several", min_choices=2, max_choices=1))

    assert errors == {"max_choices": ["Must be at least the minimum number of choices."]}


def test_codes_are_capitals_digits_and_underscores():
    bad = group(kind="one")
    bad.code = "red-paint"

    assert "code" in messages_of(bad)


def test_station_capacity_p_cannot_exceed_q():
    station = Station(
        line=ProductionLineFactory(), code="ROOF", name="Roof", capacity_p=3, capacity_q=2
    )

    assert messages_of(station) == {"capacity_p": ["p cannot exceed q."]}


def test_database_refuses_a_station_with_p_above_q():
    with pytest.raises(IntegrityError):
        StationFactory(capacity_p=4, capacity_q=2)


@pytest.mark.parametrize("days", [[], [0], [1, 1], [8], "12345"])
def test_working_days_are_distinct_iso_weekdays(days):
    line = ProductionLineFactory.build(
        manufacturer=ProductionLineFactory().manufacturer, working_days=days
    )

    assert "working_days" in messages_of(line)
