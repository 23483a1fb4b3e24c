import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.interchange import CatalogImportError, catalog_import
from catalog.services import PublishRefused, version_publish


class Command(BaseCommand):
    help = "Import a catalog document (format c2b-catalog/1) as a new draft catalog version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="JSON file, or - for standard input")
        parser.add_argument("--publish", action="store_true", help="publish the new draft")

    def handle(self, *args, file: Path, publish: bool, **options) -> None:
        document = self._read(file)
        try:
            version = catalog_import(document=document)
        except CatalogImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file}: {len(exc.problems)} problem(s); nothing was imported."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {version}."))
        if publish:
            try:
                version_publish(version=version)
            except PublishRefused as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(self.style.SUCCESS(f"Published {version}."))

    def _read(self, file: Path):
        try:
            text = self.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{file}: cannot read it ({exc.strerror}).") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text.") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{file}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
            ) from None
