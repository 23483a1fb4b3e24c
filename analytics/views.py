"""The manufacturers' demand dashboards and their CSV exports; staff see their own
products only, admins every product, consumers nothing."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from analytics import dashboards
from analytics.forms import FilterForm
from analytics.queries import MIN_CONSUMERS, product_get_for, products_for


def _products(request):
    products = products_for(request.user)
    if not products.exists():
        raise PermissionDenied("Demand dashboards are for the manufacturer's staff.")
    return products


def _view_of(slug: str) -> dashboards.View:
    view = dashboards.BY_SLUG.get(slug)
    if view is None:
        raise Http404("No dashboard has that name.")
    return view


@login_required
def insights_home(request):
    return render(request, "analytics/home.html", {"products": _products(request)})


@login_required
def dashboard(request, slug: str, view: str):
    products = _products(request)
    product, chosen = product_get_for(request.user, slug), _view_of(view)
    form = FilterForm(request.GET)  # every filter is optional: no filters, the defaults
    tables, filters = [], None
    if form.is_valid():
        filters = form.filters(product)
        tables = dashboards.build(chosen, filters)
    context = {
        "products": products,
        "product": product,
        "views": dashboards.VIEWS,
        "view": chosen,
        "form": form,
        "filters": filters,
        "tables": tables,
        "charts": [table.chart for table in tables],
        "minimum": MIN_CONSUMERS,
        "query": request.GET.urlencode(),
    }
    return render(request, "analytics/dashboard.html", context, status=200 if filters else 400)


@login_required
def dashboard_csv(request, slug: str, view: str, table: str):
    _products(request)
    product, chosen = product_get_for(request.user, slug), _view_of(view)
    form = FilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(e)}" for name, e in form.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters(product)
    found = next((t for t in dashboards.build(chosen, filters) if t.slug == table), None)
    if found is None:
        raise Http404("That dashboard has no such table.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{product.slug}-{chosen.slug}-{found.slug}-{filters.start}-{filters.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_csv(response, found)
    return response


def write_csv(out, table: dashboards.Table) -> None:
    writer = csv.writer(out)
    writer.writerow([str(heading) for _, heading in table.columns] + ["suppressed"])
    for row in table.rows:
        writer.writerow([_cell(row[name]) for name, _ in table.columns] + [row["suppressed"]])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)
