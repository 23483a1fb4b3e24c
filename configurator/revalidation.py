"""What changed for a saved configuration when its catalog has a newer version.

1. Options it chose that the new version no longer offers, and fields it filled that are
   gone or no longer accept the value.
2. Price changes: each kept option whose price delta changed, and the old and new totals.
3. New conflicts: the kept choices evaluated against the new version's rules.
The carried-over selection is the kept part, ready to open in the configurator.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from configurator.engine.evaluate import Engine, Reason
from configurator.engine.pricing import Selection


@dataclass(frozen=True)
class PriceChange:
    label: str
    old: Decimal
    new: Decimal


@dataclass(frozen=True)
class VersionDiff:
    gone: tuple[str, ...]  # labels of choices the new version cannot hold
    price_changes: tuple[PriceChange, ...]
    old_total: Decimal
    new_total: Decimal
    conflict: Reason | None
    carried: Selection
    complete: bool

    @property
    def unchanged(self) -> bool:
        return (
            not (self.gone or self.price_changes or self.conflict)
            and self.old_total == self.new_total
        )


def version_diff(old: Engine, new: Engine, selection: Selection) -> VersionDiff:
    kept, problems = new.normalise(selection, fill_defaults=False)
    gone = []
    for problem in problems:
        code = problem.field
        gone.append(old.describe(code) if code in old.spec.options or code in old.groups else code)
    changes = tuple(
        PriceChange(
            old.describe(code),
            old.spec.options[code].price_delta,
            new.spec.options[code].price_delta,
        )
        for code in sorted(kept.options)
        if code in old.spec.options
        and old.spec.options[code].price_delta != new.spec.options[code].price_delta
    )
    evaluation = new.evaluate(kept)
    old_total = old.evaluate(selection).price.total
    return VersionDiff(
        gone=tuple(gone),
        price_changes=changes,
        old_total=old_total,
        new_total=evaluation.price.total,
        conflict=evaluation.conflict,
        carried=evaluation.selection,
        complete=evaluation.complete,
    )
