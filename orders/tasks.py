"""Celery tasks of the orders app. Every task is safe to run twice: the outbox records
each message's processing in the same transaction as its effect, batch launches lock and
re-check the batch, and sandbox callbacks are applied once per event id."""

from __future__ import annotations

from celery import shared_task

from orders import outbox, plans
from orders.payments import sandbox
from orders.services import launch_due_batches

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(**RETRY)
def outbox_process(message_id: int) -> bool:
    return outbox.process(message_id)


@shared_task(acks_late=True)
def outbox_relay() -> int:
    """Beat: publish what the after-commit relay could not (the broker was down)."""
    return outbox.relay()


@shared_task(acks_late=True)
def batches_launch_due() -> dict[str, int]:
    """Beat, every minute: launch batches at their minimum or past their cut-off."""
    return launch_due_batches()


@shared_task(**RETRY)
def sandbox_deliver_callback(checkout_id: str, event_type: str) -> int:
    """The sandbox provider's side: POST the signed callback until the merchant takes it."""
    return sandbox.deliver(checkout_id, event_type)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def planning_run(self, job_id: int) -> str:
    """Solve and write one planning job. A worker that dies mid-job leaves the message
    unacknowledged, so another worker runs the job again from the start; the plan is only
    ever written whole, at the end."""
    return plans.job_run(job_id, self.request.id or "")


@shared_task(acks_late=True)
def planning_resume_stalled() -> int:
    """Beat: start jobs whose start message was lost while the broker was down."""
    return plans.resume_stalled()
