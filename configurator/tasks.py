from celery import shared_task

from catalog.models import CatalogVersion
from configurator.compiled import learn_variable_order

# Sifting a large catalog's BDD takes seconds to minutes; it runs once per version.
LEARN_ORDER_TIME_LIMIT = 600  # seconds


@shared_task(
    acks_late=True, time_limit=LEARN_ORDER_TIME_LIMIT, soft_time_limit=LEARN_ORDER_TIME_LIMIT - 30
)
def version_learn_order_task(version_id: int) -> int | None:
    """Learn and share the counting BDD's variable order of a published version. Safe to
    run again: the order found is the same kind of answer, and the last one wins."""
    version = CatalogVersion.objects.filter(
        pk=version_id, status=CatalogVersion.Status.PUBLISHED
    ).first()
    if version is None:
        return None
    return learn_variable_order(version)
