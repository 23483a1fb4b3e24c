"""Planning jobs on a real Celery worker and Redis, against PostgreSQL: live progress,
cancellation, a worker killed mid-job, re-runs that supersede, approval.

Each test prints what it counted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from orders import plans as planning
from orders.models import Order, PlanningJob, PlanningSettings, ProductionPlan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _wait(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {seconds:.0f} s waiting for {what}.")


@pytest.fixture
def worker(tmp_path, settings, launched):
    """A prefork worker with one child, so a test can kill the child mid-task. It starts
    after the batch has launched (in-process), then takes every task this test sends."""
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL pointing at Redis; CI sets it")
    db = connection.settings_dict
    broker = settings.CELERY_BROKER_URL
    redis.Redis.from_url(broker).flushdb()
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(BIN / "celery"), "-A", "c2b", "worker", "--pool=prefork", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
         f"--hostname=planner-{os.getpid()}@%h"],
        cwd=ROOT,
        env={**os.environ,
             "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
                             f"{db['PORT'] or 5432}/{db['NAME']}",
             "CELERY_BROKER_URL": broker,
             "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        stdout=log, stderr=log,
    )  # fmt: skip
    from c2b.celery import app

    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        app.conf.task_always_eager = True


@pytest.fixture
def big_launch(launched, maker_a):
    """The launched batch grown to 1,200 units (copies of its orders), so a job runs for
    seconds: long enough to watch, cancel or kill."""
    template = list(Order.objects.filter(batch=launched))
    copies = []
    for index in range(300):
        source = template[index % len(template)]
        copies.append(Order(
            reference=f"C2B-BIG{index:05d}", consumer_id=source.consumer_id,
            product_model_id=source.product_model_id, version_id=source.version_id,
            snapshot=source.snapshot, unit_price=source.unit_price, quantity=4,
            total=source.unit_price * 4, deposit=source.deposit, province=source.province,
            city=source.city, promised_from=source.promised_from,
            promised_to=source.promised_to, state=Order.State.BATCHED, batch=launched,
        ))  # fmt: skip
    Order.objects.bulk_create(copies)
    maker_a.line.daily_capacity = 200
    maker_a.line.save()
    return launched


def _start_job(maker_a, seconds: int) -> PlanningJob:
    PlanningSettings.objects.filter(manufacturer=maker_a.manufacturer).update(
        solver_seconds=seconds
    )
    ProductionPlan.objects.filter(state=ProductionPlan.State.DRAFT).update(
        state=ProductionPlan.State.REJECTED
    )
    return planning.job_request(maker_a.manufacturer)


def test_a_job_on_a_worker_reports_progress_and_stops_when_cancelled(worker, big_launch, maker_a):
    job = _start_job(maker_a, seconds=60)
    seen = set()

    def progressing():
        job.refresh_from_db()
        seen.add((job.phase, job.progress))
        return job.phase == "sequencing" and job.progress > 0.35

    _wait(progressing, 90, "the job to report sequencing progress")
    planning.job_cancel(job)
    started = time.monotonic()
    _wait(lambda: PlanningJob.objects.get(pk=job.pk).state == "cancelled", 30, "the cancel")
    stopped_in = time.monotonic() - started

    print(
        f"\nProgress readings {len(seen)} ({sorted(p for _, p in seen)[-3:]}…); cancelled "
        f"in {stopped_in:.1f} s; plans written {ProductionPlan.objects.filter(job=job).count()}"
    )
    assert len({progress for _, progress in seen}) >= 3
    assert "construction" in {phase for phase, _ in seen} or job.details
    assert stopped_in < 10
    assert not ProductionPlan.objects.filter(job=job).exists()


def test_a_worker_killed_mid_job_runs_it_again_and_one_whole_plan_is_written(
    worker, big_launch, maker_a
):
    job = _start_job(maker_a, seconds=8)
    _wait(lambda: PlanningJob.objects.get(pk=job.pk).phase == "sequencing", 90, "sequencing")
    children = subprocess.run(
        ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True
    ).stdout.split()
    for child in children:
        os.kill(int(child), signal.SIGKILL)
    _wait(lambda: PlanningJob.objects.get(pk=job.pk).state == "succeeded", 120, "the retry")

    job.refresh_from_db()
    plans = ProductionPlan.objects.filter(job=job)
    units = sum(Order.objects.filter(state=Order.State.BATCHED).values_list("quantity", flat=True))
    print(
        f"\nWorker child killed mid-job: attempts {job.attempts}; plans written "
        f"{plans.count()}; units planned {plans.get().entries.count()} of {units}"
    )
    assert children
    assert job.attempts == 2
    assert plans.count() == 1
    assert plans.get().entries.count() == units == 1204


def test_a_rerun_on_the_worker_supersedes_the_draft_and_approval_schedules_orders(
    worker, launched, maker_a
):
    first = ProductionPlan.objects.get()  # planned when the batch launched
    job = planning.job_request(maker_a.manufacturer)
    _wait(lambda: PlanningJob.objects.get(pk=job.pk).state == "succeeded", 90, "the re-run")

    first.refresh_from_db()
    second = ProductionPlan.objects.get(job=job)
    outcome = planning.plan_approve(second, None)

    print(
        f"\nRe-run: first plan {first.state}, second {second.state} -> approved; "
        f"drafts {ProductionPlan.objects.filter(state='draft').count()}; {outcome}"
    )
    assert first.state == ProductionPlan.State.SUPERSEDED
    assert outcome == {"scheduled": 2, "skipped": 0}
    assert set(Order.objects.values_list("state", flat=True)) == {Order.State.SCHEDULED}
    assert not ProductionPlan.objects.filter(state=ProductionPlan.State.DRAFT).exists()
