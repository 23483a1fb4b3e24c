"""Production planning in the database: from launched batches to a planning problem, the
job that solves it, the plan it writes, and what approving a plan does to the orders.

The solver itself (orders/planning/) never touches the database; this module turns rows
into its plain input and its plain output back into rows, in one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from catalog.models import Manufacturer, Option, OptionPart, ProductionLine
from orders import outbox
from orders.models import (
    DemandBatch,
    Order,
    PlanEntry,
    PlanningJob,
    PlanningSettings,
    ProductionPlan,
)
from orders.planning import explain
from orders.planning.problem import Line, Problem, ProblemError, Station, Unit, Weights

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes and cancellation checks
# A running job whose task wrote nothing for this long (plus its solver time) is dead.
STALE_AFTER = timedelta(minutes=2)


class PlanRefused(Exception):
    """A planning action that cannot be taken; carries the field and a message."""

    def __init__(self, errors: dict[str, str], status: int = 409):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.status = status


def settings_for(manufacturer: Manufacturer) -> PlanningSettings:
    found, _ = PlanningSettings.objects.get_or_create(manufacturer=manufacturer)
    return found


def plannable_batches(manufacturer_id: int):
    """Launched batches that still have orders waiting for a production date."""
    return (
        DemandBatch.objects.filter(
            product_model__manufacturer_id=manufacturer_id,
            status=DemandBatch.Status.LAUNCHED,
            orders__state=Order.State.BATCHED,
        )
        .distinct()
        .order_by("pk")
    )


# From rows to the solver's input --------------------------------------------------------


def _option_facts(version_ids: set[int]) -> dict[tuple[int, str], tuple[list[str], str]]:
    """(version, option code) -> (station codes, paint colour)."""
    rows = Option.objects.filter(version_id__in=version_ids).values_list(
        "version_id", "code", "station_codes", "paint_colour"
    )
    return {(version, code): (stations or [], colour) for version, code, stations, colour in rows}


def build_problem(job: PlanningJob, config: PlanningSettings) -> tuple[Problem, dict]:
    """The job's units and the manufacturer's lines as a planning problem, and, for each
    unit id, the (order, unit number) it stands for."""
    lines = []
    for line in (
        ProductionLine.objects.filter(manufacturer_id=job.manufacturer_id)
        .prefetch_related("stations", "product_models")
        .order_by("code")
    ):
        lines.append(
            Line(
                code=line.code,
                name=line.name,
                models=frozenset(model.slug for model in line.product_models.all()),
                daily_capacity=line.daily_capacity,
                working_days=frozenset(line.working_days),
                stations=tuple(
                    Station(s.code, s.capacity_p, s.capacity_q, s.priority == "high", s.name)
                    for s in line.stations.all()
                ),
                paint_batch_limit=line.paint_batch_limit,
            )
        )
    orders = list(
        Order.objects.filter(batch__in=job.batches.all(), state=Order.State.BATCHED)
        .select_related("product_model")
        .order_by("pk")
    )
    facts = _option_facts({order.version_id for order in orders})
    units, owners = [], {}
    for order in orders:
        stations: set[str] = set()
        colour = ""
        for code in order.options:
            station_codes, paint = facts.get((order.version_id, code), ([], ""))
            stations.update(station_codes)
            colour = colour or paint
        due = order.promised_to - timedelta(days=config.delivery_days)
        for number in range(1, order.quantity + 1):
            unit_id = f"{order.reference}/{number}"
            owners[unit_id] = (order, number)
            units.append(
                Unit(
                    id=unit_id,
                    model=order.product_model.slug,
                    stations=frozenset(stations),
                    colour=colour.upper(),
                    due=due,
                    order=order.reference,
                )
            )
    weights = Weights(
        high_station=config.high_station_weight,
        colour_change=config.colour_change_weight,
        low_station=config.low_station_weight,
        lateness_day=config.lateness_day_weight,
    )
    return Problem(tuple(units), tuple(lines), job.start_date, weights), owners


def input_key(problem: Problem, seed: int) -> str:
    data = {
        "start": problem.start.isoformat(),
        "seed": seed,
        "weights": vars(problem.weights),
        "lines": [
            [
                line.code,
                sorted(line.models),
                line.daily_capacity,
                sorted(line.working_days),
                [[s.code, s.p, s.q, s.high_priority] for s in line.stations],
                line.paint_batch_limit,
            ]
            for line in problem.lines
        ],
        "units": [
            [u.id, u.model, sorted(u.stations), u.colour, u.due.isoformat() if u.due else None]
            for u in problem.units
        ],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


# Requesting, running and cancelling jobs ------------------------------------------------


def next_working_start(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=1)


def job_request(manufacturer: Manufacturer, *, user=None, batch_ids=None) -> PlanningJob:
    """A job for the given (or every) plannable batch of the manufacturer, started once
    the request commits. A job already queued or running for the maker is returned
    instead of a second one."""
    with transaction.atomic():
        Manufacturer.objects.select_for_update().get(pk=manufacturer.pk)
        active = PlanningJob.objects.filter(
            manufacturer=manufacturer, state__in=PlanningJob.ACTIVE
        ).first()
        if active is not None:
            return active
        batches = plannable_batches(manufacturer.pk)
        if batch_ids is not None:
            batches = batches.filter(pk__in=batch_ids)
        batches = list(batches)
        if not batches:
            raise PlanRefused({"batches": "No launched batch has orders waiting for a date."})
        job = PlanningJob.objects.create(
            manufacturer=manufacturer, requested_by=user, start_date=next_working_start()
        )
        job.batches.set(batches)
        transaction.on_commit(lambda: _start(job.pk))
    return job


def _start(job_id: int) -> None:
    from orders.tasks import planning_run

    try:
        planning_run.delay(job_id)
    except Exception as error:  # the broker is down: the beat sweep starts it later
        log.warning("Planning job %s not queued yet: %s", job_id, error)


def resume_stalled(older_than: timedelta = timedelta(minutes=2)) -> int:
    """Beat: queue again jobs whose start message never reached a worker."""
    stale = PlanningJob.objects.filter(
        state=PlanningJob.State.QUEUED, created_at__lt=timezone.now() - older_than
    )
    count = 0
    for job_id in stale.values_list("pk", flat=True):
        _start(job_id)
        count += 1
    return count


def job_cancel(job: PlanningJob) -> PlanningJob:
    with transaction.atomic():
        job = PlanningJob.objects.select_for_update().get(pk=job.pk)
        if not job.is_active:
            raise PlanRefused({"state": f"The job has already {job.get_state_display().lower()}."})
        job.cancel_requested = True
        fields = ["cancel_requested"]
        if job.state == PlanningJob.State.QUEUED:
            job.state = PlanningJob.State.CANCELLED
            job.finished_at = timezone.now()
            fields += ["state", "finished_at"]
        job.save(update_fields=fields)
    return job


class _Reporter:
    """Writes progress and reads the cancel flag, at most every PROGRESS_EVERY seconds."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0
        self.cancelled = False

    def progress(self, phase: str, done: float, details: dict) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and done < 1 and "metrics" not in details:
            return
        self.last = now
        PlanningJob.objects.filter(pk=self.job_id).update(
            phase=phase,
            progress=round(done, 3),
            details=details or {},
            heartbeat_at=timezone.now(),
        )

    def should_stop(self) -> bool:
        if not self.cancelled:
            self.cancelled = PlanningJob.objects.filter(
                pk=self.job_id, cancel_requested=True
            ).exists()
        return self.cancelled


