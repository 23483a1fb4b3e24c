"""The planning problem and its plan, as plain data: no database here, so the solver, the
checker and the benchmarks share one vocabulary and can run alone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta


class ProblemError(ValueError):
    """The input cannot be planned; the message names the unit, line or field."""


@dataclass(frozen=True)
class Station:
    """Fits its options to at most p of any q consecutive units on its line."""

    code: str
    p: int
    q: int
    high_priority: bool = True
    name: str = ""


@dataclass(frozen=True)
class Line:
    code: str
    models: frozenset[str]
    daily_capacity: int
    working_days: frozenset[int]  # ISO weekdays, 1 = Monday
    stations: tuple[Station, ...] = ()
    paint_batch_limit: int = 0  # 0: no limit
    name: str = ""

    def days_from(self, start: date) -> Iterator[date]:
        day = start
        while True:
            if day.isoweekday() in self.working_days:
                yield day
            day += timedelta(days=1)


@dataclass(frozen=True)
class Unit:
    """One unit to build. `stations` are the station codes its options load; `due` is the
    last production day that keeps its order's promise."""

    id: str
    model: str
    stations: frozenset[str] = frozenset()
    colour: str = ""
    due: date | None = None
    order: str = ""


@dataclass(frozen=True)
class Weights:
    """The cost of one of each, in the order the manufacturer cares about them. The
    defaults keep that order strict for plans of any realistic size."""

    high_station: int = 1_000_000  # one violated window at a high-priority station
    colour_change: int = 1_000
    low_station: int = 10  # one violated window at a low-priority station
    lateness_day: int = 1  # one unit one day past its due date
    paint_overrun: int = 1_000_000_000  # one unit past the paint batch limit (a hard rule)


@dataclass(frozen=True)
class Problem:
    units: tuple[Unit, ...]
    lines: tuple[Line, ...]
    start: date
    weights: Weights = field(default_factory=Weights)

    def validate(self) -> None:
        if not self.lines:
            raise ProblemError("lines: the manufacturer has no production line.")
        codes = [line.code for line in self.lines]
        if len(set(codes)) != len(codes):
            raise ProblemError("lines: two lines share a code.")
        for line in self.lines:
            if line.daily_capacity < 1:
                raise ProblemError(f"line {line.code}: daily capacity must be at least 1.")
            if not line.working_days or not line.working_days <= set(range(1, 8)):
                raise ProblemError(f"line {line.code}: working days must be ISO weekdays 1-7.")
            for station in line.stations:
                if not 1 <= station.p <= station.q:
                    raise ProblemError(
                        f"line {line.code}, station {station.code}: needs 1 <= p <= q."
                    )
        ids = set()
        for unit in self.units:
            if unit.id in ids:
                raise ProblemError(f"unit {unit.id}: listed twice.")
            ids.add(unit.id)
            if not any(unit.model in line.models for line in self.lines):
                raise ProblemError(f"unit {unit.id}: no line builds model {unit.model}.")


@dataclass
class DayPlan:
    line: str
    day: date
    units: list[str]  # unit ids in build order


@dataclass
class Metrics:
    units: int = 0
    high_violations: int = 0
    low_violations: int = 0
    colour_changes: int = 0
    paint_overruns: int = 0
    late_units: int = 0
    lateness_days: int = 0
    cost: int = 0
    last_day: date | None = None

    def as_dict(self) -> dict:
        data = {key: value for key, value in vars(self).items() if key != "last_day"}
        data["last_day"] = self.last_day.isoformat() if self.last_day else None
        return data


@dataclass
class Plan:
    days: list[DayPlan]
    metrics: Metrics
    first_metrics: Metrics  # of the construction, before any optimisation
    seconds: float = 0.0
    first_seconds: float = 0.0
    stopped: bool = False  # cut short by cancellation

    def placement(self) -> dict[str, tuple[str, date, int]]:
        """unit id -> (line, day, position in the day)."""
        return {
            unit: (day.line, day.day, position)
            for day in self.days
            for position, unit in enumerate(day.units)
        }
