"""Production plans in the product: a launched batch gets a draft plan, staff review and
approve it, orders get their dates and reasons, jobs can be cancelled and re-run, and the
exports add up."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from orders import plans as planning
from orders.models import (
    Order,
    PlanEntry,
    PlanningJob,
    ProductionPlan,
)
from orders.services import order_cancel
from orders.timeline import describe
from tests.orders.helpers import drain


def test_a_launched_batch_gets_a_draft_plan_with_every_unit_on_a_line_day_and_place(
    launched, maker_a
):
    job = PlanningJob.objects.get()
    plan = ProductionPlan.objects.get()

    assert job.state == PlanningJob.State.SUCCEEDED
    assert job.requested_by is None
    assert plan.state == ProductionPlan.State.DRAFT
    assert list(plan.batches.all()) == [launched]
    entries = list(plan.entries.order_by("day", "position"))
    assert len(entries) == 4 == plan.metrics["units"]
    assert {entry.line_id for entry in entries} == {maker_a.line.pk}
    # one day of a 20-a-day line; the roof station fits 1 of any 3 units: R . . R
    assert len({entry.day for entry in entries}) == 1
    roofs = [entry.position for entry in entries if "ROOF" in entry.stations]
    assert roofs == [1, 4]
    assert plan.metrics["high_violations"] == 0
    assert all(entry.reason.get("kind") for entry in entries)


def test_approving_a_plan_schedules_its_orders_with_dates_a_reason_and_an_email(launched, personas):
    plan = ProductionPlan.objects.get()
    mail.outbox.clear()

    response = personas["staff_a"].post(reverse("plan-decide", args=[plan.pk, "approve"]))
    drain()

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == ProductionPlan.State.APPROVED
    for order in Order.objects.all():
        last_day = max(order.plan_entries.values_list("day", flat=True))
        assert order.state == Order.State.SCHEDULED
        assert order.production_date == last_day
        assert (order.delivery_estimate - last_day).days == plan.delivery_days
        line = describe(order.events.last())
        assert line.startswith(f"Scheduled for production on {last_day.isoformat()}")
        assert "That day because" in line
    assert sum("Scheduled for production" in m.body for m in mail.outbox) == 2


def test_an_order_cancelled_after_planning_is_left_out_when_the_plan_is_approved(launched):
    plan = ProductionPlan.objects.get()
    cancelled = Order.objects.order_by("pk").first()
    order_cancel(cancelled)

    outcome = planning.plan_approve(plan, None)

    assert outcome == {"scheduled": 1, "skipped": 1}
    cancelled.refresh_from_db()
    assert cancelled.state == Order.State.CANCELLED


def test_planning_again_supersedes_the_draft_instead_of_adding_another(
    launched, maker_a, django_capture_on_commit_callbacks
):
    first = ProductionPlan.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        job = planning.job_request(maker_a.manufacturer)

    job.refresh_from_db()
    assert job.state == PlanningJob.State.SUCCEEDED
    first.refresh_from_db()
    assert first.state == ProductionPlan.State.SUPERSEDED
    second = ProductionPlan.objects.get(state=ProductionPlan.State.DRAFT)
    assert second.previous == first
    assert second.input_key == first.input_key  # the same input, planned again
    assert PlanEntry.objects.filter(plan=second).count() == 4


def test_nothing_left_to_plan_is_refused_with_the_reason(launched, maker_a):
    planning.plan_approve(ProductionPlan.objects.get(), None)

    with pytest.raises(planning.PlanRefused, match="No launched batch has orders waiting"):
        planning.job_request(maker_a.manufacturer)


def test_a_queued_job_that_is_cancelled_never_writes_a_plan(launched, maker_a):
    job = PlanningJob.objects.create(manufacturer=maker_a.manufacturer, start_date="2027-01-04")
    job.batches.set([launched])

    planning.job_cancel(job)

    assert planning.job_run(job.pk) == "nothing to do"
    job.refresh_from_db()
    assert job.state == PlanningJob.State.CANCELLED
    assert not ProductionPlan.objects.filter(job=job).exists()


def test_a_running_job_cancelled_midway_stops_and_writes_no_plan(launched, maker_a, monkeypatch):
    job = PlanningJob.objects.create(manufacturer=maker_a.manufacturer, start_date="2027-01-04")
    job.batches.set([launched])
    reported = planning._Reporter.progress

    def cancel_when_sequencing(self, phase, done, details):
        reported(self, phase, done, details)
        if phase == "assignment":  # staff press "Cancel" while the job runs
            PlanningJob.objects.filter(pk=self.job_id).update(cancel_requested=True)

    monkeypatch.setattr(planning._Reporter, "progress", cancel_when_sequencing)

    assert planning.job_run(job.pk) == "cancelled"
    job.refresh_from_db()
    assert job.state == PlanningJob.State.CANCELLED
    assert not ProductionPlan.objects.filter(job=job).exists()
    assert ProductionPlan.objects.filter(state=ProductionPlan.State.DRAFT).count() == 1


def test_a_job_run_twice_after_a_lost_worker_still_writes_one_plan(launched, maker_a):
    job = PlanningJob.objects.create(manufacturer=maker_a.manufacturer, start_date="2027-01-04")
    job.batches.set([launched])
    # the first worker took the job and died: the state says running, no plan exists
    PlanningJob.objects.filter(pk=job.pk).update(state=PlanningJob.State.RUNNING, attempts=1)

    assert planning.job_run(job.pk) == "succeeded"
    assert planning.job_run(job.pk) == "nothing to do"  # a duplicate delivery changes nothing

    job.refresh_from_db()
    assert job.attempts == 2
    assert ProductionPlan.objects.filter(job=job).count() == 1


def test_material_requirements_add_up_each_units_parts(launched, personas):
    plan = ProductionPlan.objects.get()

    response = personas["staff_a"].get(reverse("plan-materials-csv", args=[plan.pk]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row["part"]] = totals.get(row["part"], Decimal(0)) + Decimal(row["quantity"])
    # red paint 12.5 L per red unit; 4 wheels per 17-inch set; a cover per seat (5 seats)
    assert totals == {
        "P-PAINT-RED": Decimal("25"),
        "P-WHEEL": Decimal("8"),
        "P-COVER": Decimal("10"),
    }
    assert {row["day"] for row in rows} <= {e.day.isoformat() for e in plan.entries.all()}


def test_the_plan_csv_lists_every_unit_in_build_order_with_its_reason(launched, personas):
    plan = ProductionPlan.objects.get()

    response = personas["staff_a"].get(reverse("plan-csv", args=[plan.pk]))

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 4
    assert [(r["day"], int(r["position"])) for r in rows] == sorted(
        (r["day"], int(r["position"])) for r in rows
    )
    assert all(r["reason"] for r in rows)


def test_the_plan_page_draws_each_line_day_and_explains_each_orders_date(launched, personas):
    plan = ProductionPlan.objects.get()

    page = personas["staff_a"].get(reverse("plan-detail", args=[plan.pk])).content.decode()

    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="sequence"') == len(
        set(plan.entries.values_list("line", "day"))
    )
    assert 'fill="#AA0000"' in page  # the red units, in their paint colour
    assert "Approve: give these orders their dates" in page
    assert "High-priority station violations" in page
    for order in Order.objects.all():
        assert order.reference in page


def test_job_progress_is_served_as_a_partial_to_htmx_polling(launched, personas):
    job = PlanningJob.objects.get()

    partial = personas["staff_a"].get(
        reverse("planning-job", args=[job.pk]), headers={"HX-Request": "true"}
    )

    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="job-progress"')
    assert "Open plan #" in body


def test_a_plan_that_is_no_longer_a_draft_cannot_be_approved_or_rejected(launched, personas):
    plan = ProductionPlan.objects.get()
    planning.plan_reject(plan, None)

    response = personas["staff_a"].post(
        reverse("plan-decide", args=[plan.pk, "approve"]), follow=True
    )

    assert "Only a draft can be approved" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == ProductionPlan.State.REJECTED
    assert not Order.objects.filter(state=Order.State.SCHEDULED).exists()


def test_an_approved_plan_is_released_to_the_line(launched, personas):
    plan = ProductionPlan.objects.get()
    planning.plan_approve(plan, None)

    personas["staff_a"].post(reverse("plan-decide", args=[plan.pk, "release"]))

    plan.refresh_from_db()
    assert plan.state == ProductionPlan.State.RELEASED
    assert plan.released_at


def test_staff_ask_for_a_plan_and_follow_the_job(launched, personas):
    planning.plan_approve(ProductionPlan.objects.get(), None)
    assert personas["staff_a"].post(reverse("plan-request"), follow=True).status_code == 200

    Order.objects.update(state=Order.State.BATCHED)  # pretend new orders wait for dates
    response = personas["staff_a"].post(reverse("plan-request"))

    job = PlanningJob.objects.order_by("-pk").first()
    assert response.url == reverse("planning-job", args=[job.pk])
    assert job.requested_by.username == "staff_a"


def test_a_duplicate_start_leaves_a_running_job_to_its_task_until_that_task_falls_silent(
    launched, maker_a
):
    job = PlanningJob.objects.create(manufacturer=maker_a.manufacturer, start_date="2027-01-04")
    job.batches.set([launched])
    running = {"state": PlanningJob.State.RUNNING, "attempts": 1, "task_id": "first"}

    PlanningJob.objects.filter(pk=job.pk).update(**running, heartbeat_at=timezone.now())
    assert planning.job_run(job.pk, "resent-by-beat") == "running elsewhere"
    assert planning.job_run(job.pk, "first") == "succeeded"  # the first task, redelivered

    again = PlanningJob.objects.create(manufacturer=maker_a.manufacturer, start_date="2027-01-04")
    again.batches.set([launched])
    an_hour_ago = timezone.now() - timedelta(hours=1)
    PlanningJob.objects.filter(pk=again.pk).update(**running, heartbeat_at=an_hour_ago)
    assert planning.job_run(again.pk, "resent-by-beat") == "succeeded"
    assert ProductionPlan.objects.filter(job__in=[job, again]).count() == 2
