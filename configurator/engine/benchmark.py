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

from configurator.engine.counting import ConfigurationCounter
from configurator.engine.evaluate import AVAILABLE, EXCLUDED, Engine
from configurator.engine.pricing import Selection
from configurator.engine.spec import spec_from_document


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def walk(engine: Engine, rng: random.Random, steps: int, latencies: list[float]) -> None:
    """One consumer: mostly choosing, sometimes changing their mind, sometimes undoing."""
    history = [Selection()]
    evaluation, seconds = _timed(engine.evaluate, history[-1])
    latencies.append(seconds)
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


if __name__ == "__main__":
    main()
