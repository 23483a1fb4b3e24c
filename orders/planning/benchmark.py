"""Benchmarks of the planner, run with the same solver code the planning jobs use.

    python -m orders.planning.benchmark csplib     [--seeds 5] [--seconds 60] [--data DIR]
    python -m orders.planning.benchmark roadef     --data DIR [--seconds 600] [--seed 1]
    python -m orders.planning.benchmark synthetic  [--units 10000] [--seconds 60]

csplib: every CSPLib prob001 instance in ../shared/data/car-sequencing/csplib/, each
sequenced by the local search once per seed until it reaches the best-known number of
violated windows or its time runs out. Prints, per instance, the median result over the
seeds, the best-known value and the median time, then the totals, and checks each result
with the independent checker.

roadef: Renault's instances of the ROADEF 2005 challenge (set A, in the one-file layout
described in roadef.py), each sequenced once within the challenge's time; prints our
weighted objective beside that of Renault's own sequence from the file, re-scored by
roadef.score (separate code from the sequencer).

synthetic: a plan of 10,000 units over 4 lines and 10 days with 8 colours and 6 stations,
solved whole (construction, CP-SAT assignment, sequencing); prints the first plan's and
the final plan's metrics and times, and the peak memory.
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

from orders.planning import checker, csplib, roadef, solver, synthetic
from orders.planning.problem import DayPlan, Line, Problem, Station, Unit
from orders.planning.sequencer import sequence

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "car-sequencing" / "csplib"


def best_known(data: Path) -> dict[str, int]:
    """Instance name -> best-known violated windows, from BEST_KNOWN.md's table."""
    found = {}
    for line in (data / "BEST_KNOWN.md").read_text().splitlines():
        match = re.match(r"\|\s*(\d+-\d+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", line)
        if match:
            found[match[1]] = int(match[3])
    for path in data.glob("*.txt"):  # "60-01 … 90-10 (70 files) | 200 | 0": all feasible
        found.setdefault(path.stem, 0)
    return found


def independent_count(instance: csplib.Instance, order) -> int:
    """Re-count a sequence's violated windows with the checker, not the solver."""
    lines = (
        Line(
            "L",
            frozenset({"car"}),
            instance.cars,
            frozenset(range(1, 8)),
            tuple(
                Station(f"O{o}", p, q)
                for o, (p, q) in enumerate(zip(instance.p, instance.q, strict=True))
            ),
        ),
    )
    units = [
        Unit(
            f"u{index}",
            "car",
            frozenset(f"O{o}" for o, flag in enumerate(instance.need[c]) if flag),
        )
        for index, c in enumerate(order)
    ]
    problem = Problem(tuple(units), lines, date(2026, 1, 5))
    plan = [DayPlan("L", date(2026, 1, 5), [unit.id for unit in units])]
    return checker.measure(problem, plan).high_violations


def run_csplib(args) -> int:
    data = Path(args.data)
    targets = best_known(data)
    paths = sorted(data.glob("*.txt"), key=lambda p: (csplib.load(p).cars, p.stem))
    if args.only:
        paths = [p for p in paths if p.stem in args.only.split(",")]
    print(
        f"CSPLib prob001: {len(paths)} instances, {args.seeds} seeds, "
        f"{args.seconds:g} s limit each; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(
        f"{'instance':<9}{'cars':>5}{'median':>8}{'best':>6}{'known':>7}{'median s':>10}"
        f"{'max s':>8}  seeds at best-known"
    )
    totals = {"median": 0, "known": 0, "reached": 0, "over_time": 0}
    groups: dict[int, list[float]] = {}
    for path in paths:
        instance = csplib.load(path)
        known = targets[path.stem]
        results, times, hits = [], [], 0
        for seed in range(1, args.seeds + 1):
            found = sequence(
                instance.problem(), seed=seed, seconds=args.seconds, moves=10**12, target=known
            )
            recount = independent_count(instance, found.order)
            if recount != found.cost:
                print(f"{path.stem}: the checker counts {recount}, the solver {found.cost}")
                return 1
            results.append(found.cost)
            times.append(found.seconds)
            hits += found.cost <= known
        median = int(statistics.median(results))
        median_time = statistics.median(times)
        totals["median"] += median
        totals["known"] += known
        totals["reached"] += median <= known
        limit = 5 if instance.cars == 200 else 60
        totals["over_time"] += median_time > limit
        groups.setdefault(instance.cars, []).append(median_time)
        print(
            f"{path.stem:<9}{instance.cars:>5}{median:>8}{min(results):>6}{known:>7}"
            f"{median_time:>10.2f}{max(times):>8.2f}  {hits}/{args.seeds}"
        )
    print(
        f"\nTotal of medians {totals['median']} (best known {totals['known']}); "
        f"{totals['reached']}/{len(paths)} instances at their best-known value; "
        f"median time over its target (5 s for 200 cars, 60 s for 100): {totals['over_time']}"
    )
    for cars, values in sorted(groups.items()):
        middle = statistics.median(values)
        print(
            f"  {cars} cars: {len(values)} instances, median time {middle:.2f} s, "
            f"slowest {max(values):.2f} s"
        )
    return 0 if totals["reached"] == len(paths) else 2


