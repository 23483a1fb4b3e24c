"""What the engine knows about a catalog version, as plain frozen data.

Built from a catalog document (format c2b-catalog/1, the same JSON that export_catalog
writes), so the engine can be fed from a file, a test or the database alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from catalog.rulelang import Node, parse_rule


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: str
    price_delta: Decimal
    group: str
    is_default: bool = False
    paint_colour: str = ""
    description: str = ""


@dataclass(frozen=True)
class GroupSpec:
    code: str
    name: str
    kind: str  # one | several | text | number
    options: tuple[OptionSpec, ...] = ()
    section: str = ""
    description: str = ""
    unit: str = ""
    min_choices: int = 0
    max_choices: int | None = None
    required: bool = False
    number_values: tuple[Decimal, ...] = ()  # every allowed value, in order
    default_value: Decimal | None = None
    max_length: int | None = None
    allowed_pattern: str = ""
    blocked_words: tuple[str, ...] = ()
    price_per_character: Decimal = Decimal("0")

    @property
    def is_choice(self) -> bool:
        return self.kind in ("one", "several")

    @property
    def bounds(self) -> tuple[int, int]:
        """How many options a complete configuration chooses in this group."""
        if self.kind == "one":
            return 1, 1
        upper = len(self.options) if self.max_choices is None else self.max_choices
        return self.min_choices, min(upper, len(self.options))


@dataclass(frozen=True)
class RuleSpec:
    code: str
    node: Node
    message: str


@dataclass(frozen=True)
class PriceRuleSpec:
    code: str
    label: str
    condition: Node
    kind: str  # amount | percent
    value: Decimal


@dataclass(frozen=True)
class CatalogSpec:
    base_price: Decimal
    groups: tuple[GroupSpec, ...]
    rules: tuple[RuleSpec, ...]
    price_rules: tuple[PriceRuleSpec, ...]

    @cached_property
    def options(self) -> dict[str, OptionSpec]:
        return {o.code: o for g in self.groups for o in g.options}


def _number_values(group: dict) -> tuple[Decimal, ...]:
    low, high, step = (Decimal(group[k]) for k in ("min_value", "max_value", "step"))
    count = int((high - low) / step) + 1
    return tuple(low + step * i for i in range(count))


def _group(data: dict) -> GroupSpec:
    kind = data["kind"]
    options = tuple(
        OptionSpec(
            code=o["code"],
            label=o["label"],
            price_delta=Decimal(o.get("price_delta", "0")),
            group=data["code"],
            is_default=o.get("is_default", False),
            paint_colour=o.get("paint_colour", ""),
            description=o.get("description", ""),
        )
        for o in data.get("options", [])
    )
    default = data.get("default_value")
    return GroupSpec(
        code=data["code"],
        name=data["name"],
        kind=kind,
        options=options,
        section=data.get("section", ""),
        description=data.get("description", ""),
        unit=data.get("unit", ""),
        min_choices=data.get("min_choices") or 0,
        max_choices=data.get("max_choices"),
        required=data.get("required", False),
        number_values=_number_values(data) if kind == "number" else (),
        default_value=None if default is None else Decimal(default),
        max_length=data.get("max_length"),
        allowed_pattern=data.get("allowed_pattern", ""),
        blocked_words=tuple(data.get("blocked_words", ())),
        price_per_character=Decimal(data.get("price_per_character") or "0"),
    )


def spec_from_document(document: dict) -> CatalogSpec:
    """A CatalogSpec from a valid catalog document (check it with the importer first)."""
    return CatalogSpec(
        base_price=Decimal(document["version"]["base_price"]),
        groups=tuple(_group(g) for g in document["groups"]),
        rules=tuple(
            RuleSpec(r["code"], parse_rule(r["expression"]), r.get("message", ""))
            for r in document.get("rules", [])
        ),
        price_rules=tuple(
            PriceRuleSpec(
                code=p["code"],
                label=p["label"],
                condition=parse_rule(p["condition"]),
                kind=p.get("kind", "amount"),
                value=Decimal(p["value"]),
            )
            for p in document.get("price_rules", [])
        ),
    )
