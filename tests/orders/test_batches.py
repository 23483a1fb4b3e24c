"""Demand batches: paid orders pool per product, a batch launches at its minimum or at its
cut-off, and options with their own per-batch minimum follow their shortfall policy."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from orders.models import BatchPolicy, DemandBatch, OptionMinimum, Order
from orders.services import batch_launch, launch_due_batches, order_cancel
from orders.tasks import batches_launch_due
from orders.timeline import describe
from tests.orders.helpers import drain, order_body, pay, place


@pytest.fixture
def policy(maker_a):
    return BatchPolicy.objects.create(
        product_model=maker_a.product, minimum_quantity=3, cutoff_days=7
    )


def paid_order(client, shopper, **changes) -> Order:
    reference = place(shopper, order_body(**changes)).json()["reference"]
    pay(client, reference)
    return Order.objects.get(reference=reference)


def test_a_batch_launches_when_its_minimum_is_reached(client, personas, policy):
    first = paid_order(client, personas["consumer1"], quantity=2)
    drain()
    assert first.batch.status == DemandBatch.Status.OPEN

    second = paid_order(client, personas["consumer2"])
    drain()

    batch = DemandBatch.objects.get()
    assert batch.status == DemandBatch.Status.LAUNCHED
    assert batch.units == 3
    assert set(Order.objects.values_list("state", flat=True)) == {Order.State.BATCHED}
    second.refresh_from_db()
    assert second.events.last().kind == "batch_launched"
    assert any("launched with 3 units" in m.body for m in mail.outbox)


def test_launching_twice_launches_once(client, personas, policy):
    paid_order(client, personas["consumer1"], quantity=3)
    batch = DemandBatch.objects.get()

    outcomes = [batch_launch(batch.pk), batch_launch(batch.pk), launch_due_batches()]

    assert outcomes[1] == "not open"
    assert Order.objects.get().events.filter(kind="batch_launched").count() == 1


def test_the_next_paid_order_opens_the_next_batch(client, personas, policy):
    paid_order(client, personas["consumer1"], quantity=3)
    drain()

    later = paid_order(client, personas["consumer2"])

    assert later.batch.number == 2
    assert later.batch.status == DemandBatch.Status.OPEN


def test_a_batch_below_minimum_rolls_over_at_its_cut_off(client, personas, policy):
    with freeze_time("2026-12-01 10:00"):
        order = paid_order(client, personas["consumer1"])
    with freeze_time("2026-12-08 09:59"):
        assert batches_launch_due.delay().get() == {}
    with freeze_time("2026-12-08 10:01"):
        batches_launch_due.delay().get()
        drain()

    first, second = DemandBatch.objects.order_by("number")
    assert first.status == DemandBatch.Status.ROLLED_OVER
    assert first.rolled_into == second
    assert second.status == DemandBatch.Status.OPEN
    assert second.units == 1
    assert second.cutoff_at == first.cutoff_at + timedelta(minutes=1) + timedelta(days=7)
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    assert order.batch == second
    last = order.events.last()
    assert last.kind == "batch_rolled_over"
    assert "moves to batch 2" in describe(last)


def test_a_batch_below_minimum_is_refunded_at_its_cut_off_when_the_policy_says_so(
    client, personas, policy
):
    policy.below_minimum = BatchPolicy.BelowMinimum.REFUND
    policy.save()
    with freeze_time("2026-12-01 10:00"):
        order = paid_order(client, personas["consumer1"])
    with freeze_time("2026-12-08 10:01"):
        launch_due_batches()
        drain()

    order.refresh_from_db()
    assert order.state == Order.State.REFUNDED
    assert order.batch.status == DemandBatch.Status.REFUNDED
    kinds = list(order.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["batch_refunded", "refunded"]


@pytest.mark.parametrize(
    ("shortfall", "swap_to", "state", "kind"),
    [
        ("carry", "", Order.State.PAID, "option_short_carry"),
        ("swap", "W17", Order.State.PAID, "option_short_swap"),
        ("refund", "", Order.State.REFUNDED, "refunded"),
    ],
)
def test_units_whose_limited_option_missed_its_minimum_follow_its_policy(
    client, personas, policy, maker_a, shortfall, swap_to, state, kind
):
    OptionMinimum.objects.create(
        product_model=maker_a.product, option_code="W19", minimum_units=20,
        shortfall=shortfall, swap_to=swap_to,
    )  # fmt: skip
    plain = paid_order(client, personas["consumer1"], quantity=3)
    special = paid_order(client, personas["consumer2"], options=["WHITE", "W19"])
    drain()

    plain.refresh_from_db()
    special.refresh_from_db()
    launched = DemandBatch.objects.get(number=1)
    assert launched.status == DemandBatch.Status.LAUNCHED
    assert launched.units == 3
    assert plain.state == Order.State.BATCHED
    assert special.state == state
    assert special.events.filter(kind=kind).exists()
    if shortfall != "refund":
        assert special.batch.number == 2
        assert special.batch.units == 1
    if shortfall == "swap":
        assert special.swap_offer == {"from": "W19", "to": "W17"}
        response = personas["consumer2"].post(
            reverse("api-order-accept-swap", args=[special.reference])
        )
        assert response.status_code == 200
        special.refresh_from_db()
        assert special.options == ["WHITE", "W17"]
        assert special.snapshot["selection"]["options"][1]["code"] == "W19"  # as ordered
        demand = dict(special.batch.option_demand.values_list("option_code", "units"))
        assert demand["W17"] == 1
        assert demand["W19"] == 0


def test_a_batch_waits_when_short_options_would_leave_it_below_minimum(
    client, personas, policy, maker_a
):
    OptionMinimum.objects.create(product_model=maker_a.product, option_code="W19", minimum_units=20)
    paid_order(client, personas["consumer1"], quantity=2)
    paid_order(client, personas["consumer2"], options=["WHITE", "W19"])
    drain()

    assert DemandBatch.objects.get().status == DemandBatch.Status.OPEN


def test_the_order_page_shows_an_options_progress_toward_its_minimum(
    client, personas, policy, maker_a
):
    OptionMinimum.objects.create(product_model=maker_a.product, option_code="W19", minimum_units=20)
    paid_order(client, personas["consumer1"], options=["WHITE", "W19"], quantity=3)

    page = personas["consumer2"].get(
        reverse("order-new", args=["rover-a"]) + "?g_PAINT=WHITE&g_WHEELS=W19&n_SEAT_COUNT=5"
    )
    configurator = personas["consumer2"].get(
        reverse("configure", args=["rover-a"]) + "?g_PAINT=WHITE&g_WHEELS=W19"
    )

    assert "19-inch: 17 more units needed in this batch" in page.content.decode()
    assert "19-inch: 17 more units needed in this batch" in configurator.content.decode()


def test_consumers_see_their_batch_progress(client, personas, policy):
    order = paid_order(client, personas["consumer1"])

    page = personas["consumer1"].get(reverse("order-detail", args=[order.reference]))

    assert "Batch 1: 1 of 3 units" in page.content.decode()


def test_the_beat_schedule_runs_the_launcher_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["launch-due-batches"]
    assert entry["task"] == "orders.tasks.batches_launch_due"
    assert entry["schedule"] == 60.0


def test_a_swap_the_rules_forbid_is_not_offered_and_the_unit_is_carried(
    client, personas, policy, maker_a
):
    OptionMinimum.objects.create(
        product_model=maker_a.product, option_code="W19", minimum_units=20,
        shortfall="swap", swap_to="W17",
    )  # fmt: skip
    paid_order(client, personas["consumer1"], quantity=3)
    red = paid_order(client, personas["consumer2"], options=["RED", "W19"])  # red needs W19
    drain()

    red.refresh_from_db()
    assert red.swap_offer is None
    assert red.events.filter(kind="option_short_carry").exists()
    assert red.batch.number == 2


def test_an_empty_batch_at_its_cut_off_simply_runs_on(client, personas, policy):
    with freeze_time("2026-12-01 10:00"):
        order = paid_order(client, personas["consumer1"])
        order_cancel(order)
    with freeze_time("2026-12-08 10:01"):
        assert launch_due_batches() == {"extended": 1}

    batch = DemandBatch.objects.get()
    assert batch.status == DemandBatch.Status.OPEN
    assert batch.cutoff_at.date().isoformat() == "2026-12-15"
