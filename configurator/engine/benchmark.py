"""Benchmark of the configurator engine on a catalog document: compile times, evaluate
latency over random consumer walks (choose, change, undo), exact counts, memory.

    python -m configurator.engine.benchmark                 # the demo SUV
    python -m configurator.engine.benchmark catalog.json    # any exported catalog
    python -m configurator.engine.benchmark --walks 200 --steps 30 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import tracemalloc
from pathlib import Path

from configurator.engine.counting import PRICES_COUNTED_UP_TO, ConfigurationCounter
from configurator.engine.evaluate import AVAILABLE, EXCLUDED, Engine
from configurator.engine.pricing import Selection
from configurator.engine.spec import spec_from_document


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def walk(engine: Engine, rng: random.Random, steps: int, latencies: list[float], seen=None) -> None:
    """One consumer: mostly choosing, sometimes changing their mind, sometimes undoing."""
    history = [Selection()]
    evaluation, seconds = _timed(engine.evaluate, history[-1])
    latencies.append(seconds)
    if seen is not None:
        seen.append(evaluation.selection)
    for _ in range(steps):
        action = rng.random()
        if action < 0.15 and len(history) > 1:
            history.pop()  # undo
        else:
            wanted = AVAILABLE if action < 0.85 else EXCLUDED  # an excluded one: resolve it
            candidates = [c for c, s in evaluation.states.items() if s.state == wanted]
            if not candidates:
                continue
            history.append(engine.choose(history[-1], rng.choice(candidates)))
        evaluation, seconds = _timed(engine.evaluate, history[-1])
        latencies.append(seconds)
        if seen is not None:
            seen.append(evaluation.selection)


def memory(spec, order: list[str], steps: int) -> None:
    """A compiled catalog's memory after 50 walks (tables and reasons fill as they are met),
    measured apart: tracing allocations slows Python several times over."""
    tracemalloc.start()
    engine = Engine(spec, order)
    rng = random.Random(1)
    for _ in range(50):
        walk(engine, rng, steps, [])
    python_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    cudd_bytes = engine.counter.bdd.statistics()["mem"]
    print(f"memory of the compiled catalog after 50 walks: {python_bytes / 1e6:.1f} MB of "
          f"Python objects (SAT encoding, diagram, lookup tables, cached reasons), "
          f"{cudd_bytes / 1e6:.1f} MB in CUDD (mostly tables it allocates up front)")  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _document(text: str) -> dict:
    head = text[:2000]
    if "<feature_model" in head or "<featureModel" in head:
        from catalog.featuremodels import read_featureide, read_sxfm, to_catalog_document

        reader = read_sxfm if "<feature_model" in head else read_featureide
        return to_catalog_document(reader(text), manufacturer="maker", product="model")
    return json.loads(text)


def distinct_prices(counter: ConfigurationCounter, selections: list[Selection]) -> None:
    """The distinct-price count where the site asks for it (few enough configurations)."""
    asked = [s for s in selections if 0 < counter.count(s) <= PRICES_COUNTED_UP_TO]
    timed = [_timed(counter.distinct_prices, s) for s in asked]
    answered = [n for n, _seconds in timed if n is not None]
    seconds = [t for _n, t in timed]
    if not timed:
        print("distinct prices: never asked (every selection had too many configurations left)")
        return
    print(f"distinct prices: asked for {len(asked)} of {len(selections)} selections, answered "
          f"{len(answered)} (up to {max(answered, default=0)} prices), "
          f"p50 {percentile(seconds, 0.5) * 1000:.0f} ms, "
          f"p95 {percentile(seconds, 0.95) * 1000:.0f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "document", nargs="?", help="catalog JSON or feature model (default: the demo SUV)"
    )
    parser.add_argument("--walks", type=int, default=300)
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    if args.document:
        document = _document(Path(args.document).read_text())
    else:
        from catalog.demo import suv

        document = suv.document()
    spec = spec_from_document(document)
    print(f"catalog: {document['product']['name']}: {len(spec.groups)} groups, "
          f"{len(spec.options)} options, {len(spec.rules)} rules")  # fmt: skip

    sat_engine, sat_seconds = _timed(Engine, spec)
    print(f"compile (SAT encoding, for reasons, resolving and completing): "
          f"{sat_seconds * 1000:.0f} ms, {sat_engine.encoding.pool.top} variables, "
          f"{len(sat_engine.encoding.clauses)} clauses")  # fmt: skip

    counter, compile_bdd_seconds = _timed(ConfigurationCounter, spec)
    heuristic_size = counter.size
    _, heuristic_diagram_seconds = _timed(counter.state_diagram)
    heuristic_layered = counter.state_diagram().size
    _, sift_seconds = _timed(counter.sift)
    order = counter.variable_order()
    print(f"compile (BDD) from the FORCE order of the groups: {compile_bdd_seconds:.2f} s "
          f"({heuristic_size} nodes), layered diagram read in {heuristic_diagram_seconds:.2f} s "
          f"({heuristic_layered[0]} nodes, {heuristic_layered[1]} edges); "
          f"sifting once (groups kept whole, in the background) {sift_seconds:.2f} s")  # fmt: skip

    engine, sat_again_seconds = _timed(Engine, spec, order)
    _, bdd_seconds = _timed(lambda: engine.counter)
    _, diagram_seconds = _timed(lambda: engine.diagram)
    nodes, edges = engine.diagram.size
    layers = len(engine.diagram.layers)
    print(f"compile from the stored, sifted order: "
          f"{sat_again_seconds + bdd_seconds + diagram_seconds:.2f} s in all (SAT encoding "
          f"{sat_again_seconds * 1000:.0f} ms; BDD of {engine.counter.size} nodes in "
          f"{bdd_seconds * 1000:.0f} ms; layered diagram of {layers} layers, {nodes} nodes, "
          f"{edges} edges, read in {diagram_seconds * 1000:.0f} ms)")  # fmt: skip
    total, count_seconds = _timed(engine.counter.count)
    print(
        f"complete configurations: {total} ({total:.3e}), counted in {count_seconds * 1000:.0f} ms"
    )

    rng = random.Random(args.seed)
    latencies: list[float] = []
    for _ in range(args.walks):
        walk(engine, rng, args.steps, latencies)
    print(f"evaluate over {args.walks} walks ({len(latencies)} evaluations): "
          f"p50 {percentile(latencies, 0.5) * 1000:.2f} ms, "
          f"p95 {percentile(latencies, 0.95) * 1000:.2f} ms, "
          f"mean {statistics.fmean(latencies) * 1000:.2f} ms")  # fmt: skip
    memory(spec, order, args.steps)

    # Before the background task has learned an order: the heuristic order's diagram.
    first = Engine(spec)
    first_latencies: list[float] = []
    for _ in range(max(1, args.walks // 4)):
        walk(first, random.Random(rng.random()), args.steps, first_latencies)
    print(f"evaluate before the order is learned ({len(first_latencies)} evaluations): "
          f"p50 {percentile(first_latencies, 0.5) * 1000:.2f} ms, "
          f"p95 {percentile(first_latencies, 0.95) * 1000:.2f} ms")  # fmt: skip
    # Prices are counted only late in a configuration: walks long enough to get there.
    selections: list[Selection] = []
    for _ in range(10):
        walk(engine, rng, 90, [], selections)
    distinct_prices(engine.counter, selections)


if __name__ == "__main__":
    main()
