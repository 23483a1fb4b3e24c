"""The planner's pure core: the sequencer against brute force, whole plans against the
independent checker, determinism, and the reasons it gives for dates."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.planning import checker, csplib, explain, solver
from orders.planning.problem import DayPlan, Line, Plan, Problem, ProblemError, Station, Unit
from orders.planning.sequencer import COUNT_WINDOWS, DayProblem, sequence, total_cost

MONDAY = date(2026, 12, 7)
WEEKDAYS = frozenset({1, 2, 3, 4, 5})


def brute_force_best(need, counts, p, q) -> int:
    """The fewest violated windows over every distinct ordering of the units."""
    units = [c for c, n in enumerate(counts) for _ in range(n)]
    best = None
    for order in set(itertools.permutations(units)):
        cost = sum(
            checker.violated_windows([bool(need[c][o]) for c in order], p[o], q[o])
            for o in range(len(p))
        )
        best = cost if best is None else min(best, cost)
    return best


small_instances = (
    st.integers(2, 3)
    .flatmap(
        lambda n_options: st.tuples(
            st.lists(
                st.tuples(st.integers(1, 2), st.integers(2, 4)),
                min_size=n_options,
                max_size=n_options,
            ).map(lambda pq: [(min(p, q - 1), q) for p, q in pq]),
            st.lists(
                st.tuples(
                    st.integers(1, 3),
                    st.lists(st.integers(0, 1), min_size=n_options, max_size=n_options),
                ),
                min_size=2,
                max_size=3,
            ),
        )
    )
    .filter(lambda inst: 4 <= sum(n for n, _ in inst[1]) <= 8)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances)
def test_the_sequencer_finds_the_brute_force_optimum_on_small_instances(instance):
    ratios, classes = instance
    p = [p for p, _ in ratios]
    q = [q for _, q in ratios]
    counts = [n for n, _ in classes]
    need = [flags for _, flags in classes]
    problem = DayProblem(
        need=np.array(need),
        counts=np.array(counts),
        p=np.array(p),
        q=np.array(q),
        weight=np.ones(len(p), np.int64),
        mode=COUNT_WINDOWS,
    )
    found = sequence(problem, seed=3, moves=200_000)
    assert sorted(found.order.tolist()) == sorted(c for c, n in enumerate(counts) for _ in range(n))
    assert found.cost == brute_force_best(need, counts, p, q)


def test_a_classic_feasible_csplib_instance_is_sequenced_without_violations(csplib_dir):
    instance = csplib.load(csplib_dir / "41-66.txt")
    found = sequence(instance.problem(), seed=1, moves=50_000_000, seconds=30)
    assert found.cost == 0
    flags = [[bool(instance.need[c][o]) for c in found.order] for o in range(len(instance.p))]
    assert (
        sum(
            checker.violated_windows(f, p, q)
            for f, p, q in zip(flags, instance.p, instance.q, strict=True)
        )
        == 0
    )


def test_the_same_seed_gives_the_same_sequence_however_the_run_is_sliced(monkeypatch):
    instance_text = """10 2 3
    1 2
    2 3
    0 4 1 0
    1 3 0 1
    2 3 1 1
    """
    problem = csplib.parse(instance_text).problem()
    first = sequence(problem, seed=7, moves=30_000)
    from orders.planning import sequencer

    monkeypatch.setattr(sequencer, "SLICE", 997)
    again = sequence(problem, seed=7, moves=30_000)
    assert first.order.tolist() == again.order.tolist()
    assert first.cost == again.cost


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "header"),
        ("4 1 1\n1\n2\n0 4 x\n", "line 4: 'x' is not an integer"),
        ("4 1 1\n1\n2\n0 3 1\n", "the classes hold 3 cars, the header says 4"),
        ("4 1 1\n3\n2\n0 4 1\n", "1 <= p <= q"),
        ("4 1 2\n1\n2\n0 4 1\n", "need 11 numbers, found 8"),
    ],
)
def test_a_broken_instance_file_is_refused_naming_what_is_wrong(text, message):
    with pytest.raises(csplib.InstanceError, match=message):
        csplib.parse(text, "broken")


# Whole plans ------------------------------------------------------------------------------


def line(code="L1", capacity=4, models=("car",), stations=(), limit=0, days=WEEKDAYS):
    return Line(code, frozenset(models), capacity, days, tuple(stations), limit)


def unit(index, model="car", stations=(), colour="", due=None):
    return Unit(f"u{index:03d}", model, frozenset(stations), colour, due, f"o{index:03d}")


problems = st.builds(
    lambda n_units, capacity, n_lines, seed: _random_problem(n_units, capacity, n_lines, seed),
    st.integers(1, 40),
    st.integers(1, 8),
    st.integers(1, 3),
    st.integers(0, 10_000),
)


def _random_problem(n_units, capacity, n_lines, seed):
    import random

    rng = random.Random(seed)
    stations = (Station("ROOF", 1, 2), Station("TOW", 2, 3), Station("HUD", 1, 3, False))
    lines = tuple(
        line(
            f"L{i}",
            capacity,
            models=("car", "van") if i == 0 else ("car",),
            stations=stations,
            limit=rng.choice([0, 2, 3]),
            days=frozenset(rng.sample(range(1, 8), rng.randint(1, 6))),
        )
        for i in range(n_lines)
    )
    units = tuple(
        unit(
            i,
            model=rng.choice(["car", "car", "van"]),
            stations=[s.code for s in stations if rng.random() < 0.4],
            colour=rng.choice(["#FFFFFF", "#000000", "#FF0000", ""]),
            due=MONDAY + timedelta(days=rng.randint(0, 12)),
        )
        for i in range(n_units)
    )
    return Problem(units, lines, MONDAY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems)
def test_every_plan_meets_the_hard_rules_and_its_metrics_match_the_checker(problem):
    plan = solver.solve(problem, solver.Options(seconds=2, moves_per_unit=2_000))
    checker.check_hard(problem, plan.days)
    assert checker.measure(problem, plan.days) == plan.metrics
    assert plan.metrics.cost <= plan.first_metrics.cost
    # the sequencer's own count of each line, days joined, agrees with the checker's
    assert _sequencer_cost(problem, plan.days) == plan.metrics.cost - (
        problem.weights.lateness_day * plan.metrics.lateness_days
    )


def _sequencer_cost(problem: Problem, days: list[DayPlan]) -> int:
    units = {u.id: u for u in problem.units}
    total = 0
    for built_line in problem.lines:
        ids = [
            u
            for d in sorted(days, key=lambda d: d.day)
            if d.line == built_line.code
            for u in d.units
        ]
        if not ids:
            continue
        colours = sorted({units[i].colour for i in ids if units[i].colour})
        classes = {}
        seq = []
        for i in ids:
            u = units[i]
            key = (tuple(s.code in u.stations for s in built_line.stations), u.colour)
            seq.append(classes.setdefault(key, len(classes)))
        need = np.array([list(k[0]) for k in classes], np.int64)
        colour = np.array([colours.index(k[1]) if k[1] else -1 for k in classes], np.int64)
        weights = problem.weights
        total += int(
            total_cost(
                np.array(seq, np.int64),
                0,
                need,
                np.array([s.p for s in built_line.stations], np.int64),
                np.array([s.q for s in built_line.stations], np.int64),
                np.array(
                    [
                        weights.high_station if s.high_priority else weights.low_station
                        for s in built_line.stations
                    ],
                    np.int64,
                ),
                COUNT_WINDOWS,
                colour,
                weights.colour_change,
                built_line.paint_batch_limit,
                weights.paint_overrun,
            )
        )
    return total


def test_a_seed_gives_the_same_plan_every_time():
    problem = _random_problem(60, 5, 2, seed=11)
    options = solver.Options(seconds=30, moves_per_unit=3_000, seed=5)
    first = solver.solve(problem, options)
    again = solver.solve(problem, options)
    assert [(d.line, d.day, d.units) for d in first.days] == [
        (d.line, d.day, d.units) for d in again.days
    ]


def test_colours_are_grouped_and_the_paint_batch_limit_is_never_passed():
    units = tuple(unit(i, colour=["#FFFFFF", "#000000"][i % 2]) for i in range(12))
    problem = Problem(units, (line(capacity=12, limit=3),), MONDAY)
    plan = solver.solve(problem, solver.Options(seconds=5))
    assert plan.metrics.paint_overruns == 0
    assert plan.metrics.colour_changes == 3  # runs of 3: W W W B B B W W W B B B


def test_units_no_line_can_build_are_refused_by_name():
    problem = Problem((unit(1, model="boat"),), (line(),), MONDAY)
    with pytest.raises(ProblemError, match="unit u001: no line builds model boat"):
        solver.solve(problem)


def test_units_are_placed_only_on_working_days_of_lines_that_build_them():
    lines = (
        line("CARS", 2, models=("car",), days=frozenset({1, 3})),
        line("VANS", 2, models=("van",), days=frozenset({2})),
    )
    units = tuple(unit(i, model="car" if i < 5 else "van") for i in range(8))
    plan = solver.solve(Problem(units, lines, MONDAY), solver.Options(seconds=3))
    placement = plan.placement()
    for u in units:
        line_code, day, _ = placement[u.id]
        assert (line_code == "CARS") == (u.model == "car")
        assert day.isoweekday() in ({1, 3} if u.model == "car" else {2})


def test_the_reason_names_full_lines_or_a_station_at_its_limit():
    full = Problem(tuple(unit(i, due=MONDAY) for i in range(5)), (line(capacity=2),), MONDAY)
    plan = solver.solve(full, solver.Options(seconds=2))
    why = explain.reasons(full, plan)
    by_day = {u: day for u, (_, day, _) in plan.placement().items()}
    for unit_id, reason in why.items():
        if by_day[unit_id] == MONDAY:
            assert reason == {"kind": "earliest"}
        else:
            assert reason["kind"] == "capacity"
            assert reason["lines"] == ["L1"]


def test_assignment_spreads_a_busy_station_over_days_instead_of_overloading_one():
    roof = Station("ROOF", 1, 2, name="Sunroof")
    units = tuple(unit(i, stations=["ROOF"] if i < 4 else [], due=MONDAY) for i in range(8))
    problem = Problem(units, (line(capacity=4, stations=[roof]),), MONDAY)
    plan = solver.solve(problem, solver.Options(seconds=5))
    assert plan.first_metrics.high_violations > 0  # earliest-due first puts 4 roofs on Monday
    assert plan.metrics.high_violations == 0
    for day in plan.days:  # R P R P: the station sees every other unit
        flags = ["ROOF" in problem.units[int(u[1:])].stations for u in day.units]
        assert flags in ([True, False, True, False], [False, True, False, True])


def test_a_unit_held_back_by_a_station_at_its_limit_is_told_so():
    roof = Station("ROOF", 1, 2, name="Sunroof")
    units = (
        unit(0, stations=["ROOF"]),
        unit(1),
        unit(2, stations=["ROOF"]),
        unit(3, stations=["ROOF"]),
    )
    problem = Problem(units, (line(capacity=4, stations=[roof]),), MONDAY)
    tuesday = MONDAY + timedelta(days=1)
    plan = Plan(
        [DayPlan("L1", MONDAY, ["u000", "u001", "u002"]), DayPlan("L1", tuesday, ["u003"])],
        None,
        None,
    )
    why = explain.reasons(problem, plan)
    assert why["u000"] == {"kind": "earliest"}
    assert why["u003"] == {
        "kind": "station",
        "station": "ROOF",
        "name": "Sunroof",
        "p": 1,
        "q": 2,
        "line": "L1",
        "until": MONDAY.isoformat(),
    }
