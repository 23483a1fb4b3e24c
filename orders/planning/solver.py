"""The planner: units to lines and days, then each line's day in sequence.

1. Construction, at once: units by due date into the earliest line-day that builds their
   model and has room, then each day sequenced greedily. A plan exists within a second or
   two even for ten thousand units.
2. Assignment by OR-Tools CP-SAT over classes of interchangeable units (model, stations,
   due date): capacities and line support are hard; each station's load per day is kept
   under what p-of-q allows, then lateness, then earliness. Its search is bounded by
   CP-SAT's deterministic time, so a seed gives one answer on any machine.
3. Sequencing of each line's days in date order by the local search in sequencer.py; each
   day starts from the previous day's last units, whose windows run into it.

The time limit is shared: a fifth for assignment, the rest for sequencing, handed out to
the days by their size.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from ortools.sat.python import cp_model

from orders.planning import checker
from orders.planning.problem import DayPlan, Line, Plan, Problem, ProblemError, Unit
from orders.planning.sequencer import COUNT_WINDOWS, DayProblem, sequence

Progress = Callable[[str, float, dict], None]
MAX_HORIZON_DAYS = 3 * 366


@dataclass
class Options:
    seconds: float = 30.0
    seed: int = 1
    moves_per_unit: int = 40_000  # the sequencing budget: moves per unit, at most
    assign_share: float = 0.2


def _calendar(problem: Problem) -> list[tuple[str, date]]:
    """(line, day) from the start, by date, until every model's lines could hold all the
    units on their own: enough for any assignment the construction makes."""
    total = len(problem.units)
    models = {unit.model for unit in problem.units}
    room: dict[str, int] = defaultdict(int)
    slots: list[tuple[str, date]] = []
    day = problem.start
    while any(room[model] < total for model in models):
        if (day - problem.start).days > MAX_HORIZON_DAYS:
            raise ProblemError("units: more than three years of production; split the batch.")
        for line in problem.lines:
            if day.isoweekday() in line.working_days:
                slots.append((line.code, day))
                for model in line.models:
                    room[model] += line.daily_capacity
        day += timedelta(days=1)
    return slots


def construct_assignment(problem: Problem) -> dict[str, tuple[str, date]]:
    """Earliest-due first into the earliest line-day with room that builds the model."""
    lines = {line.code: line for line in problem.lines}
    free: dict[tuple[str, date], int] = {}
    by_model: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for slot in _calendar(problem):
        line = lines[slot[0]]
        free[slot] = line.daily_capacity
        for model in line.models:
            by_model[model].append(slot)
    cursor: dict[str, int] = defaultdict(int)
    placed: dict[str, tuple[str, date]] = {}
    for unit in sorted(problem.units, key=lambda u: (u.due or date.max, u.id)):
        candidates = by_model[unit.model]
        index = cursor[unit.model]
        while free[candidates[index]] == 0:
            index += 1
        cursor[unit.model] = index
        free[candidates[index]] -= 1
        placed[unit.id] = candidates[index]
    return placed


def optimise_assignment(
    problem: Problem, start: dict[str, tuple[str, date]], options: Options, seconds: float
) -> dict[str, tuple[str, date]]:
    """Improve the construction's assignment with CP-SAT; keep the construction if the
    solver finds nothing better in its time."""
    weights = problem.weights
    lines = {line.code: line for line in problem.lines}
    used = sorted({day for _, day in start.values()})
    # every working line-day up to the construction's last day, and a few more, so that
    # units can move later when a station is overloaded earlier
    extra = max(2, len(used) // 5)
    days: list[tuple[str, date]] = []
    for line in problem.lines:
        beyond = 0
        for day in line.days_from(problem.start):
            if day > used[-1]:
                beyond += 1
                if beyond > extra:
                    break
            days.append((line.code, day))
    day_rank = {day: rank for rank, day in enumerate(sorted({d for _, d in days}))}
    horizon = len(day_rank) + 1

    classes: dict[tuple, list[Unit]] = defaultdict(list)
    for unit in problem.units:
        classes[(unit.model, unit.stations, unit.due)].append(unit)
    keys = sorted(classes, key=lambda k: (k[0], sorted(k[1]), k[2] or date.max))

    model = cp_model.CpModel()
    x: dict[tuple[int, str, date], cp_model.IntVar] = {}
    per_slot: dict[tuple[str, date], list] = defaultdict(list)
    for k, key in enumerate(keys):
        count = len(classes[key])
        cells = []
        for line_code, day in days:
            if key[0] in lines[line_code].models:
                var = model.new_int_var(0, min(count, lines[line_code].daily_capacity), "")
                x[(k, line_code, day)] = var
                cells.append(var)
                per_slot[(line_code, day)].append((k, var))
        model.add(sum(cells) == count)
    objective = []
    for (line_code, day), cells in per_slot.items():
        line = lines[line_code]
        total = sum(var for _, var in cells)
        model.add(total <= line.daily_capacity)
        for station in line.stations:
            load = [var for k, var in cells if station.code in keys[k][1]]
            if not load:
                continue
            # load <= p(n + q - 1)/q bounds what a day of n units can hold at this station
            over = model.new_int_var(0, line.daily_capacity, "")
            model.add(
                station.q * over >= station.q * sum(load) - station.p * (total + station.q - 1)
            )
            weight = weights.high_station if station.high_priority else weights.low_station
            objective.append(weight * horizon * over)
        for k, var in cells:
            due = keys[k][2]
            late = max(0, (day - due).days) if due else 0
            objective.append((weights.lateness_day * late * horizon + day_rank[day]) * var)
    model.minimize(sum(objective))
    hint: dict[tuple[int, str, date], int] = defaultdict(int)
    class_of = {unit.id: k for k, key in enumerate(keys) for unit in classes[key]}
    for unit_id, (line_code, day) in start.items():
        hint[(class_of[unit_id], line_code, day)] += 1
    for cell, var in x.items():
        model.add_hint(var, hint.get(cell, 0))

    solver = cp_model.CpSolver()
    solver.parameters.random_seed = options.seed
    solver.parameters.num_workers = 1
    # deterministic time keeps a seed's answer the same on any machine; the wall-clock
    # cap only matters on a machine far slower than the one the ratio was measured on
    solver.parameters.max_deterministic_time = max(0.3, seconds * 0.6)
    solver.parameters.max_time_in_seconds = max(1.0, seconds * 1.5)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start

    # hand real units to the quotas, colours kept together so days paint in runs
    placed: dict[str, tuple[str, date]] = {}
    for k, key in enumerate(keys):
        units = sorted(classes[key], key=lambda u: (u.colour, u.id))
        quotas = sorted(
            (
                (day, line_code, solver.value(var))
                for (kk, line_code, day), var in x.items()
                if kk == k
            ),
            key=lambda q: (q[0], q[1]),
        )
        at = 0
        for day, line_code, amount in quotas:
            for unit in units[at : at + amount]:
                placed[unit.id] = (line_code, day)
            at += amount
    return placed


def _day_problem(line: Line, units: list[Unit], prefix: list[Unit], weights) -> tuple:
    """The line-day as classes of interchangeable units."""
    stations = line.stations
    colours = sorted({u.colour for u in [*units, *prefix] if u.colour})
    colour_id = {colour: index for index, colour in enumerate(colours)}
    class_ids: dict[tuple, int] = {}
    members: list[list[Unit]] = []
    signatures = []

    def class_of(unit: Unit) -> int:
        signature = (tuple(s.code in unit.stations for s in stations), unit.colour)
        if signature not in class_ids:
            class_ids[signature] = len(members)
            members.append([])
            signatures.append(signature)
        return class_ids[signature]

    prefix_ids = tuple(class_of(unit) for unit in prefix)
    counts_list: dict[int, int] = defaultdict(int)
    for unit in units:
        c = class_of(unit)
        members[c].append(unit)
        counts_list[c] += 1
    n = len(members)
    need = np.zeros((n, max(1, len(stations))), np.int64)
    colour = np.full(n, -1, np.int64)
    for c, (flags, paint) in enumerate(signatures):
        need[c, : len(flags)] = flags
        colour[c] = colour_id[paint] if paint else -1
    if stations:
        p = np.array([s.p for s in stations], np.int64)
        q = np.array([s.q for s in stations], np.int64)
        weight = np.array(
            [weights.high_station if s.high_priority else weights.low_station for s in stations],
            np.int64,
        )
    else:  # a line without stations: a harmless station nothing loads
        p, q, weight = np.ones(1, np.int64), np.ones(1, np.int64), np.zeros(1, np.int64)
    day = DayProblem(
        need=need,
        counts=np.array([counts_list[c] for c in range(n)], np.int64),
        p=p,
        q=q,
        weight=weight,
        colour=colour,
        colour_change_weight=weights.colour_change,
        paint_limit=line.paint_batch_limit,
        paint_weight=weights.paint_overrun,
        prefix=prefix_ids,
        mode=COUNT_WINDOWS,
    )
    return day, members


def _tail_length(line: Line) -> int:
    longest = max([s.q for s in line.stations] + [1])
    return max(longest - 1, line.paint_batch_limit, 1)


def sequence_days(
    problem: Problem,
    placed: dict[str, tuple[str, date]],
    *,
    seed: int,
    moves_per_unit: int,
    deadline: float | None,
    should_stop: Callable[[], bool] | None = None,
    on_day: Callable[[int, int], None] | None = None,
) -> list[DayPlan]:
    units = {unit.id: unit for unit in problem.units}
    lines = {line.code: line for line in problem.lines}
    by_day: dict[tuple[str, date], list[Unit]] = defaultdict(list)
    for unit_id, slot in placed.items():
        by_day[slot].append(units[unit_id])
    order = sorted(by_day, key=lambda s: (s[0], s[1]))
    remaining_units = len(placed)
    plans: list[DayPlan] = []
    tails: dict[str, list[Unit]] = defaultdict(list)
    for index, (line_code, day) in enumerate(order):
        line = lines[line_code]
        day_units = sorted(by_day[(line_code, day)], key=lambda u: u.id)
        day_problem, members = _day_problem(line, day_units, tails[line_code], problem.weights)
        seconds = None
        if deadline is not None:
            share = len(day_units) / max(1, remaining_units)
            seconds = max(0.0, (deadline - time.perf_counter()) * share)
        result = sequence(
            day_problem,
            seed=seed + index,
            moves=moves_per_unit * len(day_units),
            seconds=seconds,
            should_stop=should_stop,
        )
        remaining_units -= len(day_units)
        pools = [list(group) for group in members]
        built = [pools[c].pop(0) for c in result.order]
        plans.append(DayPlan(line_code, day, [unit.id for unit in built]))
        tails[line_code] = (tails[line_code] + built)[-_tail_length(line) :]
        if on_day:
            on_day(index + 1, len(order))
    return plans


def solve(
    problem: Problem,
    options: Options | None = None,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Plan:
    """Plan every unit; report progress as (phase, fraction done, details)."""
    options = options or Options()
    problem.validate()
    started = time.perf_counter()
    deadline = started + options.seconds

    def report(phase: str, done: float, **details) -> None:
        if progress:
            progress(phase, done, details)

    report("construction", 0.0)
    if not problem.units:
        empty = checker.measure(problem, [])
        return Plan([], empty, empty)
    first = construct_assignment(problem)
    first_days = sequence_days(problem, first, seed=options.seed, moves_per_unit=0, deadline=None)
    first_metrics = checker.measure(problem, first_days)
    first_seconds = time.perf_counter() - started
    report("construction", 0.1, metrics=first_metrics.as_dict())
    if should_stop and should_stop():
        return Plan(first_days, first_metrics, first_metrics, first_seconds, first_seconds, True)

    report("assignment", 0.1)
    assigned = optimise_assignment(problem, first, options, options.seconds * options.assign_share)
    report("sequencing", 0.3)

    def on_day(done: int, total: int) -> None:
        report("sequencing", 0.3 + 0.7 * done / total, days_done=done, days=total)

    days = sequence_days(
        problem,
        assigned,
        seed=options.seed,
        moves_per_unit=options.moves_per_unit,
        deadline=deadline,
        should_stop=should_stop,
        on_day=on_day,
    )
    metrics = checker.measure(problem, days)
    if metrics.cost > first_metrics.cost:  # the optimised plan must never be worse
        days, metrics = first_days, first_metrics
    stopped = bool(should_stop and should_stop())
    return Plan(days, metrics, first_metrics, time.perf_counter() - started, first_seconds, stopped)
