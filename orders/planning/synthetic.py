"""Random but realistic planning problems, for the benchmark and the property tests."""

from __future__ import annotations

import random
from datetime import date, timedelta

from orders.planning.problem import Line, Problem, Station, Unit, Weights

STATIONS = (  # code, p, q, share of units needing it, high priority
    ("SUNROOF", 1, 2, 0.35, True),
    ("TOWBAR", 2, 3, 0.45, True),
    ("AWD", 1, 3, 0.25, True),
    ("HUD", 2, 5, 0.30, False),
    ("AUDIO", 1, 5, 0.15, False),
    ("SEATS7", 1, 10, 0.08, True),
)
COLOURS = ("#FFFFFF", "#111111", "#8A8D91", "#1F3A5F", "#9B1B30", "#2E5E3A", "#C9A227", "#5A3E2B")
COLOUR_SHARES = (0.28, 0.22, 0.18, 0.1, 0.08, 0.06, 0.05, 0.03)


def generate(
    units: int = 10_000,
    lines: int = 4,
    days: int = 10,
    stations: int = 6,
    seed: int = 1,
    start: date = date(2026, 12, 7),  # a Monday
    weights: Weights | None = None,
) -> Problem:
    rng = random.Random(seed)
    station_rows = STATIONS[:stations]
    working = frozenset({1, 2, 3, 4, 5})
    workdays = [
        start + timedelta(days=offset)
        for offset in range(days * 2)
        if (start + timedelta(days=offset)).isoweekday() in working
    ][:days]
    capacity = -(-units // (lines * days))  # exactly enough, as a full plan would be
    models = ("SUV", "SEDAN")
    built_lines = tuple(
        Line(
            code=f"L{index + 1}",
            models=frozenset(models) if index % 2 == 0 else frozenset(models[index % 2 :]),
            daily_capacity=capacity,
            working_days=working,
            stations=tuple(Station(code, p, q, high) for code, p, q, _, high in station_rows),
            paint_batch_limit=15,
        )
        for index in range(lines)
    )
    sedan_capacity = sum(1 for line in built_lines if "SEDAN" in line.models)
    suv_share = 1 - sedan_capacity / lines / 2
    built_units = []
    for index in range(units):
        needs = frozenset(code for code, _, _, share, _ in station_rows if rng.random() < share)
        colour = rng.choices(COLOURS, COLOUR_SHARES)[0]
        due = workdays[min(days - 1, int(rng.triangular(0, days, days * 0.7)))]
        built_units.append(
            Unit(
                id=f"U{index:05d}",
                model="SUV" if rng.random() < suv_share else "SEDAN",
                stations=needs,
                colour=colour,
                due=due,
                order=f"O{index // 2:05d}",
            )
        )
    return Problem(tuple(built_units), built_lines, start, weights or Weights())
