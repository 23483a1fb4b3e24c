from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from analytics.demand import Shape, generate_demand
from analytics.models import Event
from analytics.rollups import rollup_advance
from catalog.demo.seed import DEMO_PASSWORD, seed_demo
from orders.demo import seed_launched_batch, seed_orders
from orders.models import ProductionPlan


class Command(BaseCommand):
    help = (
        "Load the demo makers, catalogs, production lines, users, batch policies and a few "
        "orders (safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demand-weeks",
            type=int,
            default=26,
            help="Weeks of synthetic demand for the dashboards (0: none).",
        )

    def handle(self, *args, **options) -> None:
        catalogs, logins = seed_demo()
        if catalogs:
            self.stdout.write(f"Published demo catalogs: {', '.join(catalogs)}")
        else:
            self.stdout.write("Demo catalogs already published; nothing to import.")
        placed = seed_orders()
        if placed:
            self.stdout.write(f"Placed {placed} demo orders.")
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            launched = seed_launched_batch()  # sixty shoppers' e-mails would flood the console
        if launched:
            plans = ProductionPlan.objects.count()
            self.stdout.write(
                f"Placed {launched} SUV units from demo shoppers: the batch launched and "
                f"{plans} production plan(s) await review at /staff/plans/."
            )
        synthetic = Event.objects.filter(session_id__startswith="synthetic")
        if options["demand_weeks"] and not synthetic.exists():
            made = generate_demand(Shape(weeks=options["demand_weeks"], sessions_per_week=200))
            folded = rollup_advance()
            self.stdout.write(
                f"Generated {made.sessions:,} synthetic sessions and {made.orders:,} orders "
                f"({folded:,} events) for the demand dashboards at /staff/insights/."
            )
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.role}")
