"""Demand dashboards at scale, on PostgreSQL.

    python -m analytics.benchmark [--orders 1000000] [--weeks 52] [--requests 10]
    python -m analytics.benchmark --pages-only   # times the pages of the last run's data

1. Recreates a scratch PostgreSQL database (C2B_BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/c2b_analytics_bench), migrates it and loads the demo
   catalogs (no demo demand).
2. Generates a year of lean demand (`Shape.lean`: signed-in buyers, about five events per
   order) sized for --orders, with COPY, and reports its time.
3. Rolls every event up, then generates one more day's volume and times its rollup alone.
4. Runs VACUUM ANALYZE, as autovacuum would after such a load, then requests every
   dashboard page as the maker's staff through the Django test client,
   --requests times for each of four filter sets (the default 12 weeks, the whole year,
   one province, one segment), and prints p50 and p95 per page. The forecast page is
   also timed cold (its first view fits the models) apart from the rest.
5. Prints the database's size and its largest tables.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from orders.benchmark import recreate_database

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/c2b_analytics_bench"
ORDERS_PER_SESSION = 0.81  # Shape.lean: configure 0.9 x checkout 0.95 x pay 0.95


def timed(label: str, work):
    started = time.perf_counter()
    result = work()
    took = time.perf_counter() - started
    print(f"{label}: {took:,.1f} s", flush=True)
    return result, took


def generate(orders: int, weeks: int):
    from tqdm import tqdm

    from analytics.demand import Shape, generate_demand

    growth = 1 + 0.01 * (weeks - 1) / 2  # generate_demand grows 1 % a week
    sessions_per_week = round(orders / weeks / ORDERS_PER_SESSION / growth)
    shape = Shape.lean(weeks=weeks, sessions_per_week=sessions_per_week, groups_visited=0.3)
    with tqdm(total=weeks, unit="week") as bar:
        return generate_demand(shape, progress=bar.update), sessions_per_week


def one_more_day(sessions_per_week: int):
    """A day's volume, written as the week just ending, then rolled up on its own."""
    from analytics.demand import Shape, generate_demand
    from analytics.rollups import rollup_advance

    shape = Shape.lean(weeks=1, sessions_per_week=sessions_per_week // 7, seed=99)
    made = generate_demand(shape)
    folded, took = timed("  one day's rollup", rollup_advance)
    return made, folded, took


FILTERS = {
    "default (12 weeks)": "",
    "whole year": "?start={start}",
    "one province": "?start={start}&province=44",
    "one segment": "?start={start}&age_band=25-34&gender=female",
}


def dashboards(
    requests: int, start: str, pages: list[str] | None = None
) -> list[tuple[str, float, float, float]]:
    from django.test import Client

    from analytics.dashboards import VIEWS
    from catalog.models import ManufacturerStaff, ProductModel

    staff = ManufacturerStaff.objects.select_related("manufacturer", "user").first()
    product = ProductModel.objects.filter(manufacturer=staff.manufacturer).first()
    client = Client()
    client.force_login(staff.user)
    rows = []
    for view in VIEWS:
        if pages and view.slug not in pages:
            continue
        times, cold = [], None
        for query in FILTERS.values():
            address = f"/staff/insights/{product.slug}/{view.slug}/" + query.format(start=start)
            for attempt in range(requests):
                began = time.perf_counter()
                response = client.get(address, HTTP_HOST="localhost")
                took = (time.perf_counter() - began) * 1000
                if response.status_code != 200:
                    sys.exit(f"{address} answered {response.status_code}")
                if view.slug == "forecast" and attempt == 0 and requests > 1:
                    cold = max(cold or 0, took)  # fits the models; later views are cached
                else:
                    times.append(took)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows.append((view.slug, statistics.median(times), p95, cold))
    return rows


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def sizes() -> list[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        found = [("database", cursor.fetchone()[0])]
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_total_relation_size(relid)) "
            "FROM pg_catalog.pg_statio_user_tables "
            "ORDER BY pg_total_relation_size(relid) DESC LIMIT 4"
        )
        found += cursor.fetchall()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="keep the scratch database of the last run and only time the pages again",
    )
    parser.add_argument(
        "--page", action="append", help="time only this page (a view's slug; repeatable)"
    )
    args = parser.parse_args()

    url = os.environ.get("C2B_BENCH_DATABASE_URL", DEFAULT_DATABASE)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2b.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")  # the test client's host; no SQL logging
    os.environ.pop("CELERY_BROKER_URL", None)  # nothing is enqueued: the rollup runs here
    os.environ["ANALYTICS_ROLLUP_LAG_SECONDS"] = "0"  # nothing else writes events meanwhile
    if not args.pages_only:
        recreate_database(url)
    import django

    django.setup()
    if not args.pages_only:
        load_and_roll_up(args.orders, args.weeks)
    from analytics.models import Event

    start = Event.objects.order_by("occurred_at").values_list("occurred_at", flat=True)[0]
    print(f"\nDashboards, {args.requests} requests x {len(FILTERS)} filter sets each (ms):")
    print(f"{'page':<12} {'p50':>8} {'p95':>8} {'cold':>8}")
    for page, p50, p95, cold in dashboards(args.requests, start.date().isoformat(), args.page):
        cold_text = f"{cold:8.0f}" if cold else ""
        print(f"{page:<12} {p50:8.0f} {p95:8.0f} {cold_text}")
    print("\nSizes:")
    for name, size in sizes():
        print(f"  {name:<28} {size}")
    return 0


def load_and_roll_up(orders: int, weeks: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", demand_weeks=0, stdout=quiet)

    from analytics.models import Event
    from analytics.rollups import rollup_advance
    from orders.models import Order

    (made, sessions_per_week), generation = timed("Generation", lambda: generate(orders, weeks))
    print(
        f"  {made.orders:,} orders, {made.events:,} events, {made.sessions:,} sessions, "
        f"{made.consumers:,} consumers ({made.events / generation:,.0f} events/s)"
    )
    folded, took = timed("Rollup of everything", rollup_advance)
    print(f"  {folded:,} events, {folded / took:,.0f} events/s")
    day, day_folded, _ = one_more_day(sessions_per_week)
    print(f"  {day_folded:,} events, {day.orders:,} orders in the day")
    print(f"Totals: {Order.objects.count():,} orders, {Event.objects.count():,} events")
    # what autovacuum does in a running system; without fresh statistics the planner
    # misjudges the freshly loaded tables
    timed("VACUUM ANALYZE", vacuum_analyze)


if __name__ == "__main__":
    sys.exit(main())