def run_roadef(args) -> int:
    data = Path(args.data)
    paths = sorted(data.glob("*.in"))
    if not paths:
        print(f"No ROADEF 2005 instances (*.in) in {data}", file=sys.stderr)
        return 1
    print(
        f"ROADEF 2005: {len(paths)} instances from {data}, {args.seconds:g} s each, seed "
        f"{args.seed}; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(
        f"{'instance':<28}{'cars':>6}{'order':>21}{'Renault':>12}{'ours':>12}"
        f"{'high':>6}{'colour':>7}{'low':>6}{'paint':>6}{'s':>7}"
    )
    total_renault = total_ours = 0
    for path in paths:
        instance = roadef.load(path)
        found = sequence(
            instance.problem(), seed=args.seed, seconds=args.seconds, moves=10**13, target=0
        )
        ours = roadef.score(instance, found.order.tolist())
        theirs = roadef.score(instance, instance.renault)
        if ours["objective"] != found.cost:
            print(f"{path.stem}: the scorer counts {ours['objective']}, the solver {found.cost}")
            return 1
        total_renault += theirs["objective"]
        total_ours += ours["objective"]
        order = " > ".join(roadef.ORDERS[instance.order])
        print(
            f"{path.stem:<28}{len(instance.renault):>6}{order:>21}{theirs['objective']:>12,}"
            f"{ours['objective']:>12,}{ours['high']:>6}{ours['colour']:>7}{ours['low']:>6}"
            f"{'ok' if ours['paint_ok'] else 'OVER':>6}{found.seconds:>7.1f}"
        )
    print(f"\nTotal objective {total_ours:,} (Renault's own sequences: {total_renault:,})")
    return 0


def run_synthetic(args) -> int:
    problem = synthetic.generate(units=args.units, lines=4, days=10, stations=6, seed=args.seed)
    print(
        f"Synthetic plan: {len(problem.units)} units, {len(problem.lines)} lines, 10 days, "
        f"8 colours, 6 stations; {args.seconds:g} s; "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    marks = []
    started = time.perf_counter()

    def progress(phase, done, details):
        if "metrics" in details:
            marks.append((time.perf_counter() - started, details["metrics"]))

    tracemalloc.start()
    plan = solver.solve(
        problem, solver.Options(seconds=args.seconds, seed=args.seed), progress=progress
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rerun = checker.measure(problem, plan.days)
    assert rerun == plan.metrics, "the checker disagrees with the plan's metrics"
    keys = (
        "high_violations",
        "colour_changes",
        "paint_overruns",
        "low_violations",
        "late_units",
        "lateness_days",
        "cost",
    )
    print(f"{'':<18}" + "".join(f"{key:>17}" for key in keys))
    print(f"{'first plan':<18}" + "".join(f"{vars(plan.first_metrics)[k]:>17}" for k in keys))
    print(f"{'final plan':<18}" + "".join(f"{vars(plan.metrics)[k]:>17}" for k in keys))
    print(
        f"first plan after {plan.first_seconds:.2f} s, final after {plan.seconds:.2f} s; "
        f"last day {plan.metrics.last_day}; peak Python memory {peak / 2**20:.0f} MiB"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    cs = sub.add_parser("csplib")
    cs.add_argument("--seeds", type=int, default=5)
    cs.add_argument("--seconds", type=float, default=60.0)
    cs.add_argument("--data", default=str(DATA))
    cs.add_argument("--only", help="comma-separated instance names")
    ro = sub.add_parser("roadef")
    ro.add_argument("--data", required=True, help="a folder of set A instances (*.in)")
    ro.add_argument("--seconds", type=float, default=600.0)
    ro.add_argument("--seed", type=int, default=1)
    sy = sub.add_parser("synthetic")
    sy.add_argument("--units", type=int, default=10_000)
    sy.add_argument("--seconds", type=float, default=60.0)
    sy.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.what == "csplib":
        if not Path(args.data).is_dir():
            print(f"No instances at {args.data}: pass --data.", file=sys.stderr)
            return 1
        return run_csplib(args)
    if args.what == "roadef":
        return run_roadef(args)
    return run_synthetic(args)


if __name__ == "__main__":
    sys.exit(main())
