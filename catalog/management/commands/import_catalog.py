import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.featuremodels import (
    FeatureModelError,
    read_featureide,
    read_sxfm,
    to_catalog_document,
)
from catalog.interchange import CatalogImportError, catalog_import
from catalog.services import PublishRefused, version_publish

FEATURE_MODEL_READERS = {"sxfm": read_sxfm, "featureide": read_featureide}


class Command(BaseCommand):
    help = (
        "Import a catalog document (format c2b-catalog/1), or a feature model in SPLOT's SXFM "
        "or FeatureIDE's XML, as a new draft catalog version."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the file, or - for standard input")
        parser.add_argument(
            "--format",
            choices=["auto", "c2b", "sxfm", "featureide"],
            default="auto",
            help="default: from the content (JSON, <feature_model> or <featureModel>)",
        )
        parser.add_argument("--manufacturer", help="feature models: the maker's slug")
        parser.add_argument("--product", help="feature models: the product's slug")
        parser.add_argument("--publish", action="store_true", help="publish the new draft")

    def handle(self, *args, file: Path, format: str, publish: bool, **options) -> None:
        text = self._read(file)
        kind = format if format != "auto" else self._sniff(text)
        document = self._document(file, text, kind, options)
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

    def _document(self, file: Path, text: str, kind: str, options) -> dict:
        if kind == "c2b":
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise CommandError(
                    f"{file}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
                ) from None
        if not options.get("manufacturer") or not options.get("product"):
            raise CommandError("A feature model needs --manufacturer and --product slugs.")
        try:
            model = FEATURE_MODEL_READERS[kind](text)
            return to_catalog_document(
                model, manufacturer=options["manufacturer"], product=options["product"]
            )
        except FeatureModelError as exc:
            raise CommandError(f"{file}: {exc}") from None

    @staticmethod
    def _sniff(text: str) -> str:
        head = text.lstrip()[:2000]
        if "<feature_model" in head:
            return "sxfm"
        if "<featureModel" in head:
            return "featureide"
        return "c2b"

    def _read(self, file: Path) -> str:
        try:
            return self.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{file}: cannot read it ({exc.strerror}).") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not UTF-8 text.") from None
