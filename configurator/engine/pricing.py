"""The price of a configuration, line by line, in Decimal CNY.

1. The version's base price.
2. Each chosen option's price delta.
3. Each free-text value's characters times the field's price per character.
4. Each price rule whose condition holds, in catalog order: a fixed amount, or a
   percentage of the options subtotal (steps 2 and 3), rounded half-up to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from catalog.rulelang import evaluate
from configurator.engine.i18n import _
from configurator.engine.spec import CatalogSpec

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Selection:
    """A consumer's choices: option codes, number-field values, free-text values."""

    options: frozenset[str] = frozenset()
    numbers: dict[str, Decimal] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def truths(self, spec: CatalogSpec) -> set[str]:
        """The codes a rule sees as true: chosen options, groups with a choice, filled texts."""
        chosen = set(self.options)
        chosen |= {spec.options[code].group for code in self.options if code in spec.options}
        chosen |= {code for code, text in self.texts.items() if text}
        return chosen


@dataclass(frozen=True)
class PriceLine:
    kind: str  # base | option | text | price_rule
    code: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class PriceBreakdown:
    lines: tuple[PriceLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def price(spec: CatalogSpec, selection: Selection) -> PriceBreakdown:
    lines = [PriceLine("base", "", _("Base price"), spec.base_price)]
    for group in spec.groups:
        for option in group.options:
            if option.code in selection.options:
                lines.append(PriceLine("option", option.code, option.label, option.price_delta))
        text = selection.texts.get(group.code, "")
        if group.kind == "text" and text and group.price_per_character:
            charge = (group.price_per_character * len(text)).quantize(FEN)
            lines.append(
                PriceLine(
                    "text",
                    group.code,
                    _("%(field)s (%(count)s characters)")
                    % {"field": group.name, "count": len(text)},
                    charge,
                )
            )
    subtotal = sum((line.amount for line in lines[1:]), Decimal("0"))
    truths = selection.truths(spec)
    for rule in spec.price_rules:
        if not evaluate(rule.condition, truths, selection.numbers):
            continue
        amount = rule.value if rule.kind == "amount" else subtotal * rule.value / 100
        lines.append(
            PriceLine("price_rule", rule.code, rule.label, amount.quantize(FEN, ROUND_HALF_UP))
        )
    return PriceBreakdown(tuple(lines))
