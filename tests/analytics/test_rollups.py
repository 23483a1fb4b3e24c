"""Rollups equal the same figures computed from the raw events, however the events are
split between rollup runs, and an event is never counted twice."""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from pyroaring import BitMap

from analytics.models import ALL, Cell, Event, RollupCursor
from analytics.rollups import defaults_of, facts, rollup_advance, week_of

K = Event.Kind
OPTIONS = ["WHITE", "RED", "W17", "W19", "SUNROOF", "COVERS", "TOWBAR"]


def random_events(recorder, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(count):
        who = f"s:person-{rng.randint(1, 40)}"
        at = timezone.now() - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600))
        dims = {
            "occurred_at": at,
            "province": rng.choice(["11", "31", ""]),
            "age_band": rng.choice(["25-34", ""]),
            "gender": rng.choice(["female", ""]),
        }
        kind = rng.choice(["view", "select", "time", "search", "order"])
        if kind == "view":
            recorder.event(who, K.PRODUCT_VIEWED, **dims)
        elif kind == "select":
            recorder.event(
                who, K.OPTION_SELECTED, option_code=rng.choice(OPTIONS), group_code="G", **dims
            )
        elif kind == "time":
            recorder.event(
                who, K.GROUP_TIME, group_code="EXTRAS", seconds=rng.randint(1, 90), **dims
            )
        elif kind == "search":
            recorder.event(
                who,
                K.SEARCH,
                query=rng.choice(["Roof  box", "roof box", "hepa"]),
                matched=False,
                **dims,
            )
        else:
            recorder.order(who, rng.sample(OPTIONS, 3), quantity=rng.randint(1, 3), **dims)


LEVELS = ("fine", "province", "segment", "coarse")


def level_dims(event: dict, level: str) -> tuple:
    province, age_band, gender = event["province"], event["age_band"], event["gender"]
    return {
        "fine": (province, age_band, gender),
        "province": (province, ALL, ALL),
        "segment": (ALL, age_band, gender),
        "coarse": (ALL, ALL, ALL),
    }[level]


def from_raw_events(level: str) -> dict:
    """The figures computed straight from the events, by separate, simple code."""
    figures = defaultdict(lambda: [0, 0, set()])
    for event in Event.objects.values():
        dims = level_dims(event, level)
        for measure, key, count, amount in facts(event, defaults_of(event["version_id"])):
            if level != "coarse" and measure == "pair":
                continue
            slot = figures[(measure, week_of(event["occurred_at"]), key, *dims)]
            slot[0] += count
            slot[1] += amount
            slot[2].add(event["consumer_id"])
    found = {k: (c, a, len(s)) for k, (c, a, s) in figures.items()}
    nobody: set = set()
    for (measure, week, key, *dims), (_count, _amount, who) in list(figures.items()):
        buyers = figures.get(("ordered", week, "", *dims), (0, 0, nobody))[2]
        differences = {}
        if measure == "selected":
            bought = figures.get(("ordered_option", week, key, *dims), (0, 0, nobody))[2]
            differences["abandoned"] = who - buyers
            differences["converted"] = who & bought
        elif measure in ("configured", "saved", "checkout"):
            differences[f"left_{measure}"] = who - buyers
        for name, people in differences.items():
            if people:
                found[(name, week, key, *dims)] = (len(people), 0, len(people))
    return found


def from_cells(level: str) -> dict:
    province, segment = ~Q(province=ALL), ~Q(age_band=ALL) & ~Q(gender=ALL)
    selected = {
        "fine": province & segment,
        "province": province & Q(age_band=ALL, gender=ALL),
        "segment": Q(province=ALL) & segment,
        "coarse": Q(province=ALL, age_band=ALL, gender=ALL),
    }[level]
    found = {}
    for cell in Cell.objects.filter(selected):
        assert len(BitMap.deserialize(bytes(cell.members))) == cell.consumers
        coordinate = (cell.measure, cell.week, cell.key, cell.province, cell.age_band, cell.gender)
        found[coordinate] = (cell.count, cell.amount, cell.consumers)
    return found


def assert_every_level_equals_the_raw_events():
    for level in LEVELS:
        assert from_cells(level) == from_raw_events(level), level
    levels_written = sum(len(from_cells(level)) for level in LEVELS)
    assert Cell.objects.count() == levels_written  # no cell outside the four levels


def test_rollups_equal_the_figures_computed_from_raw_events(recorder):
    random_events(recorder, 400, seed=1)

    rollup_advance()

    assert_every_level_equals_the_raw_events()


def test_rolling_up_in_several_runs_gives_the_same_cells_as_one_run(recorder):
    random_events(recorder, 150, seed=2)
    rollup_advance()
    random_events(recorder, 150, seed=3)
    rollup_advance()
    rollup_advance()  # nothing new: nothing changes

    assert_every_level_equals_the_raw_events()


def test_a_choice_stops_counting_as_abandoned_once_its_order_is_paid_in_a_later_run(recorder):
    recorder.event("s:slow-buyer", K.OPTION_SELECTED, option_code="RED", group_code="PAINT")
    rollup_advance()
    assert Cell.objects.filter(measure="abandoned", key="RED").count() == 4  # one per level

    recorder.order("s:slow-buyer", ["RED", "W19"])
    rollup_advance()

    assert not Cell.objects.filter(measure="abandoned").exists()
    assert Cell.objects.filter(measure="converted", key="RED", consumers=1).count() == 4
    assert_every_level_equals_the_raw_events()


def test_a_rollup_task_out_of_time_hands_the_rest_to_the_next_task(
    recorder, monkeypatch, eager_celery
):
    from analytics import rollups, tasks

    monkeypatch.setattr(rollups, "CHUNK", 2)
    monkeypatch.setattr(tasks, "CHUNK", 2)
    monkeypatch.setattr(tasks, "BUDGET_SECONDS", 0)  # one chunk per task
    for i in range(5):
        recorder.event(f"s:viewer-{i}", K.PRODUCT_VIEWED)

    assert rollup_advance(budget_seconds=0) == 2  # stops after a chunk, committed
    tasks.rollup_advance_task()  # then each task folds a chunk and enqueues the next

    assert RollupCursor.objects.get().last_event_id == Event.objects.order_by("-pk")[0].pk
    assert Cell.objects.get(measure="viewed", province=ALL, gender=ALL).consumers == 5


def test_events_younger_than_the_lag_wait_for_the_next_run(recorder, settings):
    settings.ANALYTICS_ROLLUP_LAG_SECONDS = 30
    recorder.event(
        "s:early-bird", K.PRODUCT_VIEWED, received_at=timezone.now() - timedelta(minutes=5)
    )
    recorder.event("s:just-now", K.PRODUCT_VIEWED, received_at=timezone.now())

    assert rollup_advance() == 1
    assert rollup_advance(now=timezone.now() + timedelta(minutes=1)) == 1
    assert Cell.objects.get(measure="viewed", province=ALL, gender=ALL).consumers == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_rollups_at_once_count_every_event_exactly_once(maker_a):
    from tests.analytics.conftest import Recorder

    recorder = Recorder(maker_a.published)
    random_events(recorder, 300, seed=4)
    results, errors = [], []

    def run():
        try:
            results.append(rollup_advance())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(results) == [0, 300]  # committed 300, processed 300, duplicated 0
    assert RollupCursor.objects.get().last_event_id == Event.objects.order_by("-pk").first().pk
    assert_every_level_equals_the_raw_events()
