"""Celery tasks of the analytics app: thin, and safe to run twice at once (the rollup
cursor is locked while it advances)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from analytics.dashboards import forecasts_warm
from analytics.models import Event, RollupCursor
from analytics.rollups import CHUNK, CURSOR, rollup_advance

# A rebuild of a year's cells takes longer than a task may run (CELERY_TASK_TIME_LIMIT):
# the task stops between chunks after this long and hands the rest to a fresh task.
BUDGET_SECONDS = 300


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def rollup_advance_task() -> int:
    """Beat, every minute, and shortly after each ingested batch."""
    folded = rollup_advance(budget_seconds=BUDGET_SECONDS)
    if folded >= CHUNK and RollupCursor.objects.get(name=CURSOR).last_event_id < _newest_event():
        rollup_advance_task.delay()  # stopped by the budget: carry on at once
    elif folded:
        forecasts_warm_task.delay()
    return folded


def _newest_event() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=3)
def forecasts_warm_task() -> int:
    """After a rollup: fit the default forecasts (a second or two per product) before
    anyone asks for them."""
    return forecasts_warm()
