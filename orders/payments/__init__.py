"""The payment-provider interface the orders app talks to, and the configured provider.

A provider hosts the payment page, tells us the outcome by a signed asynchronous callback,
answers queries about a checkout, and voids or refunds charges. Every call that creates or
moves money carries an idempotency key, so a retried call never charges or refunds twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class ProviderError(Exception):
    """The provider refused or could not be reached; the caller may retry."""


class BadCallback(Exception):
    """A callback that is not provably from the provider, or too old to be trusted."""


@dataclass(frozen=True)
class Checkout:
    checkout_id: str
    status: str  # open | succeeded | failed | voided | refunded
    amount: Decimal
    pay_url: str


@dataclass(frozen=True)
class CallbackEvent:
    event_id: str
    event_type: str  # checkout.succeeded | checkout.failed | refund.succeeded
    checkout_id: str
    amount: Decimal


class PaymentProvider(Protocol):
    name: str

    def create_checkout(
        self,
        *,
        idempotency_key: str,
        merchant_ref: str,
        amount: Decimal,
        description: str,
        return_url: str,
        notify_url: str,
    ) -> Checkout: ...

    def retrieve(self, checkout_id: str) -> Checkout: ...

    def void(self, checkout_id: str) -> Checkout: ...

    def refund(self, checkout_id: str, amount: Decimal) -> Checkout: ...

    def verify_callback(self, body: bytes, headers) -> CallbackEvent: ...


def provider() -> PaymentProvider:
    return import_string(settings.PAYMENT_PROVIDER)()
