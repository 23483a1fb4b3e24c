"""The dashboards' tables, built from rollup cells only. Each view returns tables of plain
rows; the page draws them with a chart, the API returns them as JSON and the export as CSV,
so all three show the same figures with the same suppression."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pyroaring import BitMap

from analytics import forecasting
from analytics.models import Cell, RollupCursor
from analytics.queries import MIN_CONSUMERS, Filters, cells, figures, members
from catalog.models import CatalogVersion, ProductModel
from configurator.compiled import engine_for
from orders.models import ConsumerProfile
from orders.regions import province_label

SUPPRESSED = None  # a cell's value when it covers fewer than MIN_CONSUMERS consumers
PRICE_BINS = 12
TOP = 10  # options and regions forecast one by one
RATIO_FIELDS = {
    "take_rate",
    "support",
    "share",
    "of_viewers",
    "kept_from_previous",
    "of_configurers",
    "conversion",
    "model_wape",
    "baseline_wape",
}


@dataclass
class Table:
    slug: str
    title: str
    columns: list[tuple[str, str]]  # (field, heading)
    rows: list[dict]
    chart: dict | None = None
    notes: list[str] = field(default_factory=list)


# Labels -----------------------------------------------------------------------------------


def _catalog(filters: Filters):
    """Option and group labels from the product's newest published or retired version."""
    version = (
        CatalogVersion.objects.filter(product_model=filters.product)
        .exclude(status=CatalogVersion.Status.DRAFT)
        .order_by("-number")
        .first()
    )
    return engine_for(version).spec if version else None


def _option_label(spec, code: str) -> str:
    option = spec.options.get(code) if spec else None
    return option.label if option else code


def _group_of(spec, code: str) -> str:
    option = spec.options.get(code) if spec else None
    if option is None:
        return ""
    return next(g.name for g in spec.groups if g.code == option.group)


def _ratio(part, whole) -> float | None:
    if part is None or not whole:
        return SUPPRESSED
    return round(float(part) / float(whole), 4)


def _total(filters: Filters, measure: str):
    found = figures(cells(filters, measure), by=())
    return found[0] if found else None


# Views ------------------------------------------------------------------------------------


def take_rates(filters: Filters) -> list[Table]:
    spec = _catalog(filters)
    ordered = _total(filters, "ordered")
    total_units = ordered.amount if ordered else None
    chosen = {f.key: f.count for f in figures(cells(filters, "selected"))}
    rows = []
    for figure in figures(cells(filters, "ordered_option")):
        rows.append(
            {
                "option": _option_label(spec, figure.key),
                "code": figure.key,
                "group": _group_of(spec, figure.key),
                "units": _units(figure.amount),
                "take_rate": _ratio(figure.amount, total_units),
                "chosen_in_configurator": chosen.get(figure.key),
            }
        )
    rows.sort(key=lambda r: (r["units"] is None, -(r["units"] or 0), r["option"]))
    top = [r["code"] for r in rows if r["units"] is not None][:5]
    weekly_units = {f.group[0]: f.amount for f in figures(cells(filters, "ordered"), by=("week",))}
    weekly = figures(cells(filters, "ordered_option").filter(key__in=top), by=("week", "key"))
    weeks = _weeks(filters)
    series = {code: dict.fromkeys(weeks) for code in top}
    for figure in weekly:
        week, code = figure.group
        series[code][week] = _ratio(figure.amount, weekly_units.get(week))
    chart = {
        "type": "line",
        "labels": [w.isoformat() for w in weeks],
        "datasets": [
            {
                "label": _option_label(spec, code),
                "data": [_percent(v) for v in series[code].values()],
            }
            for code in top
        ],
        "y": str(_("take rate, per cent of units")),
    }
    columns = [
        ("option", _("Option")),
        ("group", _("Group")),
        ("units", _("Units ordered")),
        ("take_rate", _("Take rate")),
        ("chosen_in_configurator", _("Chosen in the configurator")),
    ]
    notes = [_("Take rate: the option's share of the units ordered and paid for in the range.")]
    return [Table("options", _("Option take rates"), columns, rows, chart, notes)]


