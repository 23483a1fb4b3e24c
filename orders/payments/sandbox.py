"""A sandbox payment provider that behaves like a real one: a hosted payment page, signed
asynchronous callbacks that are retried until acknowledged, idempotent creates, voids and
refunds. Its own state lives in SandboxCheckout, which nothing else touches.

Callbacks are signed the way most providers sign theirs: the header
`C2B-Sandbox-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, with the
shared secret PAYMENT_SANDBOX_SECRET; a callback older than the tolerance is refused,
so a captured one cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.request
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from c2b import lean
from orders.models import SandboxCheckout
from orders.payments import BadCallback, CallbackEvent, Checkout, ProviderError

SIGNATURE_HEADER = "C2B-Sandbox-Signature"
TOLERANCE_SECONDS = 300
DELIVERY_TIMEOUT_SECONDS = 5
EVENT_FOR_STATUS = {
    SandboxCheckout.Status.SUCCEEDED: "checkout.succeeded",
    SandboxCheckout.Status.FAILED: "checkout.failed",
    SandboxCheckout.Status.REFUNDED: "refund.succeeded",
}

log = logging.getLogger(__name__)


def _secret() -> bytes:
    return settings.PAYMENT_SANDBOX_SECRET.encode()


def sign(body: bytes, timestamp: int) -> str:
    digest = hmac.new(_secret(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class SandboxProvider:
    name = "sandbox"

    def create_checkout(
        self, *, idempotency_key, merchant_ref, amount, description, return_url, notify_url
    ) -> Checkout:
        record = SandboxCheckout(
            checkout_id="cs_" + secrets.token_hex(12),
            idempotency_key=idempotency_key,
            merchant_ref=merchant_ref,
            amount=amount,
            description=description[:200],
            return_url=return_url,
            notify_url=notify_url,
        )
        # ON CONFLICT DO NOTHING instead of a savepoint around the INSERT: a repeated
        # create is found by its key without undoing anything
        if not lean.insert(record, ignore_conflicts=True):
            SandboxCheckout.objects.filter(idempotency_key=idempotency_key).update(
                create_calls=F("create_calls") + 1
            )
            record = SandboxCheckout.objects.get(idempotency_key=idempotency_key)
            if record.amount != amount or record.merchant_ref != merchant_ref:
                raise ProviderError("Idempotency key reused with different parameters.")
        return self._checkout(record)

    def retrieve(self, checkout_id: str) -> Checkout:
        return self._checkout(self._get(checkout_id))

    def void(self, checkout_id: str) -> Checkout:
        """Cancel an open checkout, or reverse a charge made moments ago."""
        with transaction.atomic():
            record = self._get(checkout_id, lock=True)
            if record.status in (SandboxCheckout.Status.OPEN, SandboxCheckout.Status.SUCCEEDED):
                record.status = SandboxCheckout.Status.VOIDED
                record.save(update_fields=["status", "updated_at"])
        return self._checkout(record)

    def refund(self, checkout_id: str, amount: Decimal) -> Checkout:
        with transaction.atomic():
            record = self._get(checkout_id, lock=True)
            if record.status == SandboxCheckout.Status.SUCCEEDED:
                if amount > record.amount:
                    raise ProviderError("A refund cannot exceed the charge.")
                record.status = SandboxCheckout.Status.REFUNDED
                record.refunded_amount = amount
                record.save(update_fields=["status", "refunded_amount", "updated_at"])
                _deliver_after_commit(record)
            elif record.status != SandboxCheckout.Status.REFUNDED:
                raise ProviderError(
                    f"Checkout {checkout_id} is {record.status}; nothing to refund."
                )
        return self._checkout(record)

    def verify_callback(self, body: bytes, headers) -> CallbackEvent:
        header = headers.get(SIGNATURE_HEADER, "")
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            raise BadCallback(f"Missing or malformed {SIGNATURE_HEADER} header.") from None
        expected = sign(body, timestamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise BadCallback("The signature does not match the body.")
        if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
            raise BadCallback("The callback is too old (or from the future) to be trusted.")
        try:
            event = json.loads(body)
            return CallbackEvent(
                event_id=str(event["id"]),
                event_type=str(event["type"]),
                checkout_id=str(event["checkout"]["id"]),
                amount=Decimal(str(event["checkout"]["amount"])),
            )
        except (ValueError, KeyError, TypeError, InvalidOperation):
            raise BadCallback("The callback body is not a sandbox event.") from None

    # The hosted payment page calls these.
    def record(self, checkout_id: str) -> SandboxCheckout:
        return self._get(checkout_id)

    def pay(self, checkout_id: str, *, succeed: bool) -> Checkout:
        with transaction.atomic():
            record = self._get(checkout_id, lock=True)
            if record.status == SandboxCheckout.Status.OPEN:
                record.status = (
                    SandboxCheckout.Status.SUCCEEDED if succeed else SandboxCheckout.Status.FAILED
                )
                record.save(update_fields=["status", "updated_at"])
                _deliver_after_commit(record)
        return self._checkout(record)

    @staticmethod
    def _get(checkout_id: str, lock: bool = False) -> SandboxCheckout:
        records = SandboxCheckout.objects.select_for_update() if lock else SandboxCheckout.objects
        try:
            return records.get(checkout_id=checkout_id)
        except SandboxCheckout.DoesNotExist:
            raise ProviderError(f"No checkout {checkout_id}.") from None

    @staticmethod
    def _checkout(record: SandboxCheckout) -> Checkout:
        return Checkout(
            checkout_id=record.checkout_id,
            status=record.status,
            amount=record.amount,
            pay_url=reverse("sandbox-checkout", args=[record.checkout_id]),
        )


def callback_for(checkout_id: str, event_type: str | None = None, timestamp: int | None = None):
    """The body and headers the sandbox sends for a checkout's current outcome."""
    record = SandboxCheckout.objects.get(checkout_id=checkout_id)
    event_type = event_type or EVENT_FOR_STATUS[record.status]
    body = json.dumps(
        {
            "id": f"evt_{record.checkout_id}_{event_type.replace('.', '_')}",
            "type": event_type,
            "checkout": {
                "id": record.checkout_id,
                "amount": str(record.amount),
                "merchant_ref": record.merchant_ref,
            },
        },
        sort_keys=True,
    ).encode()
    stamp = int(time.time()) if timestamp is None else timestamp
    return body, {SIGNATURE_HEADER: sign(body, stamp)}, record.notify_url


def _deliver_after_commit(record: SandboxCheckout) -> None:
    if settings.PAYMENT_SANDBOX_WEBHOOKS != "http":
        return
    checkout_id, event_type = record.checkout_id, EVENT_FOR_STATUS[record.status]

    def schedule() -> None:
        from orders.tasks import sandbox_deliver_callback

        try:
            sandbox_deliver_callback.delay(checkout_id, event_type)
        except Exception:  # the merchant also asks on the return page; never fail the payer
            log.exception("Sandbox could not schedule the callback for %s", checkout_id)

    transaction.on_commit(schedule)


def deliver(checkout_id: str, event_type: str) -> int:
    """POST one callback to the merchant; raises on anything but a 2xx answer."""
    body, headers, url = callback_for(checkout_id, event_type)
    request = urllib.request.Request(
        url, data=body, headers={**headers, "Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT_SECONDS) as response:
        return response.status
