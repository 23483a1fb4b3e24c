"""Folding new events into weekly cells, incrementally and exactly once.

1. Lock the cursor row: a second rollup waits, then starts where the first stopped.
2. Read the next events by id, up to those received `lag` seconds ago: an event's id is
   taken before its transaction commits, so a younger one may still be invisible while a
   higher id is already there; no ingestion transaction lasts anywhere near the lag.
3. Turn each event into facts (measure, key, count, amount) and add them, with the
   consumer's id, to the fine cell (its province, age band and gender) and the coarse one.
4. Merge into the stored cells (their consumer bitmaps united), move the cursor, commit.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from pyroaring import BitMap

from analytics.models import ALL, Cell, Event, RollupCursor
from catalog.models import CatalogVersion
from configurator.compiled import engine_for

CURSOR = "cells"
CHUNK = 100_000  # events per transaction: about 10 s of work and 300 MB at the most
EVENT_FIELDS = (
    "pk",
    "kind",
    "consumer_id",
    "product_model_id",
    "version_id",
    "occurred_at",
    "province",
    "age_band",
    "gender",
    "group_code",
    "option_code",
    "query",
    "matched",
    "seconds",
    "resolution",
    "options",
    "unit_price",
    "quantity",
)
K = Event.Kind
STAGES = {  # funnel stage measures, keyed by the event that reaches them
    K.PRODUCT_VIEWED: "viewed",
    K.CONFIGURATION_SAVED: "saved",
    K.CONFIGURATION_SHARED: "shared",
    K.CONFIGURATION_COMPARED: "compared",
    K.CHECKOUT_STARTED: "checkout",
}


def week_of(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def price_band(price: Decimal) -> int:
    """The price rounded down to two significant figures (2,345 → 2,300; 256,000 →
    250,000): fine enough for any product's histogram, and pages merge bands further."""
    whole = int(price)
    if whole < 100:
        return whole
    scale = 10 ** (len(str(whole)) - 2)
    return whole // scale * scale


def facts(event: dict, defaults: frozenset[str] = frozenset()) -> Iterator[tuple]:
    """What one event adds: (measure, key, count, amount). `defaults` are the default
    options of the event's catalog version: they are not choices people made, so they
    make no pairs."""
    kind, zero = event["kind"], Decimal(0)
    if kind in STAGES:
        yield STAGES[kind], "", 1, zero
    elif kind == K.OPTION_SELECTED:
        yield "configured", "", 1, zero
        yield "selected", event["option_code"], 1, zero
        yield "group_reached", event["group_code"], 1, zero
    elif kind == K.OPTION_DESELECTED:
        yield "deselected", event["option_code"], 1, zero
    elif kind == K.GROUP_TIME:
        yield "group_time", event["group_code"], 1, Decimal(event["seconds"])
        yield "group_reached", event["group_code"], 1, zero
    elif kind == K.EXCLUSION_HIT:
        yield "exclusion", event["option_code"], 1, zero
    elif kind == K.EXCLUSION_RESOLVED:
        yield f"excl_{event['resolution']}", event["option_code"], 1, zero
    elif kind == K.SEARCH:
        yield "search", "", 1, zero
        if not event["matched"]:
            yield "search_miss", normalise_query(event["query"]), 1, zero
    elif kind == K.ORDER_PLACED:
        yield "placed", "", 1, Decimal(event["quantity"])
    elif kind == K.ORDER_PAID:
        yield from _order_facts(event, defaults)


def _order_facts(event: dict, defaults: frozenset[str]) -> Iterator[tuple]:
    units = Decimal(event["quantity"])
    yield "ordered", "", 1, units
    yield "price", str(price_band(event["unit_price"])), 1, event["unit_price"]
    codes = sorted(set(event["options"]))
    for code in codes:
        yield "ordered_option", code, 1, units
    # a 58-group car has 1,653 pairs of options, nearly all defaults; its buyers choose a few
    chosen = [code for code in codes if code not in defaults]
    for i, first in enumerate(chosen):
        for second in chosen[i + 1 :]:
            yield "pair", f"{first}+{second}", 1, units


