"""Placing an order through the API: the server's own price, a frozen snapshot, and one
order per idempotency key."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.services import version_publish
from orders.idempotency import fingerprint
from orders.models import IdempotencyKey, Order, SandboxCheckout, SnapshotImmutable
from tests.orders.helpers import UNIT_PRICE, order_body, place


@pytest.fixture
def shopper(maker_a, personas):
    return personas["consumer1"]


def test_an_order_is_priced_by_the_server_and_opens_a_deposit_checkout(shopper, maker_a):
    tampered = order_body(total="1.00", unit_price="1.00", price={"total": "1.00"}, quantity=2)

    response = place(shopper, tampered)

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "pending_payment"
    assert Decimal(data["unit_price"]) == Decimal(UNIT_PRICE)
    assert Decimal(data["total"]) == Decimal("200000.00")
    assert Decimal(data["deposit"]) == Decimal("20000.00")  # the default 10 %
    assert data["pay_url"] == reverse("order-pay", args=[data["reference"]])
    assert [o["code"] for o in data["snapshot"]["selection"]["options"]] == ["WHITE", "W17"]
    assert data["snapshot"]["selection"]["numbers"] == {"SEAT_COUNT": "5.00"}
    assert data["timeline"][0]["kind"] == "placed"
    assert data["promised_from"] < data["promised_to"]
    checkout = SandboxCheckout.objects.get()
    assert checkout.amount == Decimal("20000.00")
    assert checkout.merchant_ref == data["reference"]


def test_an_api_order_without_an_idempotency_key_is_refused(shopper):
    response = shopper.post(
        reverse("api-order-list"), order_body(), content_type="application/json"
    )

    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert not Order.objects.exists()


def test_repeating_a_submission_gives_the_same_order_and_one_provider_call(shopper):
    first = place(shopper, key="double-click")
    second = place(shopper, key="double-click")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert SandboxCheckout.objects.get().create_calls == 1


def test_the_same_key_with_another_body_is_refused(shopper):
    place(shopper, key="reused")

    response = place(shopper, order_body(quantity=3), key="reused")

    assert response.status_code == 422
    assert "idempotency_key" in response.json()
    assert Order.objects.count() == 1


def test_keys_belong_to_one_consumer(maker_a, personas):
    place(personas["consumer1"], key="shared-key")

    response = place(personas["consumer2"], key="shared-key")

    assert response.status_code == 201
    assert Order.objects.count() == 2


def test_a_request_while_the_first_is_in_flight_gets_409(shopper, consumer1):
    IdempotencyKey.objects.create(
        user=consumer1,
        key="in-flight",
        fingerprint=fingerprint(order_body()),
        locked_until=timezone.now() + timedelta(seconds=30),
    )

    response = place(shopper, key="in-flight")

    assert response.status_code == 409
    assert not Order.objects.exists()


def test_a_stale_in_flight_claim_is_taken_over(shopper, consumer1):
    IdempotencyKey.objects.create(
        user=consumer1,
        key="crashed",
        fingerprint=fingerprint(order_body()),
        locked_until=timezone.now() - timedelta(seconds=1),
    )

    response = place(shopper, key="crashed")

    assert response.status_code == 201
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"options": ["WHITE"]}, "WHEELS"),
        ({"options": ["WHITE", "W17", "NOPE"]}, "NOPE"),
        ({"options": ["RED", "W17"]}, "rules"),
        ({"province": "99"}, "province"),
        ({"city": "上海"}, "city"),
        ({"texts": {"NICKNAME": "idiot"}}, "NICKNAME"),
    ],
)
def test_an_order_that_cannot_be_made_names_the_field(shopper, changes, field):
    response = place(shopper, order_body(**changes))

    assert response.status_code == 422, response.json()
    assert field in response.json()
    assert not Order.objects.exists()
    assert not IdempotencyKey.objects.exists()  # the client may fix it and retry the key


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 11}, "quantity"),
        ({"province": "x"}, "province"),
    ],
)
def test_malformed_order_input_is_a_400_naming_the_field(shopper, changes, field):
    response = place(shopper, order_body(**changes))

    assert response.status_code == 400
    assert field in response.json()


def test_a_retired_catalog_version_cannot_be_ordered(shopper, maker_a):
    version_publish(version=maker_a.draft)

    response = place(shopper, order_body(version=maker_a.published.number))

    assert response.status_code == 422
    assert "version" in response.json()


def test_a_catalog_change_after_ordering_changes_no_order(shopper, maker_a):
    reference = place(shopper).json()["reference"]
    draft = maker_a.draft
    draft.base_price = Decimal("250000.00")
    draft.save()
    version_publish(version=draft)

    order = Order.objects.get(reference=reference)
    assert order.total == Decimal(UNIT_PRICE)
    assert order.snapshot["price"]["unit_total"] == UNIT_PRICE
    assert order.version_id == maker_a.published.pk
    order.snapshot = {**order.snapshot, "price": {}}
    with pytest.raises(SnapshotImmutable):
        order.save()


def test_ordering_a_saved_configuration(shopper, maker_a, consumer1):
    from configurator.engine.pricing import Selection
    from configurator.services import configuration_save

    saved = configuration_save(
        version=maker_a.published,
        selection=Selection(frozenset({"WHITE", "W19"}), {"SEAT_COUNT": Decimal("4")}, {}),
        total=Decimal("105000"),
        owner=consumer1,
    )

    response = place(
        shopper, {"configuration": saved.share_code, "province": "44", "city": "深圳市"}
    )

    assert response.status_code == 201
    assert Decimal(response.json()["unit_price"]) == Decimal("105000.00")


def test_the_fast_order_payload_is_exactly_what_the_serializer_gives(client, shopper):
    from orders.serializers import OrderSerializer, order_payload
    from tests.orders.helpers import pay

    reference = place(shopper).json()["reference"]
    pay(client, reference)
    order = Order.objects.get(reference=reference)
    order.swap_offer = {"from": "W17", "to": "W19"}

    assert json.loads(json.dumps(order_payload(order))) == json.loads(
        json.dumps(OrderSerializer(order).data)
    )
