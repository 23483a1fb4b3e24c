from django.core.management.base import BaseCommand

from catalog.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo makers, catalogs, production lines and users (safe to run again)."

    def handle(self, *args, **options) -> None:
        catalogs, logins = seed_demo()
        if catalogs:
            self.stdout.write(f"Published demo catalogs: {', '.join(catalogs)}")
        else:
            self.stdout.write("Demo catalogs already published; nothing to import.")
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for login in logins:
            self.stdout.write(f"  {login.username:<18} {login.role}")
