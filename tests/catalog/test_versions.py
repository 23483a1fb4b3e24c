import threading
from decimal import Decimal

import pytest
from django.db import connection

from catalog.interchange import catalog_export
from catalog.models import (
    CatalogVersion,
    Option,
    OptionGroup,
    OptionPart,
    PriceRule,
    PublishedVersionImmutable,
    Rule,
)
from catalog.services import (
    PublishRefused,
    version_new_draft,
    version_publish,
    version_retire,
)
from tests.factories import CatalogVersionFactory, published_catalog

pytestmark = pytest.mark.django_db


def test_published_version_refuses_changes_to_its_own_fields():
    version = published_catalog()
    version.base_price = Decimal("1.00")

    with pytest.raises(PublishedVersionImmutable):
        version.save()
    with pytest.raises(PublishedVersionImmutable):
        version.delete()
    version.refresh_from_db()
    assert version.base_price == Decimal("100000.00")


@pytest.mark.parametrize("model", [OptionGroup, Option, Rule, PriceRule, OptionPart])
def test_published_content_refuses_save_delete_and_bulk_writes(model):
    version = published_catalog()
    before = catalog_export(version=version)
    row = model.objects.first()

    with pytest.raises(PublishedVersionImmutable):
        row.save()
    with pytest.raises(PublishedVersionImmutable):
        row.delete()
    with pytest.raises(PublishedVersionImmutable):
        model.objects.all().update(pk=row.pk)
    with pytest.raises(PublishedVersionImmutable):
        model.objects.all().delete()
    assert catalog_export(version=version) == before


def test_content_cannot_be_moved_out_of_a_published_version():
    published = published_catalog()
    draft = version_new_draft(source=published)
    rule = published.rules.get(code="R1")
    rule.version = draft

    with pytest.raises(PublishedVersionImmutable):
        rule.save()
    assert published.rules.filter(code="R1").exists()


def test_adding_to_a_published_version_is_refused():
    published = published_catalog()

    with pytest.raises(PublishedVersionImmutable):
        Rule.objects.create(version=published, code="NEW", expression="RED -> W19")
    with pytest.raises(PublishedVersionImmutable):
        Rule.objects.bulk_create([Rule(version=published, code="BULK", expression="RED")])
    assert not published.rules.filter(code__in=["NEW", "BULK"]).exists()


def test_new_draft_copies_the_whole_catalog():
    published = published_catalog()

    draft = version_new_draft(source=published)

    assert draft.status == CatalogVersion.Status.DRAFT
    assert draft.number == published.number + 1
    assert draft.based_on == published
    assert catalog_export(version=draft) == catalog_export(version=published)
    assert OptionPart.objects.filter(option__version=draft).count() == 3


def test_draft_copy_is_independent_of_its_source():
    published = published_catalog()
    draft = version_new_draft(source=published)

    draft.options.filter(code="RED").update(price_delta=Decimal("9999.00"))

    assert published.options.get(code="RED").price_delta == Decimal("3000.00")


def test_publishing_retires_the_previous_version_and_keeps_it_readable():
    first = published_catalog()
    second = version_new_draft(source=first)

    version_publish(version=second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CatalogVersion.Status.RETIRED
    assert first.retired_at is not None
    assert second.status == CatalogVersion.Status.PUBLISHED
    assert first.product_model.published_version() == second
    assert first.rules.count() == 5


def test_publishing_twice_is_refused():
    version = published_catalog()

    with pytest.raises(PublishRefused, match="published"):
        version_publish(version=version)


def test_publish_refuses_a_draft_with_problems_and_lists_them():
    draft = version_new_draft(source=published_catalog())
    Rule.objects.create(version=draft, code="BAD", expression="RED -> NOPE")
    OptionGroup.objects.create(version=draft, code="EMPTY", name="Empty", kind="one")

    with pytest.raises(PublishRefused) as refused:
        version_publish(version=draft)

    assert refused.value.problems == [
        "Group EMPTY must offer at least one option.",
        "Rule BAD: line 1, column 8: unknown code 'NOPE'",
    ]
    draft.refresh_from_db()
    assert draft.status == CatalogVersion.Status.DRAFT


def test_publish_refuses_an_empty_version():
    empty = CatalogVersionFactory()

    with pytest.raises(PublishRefused, match="no option groups"):
        version_publish(version=empty)


def test_only_a_published_version_can_be_retired():
    draft = CatalogVersionFactory()

    with pytest.raises(Exception, match="Only a published version"):
        version_retire(version=draft)


def test_retiring_leaves_the_product_without_a_published_catalog():
    version = published_catalog()

    version_retire(version=version)

    assert version.product_model.published_version() is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_of_two_drafts_leave_exactly_one_published():
    first = published_catalog()
    drafts = [version_new_draft(source=first) for _ in range(2)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def publish(draft):
        barrier.wait()
        try:
            version_publish(version=draft)
            outcomes.append("published")
        except PublishRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = list(first.product_model.versions.values_list("status", flat=True))
    assert statuses.count("published") == 1
    assert sorted(outcomes) == ["published", "published"]  # the later one retires the earlier
    assert statuses.count("retired") == 2


def test_publish_refuses_a_draft_the_lint_finds_wrong():
    draft = version_new_draft(source=published_catalog())
    Rule.objects.create(version=draft, code="NO_TOW", expression="!TOWBAR", message="Sold out.")

    with pytest.raises(PublishRefused) as refused:
        version_publish(version=draft)

    assert refused.value.problems == [
        "Lint: Tow bar (TOWBAR) can never be chosen, because of NO_TOW: Sold out.",
        "Lint: Rule R2 can never fire: its left side can never hold.",
    ]
