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

    tracemalloc.start()
    engine, compile_seconds = _timed(Engine, spec)
    engine_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"compile (SAT encoding): {compile_seconds * 1000:.1f} ms, "
          f"{engine.encoding.pool.top} variables, {len(engine.encoding.clauses)} clauses, "
          f"{engine_bytes / 1e6:.1f} MB of Python objects")  # fmt: skip

    counter, compile_bdd_seconds = _timed(ConfigurationCounter, spec)
    heuristic_size = counter.size
    _, sift_seconds = _timed(counter.sift)
    again, again_seconds = _timed(ConfigurationCounter, spec, counter.variable_order())
    total, count_seconds = _timed(again.count)
    print(f"compile (BDD for counting): {compile_bdd_seconds:.2f} s from the FORCE order "
          f"({heuristic_size} nodes); sifting once {sift_seconds:.2f} s; "
          f"{again_seconds:.2f} s with the sifted order ({again.size} nodes)")  # fmt: skip
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
    # Prices are counted only late in a configuration: walks long enough to get there.
    selections: list[Selection] = []
    for _ in range(10):
        walk(engine, rng, 90, [], selections)
    distinct_prices(again, selections)


if __name__ == "__main__":
    main()
