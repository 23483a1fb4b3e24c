"""Deposits through the sandbox provider: signed callbacks applied once, replays and
forgeries rejected without any state change, refunds, and a charge voided when the order
write fails."""

import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db import DatabaseError
from django.urls import reverse

from orders.models import DemandBatch, Order, OrderEvent, Payment, SandboxCheckout, WebhookReceipt
from orders.payments.sandbox import SandboxProvider, callback_for
from tests.orders.helpers import checkout_of, deliver, drain, pay, place


@pytest.fixture
def order(maker_a, personas):
    reference = place(personas["consumer1"]).json()["reference"]
    return Order.objects.get(reference=reference)


def state_of(order: Order):
    """Everything a callback could change."""
    order.refresh_from_db()
    return (
        order.state,
        order.batch_id,
        list(order.payments.values_list("status", flat=True)),
        order.events.count(),
        WebhookReceipt.objects.count(),
    )


def test_a_paid_deposit_moves_the_order_to_paid_and_into_the_open_batch(client, order):
    response = pay(client, order.reference)

    assert response.status_code == 200
    assert response.json()["status"] == "paid"
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    assert order.batch.status == DemandBatch.Status.OPEN
    assert order.batch.units == 1
    assert dict(order.batch.option_demand.values_list("option_code", "units")) == {
        "WHITE": 1, "W17": 1,
    }  # fmt: skip
    assert [e.kind for e in order.events.all()] == ["placed", "paid", "joined_batch"]


def test_the_consumer_gets_one_email_on_payment_however_often_work_is_retried(client, order):
    pay(client, order.reference)
    drain()
    drain()

    paid_mails = [m for m in mail.outbox if "Deposit of" in m.body]
    assert len(paid_mails) == 1
    assert paid_mails[0].to == [order.consumer.email]
    assert order.reference in paid_mails[0].subject


def test_a_replayed_callback_changes_nothing(client, order):
    pay(client, order.reference)
    before = state_of(order)

    replay = deliver(client, checkout_of(order))

    assert replay.status_code == 200
    assert replay.json()["status"] == "duplicate"
    assert state_of(order) == before


def test_a_callback_with_a_bad_signature_is_rejected_without_any_change(client, order):
    SandboxProvider().pay(checkout_of(order), succeed=True)
    before = state_of(order)
    body, headers, _ = callback_for(checkout_of(order))
    forged = body.replace(b"checkout.succeeded", b"checkout.failed")

    response = deliver(client, checkout_of(order), body=forged)

    assert response.status_code == 400
    assert "signature" in response.json()["detail"]
    assert state_of(order) == before
    assert body  # the genuine one still applies
    assert deliver(client, checkout_of(order)).json()["status"] == "paid"


def test_an_old_captured_callback_is_rejected(client, order):
    SandboxProvider().pay(checkout_of(order), succeed=True)
    before = state_of(order)

    response = deliver(client, checkout_of(order), timestamp=int(time.time()) - 3600)

    assert response.status_code == 400
    assert "too old" in response.json()["detail"]
    assert state_of(order) == before


def test_a_callback_without_a_signature_is_rejected(client, order):
    response = client.post(
        reverse("payment-callback", args=["sandbox"]), b"{}", content_type="application/json"
    )

    assert response.status_code == 400


def test_a_declined_card_leaves_the_order_waiting_and_a_new_checkout_can_be_paid(
    client, order, personas
):
    assert pay(client, order.reference, succeed=False).json()["status"] == "failed"
    order.refresh_from_db()
    assert order.state == Order.State.PENDING_PAYMENT

    retry = personas["consumer1"].get(reverse("order-pay", args=[order.reference]))

    assert retry.status_code == 302
    assert retry["Location"].startswith("/sandbox/checkout/")
    assert pay(client, order.reference).json()["status"] == "paid"
    assert SandboxCheckout.objects.count() == 2


def test_coming_back_from_the_payment_page_confirms_without_waiting_for_the_callback(
    order, personas
):
    SandboxProvider().pay(checkout_of(order), succeed=True)

    page = personas["consumer1"].get(
        reverse("order-detail", args=[order.reference]) + "?returned=1"
    )

    assert page.status_code == 200
    order.refresh_from_db()
    assert order.state == Order.State.PAID