def _taken_by_another(job: PlanningJob, task_id: str) -> bool:
    """A running job belongs to its task while that task shows signs of life. The same
    task id means the broker redelivered a message whose worker died: run it again. A
    different id is a duplicate start (beat re-sent a job that was only waiting)."""
    if job.state != PlanningJob.State.RUNNING or not task_id or job.task_id == task_id:
        return False
    config = settings_for(job.manufacturer)
    silent_for = STALE_AFTER + timedelta(seconds=config.solver_seconds)
    return job.heartbeat_at is not None and timezone.now() - job.heartbeat_at < silent_for


def job_run(job_id: int, task_id: str = "") -> str:
    """The planning task's body; safe to run again after a worker died in it."""
    with transaction.atomic():
        job = PlanningJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_active:
            return "nothing to do"
        if _taken_by_another(job, task_id):
            return "running elsewhere"
        if job.cancel_requested:
            job.state = PlanningJob.State.CANCELLED
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "finished_at"])
            return "cancelled"
        job.state = PlanningJob.State.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.phase = "construction"
        job.progress = 0
        job.task_id = task_id
        job.heartbeat_at = timezone.now()
        job.save(
            update_fields=[
                "state",
                "attempts",
                "started_at",
                "phase",
                "progress",
                "task_id",
                "heartbeat_at",
            ]
        )
    # the solver loads OR-Tools and Numba: only processes that plan pay for them
    from orders.planning import solver

    config = settings_for(job.manufacturer)
    problem, owners = build_problem(job, config)
    reporter = _Reporter(job.pk)
    options = solver.Options(seconds=config.solver_seconds, seed=job.seed)
    try:
        plan = solver.solve(
            problem, options, progress=reporter.progress, should_stop=reporter.should_stop
        )
    except ProblemError as error:
        _finish(job.pk, PlanningJob.State.FAILED, error=str(error))
        return "failed"
    except Exception:
        log.exception("Planning job %s failed", job.pk)
        _finish(job.pk, PlanningJob.State.FAILED, error="The planner failed; see the logs.")
        raise
    if reporter.should_stop():
        _finish(job.pk, PlanningJob.State.CANCELLED)
        return "cancelled"
    written = _write_plan(job, problem, owners, plan, config)
    return "succeeded" if written is not None else "cancelled"


