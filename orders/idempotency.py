"""Idempotency keys for submissions that must happen once (placing an order).

The key is claimed in its own committed transaction before the work starts, so that a
concurrent repeat sees it in flight (409) instead of doing the work again; the work and
the stored response commit together. A repeat after completion gets the stored response;
the same key with a different body gets 422. A claim whose process died is taken over
once its lease runs out.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone

from c2b import lean
from orders.models import IdempotencyKey, Order

LEASE = timedelta(seconds=30)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict
    replayed: bool = False


def key_problem(key: str | None) -> str | None:
    if not key:
        return "An Idempotency-Key header is required: any unique string per submission."
    if len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        return f"The idempotency key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters."
    return None


def fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def run_once(
    user, key: str, request_fingerprint: str, work: Callable[[], tuple[int, dict, Order | None]]
) -> Outcome:
    """Run `work` once per (user, key). `work` runs inside a transaction and returns the
    response to store; an exception releases the claim so the client can retry."""
    now = timezone.now()
    claim = IdempotencyKey(
        user=user, key=key, fingerprint=request_fingerprint, locked_until=now + LEASE
    )
    # outside any transaction, so the claim commits before the work starts
    if not lean.insert(claim, ignore_conflicts=True):
        claim = IdempotencyKey.objects.get(user=user, key=key)
        if claim.fingerprint != request_fingerprint:
            return Outcome(
                422,
                {
                    "idempotency_key": "This key was already used with a different request; "
                    "use a new key for a new submission."
                },
            )
        if claim.status == IdempotencyKey.Status.DONE:
            return Outcome(claim.response_status, claim.response_body, replayed=True)
        if claim.locked_until > now or not _take_over(claim, now):
            return Outcome(
                409,
                {
                    "detail": "A request with this idempotency key is still being processed; "
                    "retry in a moment to get its result."
                },
            )
    try:
        with transaction.atomic():
            status, body, order = work()
            claim.status = IdempotencyKey.Status.DONE
            claim.response_status, claim.response_body, claim.order = status, body, order
            lean.update(claim, ["status", "response_status", "response_body", "order"])
    except BaseException:
        # If the database is gone too, the claim's lease runs out instead.
        with contextlib.suppress(DatabaseError):
            IdempotencyKey.objects.filter(
                pk=claim.pk, status=IdempotencyKey.Status.IN_FLIGHT
            ).delete()
        raise
    return Outcome(status, body)


def _take_over(claim: IdempotencyKey, now) -> bool:
    """A stale claim (its process died mid-request) passes to this request, once."""
    return bool(
        IdempotencyKey.objects.filter(
            pk=claim.pk, status=IdempotencyKey.Status.IN_FLIGHT, locked_until=claim.locked_until
        ).update(locked_until=now + LEASE)
    )
