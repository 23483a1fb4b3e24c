"""Folding new events into weekly cells, incrementally and exactly once.

1. Lock the cursor row: a second rollup waits, then starts where the first stopped.
2. Read the next events by id, up to those received `lag` seconds ago: an event's id is
   taken before its transaction commits, so a younger one may still be invisible while a
   higher id is already there; no ingestion transaction lasts anywhere near the lag.
3. Turn each event into facts (measure, key, count, amount) and add them, with the
   consumer's id, to the cells of each level (`levels_of`): the fine cell (its province,
   age band and gender), its province's, its segment's and the coarse one.
4. Merge into the stored cells (their consumer bitmaps united), move the cursor, commit.
"""

from __future__ import annotations

import csv
import functools
import io
import time
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


def levels_of(province: str, age_band: str, gender: str) -> tuple[tuple[str, str, str], ...]:
    """The cells one fact is added to: fine, province only, segment only, then coarse,
    so that a page filtered or grouped by one dimension sums a few cells per key."""
    return (
        (province, age_band, gender),
        (province, ALL, ALL),
        (ALL, age_band, gender),
        (ALL, ALL, ALL),
    )


def tally(events: list[dict]) -> dict[tuple, Tally]:
    """Facts summed per cell coordinate: (product, measure, week, key, province, age, gender)."""
    cells: dict[tuple, Tally] = {}
    for event in events:
        if event["product_model_id"] is None:
            continue
        week = week_of(event["occurred_at"])
        levels = levels_of(event["province"], event["age_band"], event["gender"])
        for measure, key, count, amount in facts(event, defaults_of(event["version_id"])):
            head = (event["product_model_id"], measure, week, key)
            for dims in levels[-1:] if measure == "pair" else levels:
                cell = cells.setdefault(head + dims, Tally())
                cell.count += count
                cell.amount += amount
                cell.members.add(event["consumer_id"])
    return cells


def rollup_advance(*, now: datetime | None = None, budget_seconds: float | None = None) -> int:
    """Fold every event old enough into the cells, or as many chunks as `budget_seconds`
    allows (each chunk commits on its own); returns how many were folded."""
    folded, started = 0, time.monotonic()
    while True:
        done = _advance_chunk(now or timezone.now())
        folded += done
        if done < CHUNK:
            return folded
        if budget_seconds is not None and time.monotonic() - started >= budget_seconds:
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


# Weekly set differences the abandonment page reads as plain counts, since uniting a
# year of every option's consumer bitmaps on each page view costs seconds at scale.
# Each is rebuilt from the week's stored sets whenever one of its inputs changes.
DERIVED_FROM = frozenset(
    {"selected", "ordered", "ordered_option", "configured", "saved", "checkout"}
)
DERIVED = frozenset({"abandoned", "converted", "left_configured", "left_saved", "left_checkout"})


def _merge(tallies: dict[tuple, Tally]) -> None:
    """Add the tallies to the stored cells, and rebuild the weekly differences, in plain
    bulk SQL (`_write`), where the ORM's per-object work or an UPDATE per cell costs
    minutes for a day's events. Only this function writes cells, under the cursor lock,
    so nothing changes a cell between its read and its rewrite."""
    stored = _stored(tallies)
    merged: dict[tuple, tuple[int, Decimal, BitMap]] = {}
    for coordinate, add in tallies.items():
        old = stored.get(coordinate)
        count, amount, members = add.count, add.amount, add.members
        if old is not None:
            count += old[8]
            amount += old[9]
            members = BitMap.deserialize(bytes(old[10])) | members
        merged[coordinate] = (count, amount, members)
    merged.update(_differences(tallies, stored, merged))
    changed, added, emptied = [], [], []
    for coordinate, (count, amount, members) in merged.items():
        old = stored.get(coordinate)
        if not members:
            if old is not None:
                emptied.append(old[0])
        elif old is not None:
            changed.append((old[0], count, amount, len(members), members.serialize()))
        else:
            added.append((*coordinate, count, amount, len(members), members.serialize()))
    _write(changed, added, emptied)


STORED_FIELDS = ("pk", *COLUMNS[:7], "count", "amount", "members")


