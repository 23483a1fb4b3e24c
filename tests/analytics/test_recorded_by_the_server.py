"""What the server records itself: orders placed and paid (once, however often the
provider's callback comes), saves and checkouts, and the synthetic demand generator."""

from __future__ import annotations

from analytics.demand import Shape, generate_demand
from analytics.models import Cell, Event
from analytics.rollups import rollup_advance
from analytics.services import order_event_record
from orders.models import Order
from orders.payments.sandbox import SandboxProvider
from tests.orders.helpers import checkout_of, deliver, place

K = Event.Kind


def test_an_order_is_recorded_placed_and_paid_once_with_its_options_and_price(
    client, maker_a, personas
):
    reference = place(personas["consumer1"]).json()["reference"]
    order = Order.objects.get(reference=reference)
    SandboxProvider().pay(checkout_of(order), succeed=True)

    deliver(client, checkout_of(order))
    deliver(client, checkout_of(order))  # the provider retries its callback

    events = Event.objects.filter(order_reference=reference).order_by("pk")
    assert [e.kind for e in events] == [K.ORDER_PLACED, K.ORDER_PAID]
    paid = events[1]
    assert set(paid.options) == {o["code"] for o in order.snapshot["selection"]["options"]}
    assert paid.unit_price == order.unit_price
    assert paid.quantity == order.quantity
    assert paid.user is None  # consumer1 never consented: a pseudonym counts them


def test_recording_the_same_order_step_twice_keeps_one_event(maker_a, personas):
    order = Order.objects.get(reference=place(personas["consumer1"]).json()["reference"])

    order_event_record(order=order, kind=K.ORDER_PAID)
    order_event_record(order=order, kind=K.ORDER_PAID)  # a retried task, say

    assert Event.objects.filter(order_reference=order.reference, kind=K.ORDER_PAID).count() == 1


def test_opening_the_order_page_records_a_started_checkout(maker_a, personas):
    personas["consumer1"].get(f"/order/{maker_a.product.slug}/")

    assert Event.objects.filter(kind=K.CHECKOUT_STARTED).count() == 1


def test_generated_demand_is_rolled_up_into_every_order_it_made(maker_a):
    made = generate_demand(Shape(weeks=3, sessions_per_week=120, seed=7))
    rollup_advance()

    assert made.orders == Order.objects.filter(snapshot__synthetic=True).count() > 0
    assert made.events == Event.objects.count()
    paid_orders = sum(
        Cell.objects.filter(measure="ordered", province="*", gender="*").values_list(
            "count", flat=True
        )
    )
    assert paid_orders == made.orders