def _finish(job_id: int, state: str, error: str = "") -> None:
    PlanningJob.objects.filter(pk=job_id).update(
        state=state, error=error, finished_at=timezone.now()
    )


def _write_plan(job, problem: Problem, owners: dict, plan, config) -> ProductionPlan | None:
    """The whole plan in one transaction, the draft before it superseded."""
    why = explain.reasons(problem, plan)
    units = {unit.id: unit for unit in problem.units}
    lines = dict(
        ProductionLine.objects.filter(manufacturer_id=job.manufacturer_id).values_list("code", "pk")
    )
    key = input_key(problem, job.seed)
    with transaction.atomic():
        # the maker's row first, as job_request does: two plans never race for the draft
        Manufacturer.objects.select_for_update().get(pk=job.manufacturer_id)
        job = PlanningJob.objects.select_for_update().get(pk=job.pk)
        if job.cancel_requested or not job.is_active:
            if job.is_active:
                job.state = PlanningJob.State.CANCELLED
                job.finished_at = timezone.now()
                job.save(update_fields=["state", "finished_at"])
            return None
        previous = (
            ProductionPlan.objects.select_for_update()
            .filter(manufacturer_id=job.manufacturer_id)
            .exclude(state=ProductionPlan.State.REJECTED)
            .order_by("-created_at", "-pk")
            .first()
        )
        ProductionPlan.objects.filter(
            manufacturer_id=job.manufacturer_id, state=ProductionPlan.State.DRAFT
        ).update(state=ProductionPlan.State.SUPERSEDED, decided_at=timezone.now())
        record = ProductionPlan.objects.create(
            manufacturer_id=job.manufacturer_id,
            job=job,
            input_key=key,
            previous=previous,
            start_date=problem.start,
            last_day=plan.metrics.last_day,
            metrics=plan.metrics.as_dict(),
            first_metrics=plan.first_metrics.as_dict(),
            solve_seconds=round(plan.seconds, 2),
            delivery_days=config.delivery_days,
        )
        record.batches.set(job.batches.all())
        entries = []
        for day in plan.days:
            for position, unit_id in enumerate(day.units, start=1):
                order, number = owners[unit_id]
                unit = units[unit_id]
                entries.append(
                    PlanEntry(
                        plan=record,
                        order=order,
                        unit=number,
                        line_id=lines[day.line],
                        day=day.day,
                        position=position,
                        colour=unit.colour,
                        stations=sorted(unit.stations),
                        due=unit.due,
                        reason=why[unit_id],
                    )
                )
        PlanEntry.objects.bulk_create(entries, batch_size=2000)
        job.state = PlanningJob.State.SUCCEEDED
        job.progress = 1
        job.phase = "done"
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "progress", "phase", "finished_at"])
    return record


# Deciding on a plan ---------------------------------------------------------------------