@functools.lru_cache(maxsize=256)
def defaults_of(version_id: int | None) -> frozenset[str]:
    """The default options of a catalog version (published versions never change)."""
    version = CatalogVersion.objects.filter(pk=version_id).first() if version_id else None
    if version is None:
        return frozenset()
    return frozenset(o.code for o in engine_for(version).spec.options.values() if o.is_default)


def normalise_query(query: str) -> str:
    return " ".join(query.lower().split())[:100]


@dataclass
class Tally:
    count: int = 0
    amount: Decimal = Decimal(0)
    members: BitMap = field(default_factory=BitMap)


def tally(events: list[dict]) -> dict[tuple, Tally]:
    """Facts summed per cell coordinate: (product, measure, week, key, province, age, gender)."""
    cells: dict[tuple, Tally] = {}
    for event in events:
        if event["product_model_id"] is None:
            continue
        week = week_of(event["occurred_at"])
        fine = (event["province"], event["age_band"], event["gender"])
        for measure, key, count, amount in facts(event, defaults_of(event["version_id"])):
            head = (event["product_model_id"], measure, week, key)
            levels = ((ALL, ALL, ALL),) if measure == "pair" else (fine, (ALL, ALL, ALL))
            for dims in levels:
                cell = cells.setdefault(head + dims, Tally())
                cell.count += count
                cell.amount += amount
                cell.members.add(event["consumer_id"])
    return cells


def rollup_advance(*, now: datetime | None = None) -> int:
    """Fold every event old enough into the cells; returns how many were folded."""
    folded = 0
    while True:
        done = _advance_chunk(now or timezone.now())
        folded += done
        if done < CHUNK:
            return folded


def _advance_chunk(now: datetime) -> int:
    horizon = now - timedelta(seconds=settings.ANALYTICS_ROLLUP_LAG_SECONDS)
    with transaction.atomic():
        cursor, _ = RollupCursor.objects.select_for_update().get_or_create(name=CURSOR)
        events = list(
            Event.objects.filter(pk__gt=cursor.last_event_id)
            .order_by("pk")
            .values(*EVENT_FIELDS, "received_at")[:CHUNK]
        )
        ready = []
        for event in events:
            if event["received_at"] > horizon:
                break  # keep the ids contiguous: the rest waits for the next run
            ready.append(event)
        if not ready:
            return 0
        _merge(tally(ready))
        cursor.last_event_id = ready[-1]["pk"]
        cursor.updated_at = now
        cursor.save(update_fields=["last_event_id", "updated_at"])
    return len(ready)


COLUMNS = (
    "product_model_id", "measure", "week", "key", "province", "age_band", "gender",
    "count", "amount", "consumers", "members",
)  # fmt: skip


def _merge(tallies: dict[tuple, Tally]) -> None:
    """Add the tallies to the stored cells.

    Changed cells are deleted and inserted again with the new ones, in plain SQL: one
    DELETE and one batched INSERT, where the ORM's per-object work or an UPDATE per cell
    costs minutes for a day's events. Only this function writes cells, under the cursor
    lock, so nothing changes a cell between its read and its rewrite."""
    products = {coordinate[0] for coordinate in tallies}
    measures = {coordinate[1] for coordinate in tallies}
    weeks = {coordinate[2] for coordinate in tallies}
    stored = {
        row[1:8]: row
        for row in Cell.objects.filter(
            product_model_id__in=products, measure__in=measures, week__in=weeks
        ).values_list("pk", *COLUMNS[:7], "count", "amount", "members")
    }
    rows, replaced = [], []
    for coordinate, add in tallies.items():
        old = stored.get(coordinate)
        count, amount, members = add.count, add.amount, add.members
        if old is not None:
            replaced.append(old[0])
            count += old[8]
            amount += old[9]
            members = BitMap.deserialize(bytes(old[10])) | members
        rows.append((*coordinate, count, amount, len(members), members.serialize()))
    quote = connection.ops.quote_name
    table = quote(Cell._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(replaced), 5000):
            chunk = replaced[start : start + 5000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)
        columns = ", ".join(quote(column) for column in COLUMNS)
        if connection.vendor == "postgresql":
            # COPY: ten times the rows a second of multi-row INSERTs
            buffer = io.StringIO()
            out = csv.writer(buffer)
            for row in rows:
                out.writerow((*row[:-1], "\\x" + row[-1].hex()))
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
