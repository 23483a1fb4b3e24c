from django.core.management.base import BaseCommand

from catalog.demo.seed import DEMO_PASSWORD, seed_demo
from orders.demo import seed_orders


class Command(BaseCommand):
    help = (
        "Load the demo makers, catalogs, production lines, users, batch policies and a few "
        "orders (safe to run again)."
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
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.role}")