def order_dates(plan: ProductionPlan) -> dict[int, dict]:
    """order id -> its production date (its last unit's day), delivery estimate, and the
    reason of that last unit."""
    dates: dict[int, dict] = {}
    for order_id, day, reason in plan.entries.order_by("day", "position").values_list(
        "order_id", "day", "reason"
    ):
        dates[order_id] = {
            "production_date": day,
            "delivery_estimate": day + timedelta(days=plan.delivery_days),
            "reason": reason,
        }
    return dates


def plan_approve(plan: ProductionPlan, user) -> dict[str, int]:
    """Give every planned order its dates and move it to scheduled, all or nothing.
    Orders cancelled since planning are skipped (their units leave gaps on the line)."""
    from orders.services import order_schedule

    with transaction.atomic():
        plan = ProductionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.state != ProductionPlan.State.DRAFT:
            raise PlanRefused(
                {"state": f"Only a draft can be approved; this plan is {plan.state}."}
            )
        scheduled = skipped = 0
        dates = order_dates(plan)
        for order in Order.objects.filter(pk__in=dates).order_by("pk"):
            if order.state != Order.State.BATCHED:
                skipped += 1
                continue
            when = dates[order.pk]
            order_schedule(
                order,
                production_date=when["production_date"],
                delivery_estimate=when["delivery_estimate"],
                reason=when["reason"],
            )
            scheduled += 1
        plan.state = ProductionPlan.State.APPROVED
        plan.decided_at = timezone.now()
        plan.decided_by = user
        plan.save(update_fields=["state", "decided_at", "decided_by"])
    return {"scheduled": scheduled, "skipped": skipped}


def plan_reject(plan: ProductionPlan, user) -> ProductionPlan:
    with transaction.atomic():
        plan = ProductionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.state != ProductionPlan.State.DRAFT:
            raise PlanRefused(
                {"state": f"Only a draft can be rejected; this plan is {plan.state}."}
            )
        plan.state = ProductionPlan.State.REJECTED
        plan.decided_at = timezone.now()
        plan.decided_by = user
        plan.save(update_fields=["state", "decided_at", "decided_by"])
    return plan


def plan_release(plan: ProductionPlan, user) -> ProductionPlan:
    """Hand an approved plan to the shop floor; from then on it is what the line builds."""
    with transaction.atomic():
        plan = ProductionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.state != ProductionPlan.State.APPROVED:
            raise PlanRefused(
                {"state": f"Only an approved plan can be released; this plan is {plan.state}."}
            )
        plan.state = ProductionPlan.State.RELEASED
        plan.released_at = timezone.now()
        plan.save(update_fields=["state", "released_at"])
    return plan


# Material requirements ------------------------------------------------------------------


def materials(plan: ProductionPlan) -> list[dict]:
    """Parts x quantity per day and line, from each planned unit's options' parts."""
    entries = list(
        plan.entries.select_related("order", "line").only(
            "day", "line__code", "order__version_id", "order__snapshot", "order__swap_offer"
        )
    )
    version_ids = {entry.order.version_id for entry in entries}
    uses: dict[tuple[int, str], list] = defaultdict(list)
    for use in OptionPart.objects.filter(option__version_id__in=version_ids).select_related(
        "part", "option", "per_group"
    ):
        uses[(use.option.version_id, use.option.code)].append(use)
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    for entry in entries:
        order = entry.order
        numbers = order.snapshot["selection"].get("numbers", {})
        for code in order.options:
            for use in uses.get((order.version_id, code), ()):
                quantity = use.quantity
                if use.per_group_id:
                    quantity *= Decimal(str(numbers.get(use.per_group.code, 0)))
                key = (entry.day, entry.line.code, use.part.number, use.part.name, use.part.unit)
                totals[key] += quantity
    return [
        {
            "day": day,
            "line": line,
            "part": number,
            "name": name,
            "unit": unit,
            "quantity": quantity.normalize() if quantity == quantity.to_integral() else quantity,
        }
        for (day, line, number, name, unit), quantity in sorted(totals.items())
    ]


@outbox.handles("plan_after_launch")
def _plan_after_launch(payload: dict) -> None:
    """A batch launched: plan it (with any other batch still waiting for dates)."""
    manufacturer = Manufacturer.objects.get(pk=payload["manufacturer_id"])
    # PlanRefused: every order of the batch left it before planning, nothing to plan
    with contextlib.suppress(PlanRefused):
        job_request(manufacturer)
