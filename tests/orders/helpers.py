"""Placing and paying orders the way clients do: through the API, with the sandbox
provider's signed callbacks delivered by hand."""

from __future__ import annotations

import uuid

from django.urls import reverse

from orders import outbox
from orders.models import Order, OutboxMessage, Payment
from orders.payments.sandbox import SandboxProvider, callback_for

COMPLETE = {
    "options": ["WHITE", "W17"],
    "numbers": {"SEAT_COUNT": "5"},
    "quantity": 1,
    "province": "31",
    "city": "上海市",
}
UNIT_PRICE = "100000.00"


def order_body(product: str = "rover-a", **changes) -> dict:
    return {"product": product, **COMPLETE, **changes}


def place(client, body: dict | None = None, key: str | None = None, **changes):
    body = body if body is not None else order_body(**changes)
    headers = {"HTTP_IDEMPOTENCY_KEY": key or uuid.uuid4().hex}
    return client.post(reverse("api-order-list"), body, content_type="application/json", **headers)


def deliver(client, checkout_id: str, event_type: str | None = None, timestamp=None, body=None):
    signed_body, headers, _ = callback_for(checkout_id, event_type, timestamp)
    return client.post(
        reverse("payment-callback", args=["sandbox"]),
        body if body is not None else signed_body,
        content_type="application/json",
        headers=headers,
    )


def checkout_of(order: Order) -> str:
    return order.payments.filter(kind=Payment.Kind.DEPOSIT).last().provider_ref


def pay(client, reference: str, succeed: bool = True):
    """The consumer pays on the hosted page; the provider's callback arrives."""
    order = Order.objects.get(reference=reference)
    checkout = checkout_of(order)
    SandboxProvider().pay(checkout, succeed=succeed)
    return deliver(client, checkout)


def drain() -> int:
    """Publish and run everything the outbox holds (Celery runs eagerly in these tests)."""
    total = 0
    while OutboxMessage.objects.filter(published_at__isnull=True).exists():
        published = outbox.relay()
        if not published:
            break
        total += published
    return total
