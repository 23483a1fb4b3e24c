"""Import and export of a whole catalog version as one JSON document.

The document's structure is defined by catalog.schema.json (format "c2b-catalog/1").
An import either creates a complete new draft version or changes nothing: every problem
is collected with its JSON path and reported together, and the transaction rolls back.
Structural problems (the JSON Schema) are all reported first; once the structure is
right, every semantic problem (duplicate codes, unknown parts, rules that do not parse,
bounds that contradict each other) is reported together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from jsonschema import Draft202012Validator

from catalog.models import (
    CatalogVersion,
    Manufacturer,
    Option,
    OptionGroup,
    OptionPart,
    Part,
    PriceRule,
    ProductModel,
    Rule,
    check_expression,
)
from catalog.rulelang import Symbol, SymbolKind

FORMAT = "c2b-catalog/1"
SCHEMA_PATH = Path(__file__).with_name("catalog.schema.json")

GROUP_FIELDS = (
    "section", "description", "min_choices", "max_choices", "required", "max_length",
    "allowed_pattern", "blocked_words", "price_per_character", "min_value", "max_value",
    "step", "default_value", "unit",
)  # fmt: skip
OPTION_FIELDS = (
    "description", "price_delta", "is_default", "paint_colour", "station_codes",
    "minimum_per_batch",
)  # fmt: skip
DOCUMENT_KEYS = {"per_group": "per"}  # model field -> document key, where they differ
DECIMAL_FIELDS = frozenset(
    {"price_per_character", "min_value", "max_value", "step", "default_value", "price_delta"}
)


@dataclass(frozen=True)
class ImportProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CatalogImportError(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the catalog document")


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def _json_path(parts) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def schema_problems(document: object) -> list[ImportProblem]:
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.path)))
    return [ImportProblem(_json_path(error.absolute_path), error.message) for error in errors]


def catalog_import(*, document: object) -> CatalogVersion:
    """Create a new draft catalog version from a document, or raise CatalogImportError."""
    problems = schema_problems(document)
    if problems:
        raise CatalogImportError(problems)
    with transaction.atomic():
        importer = _Importer(document)
        version = importer.run()
        if importer.problems:
            transaction.set_rollback(True)
            raise CatalogImportError(importer.problems)
    return version


def _decimal(value):
    return None if value is None else Decimal(value)


class _Importer:
    def __init__(self, document: dict):
        self.doc = document
        self.problems: list[ImportProblem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(ImportProblem(path, message))

    def valid(self, instance, path: str, *, exclude: tuple[str, ...] = (), clean=True) -> bool:
        """full_clean without the database uniqueness checks, whose duplicates are
        reported by _check_codes with better words."""
        try:
            instance.clean_fields(exclude=list(exclude))
            if clean:
                instance.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                key = DOCUMENT_KEYS.get(field, field)
                at = path if field == "__all__" else f"{path}.{key}"
                for message in messages:
                    self.problem(at, message)
            return False
        return True

    def run(self) -> CatalogVersion:
        manufacturer = self._manufacturer()
        product = self._product(manufacturer)
        if self.problems:  # another maker's product: nothing else can be checked sensibly
            return product.versions.first()
        version = CatalogVersion(
            product_model=product,
            base_price=Decimal(self.doc["version"]["base_price"]),
            notes=self.doc["version"].get("notes", ""),
        )
        version.save()
        parts = self._parts(manufacturer)
        self._check_codes()
        groups = self._groups(version)
        self._options(version, groups, parts)
        symbols = _symbols(self.doc["groups"])
        self._rules(version, symbols)
        self._price_rules(version, symbols)
        return version

    def _manufacturer(self) -> Manufacturer:
        data = self.doc["manufacturer"]
        manufacturer, _ = Manufacturer.objects.get_or_create(
            slug=data["slug"], defaults={"name": data["name"]}
        )
        return manufacturer

    def _product(self, manufacturer: Manufacturer) -> ProductModel:
        data = self.doc["product"]
        product = ProductModel.objects.filter(slug=data["slug"]).first()
        if product is None:
            product = ProductModel.objects.create(
                manufacturer=manufacturer,
                slug=data["slug"],
                name=data["name"],
                tagline=data.get("tagline", ""),
                description=data.get("description", ""),
                preview=data.get("preview", ProductModel.Preview.GENERIC),
            )
        elif product.manufacturer_id != manufacturer.pk:
            self.problem(
                "$.product.slug",
                f"product {data['slug']} belongs to {product.manufacturer.slug}, "
                f"not {manufacturer.slug}",
            )
        return product

    def _parts(self, manufacturer: Manufacturer) -> dict[str, Part]:
        parts: dict[str, Part] = {}
        for index, data in enumerate(self.doc.get("parts", [])):
            number = data["number"]
            if number in parts:
                self.problem(f"$.parts[{index}].number", f"part {number} is listed twice")
                continue
            parts[number], _ = Part.objects.get_or_create(
                manufacturer=manufacturer,
                number=number,
                defaults={"name": data["name"], "unit": data.get("unit", "pcs")},
            )
        return parts

    def _check_codes(self) -> None:
        """Group and option codes share one namespace, since rules name both."""
        seen: dict[str, str] = {}

        def claim(code: str, path: str) -> None:
            if code in seen:
                self.problem(path, f"code {code} is already used at {seen[code]}")
            else:
                seen[code] = path

        for gi, group in enumerate(self.doc["groups"]):
            claim(group["code"], f"$.groups[{gi}].code")
            for oi, option in enumerate(group.get("options", [])):
                claim(option["code"], f"$.groups[{gi}].options[{oi}].code")
        for key in ("rules", "price_rules"):
            codes: dict[str, int] = {}
            for index, item in enumerate(self.doc.get(key, [])):
                if item["code"] in codes:
                    self.problem(
                        f"$.{key}[{index}].code",
                        f"code {item['code']} is already used at $.{key}[{codes[item['code']]}]",
                    )
                codes.setdefault(item["code"], index)

    def _groups(self, version: CatalogVersion) -> dict[str, OptionGroup]:
        """Every group, checked; only valid ones are saved (their pk tells which)."""
        groups: dict[str, OptionGroup] = {}
        for index, data in enumerate(self.doc["groups"]):
            path = f"$.groups[{index}]"
            fields = {
                name: _decimal(data[name]) if name in DECIMAL_FIELDS else data[name]
                for name in GROUP_FIELDS
                if name in data
            }
            group = OptionGroup(
                version=version,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                position=index,
                **fields,
            )
            if data.get("options") and not group.is_choice:
                self.problem(
                    f"{path}.options", f"a {group.get_kind_display()} group has no options"
                )
            if self.valid(group, path) and data["code"] not in groups:
                group.save()
            groups.setdefault(data["code"], group)
        return groups

    def _options(self, version, groups: dict[str, OptionGroup], parts: dict[str, Part]) -> None:
        """Options of an invalid group are still checked, so that one import shows every
        problem; they are saved only under a saved group."""
        taken = set(groups)
        for gi, group_data in enumerate(self.doc["groups"]):
            group = groups[group_data["code"]]
            if not group.is_choice:
                continue
            for oi, data in enumerate(group_data.get("options", [])):
                path = f"$.groups[{gi}].options[{oi}]"
                if data["code"] in taken:
                    continue  # reported by _check_codes
                fields = {
                    name: _decimal(data[name]) if name in DECIMAL_FIELDS else data[name]
                    for name in OPTION_FIELDS
                    if name in data
                }
                option = Option(
                    version=version, group=group, code=data["code"], label=data["label"],
                    position=oi, **fields,
                )  # fmt: skip
                taken.add(option.code)
                if self.valid(option, path, exclude=("group",)) and group.pk is not None:
                    option.save()
                self._option_parts(option, data.get("parts", []), path, groups, parts)

    def _option_parts(self, option, lines, path, groups, parts) -> None:
        used: set[str] = set()
        for index, data in enumerate(lines):
            at = f"{path}.parts[{index}]"
            part = parts.get(data["part"])
            if part is None:
                self.problem(f"{at}.part", f"part {data['part']} is not listed in $.parts")
                continue
            if data["part"] in used:
                self.problem(f"{at}.part", f"part {data['part']} is listed twice for this option")
                continue
            used.add(data["part"])
            per_code = data.get("per")
            per_group = groups.get(per_code) if per_code else None
            if per_code and per_group is None:
                self.problem(f"{at}.per", f"no group has the code {per_code}")
                continue
            line = OptionPart(
                option=option, part=part, quantity=Decimal(data["quantity"]), per_group=per_group
            )
            if (
                self.valid(line, at, exclude=("option", "per_group"))
                and option.pk
                and (per_group is None or per_group.pk)
            ):
                line.save()

    def _rules(self, version, symbols) -> None:
        for index, data in enumerate(self.doc.get("rules", [])):
            path = f"$.rules[{index}]"
            rule = Rule(
                version=version,
                code=data["code"],
                expression=data["expression"],
                message=data.get("message", ""),
                position=index,
            )
            if self._expression_ok(rule, path, "expression", symbols):
                rule.save()

    def _price_rules(self, version, symbols) -> None:
        for index, data in enumerate(self.doc.get("price_rules", [])):
            path = f"$.price_rules[{index}]"
            price_rule = PriceRule(
                version=version,
                code=data["code"],
                label=data["label"],
                condition=data["condition"],
                kind=data.get("kind", PriceRule.Kind.AMOUNT),
                value=Decimal(data["value"]),
                position=index,
            )
            if self._expression_ok(price_rule, path, "condition", symbols):
                price_rule.save()

    def _expression_ok(self, instance, path: str, field: str, symbols) -> bool:
        """Check rule text against the document's own codes: a group that failed its own
        checks must not make every rule naming it fail as well."""
        ok = self.valid(instance, path, exclude=(field,), clean=False)
        is_percent = isinstance(instance, PriceRule) and instance.kind == PriceRule.Kind.PERCENT
        if is_percent and not -100 <= instance.value <= 100:
            self.problem(f"{path}.value", "a percentage must lie between -100 and 100")
            ok = False
        try:
            check_expression(getattr(instance, field), symbols, field)
        except ValidationError as exc:
            for message in exc.message_dict[field]:
                self.problem(f"{path}.{field}", message)
            return False
        return ok


def _symbols(groups: list[dict]) -> dict[str, Symbol]:
    kinds = {
        "one": SymbolKind.SINGLE_GROUP,
        "several": SymbolKind.CHOICE_GROUP,
        "text": SymbolKind.TEXT_GROUP,
        "number": SymbolKind.NUMBER_GROUP,
    }
    symbols: dict[str, Symbol] = {}
    for group in groups:
        options = tuple(option["code"] for option in group.get("options", []))
        # The first definition of a duplicated code wins, as it does when saving.
        symbols.setdefault(group["code"], Symbol(kind=kinds[group["kind"]], options=options))
        for code in options:
            symbols.setdefault(code, Symbol(kind=SymbolKind.OPTION, group=group["code"]))
    return symbols


# ------------------------------------------------------------------------ export


def _text(value) -> str | None:
    return None if value is None else str(value)


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def catalog_export(*, version: CatalogVersion) -> dict:
    product = version.product_model
    groups = version.groups.prefetch_related("options__parts__part", "options__parts__per_group")
    parts = Part.objects.filter(option_uses__option__version=version).distinct().order_by("number")
    return {
        "format": FORMAT,
        "manufacturer": {"slug": product.manufacturer.slug, "name": product.manufacturer.name},
        "product": {
            "slug": product.slug,
            "name": product.name,
            "tagline": product.tagline,
            "description": product.description,
            "preview": product.preview,
        },
        "version": {"base_price": str(version.base_price), "notes": version.notes},
        "parts": [{"number": p.number, "name": p.name, "unit": p.unit} for p in parts],
        "groups": [_export_group(group) for group in groups],
        "rules": [
            {"code": r.code, "expression": r.expression, "message": r.message}
            for r in version.rules.all()
        ],
        "price_rules": [
            {
                "code": pr.code,
                "label": pr.label,
                "condition": pr.condition,
                "kind": pr.kind,
                "value": str(pr.value),
            }
            for pr in version.price_rules.all()
        ],
    }


def _export_group(group: OptionGroup) -> dict:
    data = {"code": group.code, "name": group.name, "kind": group.kind}
    for name in GROUP_FIELDS:
        value = getattr(group, name)
        data[name] = _text(value) if name in DECIMAL_FIELDS else value
    data["options"] = [_export_option(option) for option in group.options.all()]
    return data


def _export_option(option: Option) -> dict:
    data = {"code": option.code, "label": option.label}
    for name in OPTION_FIELDS:
        value = getattr(option, name)
        data[name] = _text(value) if name in DECIMAL_FIELDS else value
    data["parts"] = [
        {
            "part": line.part.number,
            "quantity": _quantity(line.quantity),
            "per": line.per_group.code if line.per_group_id else None,
        }
        for line in option.parts.all()
    ]
    return data
