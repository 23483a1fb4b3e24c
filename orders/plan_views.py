"""Manufacturer staff's planning pages: jobs and their live progress, plans with the
picture of each line's days, decisions, and the CSV exports."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from catalog.models import Manufacturer
from catalog.queries import is_platform_admin, staff_manufacturer_id
from orders import plans as planning
from orders import queries
from orders.models import PlanEntry
from orders.plan_display import comparison, describe_reason, pictures

PICTURE_UNITS = 1500  # above this, the page draws one day at a time


def _manufacturer_of(request) -> Manufacturer:
    manufacturer_id = staff_manufacturer_id(request.user)
    if manufacturer_id is None and is_platform_admin(request.user):
        manufacturer_id = request.POST.get("manufacturer") or request.GET.get("manufacturer")
        if not manufacturer_id:
            raise Http404("Choose a manufacturer.")
    if manufacturer_id is None:
        raise PermissionDenied("Planning is for the manufacturer's staff.")
    return get_object_or_404(Manufacturer, pk=manufacturer_id)


@login_required
def plan_list(request):
    plans = queries.plans_for(request.user).order_by("-created_at", "-pk")
    jobs = queries.jobs_for(request.user).order_by("-created_at", "-pk")[:10]
    page = Paginator(plans, 20).get_page(request.GET.get("page"))
    makers = Manufacturer.objects.order_by("name") if is_platform_admin(request.user) else None
    context = {"page": page, "jobs": jobs, "manufacturers": makers}
    return render(request, "orders/plan_list.html", context)


@login_required
@require_POST
def plan_request(request):
    queries.jobs_for(request.user)  # refuses anyone who is neither staff nor admin
    manufacturer = _manufacturer_of(request)
    try:
        job = planning.job_request(manufacturer, user=request.user)
    except planning.PlanRefused as refused:
        messages.error(request, str(refused))
        return redirect("plan-list")
    return redirect("planning-job", pk=job.pk)


@login_required
def job_detail(request, pk: int):
    job = queries.job_get_for(request.user, pk)
    plan = getattr(job, "plan", None) if job.state == job.State.SUCCEEDED else None
    context = {"job": job, "plan": plan}
    if request.htmx:
        return render(request, "orders/partials/job_progress.html", context)
    return render(request, "orders/job_detail.html", context)


@login_required
@require_POST
def job_cancel(request, pk: int):
    job = queries.job_get_for(request.user, pk)
    try:
        planning.job_cancel(job)
    except planning.PlanRefused as refused:
        messages.error(request, str(refused))
    return redirect("planning-job", pk=job.pk)


@login_required
def plan_detail(request, pk: int):
    plan = queries.plan_get_for(request.user, pk)
    days = sorted(set(plan.entries.values_list("day", flat=True)))
    chosen = request.GET.get("day")
    shown_days = None
    if chosen:
        try:
            shown_days = [date.fromisoformat(chosen)]
        except ValueError:
            raise Http404("No such day.") from None
    elif plan.metrics.get("units", 0) > PICTURE_UNITS and days:
        shown_days = days[:1]
    orders = (
        plan.entries.filter(unit=1).select_related("order", "line").order_by("order__reference")
    )
    dates = planning.order_dates(plan)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    for entry in page:
        when = dates[entry.order_id]
        entry.production_date = when["production_date"]
        entry.delivery_estimate = when["delivery_estimate"]
        entry.why = describe_reason(when["reason"])
    context = {
        "plan": plan,
        "rows": comparison(plan),
        "pictures": pictures(plan, shown_days),
        "days": days,
        "shown_days": shown_days,
        "page": page,
        "materials": planning.materials(plan)[:200],
    }
    return render(request, "orders/plan_detail.html", context)


ACTIONS = {
    "approve": (planning.plan_approve, "Plan approved: the orders have their dates."),
    "reject": (planning.plan_reject, "Plan rejected."),
    "release": (planning.plan_release, "Plan released to the line."),
}


@login_required
@require_POST
def plan_decide(request, pk: int, action: str):
    plan = queries.plan_get_for(request.user, pk)
    if action not in ACTIONS:
        raise Http404("No such action.")
    decide, done = ACTIONS[action]
    try:
        decide(plan, request.user)
    except planning.PlanRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("plan-detail", pk=plan.pk)


def _csv(filename: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, csv.writer(response)


@login_required
def plan_csv(request, pk: int):
    plan = queries.plan_get_for(request.user, pk)
    response, writer = _csv(f"plan-{plan.pk}.csv")
    writer.writerow(
        ["line", "day", "position", "order", "unit", "colour", "stations", "due", "reason"]
    )
    entries = (
        PlanEntry.objects.filter(plan=plan)
        .select_related("line", "order")
        .order_by("line__code", "day", "position")
    )
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.line.code,
                entry.day.isoformat(),
                entry.position,
                entry.order.reference,
                entry.unit,
                entry.colour,
                " ".join(entry.stations),
                entry.due.isoformat() if entry.due else "",
                describe_reason(entry.reason),
            ]
        )
    return response


@login_required
def materials_csv(request, pk: int):
    plan = queries.plan_get_for(request.user, pk)
    response, writer = _csv(f"plan-{plan.pk}-materials.csv")
    writer.writerow(["day", "line", "part", "name", "quantity", "unit"])
    for row in planning.materials(plan):
        writer.writerow(
            [
                row["day"].isoformat(),
                row["line"],
                row["part"],
                row["name"],
                row["quantity"],
                row["unit"],
            ]
        )
    return response