def together(filters: Filters) -> list[Table]:
    spec = _catalog(filters)
    orders = _total(filters, "ordered")
    total_orders = orders.count if orders else 0
    single = {f.key: f.count for f in figures(cells(filters, "ordered_option", coarse=True))}
    rows = []
    for figure in figures(cells(filters, "pair")):
        first, second = figure.key.split("+", 1)
        lift = None
        if figure.count is not None and single.get(first) and single.get(second):
            lift = round(figure.count * total_orders / (single[first] * single[second]), 2)
        rows.append(
            {
                "first": _option_label(spec, first),
                "second": _option_label(spec, second),
                "orders_together": figure.count,
                "support": _ratio(figure.count, total_orders),
                "lift": lift,
            }
        )
    rows.sort(key=lambda r: (r["lift"] is None, -(r["lift"] or 0), -(r["orders_together"] or 0)))
    columns = [
        ("first", _("Option")),
        ("second", _("Chosen with")),
        ("orders_together", _("Orders with both")),
        ("support", _("Share of orders")),
        ("lift", _("Lift")),
    ]
    notes = [
        _("Lift above 1: chosen together more often than if people chose them independently."),
        _("Pairs are counted for the product as a whole: region and segment filters do not apply."),
    ]
    return [Table("pairs", _("Options chosen together"), columns, rows[:200], None, notes)]


def regions(filters: Filters) -> list[Table]:
    language = get_language() or "en"
    ordered = figures(cells(filters, "ordered", by="province"), by=("province",))
    total = sum(f.amount for f in ordered if f.amount is not None)
    rows = [
        {
            "province": province_label(f.key, language) if f.key else str(_("Not given")),
            "orders": f.count,
            "units": _units(f.amount),
            "share": _ratio(f.amount, total),
        }
        for f in ordered
    ]
    rows.sort(key=lambda r: (r["units"] is None, -(r["units"] or 0)))
    shown = [r for r in rows if r["units"] is not None]
    chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [r["province"] for r in shown],
        "datasets": [{"label": str(_("Units ordered")), "data": [r["units"] for r in shown]}],
    }
    columns = [
        ("province", _("Province")),
        ("orders", _("Orders")),
        ("units", _("Units")),
        ("share", _("Share of units")),
    ]
    return [Table("provinces", _("Demand by province"), columns, rows, chart)]


FUNNEL = [
    ("viewed", _("Viewed the product")),
    ("configured", _("Chose an option")),
    ("saved", _("Saved a configuration")),
    ("checkout", _("Started checkout")),
    ("placed", _("Placed an order")),
    ("ordered", _("Paid the deposit")),
]


def funnel(filters: Filters) -> list[Table]:
    spec = _catalog(filters)
    rows, first, previous = [], None, None
    for measure, label in FUNNEL:
        found = figures(cells(filters, measure), by=(), exact=True)
        consumers = found[0].consumers if found else 0
        if found and found[0].suppressed:
            consumers = SUPPRESSED
        first = consumers if first is None else first
        rows.append(
            {
                "stage": label,
                "consumers": consumers,
                "of_viewers": _ratio(consumers, first),
                "kept_from_previous": _ratio(consumers, previous) if previous else None,
            }
        )
        previous = consumers
    chart = {
        "type": "bar",
        "labels": [str(r["stage"]) for r in rows],
        "datasets": [{"label": str(_("Consumers")), "data": [r["consumers"] for r in rows]}],
    }
    stages = Table(
        "stages",
        _("Funnel"),
        [
            ("stage", _("Stage")),
            ("consumers", _("Consumers")),
            ("of_viewers", _("Of those who viewed")),
            ("kept_from_previous", _("Kept from the stage before")),
        ],
        rows,
        chart,
        [_("Each consumer counts once per stage, however often they came back.")],
    )
    reached = {f.key: f for f in figures(cells(filters, "group_reached"), exact=True)}
    configured = rows[1]["consumers"]
    group_rows = []
    for group in spec.groups if spec else ():
        figure = reached.get(group.code)
        consumers = figure.consumers if figure else 0
        if figure and figure.suppressed:
            consumers = SUPPRESSED
        group_rows.append(
            {
                "group": group.name,
                "consumers": consumers,
                "of_configurers": _ratio(consumers, configured),
            }
        )
    groups = Table(
        "groups",
        _("Drop-off per group"),
        [
            ("group", _("Group, in page order")),
            ("consumers", _("Consumers who reached it")),
            ("of_configurers", _("Of those who chose anything")),
        ],
        group_rows,
        None,
        [_("A group is reached when a consumer chose in it or spent time on it.")],
    )
    return [stages, groups]


