"""Reads of the orders app, each scoped to who is asking: consumers see their own orders,
manufacturer staff their own manufacturer's batches, admins everything."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from c2b import lean
from catalog.models import CatalogVersion, ProductModel
from catalog.queries import is_platform_admin, staff_manufacturer_id
from orders.models import (
    BatchPolicy,
    DemandBatch,
    OptionMinimum,
    Order,
    PlanningJob,
    ProductionPlan,
)
from orders.regions import province_label


def orders_of(user) -> QuerySet[Order]:
    if not user.is_authenticated:
        return Order.objects.none()
    orders = Order.objects.select_related("product_model", "version", "batch")
    if is_platform_admin(user):
        return orders
    return orders.filter(consumer=user)


def order_get_for(user, reference: str) -> Order:
    order = orders_of(user).prefetch_related("events").filter(reference=reference).first()
    if order is None:
        raise Http404("No such order, or not yours.")
    return order


def version_to_order(product_slug: str, number: int | None = None) -> CatalogVersion | None:
    """The catalog version an order names (its number, or else the published one), with
    its product and the product's batch policy, in one plain query: placing an order is
    the API's hot path."""
    parts = (
        lean.columns(CatalogVersion, "v"),
        lean.columns(ProductModel, "m"),
        lean.columns(BatchPolicy, "b"),
    )
    quote = connection.ops.quote_name
    if number is not None:
        condition, params = "v.number = %s", [number]
    else:
        condition, params = "v.status = %s", [CatalogVersion.Status.PUBLISHED]
    with connection.cursor() as cursor:
        lean.execute(
            cursor,
            f"SELECT {', '.join(part.sql for part in parts)} "
            f"FROM {quote(CatalogVersion._meta.db_table)} v "
            f"JOIN {quote(ProductModel._meta.db_table)} m ON m.id = v.product_model_id "
            f"LEFT JOIN {quote(BatchPolicy._meta.db_table)} b ON b.product_model_id = m.id "
            f"WHERE m.slug = %s AND {condition} ORDER BY v.number LIMIT 1",
            [product_slug, *params],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    version, product, policy = lean.split(row, *parts)
    ProductModel._meta.get_field("batch_policy").set_cached_value(product, policy)
    if policy is not None:
        policy.product_model = product
    version.product_model = product
    return version


def open_batch(product: ProductModel) -> DemandBatch | None:
    """The open batch a paid order would join next (the earliest cut-off, should the
    product be made in several plants)."""
    part = lean.columns(DemandBatch, "d")
    with connection.cursor() as cursor:
        lean.execute(
            cursor,
            f"SELECT {part.sql} FROM {connection.ops.quote_name(DemandBatch._meta.db_table)} d "
            "WHERE d.product_model_id = %s AND d.status = %s ORDER BY d.cutoff_at, d.id LIMIT 1",
            [product.pk, DemandBatch.Status.OPEN],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    batch = part.instance(row)
    batch.product_model = product
    return batch


def batches_for(user) -> QuerySet[DemandBatch]:
    """Admins see every batch, a maker's staff their own maker's; anyone else is refused."""
    batches = DemandBatch.objects.select_related("product_model__manufacturer")
    if is_platform_admin(user):
        return batches
    manufacturer_id = staff_manufacturer_id(user)
    if manufacturer_id is None:
        raise PermissionDenied("Batches are for the manufacturer's staff.")
    return batches.filter(product_model__manufacturer_id=manufacturer_id)


def batch_get_for(user, batch_id: int) -> DemandBatch:
    batch = batches_for(user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such batch, or not your manufacturer's.")
    return batch


def batch_figures(batch: DemandBatch, language: str = "en") -> dict:
    """What the batch page shows besides the batch itself: orders by state, units per
    option (with each option's own minimum) and per region."""
    by_state = dict(
        batch.orders.values_list("state").annotate(n=Count("id")).values_list("state", "n")
    )
    minimums = dict(
        OptionMinimum.objects.filter(product_model=batch.product_model).values_list(
            "option_code", "minimum_units"
        )
    )
    option_demand = [
        {"option_code": code, "units": units, "minimum": minimums.get(code)}
        for code, units in batch.option_demand.filter(units__gt=0).values_list(
            "option_code", "units"
        )
    ]
    live = batch.orders.exclude(state__in=[Order.State.CANCELLED, Order.State.REFUNDED])
    regions = [
        {"province": province, "region": province_label(province, language), "units": units}
        for province, units in live.values_list("province")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "province")
        .values_list("province", "units")
    ]
    return {"orders_by_state": by_state, "option_demand": option_demand, "regions": regions}


def _manufacturer_scope(user, queryset, what: str):
    if is_platform_admin(user):
        return queryset
    manufacturer_id = staff_manufacturer_id(user)
    if manufacturer_id is None:
        raise PermissionDenied(f"{what} are for the manufacturer's staff.")
    return queryset.filter(manufacturer_id=manufacturer_id)


def plans_for(user) -> QuerySet[ProductionPlan]:
    """Admins see every plan, a maker's staff their own maker's; anyone else is refused."""
    plans = ProductionPlan.objects.select_related("manufacturer", "job", "previous")
    return _manufacturer_scope(user, plans, "Production plans")


def plan_get_for(user, plan_id: int) -> ProductionPlan:
    plan = plans_for(user).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan, or not your manufacturer's.")
    return plan


def jobs_for(user) -> QuerySet[PlanningJob]:
    jobs = PlanningJob.objects.select_related("manufacturer", "requested_by")
    return _manufacturer_scope(user, jobs, "Planning jobs")


def job_get_for(user, job_id: int) -> PlanningJob:
    job = jobs_for(user).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such planning job, or not your manufacturer's.")
    return job
