"""Feature models from feature-modelling tools, as catalog documents.

Reads SPLOT's SXFM and FeatureIDE's XML into a tree of features with cross-tree
constraints, then writes a catalog document (format c2b-catalog/1) that the usual importer
turns into a draft version. Every feature but the root becomes a group of its own holding
one option (chosen or not), so that the catalog's count of complete configurations equals
the model's number of valid products under the usual semantics: every feature true or
false; a child implies its parent; a mandatory child is there whenever its parent is; a
group's members number between its bounds when the parent is there; cross-tree
constraints hold. The root is always there and is not a group.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field


class FeatureModelError(ValueError):
    """A file that is not a feature model this reader understands; says where and why."""


@dataclass
class Group:
    low: int
    high: int | None  # None: any number
    members: list[Feature] = field(default_factory=list)


@dataclass
class Feature:
    name: str
    mandatory: bool = False
    children: list[Feature] = field(default_factory=list)  # solitary children
    groups: list[Group] = field(default_factory=list)

    def all_children(self) -> list[Feature]:
        return self.children + [member for group in self.groups for member in group.members]


# A feature name inside a constraint is written ⟨name⟩, so names may hold any character.
NAME = "\u27e8{}\u27e9"
NAME_PATTERN = re.compile("\u27e8([^\u27e9]*)\u27e9")


@dataclass
class FeatureModel:
    name: str
    root: Feature
    constraints: list[str]  # in the rule language, with feature names written ⟨name⟩


def _xml(text: str):
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise FeatureModelError(f"not well-formed XML: {exc}") from None


# ------------------------------------------------------------------------------ SXFM

SXFM_LINE = re.compile(
    r"^(?P<indent>\s*):(?P<kind>[romg]?)\s*(?P<label>[^()\[]*?)\s*"
    r"(?:\((?P<id>[^)]+)\))?\s*(?:\[(?P<low>\d+),(?P<high>\d+|\*)\])?\s*$"
)


def read_sxfm(text: str) -> FeatureModel:
    root = _xml(text)
    tree = root.find("feature_tree")
    if root.tag != "feature_model" or tree is None or not (tree.text or "").strip():
        raise FeatureModelError("expected <feature_model> with a <feature_tree>")
    constraints = [
        _sxfm_clause(line, number)
        for number, line in enumerate((root.findtext("constraints") or "").splitlines(), 1)
        if line.strip()
    ]
    return FeatureModel(root.get("name", "feature model"), _sxfm_tree(tree.text), constraints)


def _sxfm_tree(text: str) -> Feature:
    stack: list[tuple[int, Feature | Group]] = []
    root = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = SXFM_LINE.match(line.rstrip())
        if match is None:
            raise FeatureModelError(f"feature tree line {number}: cannot read {line.strip()!r}")
        depth = len(match["indent"].expandtabs(4))
        kind = match["kind"]
        name = match["id"] or match["label"]
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if kind == "r":
            root = Feature(name)
            stack = [(depth, root)]
            continue
        if not stack:
            raise FeatureModelError(f"feature tree line {number}: a feature before the root")
        parent = stack[-1][1]
        if kind == "g":
            if isinstance(parent, Group):
                raise FeatureModelError(f"feature tree line {number}: a group inside a group")
            high = None if match["high"] == "*" else int(match["high"] or 1)
            group = Group(int(match["low"] or 1), high)
            parent.groups.append(group)
            stack.append((depth, group))
            continue
        if not name:
            raise FeatureModelError(f"feature tree line {number}: a feature without a name")
        feature = Feature(name, mandatory=kind == "m")
        (parent.members if isinstance(parent, Group) else parent.children).append(feature)
        stack.append((depth, feature))
    if root is None:
        raise FeatureModelError("the feature tree has no root (a line starting with :r)")
    return root


def _sxfm_clause(line: str, number: int) -> str:
    body = line.split(":", 1)[1] if ":" in line else line
    literals = [part.strip() for part in re.split(r"\bor\b", body)]
    if not all(re.fullmatch(r"~?[^\s~]+", literal) for literal in literals):
        raise FeatureModelError(f"constraint line {number}: cannot read {line.strip()!r}")
    return " | ".join(
        "!" + NAME.format(lit[1:]) if lit.startswith("~") else NAME.format(lit) for lit in literals
    )


# ------------------------------------------------------------------------ FeatureIDE

FEATURE_TAGS = ("feature", "and", "or", "alt")


def read_featureide(text: str) -> FeatureModel:
    root = _xml(text)
    struct = root.find("struct")
    if struct is None or len(struct) != 1:
        raise FeatureModelError("expected <featureModel> with a <struct> holding one root")
    constraints = [
        _featureide_formula(rule[-1]) for rule in root.iterfind("constraints/rule") if len(rule)
    ]
    return FeatureModel(
        root.get("name", struct[0].get("name", "feature model")),
        _featureide_feature(struct[0]),
        constraints,
    )


def _featureide_feature(element) -> Feature:
    name = element.get("name")
    if not name:
        raise FeatureModelError(f"a <{element.tag}> without a name")
    feature = Feature(name, mandatory=element.get("mandatory") == "true")
    children = [_featureide_feature(child) for child in element if child.tag in FEATURE_TAGS]
    if element.tag in ("or", "alt") and children:
        feature.groups.append(Group(1, None if element.tag == "or" else 1, children))
    else:
        feature.children = children
    return feature


def _featureide_formula(element) -> str:
    parts = [_featureide_formula(child) for child in element if child.tag != "description"]
    match element.tag:
        case "var":
            return NAME.format((element.text or "").strip())
        case "not":
            return f"!({parts[0]})"
        case "conj":
            return "(" + " & ".join(parts) + ")"
        case "disj":
            return "(" + " | ".join(parts) + ")"
        case "imp":
            return f"(({parts[0]}) -> ({parts[1]}))"
        case "eq":
            return f"(({parts[0]}) <-> ({parts[1]}))"
    raise FeatureModelError(f"unknown constraint element <{element.tag}>")


# ------------------------------------------------------------------- to a catalog


def _code(name: str) -> str:
    code = re.sub(r"[^A-Z0-9_]", "_", name.upper())
    return code if code[:1].isalpha() else f"F_{code}"


class _Writer:
    def __init__(self, model: FeatureModel):
        self.model = model
        self.codes: dict[str, str] = {}
        self.groups: list[dict] = []
        self.rules: list[dict] = []

    def ref(self, name: str) -> str:
        if name == self.model.root.name:
            return "true"
        if name not in self.codes:
            raise FeatureModelError(f"a constraint names {name!r}, not a feature of the model")
        return self.codes[name]

    def rule(self, expression: str, message: str) -> None:
        code = f"FM{len(self.rules) + 1:05d}"
        self.rules.append({"code": code, "expression": expression, "message": message})

    def declare(self, feature: Feature) -> None:
        for child in feature.all_children():
            code = _code(child.name)
            while code in self.codes.values() or f"{code}_G" in self.codes.values():
                code = f"{code}_{len(self.codes)}"
            self.codes[child.name] = code
            option = {"code": code, "label": child.name[:120]}
            self.groups.append({
                "code": f"{code}_G", "name": child.name[:120], "kind": "several",
                "min_choices": 0, "max_choices": 1, "options": [option],
            })  # fmt: skip
            self.declare(child)

    def tree(self, feature: Feature) -> None:
        here = self.ref(feature.name)
        for child in feature.all_children():
            if feature is not self.model.root:
                self.rule(
                    f"{self.ref(child.name)} -> {here}", f"{child.name} needs {feature.name}."
                )
        for child in feature.children:
            if child.mandatory:
                self.rule(
                    f"{here} -> {self.ref(child.name)}", f"{feature.name} always has {child.name}."
                )
        for group in feature.groups:
            self.group(feature, group)
        for child in feature.all_children():
            self.tree(child)

    def group(self, feature: Feature, group: Group) -> None:
        """At least `low` members as every (n - low + 1)-subset holding one chosen member;
        at most `high` as no (high + 1)-subset chosen entirely."""
        names = [self.ref(member.name) for member in group.members]
        here = self.ref(feature.name)
        if group.low:
            for subset in itertools.combinations(names, len(names) - group.low + 1):
                message = f"{feature.name} needs at least {group.low} of its group."
                self.rule(f"{here} -> {' | '.join(subset)}", message)
        if group.high is not None and group.high < len(names):
            for subset in itertools.combinations(names, group.high + 1):
                message = f"{feature.name} allows at most {group.high} of its group."
                self.rule(f"!({' & '.join(subset)})", message)


def to_catalog_document(model: FeatureModel, *, manufacturer: str, product: str) -> dict:
    """A catalog document: one yes/no group per non-root feature (option FOO in group
    FOO_G) and rules for the tree, the groups and the constraints."""
    writer = _Writer(model)
    writer.declare(model.root)
    writer.tree(model.root)
    for number, constraint in enumerate(model.constraints, start=1):
        expression = NAME_PATTERN.sub(lambda m: writer.ref(m.group(1)), constraint)
        writer.rule(expression, f"Constraint {number} of the feature model.")
    return {
        "format": "c2b-catalog/1",
        "manufacturer": {"slug": manufacturer, "name": manufacturer.replace("-", " ").title()},
        "product": {"slug": product, "name": model.name[:120] or product, "preview": "generic"},
        "version": {
            "base_price": "0.00",
            "notes": f"Imported from the feature model {model.name}.",
        },
        "groups": writer.groups,
        "rules": writer.rules,
    }
