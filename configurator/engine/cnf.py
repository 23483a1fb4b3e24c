"""A catalog as a SAT problem (CNF), and a sampler of random valid configurations.

Variables, through one IDPool: ("option", code) is true when the option is chosen;
("group", code) when a choice group has at least one choice; ("number", code, value) when a
number field holds that value (exactly one per field; a field neither required nor
defaulted may also hold ("number", code, None), empty); ("text", code) when a free-text
field is filled. Group bounds use pysat's cardinality encodings; rules are added through
the Tseitin transformation, one auxiliary variable per operator.
"""

from __future__ import annotations

import operator
import random
from collections.abc import Iterator
from decimal import Decimal

from pysat.card import CardEnc, EncType
from pysat.formula import IDPool
from pysat.solvers import Solver

from catalog.rulelang import And, Compare, Const, Excludes, Iff, Implies, Node, Not, Or, Ref, Table
from configurator.engine.pricing import Selection
from configurator.engine.spec import CatalogSpec, GroupSpec

SOLVER = "minisat22"
COMPARE = {
    "<": operator.lt, "<=": operator.le, "==": operator.eq,
    "!=": operator.ne, ">=": operator.ge, ">": operator.gt,
}  # fmt: skip


class Encoding:
    def __init__(self, spec: CatalogSpec):
        self.spec = spec
        self.pool = IDPool()
        self.clauses: list[list[int]] = []
        for group in spec.groups:
            self._encode_group(group)
        # Each rule holds only while its selector is assumed true, so that an unsatisfiable
        # core names the rules involved; every solve assumes all selectors.
        self.rule_selectors: dict[int, str] = {}
        # What makes each rule fire: an implication's condition, either side of an exclusion.
        self.rule_triggers: dict[str, list[int]] = {}
        for rule in spec.rules:
            selector = self.var("rule", rule.code)
            self.rule_selectors[selector] = rule.code
            self.clauses.append([-selector, self._literal(rule.node)])
            match rule.node:
                case Implies(condition=condition):
                    self.rule_triggers[rule.code] = [self._literal(condition)]
                case Excludes(left=left, right=right):
                    self.rule_triggers[rule.code] = [self._literal(left), self._literal(right)]

    def var(self, *key) -> int:
        return self.pool.id(key)

    def number_keys(self, group: GroupSpec) -> list[Decimal | None]:
        if group.required or group.default_value is not None:
            return list(group.number_values)
        return [*group.number_values, None]

    # ------------------------------------------------------------------ groups

    def _encode_group(self, group: GroupSpec) -> None:
        if group.is_choice:
            self._encode_choice(group)
        elif group.kind == "number":
            lits = [self.var("number", group.code, v) for v in self.number_keys(group)]
            self._cardinality(lits, 1, 1)
        elif group.required:
            self.clauses.append([self.var("text", group.code)])

    def _encode_choice(self, group: GroupSpec) -> None:
        lits = [self.var("option", o.code) for o in group.options]
        low, high = group.bounds
        self._cardinality(lits, low, high)
        self._define_or(self.var("group", group.code), lits)

    def _cardinality(self, lits: list[int], low: int, high: int) -> None:
        if low > 0:
            self._extend(
                CardEnc.atleast(lits, bound=low, vpool=self.pool, encoding=EncType.seqcounter)
            )
        if high < len(lits):
            self._extend(
                CardEnc.atmost(lits, bound=high, vpool=self.pool, encoding=EncType.seqcounter)
            )

    def _extend(self, formula) -> None:
        self.clauses.extend(formula.clauses)

    # ------------------------------------------------------------------- rules

    def _fresh(self) -> int:
        return self.pool.id(("aux", self.pool.top + 1))

    def _define_or(self, out: int, lits: list[int]) -> None:
        self.clauses.append([-out, *lits])
        self.clauses.extend([out, -lit] for lit in lits)

    def _define_and(self, out: int, lits: list[int]) -> None:
        self.clauses.append([out, *(-lit for lit in lits)])
        self.clauses.extend([-out, lit] for lit in lits)

    def _literal(self, node: Node) -> int:
        """A literal equivalent to the rule node."""
        match node:
            case Ref(code=code):
                return self._ref(code)
            case Compare(code=code, operator=op, value=value):
                group = next(g for g in self.spec.groups if g.code == code)
                out = self._fresh()
                lits = [
                    self.var("number", code, v)
                    for v in self.number_keys(group)
                    if v is not None and COMPARE[op](v, value)
                ]
                self._define_or(out, lits)
                return out
            case Const(value=value):
                out = self._fresh()
                self.clauses.append([out if value else -out])
                return out
            case Not(operand=operand):
                return -self._literal(operand)
            case And(operands=operands):
                out = self._fresh()
                self._define_and(out, [self._literal(o) for o in operands])
                return out
            case Or(operands=operands):
                out = self._fresh()
                self._define_or(out, [self._literal(o) for o in operands])
                return out
            case Implies(condition=a, consequence=b):
                return self._literal(Or((Not(a), b)))
            case Excludes(left=a, right=b):
                return self._literal(Not(And((a, b))))
            case Iff(left=a, right=b):
                return self._literal(Or((And((a, b)), And((Not(a), Not(b))))))
            case Table(rows=rows):
                allowed = [And(tuple(Ref(c) for c in row if c is not None)) for row in rows]
                return self._literal(
                    Or(tuple(row if row.operands else Const(True) for row in allowed))
                )
        raise TypeError(f"not a rule node: {node!r}")

    def _ref(self, code: str) -> int:
        if code in self.spec.options:
            return self.var("option", code)
        group = next(g for g in self.spec.groups if g.code == code)
        return self.var("group" if group.is_choice else "text", code)

    # ---------------------------------------------------------------- decoding

    def selection(self, model: list[int], text_for=lambda group: "") -> Selection:
        true = {lit for lit in model if lit > 0}
        options = frozenset(c for c in self.spec.options if self.var("option", c) in true)
        numbers = {}
        texts = {}
        for group in self.spec.groups:
            if group.kind == "number":
                value = next(
                    v for v in self.number_keys(group) if self.var("number", group.code, v) in true
                )
                if value is not None:
                    numbers[group.code] = value
            elif group.kind == "text" and self.var("text", group.code) in true:
                texts[group.code] = text_for(group)
        return Selection(options=options, numbers=numbers, texts=texts)


