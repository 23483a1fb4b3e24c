"""Reading CSPLib prob001 car-sequencing instances (the format is described in
../shared/data/car-sequencing/csplib/SOURCES.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orders.planning.sequencer import COUNT_WINDOWS, DayProblem


class InstanceError(ValueError):
    pass


@dataclass
class Instance:
    name: str
    cars: int
    p: list[int]
    q: list[int]
    counts: list[int]
    need: list[list[int]]

    def problem(self) -> DayProblem:
        return DayProblem(
            need=np.array(self.need, dtype=np.int64),
            counts=np.array(self.counts, dtype=np.int64),
            p=np.array(self.p, dtype=np.int64),
            q=np.array(self.q, dtype=np.int64),
            weight=np.ones(len(self.p), dtype=np.int64),
            mode=COUNT_WINDOWS,
        )


def parse(text: str, name: str = "instance") -> Instance:
    numbers: list[int] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        line = line.split("%", 1)[0]
        for token in line.split():
            try:
                numbers.append(int(token))
            except ValueError:
                raise InstanceError(
                    f"{name}, line {line_number}: {token!r} is not an integer"
                ) from None
    if len(numbers) < 3:
        raise InstanceError(f"{name}: the header 'cars options classes' is missing")
    cars, options, classes = numbers[:3]
    expected = 3 + 2 * options + classes * (2 + options)
    if len(numbers) != expected:
        raise InstanceError(
            f"{name}: {options} options and {classes} classes need {expected} numbers, "
            f"found {len(numbers)}"
        )
    p = numbers[3 : 3 + options]
    q = numbers[3 + options : 3 + 2 * options]
    if any(not 1 <= p_o <= q_o for p_o, q_o in zip(p, q, strict=True)):
        raise InstanceError(f"{name}: every option needs 1 <= p <= q")
    counts, need = [], []
    at = 3 + 2 * options
    for index in range(classes):
        row = numbers[at : at + 2 + options]
        at += 2 + options
        if row[0] != index:
            raise InstanceError(f"{name}: class {index} is numbered {row[0]}")
        if any(flag not in (0, 1) for flag in row[2:]):
            raise InstanceError(f"{name}: class {index} has an option flag other than 0 or 1")
        counts.append(row[1])
        need.append(row[2:])
    if sum(counts) != cars:
        raise InstanceError(f"{name}: the classes hold {sum(counts)} cars, the header says {cars}")
    return Instance(name, cars, p, q, counts, need)


def load(path: Path) -> Instance:
    return parse(path.read_text(), path.stem)
