"""An independent check of a plan: it shares no code with the solver, only the problem's
definition, and recomputes every hard rule and every metric from the plan alone.

A line does not empty overnight, so each line's units form one sequence across its days:
a window of q units may span two days, colour runs continue into the next morning.
"""

from __future__ import annotations

from orders.planning.problem import DayPlan, Metrics, Problem


class PlanInvalid(AssertionError):
    pass


def line_sequences(problem: Problem, days: list[DayPlan]) -> dict[str, list[str]]:
    """Each line's units in build order, its days concatenated by date."""
    sequences: dict[str, list[str]] = {line.code: [] for line in problem.lines}
    for day in sorted(days, key=lambda d: (d.line, d.day)):
        sequences[day.line].extend(day.units)
    return sequences


def check_hard(problem: Problem, days: list[DayPlan]) -> None:
    """Raise PlanInvalid naming the first broken rule: every unit exactly once, on a line
    that builds its model, on that line's working day, within its daily capacity."""
    lines = {line.code: line for line in problem.lines}
    units = {unit.id: unit for unit in problem.units}
    seen: set[str] = set()
    line_days: set[tuple[str, object]] = set()
    for day in days:
        line = lines.get(day.line)
        if line is None:
            raise PlanInvalid(f"{day.day}: unknown line {day.line}")
        if (day.line, day.day) in line_days:
            raise PlanInvalid(f"line {day.line} has {day.day} twice")
        line_days.add((day.line, day.day))
        if day.day < problem.start:
            raise PlanInvalid(f"line {day.line}: {day.day} is before the start {problem.start}")
        if day.day.isoweekday() not in line.working_days:
            raise PlanInvalid(f"line {day.line} does not work on {day.day:%A %Y-%m-%d}")
        if len(day.units) > line.daily_capacity:
            raise PlanInvalid(
                f"line {day.line} on {day.day}: {len(day.units)} units, capacity "
                f"{line.daily_capacity}"
            )
        for unit_id in day.units:
            unit = units.get(unit_id)
            if unit is None:
                raise PlanInvalid(f"line {day.line} on {day.day}: unknown unit {unit_id}")
            if unit_id in seen:
                raise PlanInvalid(f"unit {unit_id} is planned twice")
            seen.add(unit_id)
            if unit.model not in line.models:
                raise PlanInvalid(f"unit {unit_id} ({unit.model}) is on line {day.line}")
    missing = set(units) - seen
    if missing:
        raise PlanInvalid(f"{len(missing)} units are not planned, e.g. {sorted(missing)[0]}")


def violated_windows(flags: list[bool], p: int, q: int) -> int:
    """Windows of q consecutive units holding more than p flagged ones."""
    return sum(1 for start in range(len(flags) - q + 1) if sum(flags[start : start + q]) > p)


def measure(problem: Problem, days: list[DayPlan]) -> Metrics:
    """The plan's metrics and weighted cost, computed from scratch."""
    check_hard(problem, days)
    units = {unit.id: unit for unit in problem.units}
    weights = problem.weights
    metrics = Metrics(units=len(problem.units))
    sequences = line_sequences(problem, days)
    for line in problem.lines:
        built = [units[unit_id] for unit_id in sequences[line.code]]
        for station in line.stations:
            flags = [station.code in unit.stations for unit in built]
            count = violated_windows(flags, station.p, station.q)
            if station.high_priority:
                metrics.high_violations += count
            else:
                metrics.low_violations += count
        colours = [unit.colour for unit in built]
        metrics.colour_changes += sum(
            1 for before, after in zip(colours, colours[1:], strict=False) if before != after
        )
        if line.paint_batch_limit:
            run = 0
            for index, colour in enumerate(colours):
                run = run + 1 if index and colour == colours[index - 1] else 1
                if colour and run > line.paint_batch_limit:
                    metrics.paint_overruns += 1
    for day in days:
        for unit_id in day.units:
            due = units[unit_id].due
            if due is not None and day.day > due:
                metrics.late_units += 1
                metrics.lateness_days += (day.day - due).days
        if day.units and (metrics.last_day is None or day.day > metrics.last_day):
            metrics.last_day = day.day
    metrics.cost = (
        weights.high_station * metrics.high_violations
        + weights.low_station * metrics.low_violations
        + weights.colour_change * metrics.colour_changes
        + weights.paint_overrun * metrics.paint_overruns
        + weights.lateness_day * metrics.lateness_days
    )
    return metrics