def test_when_the_order_write_fails_after_payment_the_charge_is_voided(client, order, monkeypatch):
    checkout = checkout_of(order)
    SandboxProvider().pay(checkout, succeed=True)

    def broken_write(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr("orders.services._join_batch", broken_write)
    response = deliver(client, checkout)

    assert response.status_code == 503
    assert SandboxCheckout.objects.get(checkout_id=checkout).status == "voided"
    order.refresh_from_db()
    assert order.state == Order.State.PENDING_PAYMENT
    assert not WebhookReceipt.objects.exists()
    # The provider retries; the order learns the charge was voided and can be paid again.
    monkeypatch.undo()
    assert deliver(client, checkout, "checkout.succeeded").json()["status"] == "voided"
    order.refresh_from_db()
    assert order.state == Order.State.PENDING_PAYMENT
    assert order.events.filter(kind="payment_voided").exists()


def test_cancelling_before_paying_voids_the_checkout(order, personas):
    response = personas["consumer1"].post(reverse("api-order-cancel", args=[order.reference]))
    drain()

    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    assert SandboxCheckout.objects.get().status == "voided"


def test_cancelling_a_paid_order_refunds_the_deposit_and_frees_its_units(client, order, personas):
    pay(client, order.reference)

    response = personas["consumer1"].post(reverse("api-order-cancel", args=[order.reference]))
    drain()

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.state == Order.State.REFUNDED
    assert order.batch.units == 0
    refund = order.payments.get(kind=Payment.Kind.REFUND)
    assert refund.amount == Decimal("10000.00")
    assert SandboxCheckout.objects.get().status == "refunded"
    assert [e.kind for e in order.events.all()][-2:] == ["cancelled", "refunded"]


def test_cancelling_after_the_batch_launched_keeps_the_deposit(client, order, personas):
    pay(client, order.reference)
    Order.objects.filter(pk=order.pk).update(state=Order.State.BATCHED)

    response = personas["consumer1"].post(reverse("api-order-cancel", args=[order.reference]))
    drain()

    assert response.json()["state"] == "cancelled"
    assert not Payment.objects.filter(kind=Payment.Kind.REFUND).exists()
    assert "deposit is kept" in response.json()["timeline"][-1]["text"]


def test_a_scheduled_order_cannot_be_cancelled(client, order, personas):
    Order.objects.filter(pk=order.pk).update(state=Order.State.SCHEDULED)

    response = personas["consumer1"].post(reverse("api-order-cancel", args=[order.reference]))

    assert response.status_code == 409
    assert "state" in response.json()


def test_only_valid_transitions_are_possible(order):
    from django_fsm import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        order.mark_batched()
    with pytest.raises(TransitionNotAllowed):
        order.mark_delivered()
    with pytest.raises(AttributeError):
        order.state = Order.State.DELIVERED  # the field is protected


def test_a_payment_after_cancellation_is_refunded(client, order, personas):
    checkout = checkout_of(order)
    SandboxProvider().pay(checkout, succeed=True)
    Order.objects.filter(pk=order.pk).update(state=Order.State.CANCELLED)

    assert deliver(client, checkout).json()["status"] == "late payment refunded"
    drain()

    assert SandboxCheckout.objects.get().status == "refunded"
    assert OrderEvent.objects.filter(kind="late_payment_refunded").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_posts_its_signed_callback_to_the_shop_over_http(
    live_server, maker_a, consumer1
):
    from configurator.engine.pricing import Selection
    from orders.payments import sandbox
    from orders.services import order_place, order_quote

    quote = order_quote(
        version=maker_a.published,
        selection=Selection(frozenset({"WHITE", "W17"})),
        quantity=1,
        province="31",
        city="上海市",
    )
    order = order_place(user=consumer1, quote=quote, client_key="http", site_url=live_server.url)
    SandboxProvider().pay(checkout_of(order), succeed=True)

    status = sandbox.deliver(checkout_of(order), "checkout.succeeded")

    assert status == 200
    order.refresh_from_db()
    assert order.state == Order.State.PAID
