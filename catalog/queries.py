"""Reads of the catalog, each with the access check for the user asking."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from catalog.models import (
    CatalogVersion,
    Option,
    OptionGroup,
    ProductionLine,
    ProductModel,
)


def is_platform_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def staff_manufacturer_id(user) -> int | None:
    """The manufacturer a signed-in member of a maker's staff works for, else None."""
    if not user.is_authenticated:
        return None
    staff = getattr(user, "manufacturer_staff", None)
    return staff.manufacturer_id if staff else None


def published_products() -> QuerySet[ProductModel]:
    published = CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED)
    return (
        ProductModel.objects.filter(versions__status=CatalogVersion.Status.PUBLISHED)
        .select_related("manufacturer")
        .prefetch_related(Prefetch("versions", queryset=published, to_attr="published"))
        .order_by("manufacturer__name", "name")
    )


def product_get_published(slug: str) -> ProductModel:
    product = published_products().filter(slug=slug).first()
    if product is None:
        raise Http404("No product with a published catalog has that slug.")
    return product


def versions_visible_to(user, product_slug: str) -> QuerySet[CatalogVersion]:
    """Published and retired versions for everyone (orders pin them); drafts only for
    admins and the product's own manufacturer's staff."""
    versions = CatalogVersion.objects.filter(product_model__slug=product_slug).select_related(
        "product_model__manufacturer"
    )
    if is_platform_admin(user):
        return versions
    visible = ~Q(status=CatalogVersion.Status.DRAFT)
    manufacturer_id = staff_manufacturer_id(user)
    if manufacturer_id is not None:
        visible |= Q(product_model__manufacturer_id=manufacturer_id)
    return versions.filter(visible)


def version_with_content(versions: QuerySet[CatalogVersion]) -> QuerySet[CatalogVersion]:
    groups = OptionGroup.objects.prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position", "id"))
    )
    return versions.prefetch_related(Prefetch("groups", queryset=groups), "rules", "price_rules")


def version_get_for_user(user, product_slug: str, number: int) -> CatalogVersion:
    version = (
        version_with_content(versions_visible_to(user, product_slug)).filter(number=number).first()
    )
    if version is None:
        raise Http404("No such catalog version.")
    return version


def lines_for_user(user) -> QuerySet[ProductionLine]:
    lines = ProductionLine.objects.select_related("manufacturer").prefetch_related(
        "stations", "product_models"
    )
    if is_platform_admin(user):
        return lines
    manufacturer_id = staff_manufacturer_id(user)
    if manufacturer_id is None:
        return lines.none()
    return lines.filter(manufacturer_id=manufacturer_id)
