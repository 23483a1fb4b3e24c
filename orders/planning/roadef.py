"""Renault's car-sequencing instances of the ROADEF 2005 challenge, in the one-file text
form the public copies use (Hexaly's "car sequencing with colours" layout), and the
challenge's weighted objective.

The file, whitespace-separated integers:
1. cars, options, classes, paint batch limit, objective order, fixed cars (the previous
   day's, which start the sequence and cannot move);
2. per option: p, q, 1 for a high-priority ratio (0 for low);
3. per class: colour, number of cars, one 0/1 per option;
4. the cars' classes in Renault's own sequence: the first ones (fixed) are yesterday's.

Objective orders: 0 colour > high > low, 1 high > low > colour, 2 high > colour > low,
3 colour > high, 4 high > colour. The challenge weighs the first objective 1,000,000, the
second 1,000 and the third 1. A ratio violation is counted by its excess: a window of q
cars holding k > p cars that need the option adds k - p; the windows are the full ones
that reach into today. Colour changes count from the last fixed car on. The paint batch
limit is hard: no run of one colour may be longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orders.planning.sequencer import COUNT_EXCESS, DayProblem

WEIGHTS = (1_000_000, 1_000, 1)
# objective order -> which objective comes first, second, third
ORDERS = {
    0: ("colour", "high", "low"),
    1: ("high", "low", "colour"),
    2: ("high", "colour", "low"),
    3: ("colour", "high"),
    4: ("high", "colour"),
}


class InstanceError(ValueError):
    pass


@dataclass
class Instance:
    name: str
    p: list[int]
    q: list[int]
    high: list[bool]
    colour: list[int]
    need: list[list[int]]
    paint_limit: int
    order: int
    fixed: list[int]  # the previous day's cars' classes, in order
    renault: list[int]  # Renault's sequence of today's cars, for comparison

    def weights(self) -> dict[str, int]:
        return dict(zip(ORDERS[self.order], WEIGHTS, strict=False))

    def problem(self) -> DayProblem:
        weights = self.weights()
        counts = np.zeros(len(self.colour), np.int64)
        for c in self.renault:
            counts[c] += 1
        return DayProblem(
            need=np.array(self.need, np.int64),
            counts=counts,
            p=np.array(self.p, np.int64),
            q=np.array(self.q, np.int64),
            weight=np.array([weights.get("high" if h else "low", 0) for h in self.high], np.int64),
            colour=np.array(self.colour, np.int64),
            colour_change_weight=weights.get("colour", 0),
            paint_limit=self.paint_limit,
            paint_weight=10**12,
            prefix=tuple(self.fixed),
            mode=COUNT_EXCESS,
        )


def parse(text: str, name: str = "instance") -> Instance:
    try:
        numbers = [int(token) for token in text.split()]
    except ValueError as error:
        raise InstanceError(f"{name}: {error}") from None
    if len(numbers) < 6:
        raise InstanceError(f"{name}: the six-number header is missing")
    cars, options, classes, limit, order, fixed = numbers[:6]
    if order not in ORDERS:
        raise InstanceError(f"{name}: objective order {order} is not one of 0-4")
    at = 6
    p, q, high = [], [], []
    for _ in range(options):
        p.append(numbers[at])
        q.append(numbers[at + 1])
        high.append(numbers[at + 2] == 1)
        at += 3
    colour, counts, need = [], [], []
    for _ in range(classes):
        colour.append(numbers[at])
        counts.append(numbers[at + 1])
        need.append(numbers[at + 2 : at + 2 + options])
        at += 2 + options
    sequence = numbers[at:]
    if len(sequence) != cars:
        raise InstanceError(f"{name}: {cars} cars announced, {len(sequence)} listed")
    if any(not 0 <= c < classes for c in sequence):
        raise InstanceError(f"{name}: a car's class is out of range")
    for c in range(classes):
        if sequence.count(c) != counts[c]:
            raise InstanceError(f"{name}: class {c} has {counts[c]} cars, the sequence "
                                f"{sequence.count(c)}")  # fmt: skip
    return Instance(name, p, q, high, colour, need, limit, order, sequence[:fixed],
                    sequence[fixed:])  # fmt: skip


def load(path: Path) -> Instance:
    return parse(path.read_text(), path.stem)


def score(instance: Instance, today: list[int]) -> dict[str, int]:
    """The challenge's objectives for today's sequence, counted from scratch (no code
    shared with the sequencer): ratio excess per priority, colour changes, the weighted
    objective, and whether the paint batch limit holds."""
    if sorted(today) != sorted(instance.renault):
        raise InstanceError(f"{instance.name}: the sequence does not hold today's cars")
    sequence = instance.fixed + list(today)
    start = len(instance.fixed)
    found = {"high": 0, "low": 0, "colour": 0}
    for o, (p, q) in enumerate(zip(instance.p, instance.q, strict=True)):
        key = "high" if instance.high[o] else "low"
        for first in range(max(0, start - q + 1), len(sequence) - q + 1):
            load = sum(instance.need[c][o] for c in sequence[first : first + q])
            found[key] += max(0, load - p)
    colours = [instance.colour[c] for c in sequence]
    found["colour"] = sum(
        1 for t in range(max(start, 1), len(colours)) if colours[t] != colours[t - 1]
    )
    run, longest = 0, 0
    for t in range(len(colours)):
        run = run + 1 if t and colours[t] == colours[t - 1] else 1
        if t >= start:
            longest = max(longest, run)
    weights = instance.weights()
    found["objective"] = sum(weights.get(key, 0) * found[key] for key in ("high", "low", "colour"))
    found["paint_ok"] = longest <= instance.paint_limit
    return found