def time_per_group(filters: Filters) -> list[Table]:
    spec = _catalog(filters)
    found = {f.key: f for f in figures(cells(filters, "group_time"), exact=True)}
    rows = []
    for group in spec.groups if spec else ():
        figure = found.get(group.code)
        if figure is None:
            continue
        seconds = figure.amount
        rows.append(
            {
                "group": group.name,
                "visits": figure.count,
                "consumers": figure.consumers,
                "seconds_per_visit": _per(seconds, figure.count),
                "seconds_per_consumer": _per(seconds, figure.consumers),
            }
        )
    shown = [r for r in rows if r["visits"] is not None]
    chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [r["group"] for r in shown],
        "datasets": [
            {
                "label": str(_("Seconds per consumer")),
                "data": [r["seconds_per_consumer"] for r in shown],
            }
        ],
    }
    columns = [
        ("group", _("Group")),
        ("visits", _("Visits")),
        ("consumers", _("Consumers")),
        ("seconds_per_visit", _("Seconds per visit")),
        ("seconds_per_consumer", _("Seconds per consumer")),
    ]
    return [Table("groups", _("Time spent per group"), columns, rows, chart)]


def prices(filters: Filters) -> list[Table]:
    selected = cells(filters, "price")
    sums = {row["key"]: row for row in selected.values("key").annotate(**_sum_fields())}
    title = _("Price distribution of ordered configurations")
    if not sums:
        return [Table("bins", title, _price_columns(), [], None)]
    bands = sorted(int(key) for key in sums)
    width = _nice_width((bands[-1] - bands[0]) / PRICE_BINS or 1)
    bitmaps = members(selected)
    bins: dict[int, dict] = {}
    for band in bands:
        start = band // width * width
        slot = bins.setdefault(start, {"count": 0, "amount": Decimal(0), "who": BitMap()})
        slot["count"] += sums[str(band)]["count"]
        slot["amount"] += sums[str(band)]["amount"]
        slot["who"] |= bitmaps[str(band)]
    rows = []
    for start, slot in sorted(bins.items()):
        shown = len(slot["who"]) >= MIN_CONSUMERS
        rows.append(
            {
                "from": Decimal(start),
                "to": Decimal(start + width),
                "orders": slot["count"] if shown else SUPPRESSED,
                "average": (slot["amount"] / slot["count"]).quantize(Decimal("1"))
                if shown
                else SUPPRESSED,
            }
        )
    chart = {
        "type": "bar",
        "labels": [f"{r['from']:,}–{r['to']:,}" for r in rows],
        "datasets": [{"label": str(_("Orders")), "data": [r["orders"] for r in rows]}],
    }
    return [Table("bins", title, _price_columns(), rows, chart)]


def _price_columns():
    return [
        ("from", _("From (CNY)")),
        ("to", _("Below (CNY)")),
        ("orders", _("Orders")),
        ("average", _("Average unit price (CNY)")),
    ]