def _stored(tallies: dict[tuple, Tally]) -> dict[tuple, tuple]:
    """The stored cells of the touched products, measures and weeks, by coordinate (with
    every input of the weekly differences when one of them changes)."""
    products = {coordinate[0] for coordinate in tallies}
    measures = {coordinate[1] for coordinate in tallies}
    weeks = {coordinate[2] for coordinate in tallies}
    if measures & DERIVED_FROM:
        measures |= DERIVED_FROM | DERIVED
    return {
        row[1:8]: row
        for row in Cell.objects.filter(
            product_model_id__in=products, measure__in=measures, week__in=weeks
        ).values_list(*STORED_FIELDS)
    }


def _touched_groups(tallies: dict[tuple, Tally]) -> set[tuple]:
    """The (product, week, dimensions) whose weekly differences the tallies change."""
    return {
        (product, week, *dims)
        for (product, measure, week, _key, *dims) in tallies
        if measure in DERIVED_FROM
    }


def _differences(tallies: dict, stored: dict, merged: dict) -> dict[tuple, tuple]:
    """For each (product, week, dimensions) whose inputs changed: per option, who chose it
    and paid no order that week (abandoned) and who chose it and paid for it (converted);
    per stage, who reached it and paid no order that week (left_<stage>)."""
    touched = _touched_groups(tallies)
    chosen: dict[tuple, set[str]] = {}
    for product, measure, week, key, *dims in (*stored, *merged):
        if measure == "selected" and (product, week, *dims) in touched:
            chosen.setdefault((product, week, *dims), set()).add(key)

    def consumers(product, measure, week, key, dims) -> BitMap:
        coordinate = (product, measure, week, key, *dims)
        if coordinate in merged:
            return merged[coordinate][2]
        if coordinate in stored:
            return BitMap.deserialize(bytes(stored[coordinate][10]))
        return BitMap()

    derived = {}
    for product, week, *dims in touched:
        buyers = consumers(product, "ordered", week, "", dims)
        found = {
            (f"left_{stage}", ""): consumers(product, stage, week, "", dims) - buyers
            for stage in ("configured", "saved", "checkout")
        }
        for key in chosen.get((product, week, *dims), ()):
            chose = consumers(product, "selected", week, key, dims)
            found["abandoned", key] = chose - buyers
            found["converted", key] = chose & consumers(product, "ordered_option", week, key, dims)
        for (measure, key), members in found.items():
            coordinate = (product, measure, week, key, *dims)
            old = stored.get(coordinate)
            if old is None or BitMap.deserialize(bytes(old[10])) != members:
                derived[coordinate] = (len(members), Decimal(0), members)
            else:
                derived[coordinate] = None  # unchanged: not rewritten
    return {coordinate: cell for coordinate, cell in derived.items() if cell is not None}


def _write(changed: list[tuple], added: list[tuple], emptied: list[int]) -> None:
    """Changed cells are updated and new ones inserted in bulk: on PostgreSQL both go
    through COPY, the changes into a temporary table joined in one UPDATE, which leaves
    the indexes alone when the page has room (the table's fill factor keeps some)."""
    quote = connection.ops.quote_name
    table = quote(Cell._meta.db_table)
    values = ("count", "amount", "consumers", "members")
    with connection.cursor() as cursor:
        for start in range(0, len(emptied), 5000):
            chunk = emptied[start : start + 5000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)
        columns = ", ".join(quote(column) for column in COLUMNS)
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE changed_cell (id bigint PRIMARY KEY, count bigint, "
                "amount numeric(18, 2), consumers integer, members bytea)"
            )
            _copy(cursor, "changed_cell", "id, count, amount, consumers, members", changed)
            # without statistics the planner guesses a big table and scans every cell
            cursor.execute("ANALYZE changed_cell")
            assignments = ", ".join(f"{quote(name)} = changed.{quote(name)}" for name in values)
            cursor.execute(
                f"UPDATE {table} AS cell SET {assignments} FROM changed_cell AS changed "
                "WHERE cell.id = changed.id"
            )
            cursor.execute("DROP TABLE changed_cell")
            _copy(cursor, table, columns, added)
        else:
            assignments = ", ".join(f"{quote(name)} = %s" for name in values)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",
                [(*row[1:], row[0]) for row in changed],
            )
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", added)


def _copy(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    """COPY: ten times the rows a second of multi-row INSERTs. The last value is bytes."""
    buffer = io.StringIO()
    out = csv.writer(buffer)
    for row in rows:
        out.writerow((*row[:-1], "\\x" + row[-1].hex()))
    buffer.seek(0)
    cursor.cursor.copy_expert(
        f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
    )
