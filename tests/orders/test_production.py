"""After the batch: scheduling (which issue 5's plans drive), production and delivery, each
in the consumer's timeline, with e-mails on scheduling and delivery."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from orders.models import Order
from orders.services import order_advance, order_schedule
from tests.orders.helpers import drain, pay, place


@pytest.fixture
def batched(client, maker_a, personas):
    reference = place(personas["consumer1"]).json()["reference"]
    pay(client, reference)
    Order.objects.filter(reference=reference).update(state=Order.State.BATCHED)
    return Order.objects.get(reference=reference)


def test_a_scheduled_order_shows_its_dates_and_the_consumer_is_emailed(batched, personas):
    order_schedule(batched, production_date=date(2027, 1, 11), delivery_estimate=date(2027, 1, 25))
    drain()

    page = personas["consumer1"].get(reverse("order-detail", args=[batched.reference]))

    assert "Scheduled for production on 2027-01-11" in page.content.decode()
    assert "Expected 2027-01-25." in page.content.decode()
    assert any("Scheduled for production" in m.body for m in mail.outbox)


def test_an_order_goes_through_production_to_delivery_in_order_only(batched):
    with pytest.raises(TransitionNotAllowed):
        order_advance(batched, "delivered")
    order_schedule(batched, production_date=date(2027, 1, 11), delivery_estimate=date(2027, 1, 25))

    for step in ("in_production", "completed", "delivered"):
        order_advance(batched, step)
    drain()

    batched.refresh_from_db()
    assert batched.state == Order.State.DELIVERED
    kinds = list(batched.events.values_list("kind", flat=True))
    assert kinds[-4:] == ["scheduled", "in_production", "completed", "delivered"]
    assert sum("Delivered." in m.body for m in mail.outbox) == 1


def test_admins_move_orders_along_from_the_admin(batched, personas):
    order_schedule(batched, production_date=date(2027, 1, 11), delivery_estimate=date(2027, 1, 25))

    response = personas["admin"].post(
        reverse("admin:orders_order_changelist"),
        {"action": "mark_in_production", "_selected_action": [batched.pk]},
    )

    assert response.status_code == 302
    batched.refresh_from_db()
    assert batched.state == Order.State.IN_PRODUCTION


@pytest.mark.parametrize("persona", ["staff_a", "consumer1", "anonymous"])
def test_only_admins_reach_the_order_admin(batched, personas, persona):
    response = personas[persona].get(reverse("admin:orders_order_changelist"))

    assert response.status_code == 302  # to the admin's sign-in