def _nice_width(raw: float) -> int:
    """1, 2 or 5 times a power of ten, at least the raw width."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= raw:
                return step * scale
        scale *= 10


def _sum_fields():
    return {"count": Sum("count"), "amount": Sum("amount")}


def abandoned(filters: Filters) -> list[Table]:
    """Read from the weekly differences the rollup keeps, so a person is counted once for
    each week they were in the group (one figure a week, summed over the range)."""
    spec = _catalog(filters)
    summary = []
    for measure, label in (
        ("left_configured", _("Chose options and did not order")),
        ("left_saved", _("Saved a configuration and did not order")),
        ("left_checkout", _("Started checkout and did not pay")),
    ):
        found = _total(filters, measure)
        summary.append({"who": label, "consumers": found.count if found else SUPPRESSED})
    left = {f.key: f.count for f in figures(cells(filters, "abandoned"))}
    converted = {f.key: f.count for f in figures(cells(filters, "converted"))}
    chose = dict(
        cells(filters, "selected").values_list("key").annotate(consumer_weeks=Sum("consumers"))
    )
    rows = []
    for code, total in chose.items():
        rows.append(
            {
                "option": _option_label(spec, code),
                "group": _group_of(spec, code),
                "abandoned_by": left.get(code),
                "ordered_by": converted.get(code),
                "conversion": _ratio(converted.get(code), total),
            }
        )
    rows.sort(key=lambda r: (r["abandoned_by"] is None, -(r["abandoned_by"] or 0)))
    chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [r["option"] for r in rows[:15] if r["abandoned_by"] is not None],
        "datasets": [
            {
                "label": str(_("Consumers who chose it and did not order")),
                "data": [r["abandoned_by"] for r in rows[:15] if r["abandoned_by"] is not None],
            }
        ],
    }
    return [
        Table(
            "summary",
            _("Abandoned configurations"),
            [("who", _("Consumers who")), ("consumers", _("Consumers"))],
            summary,
            None,
            [
                _(
                    "Did not order: no paid order of this product in the same week. A person "
                    "counts once for each week they did so."
                )
            ],
        ),
        Table(
            "options",
            _("What abandoned configurations held"),
            [
                ("option", _("Option")),
                ("group", _("Group")),
                ("abandoned_by", _("Chose it, did not order")),
                ("ordered_by", _("Chose it and ordered")),
                ("conversion", _("Conversion")),
            ],
            rows,
            chart,
            [
                _(
                    "Did not order: no paid order of this product in the same week. A person "
                    "counts once for each week they chose the option."
                )
            ],
        ),
    ]


def unmet(filters: Filters) -> list[Table]:
    spec = _catalog(filters)
    searches = _total(filters, "search")
    misses = figures(cells(filters, "search_miss"))
    missed_total = sum(f.count for f in misses if f.count is not None)
    search_rows = [{"query": f.key, "searches": f.count} for f in misses if not f.suppressed]
    search_rows.sort(key=lambda r: -r["searches"])
    hits = {f.key: f for f in figures(cells(filters, "exclusion"))}
    accepted = {f.key: f.count for f in figures(cells(filters, "excl_accepted"))}
    declined = {f.key: f.count for f in figures(cells(filters, "excl_declined"))}
    exclusion_rows = [
        {
            "option": _option_label(spec, code),
            "group": _group_of(spec, code),
            "hits": figure.count,
            "gave_up_other_choices": accepted.get(code),
            "kept_their_choices": declined.get(code),
        }
        for code, figure in hits.items()
    ]
    exclusion_rows.sort(key=lambda r: (r["hits"] is None, -(r["hits"] or 0)))
    return [
        Table(
            "searches",
            _("Searches that matched nothing"),
            [("query", _("Search")), ("searches", _("Times"))],
            search_rows[:50],
            None,
            [
                _(
                    "%(missed)s of %(all)s searches found nothing; queries searched by "
                    "fewer than %(k)s people are not listed."
                )
                % {
                    "missed": missed_total,
                    "all": searches.count if searches and not searches.suppressed else "—",
                    "k": MIN_CONSUMERS,
                }
            ],
        ),
        Table(
            "exclusions",
            _("Exclusions most often hit"),
            [
                ("option", _("Option wanted")),
                ("group", _("Group")),
                ("hits", _("Times it was blocked")),
                ("gave_up_other_choices", _("Then gave up other choices for it")),
                ("kept_their_choices", _("Then kept their choices")),
            ],
            exclusion_rows,
        ),
    ]


def segments(filters: Filters) -> list[Table]:
    ages = dict(ConsumerProfile.AgeBand.choices)
    genders = dict(ConsumerProfile.Gender.choices)
    found = figures(cells(filters, "ordered", by="segment"), by=("age_band", "gender"))
    rows = [
        {
            "age_band": ages.get(f.group[0], _("Not given")),
            "gender": genders.get(f.group[1], _("Not given")),
            "orders": f.count,
            "units": _units(f.amount),
        }
        for f in found
    ]
    rows.sort(key=lambda r: (str(r["age_band"]), str(r["gender"])))
    bands = [a for a in ages if any(f.group[0] == a for f in found)]
    chart = {
        "type": "bar",
        "labels": [str(ages[a]) for a in bands],
        "datasets": [
            {
                "label": str(label),
                "data": [next((f.amount for f in found if f.group == (a, g)), None) for a in bands],
            }
            for g, label in genders.items()
        ],
    }
    notes = [_("Age band and gender count only for consumers who consent; the rest are Not given.")]
    columns = [
        ("age_band", _("Age band")),
        ("gender", _("Gender")),
        ("orders", _("Orders")),
        ("units", _("Units")),
    ]
    return [Table("segments", _("Demand by age band and gender"), columns, rows, chart, notes)]


def demand_forecast(filters: Filters) -> list[Table]:
    """Cached until the rollup moves: fitting twenty-odd series takes a second or two."""
    cursor = RollupCursor.objects.filter(name="cells").values_list("last_event_id", flat=True)
    dimensions = f"{filters.province}:{filters.age_band}:{filters.gender}"
    span = f"{filters.product.pk}:{filters.start}:{filters.end}:{dimensions}"
    key = f"analytics:forecast:{span}:{cursor.first()}:{get_language()}"
    tables = cache.get(key)
    if tables is None:
        tables = _forecast_tables(filters)
        cache.set(key, tables, timeout=3600)
    return tables


def forecasts_warm() -> int:
    """Fit the default forecast page of every product with demand, in every language, so
    that staff never wait for the models; run after each rollup that folded events."""
    from django.conf import settings
    from django.utils import translation

    from analytics.forms import FilterForm

    warmed = 0
    products = ProductModel.objects.filter(
        pk__in=Cell.objects.filter(measure="ordered").values("product_model")
    )
    for product in products:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                form = FilterForm({})
                form.is_valid()
                demand_forecast(form.filters(product))
                warmed += 1
    return warmed


def _forecast_tables(filters: Filters) -> list[Table]:
    spec = _catalog(filters)
    history_filters = Filters(
        filters.product,
        _first_week(filters),
        filters.end,
        filters.province,
        filters.age_band,
        filters.gender,
    )
    weeks = _weeks(history_filters)
    overall = _series(history_filters, "ordered", weeks)
    product_rows, chart = [], None
    if overall is not None:
        ahead = forecasting.forecast(overall)
        future = [filters.end + timedelta(weeks=h + 1) for h in range(len(ahead))]
        product_rows = [
            {"week": w, "forecast_units": round(v, 1)} for w, v in zip(future, ahead, strict=True)
        ]
        chart = {
            "type": "line",
            "labels": [w.isoformat() for w in weeks + future],
            "datasets": [
                {"label": str(_("Units ordered")), "data": overall + [None] * len(future)},
                {
                    "label": str(_("Forecast")),
                    # starts at the last actual week, so that the two lines join
                    "data": [None] * (len(weeks) - 1)
                    + [overall[-1]]
                    + [round(v, 1) for v in ahead],
                },
            ],
        }
    series_rows = []
    if overall is not None:
        series_rows.append(_forecast_row(_("All of the product"), overall))
    for code in _top_keys(filters, "ordered_option"):
        found = _series(history_filters, "ordered_option", weeks, key=code)
        if found is not None:
            series_rows.append(_forecast_row(_option_label(spec, code), found))
    language = get_language() or "en"
    for province in _top_keys(filters, "ordered", by="province"):
        found = _series(history_filters, "ordered", weeks, province=province)
        if found is not None:
            series_rows.append(_forecast_row(province_label(province, language), found))
    columns = [
        ("series", _("Series")),
        ("next_8_weeks", _("Forecast, next 8 weeks (units)")),
        ("model_wape", _("Backtest error, our forecast (WAPE)")),
        ("baseline_wape", _("Backtest error, seasonal naive (WAPE)")),
        ("model_mae", _("Our mean absolute error (units a week)")),
        ("baseline_mae", _("Seasonal naive's mean absolute error")),
    ]
    notes = [
        _(
            "Backtest: both forecasts are fitted on the weeks before the last 8 and scored "
            "on those 8 held-out weeks only."
        ),
        _(
            "Seasonal naive: each week as the same week a year earlier (the last week, "
            "with under a year of data)."
        ),
    ]
    return [
        Table(
            "product",
            _("Forecast for the product"),
            [("week", _("Week of")), ("forecast_units", _("Units"))],
            product_rows,
            chart,
        ),
        Table("series", _("Forecast and backtest per series"), columns, series_rows, None, notes),
    ]


def _forecast_row(label, history: list[float]) -> dict:
    test = forecasting.backtest(history)
    ahead = forecasting.forecast(history)
    return {
        "series": label,
        "next_8_weeks": round(sum(ahead), 1),
        "model_wape": _rounded(test and test.model_wape, 3),
        "baseline_wape": _rounded(test and test.baseline_wape, 3),
        "model_mae": _rounded(test and test.model_mae, 2),
        "baseline_mae": _rounded(test and test.baseline_mae, 2),
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _series(filters: Filters, measure: str, weeks: list[date], **only) -> list[float] | None:
    """Weekly units, zero where nothing was ordered; None when the whole series covers
    too few consumers to be shown."""
    selected = cells(filters, measure, by="province" if "province" in only else "")
    if only:
        selected = selected.filter(**only)
    whole = figures(selected, by=())
    if not whole or whole[0].suppressed:
        return None
    by_week = dict(selected.values_list("week").annotate(units=_sum_fields()["amount"]))
    return [float(by_week.get(w, 0)) for w in weeks]


def _top_keys(filters: Filters, measure: str, by: str = "key") -> list[str]:
    selected = cells(filters, measure, by="" if by == "key" else by)
    found = [f for f in figures(selected, by=(by,)) if not f.suppressed and f.key]
    found.sort(key=lambda f: -f.amount)
    return [f.key for f in found[:TOP]]


def _first_week(filters: Filters) -> date:
    first = (
        Cell.objects.filter(product_model=filters.product, measure="ordered")
        .order_by("week")
        .values_list("week", flat=True)
        .first()
    )
    return min(first or filters.start, filters.start)


# Shared ------------------------------------------------------------------------------------


def _weeks(filters: Filters) -> list[date]:
    weeks, week = [], filters.start
    while week <= filters.end:
        weeks.append(week)
        week += timedelta(weeks=1)
    return weeks


def _units(value) -> int | None:
    """Units are whole; SQLite sums decimals as floats, PostgreSQL as decimals."""
    return None if value is None else int(value)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def _per(total, count) -> float | None:
    if total is None or not count:
        return None
    return round(float(total) / count, 1)


@dataclass(frozen=True)
class View:
    slug: str
    title: str
    build: Callable[[Filters], list[Table]]


VIEWS = [
    View("take-rates", _("Take rates"), take_rates),
    View("together", _("Chosen together"), together),
    View("regions", _("Regions"), regions),
    View("funnel", _("Funnel"), funnel),
    View("time", _("Time per group"), time_per_group),
    View("prices", _("Prices"), prices),
    View("abandoned", _("Abandoned"), abandoned),
    View("unmet", _("Unmet demand"), unmet),
    View("segments", _("Segments"), segments),
    View("forecast", _("Forecast"), demand_forecast),
]
BY_SLUG = {view.slug: view for view in VIEWS}
# The figure whose absence marks a row as suppressed, per (view, table).
PRIMARY = {
    ("take-rates", "options"): "units",
    ("together", "pairs"): "orders_together",
    ("regions", "provinces"): "units",
    ("funnel", "stages"): "consumers",
    ("funnel", "groups"): "consumers",
    ("time", "groups"): "visits",
    ("prices", "bins"): "orders",
    ("abandoned", "summary"): "consumers",
    ("abandoned", "options"): "abandoned_by",
    ("unmet", "exclusions"): "hits",
    ("segments", "segments"): "orders",
}


def build(view: View, filters: Filters) -> list[Table]:
    """The view's tables, each row marked `suppressed` when its main figure covers fewer
    than MIN_CONSUMERS consumers."""
    tables = view.build(filters)
    for table in tables:
        for dataset in (table.chart or {}).get("datasets", ()):
            dataset["data"] = [None if v is None else float(v) for v in dataset["data"]]
        primary = PRIMARY.get((view.slug, table.slug))
        for row in table.rows:
            row["suppressed"] = primary is not None and row[primary] is None
    return tables
