"""A compact notation for writing catalog documents by hand."""

from __future__ import annotations

from decimal import Decimal


def money(amount: int | str | Decimal) -> str:
    return f"{Decimal(amount):.2f}"


def option(code: str, label: str, price: int = 0, **extra) -> dict:
    data = {"code": code, "label": label, "price_delta": money(price)}
    data.update(extra)
    return data


def one(code: str, name: str, section: str, options: list[dict], **extra) -> dict:
    """An exactly-one group; the first option is the default unless one says otherwise."""
    if not any(o.get("is_default") for o in options):
        options[0]["is_default"] = True
    return {
        "code": code,
        "name": name,
        "section": section,
        "kind": "one",
        "options": options,
        **extra,
    }


def several(code, name, section, options, *, minimum=0, maximum=None, **extra) -> dict:
    return {
        "code": code, "name": name, "section": section, "kind": "several",
        "min_choices": minimum, "max_choices": maximum, "options": options, **extra,
    }  # fmt: skip


def text(code, name, section, *, max_length, pattern="", blocked=(), per_char=0, **extra) -> dict:
    return {
        "code": code, "name": name, "section": section, "kind": "text", "max_length": max_length,
        "allowed_pattern": pattern, "blocked_words": list(blocked),
        "price_per_character": money(per_char), **extra,
    }  # fmt: skip


def number(code, name, section, *, low, high, step, default=None, unit="", **extra) -> dict:
    return {
        "code": code, "name": name, "section": section, "kind": "number",
        "min_value": money(low), "max_value": money(high), "step": money(step),
        "default_value": None if default is None else money(default), "unit": unit, **extra,
    }  # fmt: skip


def rules(prefix: str, items: list[tuple[str, str]]) -> list[dict]:
    """Rules numbered in order: (expression, consumer-facing message)."""
    return [
        {"code": f"{prefix}{index:03d}", "expression": expression, "message": message}
        for index, (expression, message) in enumerate(items, start=1)
    ]


def price_rule(code, label, condition, value, kind="amount") -> dict:
    return {
        "code": code,
        "label": label,
        "condition": condition,
        "kind": kind,
        "value": money(value),
    }


def attach_parts(document: dict, prefix: str, overrides: dict[str, list[dict]]) -> None:
    """Give every real option a bill-of-materials line: its own part, one per unit, unless
    `overrides` says otherwise. Options named *_NONE, *_STD or *_SELF add no material."""
    parts: dict[str, dict] = {}
    for group in document["groups"]:
        for opt in group.get("options", []):
            code = opt["code"]
            if code in overrides:
                lines = overrides[code]
            elif code.endswith(("_NONE", "_STD", "_SELF")):
                lines = []
            else:
                lines = [{"part": f"{prefix}-{code}", "quantity": "1"}]
            for line in lines:
                parts.setdefault(
                    line["part"],
                    {"number": line["part"], "name": line.pop("name", opt["label"]),
                     "unit": line.pop("unit", "pcs")},
                )  # fmt: skip
            opt["parts"] = [{k: v for k, v in line.items() if k in ("part", "quantity", "per")}
                            for line in lines]  # fmt: skip
    document["parts"] = sorted(parts.values(), key=lambda p: p["number"])
