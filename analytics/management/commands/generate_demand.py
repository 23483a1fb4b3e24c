import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from analytics.demand import Shape, generate_demand
from analytics.rollups import rollup_advance


class Command(BaseCommand):
    help = (
        "Create synthetic consumers, sessions, behaviour events and orders for every "
        "published product over the last N weeks, then fold them into the rollups."
    )

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=30)
        parser.add_argument("--sessions-per-week", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-rollup", action="store_true", help="Leave rolling up to beat.")

    def handle(self, *args, weeks, sessions_per_week, seed, no_rollup, **options):
        if weeks < 1 or sessions_per_week < 1:
            raise CommandError("--weeks and --sessions-per-week must be at least 1.")
        started = time.perf_counter()
        with tqdm(total=weeks, unit="week", disable=options["verbosity"] == 0) as bar:
            made = generate_demand(
                Shape(weeks=weeks, sessions_per_week=sessions_per_week, seed=seed),
                progress=bar.update,
            )
        generated = time.perf_counter() - started
        self.stdout.write(
            f"{made.consumers:,} signed-in consumers, {made.sessions:,} sessions, "
            f"{made.events:,} events, {made.orders:,} orders in {generated:.1f} s"
        )
        if not no_rollup:
            started = time.perf_counter()
            folded = rollup_advance()
            took = time.perf_counter() - started
            self.stdout.write(f"Rolled up {folded:,} events in {took:.1f} s")