def sample_configurations(encoding: Encoding, count: int, *, seed: int = 0) -> Iterator[Selection]:
    """Random complete, valid configurations: before each solve the solver's preferred
    polarity of every decision variable is drawn at random (one preferred option per
    exactly-one group), so successive models wander across the solution space. Texts that
    must be filled get a random run of 'A's within the field's length."""
    rng = random.Random(seed)
    spec = encoding.spec
    with Solver(name=SOLVER, bootstrap_with=encoding.clauses) as solver:
        for _ in range(count):
            phases = []
            for group in spec.groups:
                if group.kind == "one":
                    favourite = rng.choice(group.options).code
                    phases += [
                        encoding.var("option", o.code) * (1 if o.code == favourite else -1)
                        for o in group.options
                    ]
                elif group.kind == "several":
                    phases += [
                        encoding.var("option", o.code) * rng.choice((1, -1)) for o in group.options
                    ]
                elif group.kind == "number":
                    keys = encoding.number_keys(group)
                    pick = rng.choice(keys)
                    phases += [
                        encoding.var("number", group.code, k) * (1 if k == pick else -1)
                        for k in keys
                    ]
                else:
                    phases.append(encoding.var("text", group.code) * rng.choice((1, -1)))
            solver.set_phases(phases)
            if not solver.solve(assumptions=list(encoding.rule_selectors)):
                return
            yield encoding.selection(
                solver.get_model(), text_for=lambda g: "A" * rng.randint(1, g.max_length or 1)
            )


def is_satisfiable(encoding: Encoding) -> bool:
    with Solver(name=SOLVER, bootstrap_with=encoding.clauses) as solver:
        return solver.solve(assumptions=list(encoding.rule_selectors))


def dead_and_forced_options(encoding: Encoding) -> tuple[list[str], list[str]]:
    """Options no complete configuration can choose, and options every one must choose,
    in catalog order. One incremental solver answers both with assumptions."""
    dead, forced = [], []
    with Solver(name=SOLVER, bootstrap_with=encoding.clauses) as solver:
        for code in encoding.spec.options:
            literal = encoding.var("option", code)
            rules = list(encoding.rule_selectors)
            if not solver.solve(assumptions=[*rules, literal]):
                dead.append(code)
            elif not solver.solve(assumptions=[*rules, -literal]):
                forced.append(code)
    return dead, forced
