from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import CatalogVersion, ManufacturerStaff, ProductionLine, ProductModel

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_suv_is_as_rich_as_the_real_campaign():
    seed()

    suv = ProductModel.objects.get(slug="pathfinder-x7").published_version()
    assert suv.groups.count() >= 58
    assert suv.options.count() >= 250
    assert suv.rules.count() >= 120
    assert suv.price_rules.count() >= 20
    kinds = set(suv.groups.values_list("kind", flat=True))
    assert kinds == {"one", "several", "text", "number"}


def test_demo_has_three_makers_with_lines_staff_and_published_catalogs():
    output = seed()

    assert CatalogVersion.objects.filter(status="published").count() == 3
    assert ProductionLine.objects.count() == 4
    assert ManufacturerStaff.objects.count() == 3
    for username in (
        "admin",
        "staff-aurora",
        "staff-qingfeng",
        "staff-kunlun",
        "consumer1",
        "consumer2",
    ):
        assert username in output


def test_seeding_twice_changes_nothing():
    seed()
    counts = (CatalogVersion.objects.count(), ProductionLine.objects.count())

    output = seed()

    assert "already published" in output
    assert (CatalogVersion.objects.count(), ProductionLine.objects.count()) == counts
