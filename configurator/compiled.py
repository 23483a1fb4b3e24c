"""Compiled engines per published catalog version, kept in process.

A version's engine is built from its export document the first time it is needed (the SAT
encoding of the SUV takes about 10 ms) and kept for the life of the process; published
versions never change, so nothing ever needs invalidating. The decision diagram behind
option states and exact counts compiles quickly from a heuristic variable order; a Celery
task, run when the version is published, sifts it once to a smaller diagram and stores the
order found (CountingOrder), which later compiles reuse.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

from catalog.interchange import catalog_export
from catalog.models import CatalogVersion
from configurator.engine.counting import PRICES_COUNTED_UP_TO, ConfigurationCounter
from configurator.engine.evaluate import Engine, Evaluation
from configurator.engine.spec import spec_from_document
from configurator.models import CountingOrder

MAX_ENGINES = 32  # compiled versions kept per process; a handful are live at any time
ASK_AGAIN_SECONDS = 600  # a missing order is asked for at most this often per version

_engines: OrderedDict[int, Engine] = OrderedDict()
_lock = threading.Lock()
log = logging.getLogger(__name__)


def forget_all() -> None:
    """Drop every compiled engine and counter of this process."""
    with _lock:
        _engines.clear()


def engine_for(version: CatalogVersion) -> Engine:
    """The version's engine; its diagram from the stored, sifted order when there is one."""
    with _lock:
        if version.pk in _engines:
            _engines.move_to_end(version.pk)
            return _engines[version.pk]
    spec = spec_from_document(catalog_export(version=version))
    stored = CountingOrder.objects.filter(version=version).only("variables").first()
    order = stored.variables if stored else None
    if order is None or not ConfigurationCounter.order_fits(spec, order):
        _ask_for_order(version.pk)
        order = None
    engine = Engine(spec, order)
    with _lock:
        _engines[version.pk] = engine
        while len(_engines) > MAX_ENGINES:
            _engines.popitem(last=False)
    return engine


def counter_for(version: CatalogVersion) -> ConfigurationCounter:
    return engine_for(version).counter


def _ask_for_order(version_id: int) -> None:
    """Enqueue the order-learning task, at most once per ASK_AGAIN_SECONDS per version.
    With tasks run in-process (the embedded demo), never from here: it would make the
    consumer's request wait for it. There, publishing learns the order."""
    from configurator.tasks import version_learn_order_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    if cache.add(f"configurator:bdd-order-asked:{version_id}", True, ASK_AGAIN_SECONDS):
        try:  # one quick attempt: a consumer's request never waits on the broker
            version_learn_order_task.apply_async((version_id,), retry=False)
        except Exception:  # noqa: BLE001 - any broker error; the next ask retries
            cache.delete(f"configurator:bdd-order-asked:{version_id}")
            log.warning("Could not enqueue learning the order of version %s", version_id)


def learn_variable_order(version: CatalogVersion) -> int:
    """Sift the catalog's BDD and store the order found; returns the diagram's size. This
    process's engine is compiled again, from that order, when next asked for."""
    # Not through engine_for: with no order stored yet, that would ask for this very task.
    counter = ConfigurationCounter(spec_from_document(catalog_export(version=version)))
    counter.sift()
    CountingOrder.objects.update_or_create(
        version=version, defaults={"variables": counter.variable_order(), "nodes": counter.size}
    )
    with _lock:
        _engines.pop(version.pk, None)
    return counter.size


def still_open(version: CatalogVersion, evaluation: Evaluation) -> tuple[int, int | None]:
    """The complete configurations that keep every current choice, and how many different
    prices they have when that is cheap to know (None otherwise)."""
    if not evaluation.valid:
        return 0, 0
    counter = counter_for(version)
    count = counter.count(evaluation.selection)
    if count > PRICES_COUNTED_UP_TO:
        return count, None
    return count, counter.distinct_prices(evaluation.selection)
