"""The plain-Python check of an order body must give exactly what OrderCreateSerializer
gives for every valid body, and leave every other body (and its errors) to DRF."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from orders.serializers import OrderCreateSerializer, _well_formed, order_create_data

CODES = st.one_of(
    st.sampled_from(["RED", "W17", "SPARE_FILTERS", "A", "red", "", " RED", "RED\n", "1A"]),
    st.text(max_size=45),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=True),
    st.sampled_from(["0.00", "5", "12.5", "-3.10", "1.005", "1e3", " 7 ", "NaN", "99999999999"]),
    st.text(max_size=8),
)  # fmt: skip
TEXTS = st.one_of(
    st.sampled_from(["上海市", " 深圳市 ", "", "   ", "a\x00b", "\ud800", "x" * 41, "x" * 201]),
    st.text(max_size=12),
    SCALARS,
)
VALID = st.fixed_dictionaries(
    {
        "product": st.sampled_from(["rover-a", "airpure-5", "X_1-y"]),
        "province": st.sampled_from(["31", " 44 ", "٣١"]),
        "city": st.sampled_from(["上海市", " 深圳市 ", "x" * 40]),
    },
    optional={
        "version": st.integers(1, 4),
        "options": st.lists(st.sampled_from(["RED", "W17", "SPARE_FILTERS", "A"]), max_size=6),
        "numbers": st.dictionaries(
            st.sampled_from(["SEATS", "N"]),
            st.sampled_from(["0.00", "5", 7, "12.5", "-3.10", "0012.5", "9999999999.99"]),
        ),
        "texts": st.dictionaries(
            st.sampled_from(["NICK", "T"]), st.sampled_from(["", "  ", " Kai ", "好", "x" * 200])
        ),
        "quantity": st.integers(1, 50),
        "configuration": st.sampled_from(["AB12CD34", "  AB12 "]),
        "total": SCALARS,
    },
)
FIELDS = ["product", "configuration", "version", "options", "numbers", "texts", "quantity"]
MUTATIONS = st.dictionaries(
    st.sampled_from([*FIELDS, "province", "city"]),
    st.one_of(SCALARS, TEXTS, st.lists(CODES, max_size=3), st.dictionaries(st.just("N"), SCALARS)),
    max_size=2,
)
# Mostly valid bodies with up to two fields changed to anything, or a field dropped.
BODIES = st.builds(
    lambda body, changes, dropped: {
        k: v for k, v in {**body, **changes}.items() if k not in dropped
    },
    VALID,
    MUTATIONS,
    st.sets(st.sampled_from([*FIELDS, "province", "city"]), max_size=1),
)


def _exactly(data: dict) -> dict:
    """Values down to their representation: Decimal("5") equals Decimal("5.00"), but the
    order's snapshot would show "5" instead of "5.00"."""
    return {name: repr(value) for name, value in data.items()}


def _drf(body):
    serializer = OrderCreateSerializer(data=body)
    return dict(serializer.validated_data) if serializer.is_valid() else None


@settings(max_examples=1500, deadline=None)
@given(BODIES)
def test_a_body_checked_plainly_gives_what_the_serializer_gives(body):
    fast = _well_formed(body)

    if fast is not None:
        assert _exactly(fast) == _exactly(_drf(body))


def test_an_ordinary_order_body_is_checked_plainly():
    body = {
        "product": "airpure-5",
        "options": ["A", "B_2"],
        "numbers": {"SPARE_FILTERS": "2"},
        "texts": {"NICKNAME": " Kai "},
        "province": "31",
        "city": "上海市",
        "price": "1.00",  # a client's price is ignored, as DRF ignores unknown keys
    }

    data = _well_formed(body)

    assert _exactly(data) == _exactly(_drf(body))
    assert data["numbers"] == {"SPARE_FILTERS": Decimal("2.00")}
    assert data["texts"] == {"NICKNAME": "Kai"}
    assert data["quantity"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"options": ["RED"], "province": "31", "city": "上海市"}, "product"),
        ({"product": "rover-a", "province": "310", "city": "上海市"}, "province"),
        ({"product": "rover-a", "quantity": 0, "province": "31", "city": "上海市"}, "quantity"),
        ({"product": "rover-a", "options": ["red"], "province": "31", "city": "x"}, "options"),
    ],
)
def test_a_bad_body_gets_drfs_own_error_naming_the_field(body, field):
    with pytest.raises(ValidationError) as refused:
        order_create_data(body)

    assert field in refused.value.detail
