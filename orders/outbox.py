"""The transactional outbox: work for Celery is written as a row in the transaction that
causes it, and published to the broker only after that transaction commits.

If the broker is down, the order (or payment) still commits; the message waits, and the
relay (after each commit, and every RELAY_SECONDS from Celery beat) publishes it once the
broker is back. A message may be published more than once (a relay that dies between
publishing and recording it); `process` locks the row and records `processed_at` in the
same transaction as the handler's writes, so its effect happens once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from orders.models import OutboxMessage

RELAY_BATCH = 200
MAX_BACKOFF_SECONDS = 300

Handler = Callable[[dict], None]
HANDLERS: dict[str, Handler] = {}

log = logging.getLogger(__name__)


def handles(topic: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[topic] = function
        return function

    return register


def enqueue(topic: str, payload: dict, dedupe_key: str) -> OutboxMessage:
    """Record work to do once the current transaction commits; the same dedupe key is
    recorded once, however often the cause is retried."""
    if topic not in HANDLERS:
        raise ValueError(f"No outbox handler for {topic!r}.")
    message, _ = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key, defaults={"topic": topic, "payload": payload}
    )
    transaction.on_commit(lambda: relay_quietly([message.pk]))
    return message


def relay_quietly(ids: list[int] | None = None) -> None:
    """Publish after a commit; a broker outage must not fail the request that committed."""
    try:
        relay(ids)
    except Exception:
        log.exception("Outbox relay failed; the periodic relay will retry")


def relay(ids: list[int] | None = None, limit: int = RELAY_BATCH) -> int:
    """Publish waiting messages; returns how many the broker took. Rows are locked with
    SKIP LOCKED so that concurrent relays share the work instead of doubling it."""
    from orders.tasks import outbox_process

    published = 0
    now = timezone.now()
    with transaction.atomic():
        waiting = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            published_at__isnull=True, available_at__lte=now
        )
        if ids is not None:
            waiting = waiting.filter(pk__in=ids)
        for message in waiting.order_by("id")[:limit]:
            try:
                outbox_process.apply_async((message.pk,), retry=False)
            except Exception as error:
                message.attempts += 1
                backoff = min(MAX_BACKOFF_SECONDS, 2**message.attempts)
                message.available_at = now + timedelta(seconds=backoff)
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                message.save(update_fields=["attempts", "available_at", "last_error"])
                log.warning("Outbox message %s not published: %s", message.pk, error)
                break  # the broker is down: the rest would fail the same way
            message.published_at = timezone.now()
            message.save(update_fields=["published_at"])
            published += 1
    return published


def process(message_id: int) -> bool:
    """Run a message's handler once; False when it had already run."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.processed_at is not None:
            return False
        HANDLERS[message.topic](message.payload)
        message.processed_at = timezone.now()
        message.save(update_fields=["processed_at"])
    return True


def backlog() -> dict[str, int]:
    rows = OutboxMessage.objects
    return {
        "unpublished": rows.filter(published_at__isnull=True).count(),
        "unprocessed": rows.filter(processed_at__isnull=True).count(),
    }
