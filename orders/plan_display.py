"""What a plan looks like to people: reasons in words, metrics beside the previous plan's,
and a picture of each line's sequence per day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.models import ProductionPlan

METRICS = (
    ("units", gettext_lazy("Units")),
    ("high_violations", gettext_lazy("High-priority station violations")),
    ("colour_changes", gettext_lazy("Colour changes")),
    ("paint_overruns", gettext_lazy("Paint batch overruns")),
    ("low_violations", gettext_lazy("Low-priority station violations")),
    ("late_units", gettext_lazy("Units late for their promise")),
    ("lateness_days", gettext_lazy("Days late, summed over units")),
    ("last_day", gettext_lazy("Last production day")),
    ("cost", gettext_lazy("Weighted cost")),
)


def _day(value: str) -> str:
    return date_format(date.fromisoformat(value), "DATE_FORMAT")


def describe_reason(reason: dict | None) -> str:
    """Why a unit (or an order, by its last unit) got its day, in the reader's language."""
    kind = (reason or {}).get("kind")
    if kind == "earliest":
        return _("Built on the first working day a line that makes it is free.")
    if kind == "capacity":
        return _(
            "Lines %(lines)s were full (%(capacity)s units a day together) until %(until)s."
        ) % {
            "lines": ", ".join(reason["lines"]),
            "capacity": reason["capacity"],
            "until": _day(reason["until"]),
        }
    if kind == "station":
        return _(
            "Station %(name)s fits %(p)s of any %(q)s units and was at its limit on every "
            "earlier day with room (until %(until)s on line %(line)s)."
        ) % {**reason, "until": _day(reason["until"])}
    if kind == "due":
        return _("Built by its due date %(due)s; earlier days went to orders due sooner.") % {
            "due": _day(reason["due"])
        }
    if kind == "mix":
        return _("Placed to keep colours together and stations within their limits.")
    return ""


def describe_reason_briefly(reason: dict | None) -> str:
    """The consumer's version: the cause without the planner's detail."""
    kind = (reason or {}).get("kind")
    return {
        "earliest": _("the first free production day"),
        "capacity": _("the production lines are fully booked until then"),
        "station": _("a fitting station can only take so many units like yours a day"),
        "due": _("it is planned to meet your delivery window"),
        "mix": _("units are grouped by colour and equipment on the line"),
    }.get(kind, "")


def comparison(plan: ProductionPlan) -> list[dict]:
    previous = plan.previous.metrics if plan.previous_id else None
    rows = []
    for key, label in METRICS:
        now = plan.metrics.get(key)
        before = previous.get(key) if previous else None
        change = None
        if isinstance(now, int) and isinstance(before, int):
            change = now - before
        rows.append({"key": key, "label": label, "now": now, "before": before, "change": change})
    return rows


UNIT = 12  # px per unit in the picture
STATION_ROW = 9
LABELS = 96  # px for the station codes at the left


def pictures(plan: ProductionPlan, days: list[date] | None = None) -> list[dict]:
    """One SVG per line and day: a mark per unit in its paint colour, a tick per station
    the unit loads (red where a window of that station is over its limit), a black bar
    at each colour change and a red frame on units past the paint batch limit."""
    lines = {
        line.pk: line for line in plan.manufacturer.production_lines.prefetch_related("stations")
    }
    by_line: dict[int, list] = defaultdict(list)
    for entry in plan.entries.order_by("line", "day", "position").values(
        "line_id", "day", "position", "colour", "stations", "order__reference", "unit"
    ):
        by_line[entry["line_id"]].append(entry)
    result = []
    for line_id, entries in sorted(by_line.items(), key=lambda item: lines[item[0]].code):
        line = lines[line_id]
        stations = list(line.stations.all())
        hot = _violations(entries, stations)
        overrun = _overruns(entries, line.paint_batch_limit)
        per_day: dict[date, list[int]] = defaultdict(list)
        for index, entry in enumerate(entries):
            per_day[entry["day"]].append(index)
        for day, indexes in sorted(per_day.items()):
            if days is not None and day not in days:
                continue
            result.append(
                {
                    "line": line,
                    "day": day,
                    "units": len(indexes),
                    "svg": _svg(entries, indexes, stations, hot, overrun),
                }
            )
    return result


def _violations(entries: list[dict], stations) -> set[tuple[int, str]]:
    """(unit index, station code) for units inside an over-limit window of the station."""
    hot: set[tuple[int, str]] = set()
    for station in stations:
        flags = [station.code in entry["stations"] for entry in entries]
        for start in range(len(flags) - station.capacity_q + 1):
            window = range(start, start + station.capacity_q)
            if sum(flags[k] for k in window) > station.capacity_p:
                hot.update((k, station.code) for k in window if flags[k])
    return hot


def _overruns(entries: list[dict], limit: int) -> set[int]:
    out, run = set(), 0
    for index, entry in enumerate(entries):
        same = index and entry["colour"] == entries[index - 1]["colour"]
        run = run + 1 if same else 1
        if limit and entry["colour"] and run > limit:
            out.add(index)
    return out


def _svg(entries, indexes, stations, hot, overrun) -> SafeString:
    width = LABELS + UNIT * len(indexes) + 2
    height = 26 + STATION_ROW * len(stations) + 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
    ]
    for row, station in enumerate(stations):
        y = 26 + row * STATION_ROW + STATION_ROW - 2
        parts.append(
            f'<text x="0" y="{y}" font-size="8" fill="#555">{escape(station.code)} '
            f"{station.capacity_p}/{station.capacity_q}</text>"
        )
    for x_index, index in enumerate(indexes):
        entry = entries[index]
        x = LABELS + 1 + x_index * UNIT
        colour = escape(entry["colour"] or "#dddddd")
        title = escape(
            f"#{entry['position']} {entry['order__reference']}/{entry['unit']} "
            f"{entry['colour']} {' '.join(entry['stations'])}"
        )
        frame = ' stroke="#d00" stroke-width="2"' if index in overrun else ' stroke="#999"'
        parts.append(
            f'<rect x="{x}" y="1" width="{UNIT - 2}" height="22" fill="{colour}"{frame}>'
            f"<title>{title}</title></rect>"
        )
        if index and entry["colour"] != entries[index - 1]["colour"] and x_index:
            parts.append(f'<rect x="{x - 1}" y="0" width="1.5" height="24" fill="#000"/>')
        for row, station in enumerate(stations):
            if station.code in entry["stations"]:
                fill = "#d00" if (index, station.code) in hot else "#333"
                y = 26 + row * STATION_ROW
                parts.append(
                    f'<rect x="{x + 1}" y="{y}" width="{UNIT - 3}" height="{STATION_ROW - 1}" '
                    f'fill="{fill}"/>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or numeric
