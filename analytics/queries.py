"""Reads of the rollup cells, with the privacy rule applied to every figure: a figure that
covers fewer than `MIN_CONSUMERS` distinct consumers is never shown.

Cells are summed in SQL. For each sum the largest cell's consumer count is a lower bound of
the distinct consumers and the sum of the counts an upper one; only when the rule falls
between the two are the cells' bitmaps fetched and united for the exact figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, QuerySet, Sum
from django.http import Http404
from pyroaring import BitMap

from analytics.models import ALL, Cell
from catalog.models import ProductModel
from catalog.queries import is_platform_admin, staff_manufacturer_id

MIN_CONSUMERS = 10


@dataclass(frozen=True)
class Filters:
    product: ProductModel
    start: date  # a Monday
    end: date  # a Monday, included
    province: str = ""
    age_band: str = ""
    gender: str = ""


@dataclass
class Figure:
    """A sum of cells for one value of the grouping; `count` and `amount` are None when it
    covers too few consumers to be shown."""

    group: tuple
    count: int | None
    amount: Decimal | None
    consumers: int | None  # exact when asked for, else None

    @property
    def key(self):
        return self.group[-1]

    @property
    def suppressed(self) -> bool:
        return self.count is None


def products_for(user) -> QuerySet[ProductModel]:
    """Products whose demand the user may read: their maker's, or every one for admins."""
    products = ProductModel.objects.select_related("manufacturer").order_by("name")
    if is_platform_admin(user):
        return products
    manufacturer_id = staff_manufacturer_id(user)
    if manufacturer_id is None:
        return products.none()
    return products.filter(manufacturer_id=manufacturer_id)


def product_get_for(user, slug: str) -> ProductModel:
    product = products_for(user).filter(slug=slug).first()
    if product is None:
        raise Http404("No product of yours has that slug.")
    return product


def cells(filters: Filters, measure: str, *, coarse: bool = False, by: str = "") -> QuerySet[Cell]:
    """The cells of one measure that the filters select, at the level that answers them:
    a dimension the page filters on or groups `by` ("province" or "segment") is read
    from cells that hold it, every other one from cells that sum it (`*`). `coarse`
    ignores the filters (option pairs exist only there)."""
    found = Cell.objects.filter(
        product_model=filters.product,
        measure=measure,
        week__gte=filters.start,
        week__lte=filters.end,
    )
    if coarse:
        return found.filter(province=ALL, age_band=ALL, gender=ALL)
    if by == "province" or filters.province:
        found = found.exclude(province=ALL)
    else:
        found = found.filter(province=ALL)
    if by == "segment" or filters.age_band or filters.gender:
        found = found.exclude(age_band=ALL).exclude(gender=ALL)
    else:
        found = found.filter(age_band=ALL, gender=ALL)
    for dimension in ("province", "age_band", "gender"):
        value = getattr(filters, dimension)
        if value:
            found = found.filter(**{dimension: "" if value == "none" else value})
    return found


def figures(
    selected: QuerySet[Cell], *, by: tuple[str, ...] = ("key",), exact: bool = False
) -> list[Figure]:
    """Sums of the selected cells per value of `by` ("key", "week", "province", ...)."""
    totals = {
        "total_count": Sum("count"),
        "total_amount": Sum("amount"),
        "upper": Sum("consumers"),
        "lower": Max("consumers"),
        "cells": Count("id"),
    }
    if by:
        sums = list(selected.values(*by).annotate(**totals))
    else:
        overall = selected.aggregate(**totals)
        sums = [overall] if overall["cells"] else []
    unsure = [
        s for s in sums if exact or (s["cells"] > 1 and s["lower"] < MIN_CONSUMERS <= s["upper"])
    ]
    united = _united(selected, by, unsure)
    result = []
    for s in sums:
        group = tuple(s[name] for name in by)
        if group in united:
            consumers = united[group]
        elif s["cells"] == 1 or s["upper"] < MIN_CONSUMERS:
            consumers = s["upper"]  # exact, or enough to know it is too few
        else:
            consumers = s["lower"]  # at least this many, which is enough
        shown = consumers >= MIN_CONSUMERS
        result.append(
            Figure(
                group=group,
                count=s["total_count"] if shown else None,
                amount=s["total_amount"] if shown else None,
                consumers=consumers if (exact and shown) else None,
            )
        )
    return result


def _united(selected: QuerySet[Cell], by: tuple[str, ...], sums: list[dict]) -> dict:
    if not sums:
        return {}
    wanted = {tuple(s[name] for name in by) for s in sums}
    narrowed = selected
    if not by:
        return {(): len(members(selected, by=None).get(None, BitMap()))}
    if len(by) == 1:
        narrowed = selected.filter(**{f"{by[0]}__in": [group[0] for group in wanted]})
    bitmaps: dict[tuple, BitMap] = {}
    for row in narrowed.values_list(*by, "members").iterator(chunk_size=2000):
        group = tuple(row[:-1])
        if group in wanted:
            bitmaps.setdefault(group, BitMap()).update(BitMap.deserialize(bytes(row[-1])))
    return {group: len(bitmap) for group, bitmap in bitmaps.items()}


def members(selected: QuerySet[Cell], *, by: str | None = "key") -> dict:
    """The exact set of consumers behind each value of `by` (all under None when `by` is
    None), for set arithmetic: who configured an option and did not order."""
    found: dict = {}
    fields = (by, "members") if by else ("members",)
    for row in selected.values_list(*fields).iterator(chunk_size=2000):
        value = row[0] if by else None
        found.setdefault(value, BitMap()).update(BitMap.deserialize(bytes(row[-1])))
    return found


def latest_week(product: ProductModel) -> date | None:
    """The newest week with views or orders (one index lookup each)."""
    weeks = [
        Cell.objects.filter(product_model=product, measure=measure)
        .order_by("-week")
        .values_list("week", flat=True)
        .first()
        for measure in ("viewed", "ordered")
    ]
    return max((week for week in weeks if week), default=None)
