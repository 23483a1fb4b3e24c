"""Concurrency on PostgreSQL: duplicate submissions, orders racing into one batch, and
launchers racing to launch it. Each test prints what it counted."""

from collections import Counter

import pytest

from orders.models import (
    BatchOptionDemand,
    BatchPolicy,
    DemandBatch,
    IdempotencyKey,
    Order,
    OrderEvent,
    SandboxCheckout,
)
from orders.payments.sandbox import SandboxProvider
from orders.services import batch_launch, payment_succeeded
from tests.conftest import client_for
from tests.orders.concurrency import concurrently
from tests.orders.helpers import checkout_of, order_body, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_identical_submissions_make_one_order(maker_a, consumer1):
    clients = [client_for(consumer1) for _ in range(50)]

    responses = concurrently([lambda c=c: place(c, key="same-click") for c in clients])

    errors = [r for r in responses if isinstance(r, BaseException)]
    assert not errors, errors[:1]
    statuses = Counter(r.status_code for r in responses)
    created = [r.json() for r in responses if r.status_code == 201]
    retry = place(clients[0], key="same-click")
    print(f"\n50 identical submissions: {dict(statuses)}; orders committed "
          f"{Order.objects.count()}; provider calls "
          f"{sum(SandboxCheckout.objects.values_list('create_calls', flat=True))}")  # fmt: skip
    assert set(statuses) <= {201, 409}
    assert Order.objects.count() == 1
    assert SandboxCheckout.objects.get().create_calls == 1
    assert all(body == created[0] for body in created)
    assert retry.status_code == 201
    assert retry.json()["reference"] == Order.objects.get().reference
    assert IdempotencyKey.objects.get().status == IdempotencyKey.Status.DONE


def test_concurrent_payments_into_one_batch_count_every_unit_once(maker_a, personas):
    BatchPolicy.objects.create(product_model=maker_a.product, minimum_quantity=1000)
    shopper = personas["consumer1"]
    orders = []
    for index in range(30):
        options = ["WHITE", "W19"] if index % 3 == 0 else ["WHITE", "W17"]
        reference = place(shopper, order_body(options=options, quantity=1 + index % 4)).json()[
            "reference"
        ]
        order = Order.objects.get(reference=reference)
        SandboxProvider().pay(checkout_of(order), succeed=True)
        orders.append(order)

    outcomes = concurrently(
        [lambda o=o: payment_succeeded(o.payments.get()) for o in orders]
        + [lambda o=o: payment_succeeded(o.payments.get()) for o in orders[:10]]  # retries
    )

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    expected = sum(o.quantity for o in orders)
    batch = DemandBatch.objects.get()
    demand = dict(BatchOptionDemand.objects.values_list("option_code", "units"))
    print(f"\n30 payments + 10 duplicate deliveries: {dict(Counter(outcomes))}; "
          f"units {batch.units} of {expected} expected")  # fmt: skip
    assert Counter(outcomes) == {"paid": 30, "already applied": 10}
    assert batch.units == expected
    assert demand["WHITE"] == expected
    assert demand["W19"] + demand["W17"] == expected
    assert Order.objects.filter(state=Order.State.PAID, batch=batch).count() == 30


def test_racing_launchers_launch_a_batch_exactly_once(maker_a, personas):
    BatchPolicy.objects.create(product_model=maker_a.product, minimum_quantity=1000)
    shopper = personas["consumer1"]
    for _ in range(3):
        order = Order.objects.get(reference=place(shopper).json()["reference"])
        SandboxProvider().pay(checkout_of(order), succeed=True)
        payment_succeeded(order.payments.get())
    DemandBatch.objects.update(minimum_quantity=3)  # due now, and nobody has launched it yet
    batch = DemandBatch.objects.get()

    outcomes = concurrently([lambda: batch_launch(batch.pk) for _ in range(8)])

    print(f"\n8 racing launchers: {dict(Counter(outcomes))}")
    assert Counter(outcomes) == {"launched": 1, "not open": 7}
    assert OrderEvent.objects.filter(kind="batch_launched").count() == 3
