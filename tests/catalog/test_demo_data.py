from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import CatalogVersion, ManufacturerStaff, ProductionLine, ProductModel
from orders.models import ConsumerProfile, DemandBatch, OptionMinimum, Order, ProductionPlan

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", demand_weeks=3, stdout=out)
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
    counts = (CatalogVersion.objects.count(), ProductionLine.objects.count(), Order.objects.count())

    output = seed()

    assert "already published" in output
    assert (
        CatalogVersion.objects.count(),
        ProductionLine.objects.count(),
        Order.objects.count(),
    ) == counts


def test_demo_orders_give_batches_and_timelines_something_to_show(
    django_capture_on_commit_callbacks, eager_celery
):
    # eager_celery: the demo runs its tasks in-process, whatever broker the suite has
    with django_capture_on_commit_callbacks(execute=True):  # as the demo's commits would
        output = seed()

    assert "Placed 3 demo orders." in output
    assert set(Order.objects.values_list("state", flat=True)) >= {
        "batched",
        "paid",
        "pending_payment",
    }
    # demo shoppers fill the SUV's first batch, which launches and gets a draft plan
    suv_batch = DemandBatch.objects.get(product_model__slug="pathfinder-x7", number=1)
    assert suv_batch.status == DemandBatch.Status.LAUNCHED
    assert suv_batch.units >= suv_batch.minimum_quantity == 50
    plan = ProductionPlan.objects.get(state=ProductionPlan.State.DRAFT)
    assert plan.entries.count() == sum(
        suv_batch.orders.filter(state="batched").values_list("quantity", flat=True)
    )
    assert "production plan(s) await review" in output
    assert OptionMinimum.objects.filter(option_code="PAINT_MATTE_GREY", shortfall="swap").exists()
    assert ConsumerProfile.objects.get(user__username="consumer2").city == "广州市"
