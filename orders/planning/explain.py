"""Why each unit got its day, in terms a planner and a consumer understand: the earliest
day, lines full, a station at its limit, or a due date further out than other orders'."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from orders.planning.problem import Plan, Problem


def max_load(p: int, q: int, n: int) -> int:
    """The most units needing a p-of-q station that n units in a row can hold unharmed."""
    return p * (n // q) + min(p, n % q)


def reasons(problem: Problem, plan: Plan) -> dict[str, dict]:
    """unit id -> {"kind": ..., parameters}; kinds: earliest, capacity, station, due, mix."""
    lines = {line.code: line for line in problem.lines}
    units = {unit.id: unit for unit in problem.units}
    size: dict[tuple[str, date], int] = {}
    load: dict[tuple[str, date], dict[str, int]] = {}
    for day in plan.days:
        size[(day.line, day.day)] = len(day.units)
        counts: dict[str, int] = defaultdict(int)
        for unit_id in day.units:
            for code in units[unit_id].stations:
                counts[code] += 1
        load[(day.line, day.day)] = counts
    first_day: dict[str, date] = {}
    for line in problem.lines:
        first = next(line.days_from(problem.start))
        for model in line.models:
            first_day[model] = min(first_day.get(model, first), first)

    explained: dict[str, dict] = {}
    for day in plan.days:
        for unit_id in day.units:
            unit = units[unit_id]
            if day.day <= first_day[unit.model]:
                explained[unit_id] = {"kind": "earliest"}
                continue
            earlier = [
                (code, when)
                for code, line in lines.items()
                if unit.model in line.models
                for when in _days_between(line, problem.start, day.day)
            ]
            open_days = [
                slot for slot in earlier if size.get(slot, 0) < lines[slot[0]].daily_capacity
            ]
            if not open_days:
                full = sorted({code for code, _ in earlier})
                explained[unit_id] = {
                    "kind": "capacity",
                    "lines": full,
                    "capacity": sum(lines[code].daily_capacity for code in full),
                    "until": max(when for _, when in earlier).isoformat(),
                }
                continue
            blocking = _blocking_station(unit.stations, open_days, lines, size, load)
            if blocking:
                explained[unit_id] = blocking
            elif unit.due is not None and day.day <= unit.due:
                explained[unit_id] = {"kind": "due", "due": unit.due.isoformat()}
            else:
                explained[unit_id] = {"kind": "mix"}
    return explained


def _days_between(line, start: date, before: date):
    for day in line.days_from(start):
        if day >= before:
            return
        yield day


def _blocking_station(needs, open_days, lines, size, load) -> dict | None:
    """A station the unit needs that is at its limit on every earlier day with room."""
    for code in sorted(needs):
        limited = []
        for line_code, day in open_days:
            station = next((s for s in lines[line_code].stations if s.code == code), None)
            if station is None:
                break
            n = size.get((line_code, day), 0) + 1
            if load.get((line_code, day), {}).get(code, 0) + 1 <= max_load(station.p, station.q, n):
                break
            limited.append((line_code, day, station))
        else:
            line_code, day, station = limited[-1]
            return {
                "kind": "station",
                "station": code,
                "name": station.name or code,
                "p": station.p,
                "q": station.q,
                "line": line_code,
                "until": day.isoformat(),
            }
    return None
