"""Celery tasks of the analytics app: thin, and safe to run twice at once (the rollup
cursor is locked while it advances)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from analytics.dashboards import forecasts_warm
from analytics.rollups import rollup_advance


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def rollup_advance_task() -> int:
    """Beat, every minute, and shortly after each ingested batch."""
    folded = rollup_advance()
    if folded:
        forecasts_warm_task.delay()
    return folded


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=3)
def forecasts_warm_task() -> int:
    """After a rollup: fit the default forecasts (a second or two per product) before
    anyone asks for them."""
    return forecasts_warm()
