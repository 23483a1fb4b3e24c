import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.interchange import catalog_export
from catalog.models import CatalogVersion


class Command(BaseCommand):
    help = "Export a catalog version as one JSON document (format c2b-catalog/1)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("product", help="product model slug, e.g. pathfinder-x7")
        parser.add_argument(
            "--number", type=int, help="version number (default: the published one)"
        )
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")

    def handle(self, *args, product: str, number: int | None, output: Path | None, **options):
        versions = CatalogVersion.objects.filter(product_model__slug=product)
        version = (
            versions.filter(number=number).first()
            if number is not None
            else versions.filter(status=CatalogVersion.Status.PUBLISHED).first()
        )
        if version is None:
            which = f"version {number}" if number is not None else "a published version"
            raise CommandError(f"Product {product!r} has no {which}.")
        text = json.dumps(catalog_export(version=version), ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {version} to {output}.")
