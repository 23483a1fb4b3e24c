"""Exact counts of complete configurations, with a binary decision diagram (CUDD via `dd`).

The catalog's constraints are compiled once into one BDD over option, number-value and
free-text variables, then projected onto the option variables, since configurations are
counted over the choice groups: two that differ only in a loan term or an engraving count
once. CUDD's own model count is a double, exact only below 2**53, so counts come from a
big-integer pass over the diagram (complement edges included).

The size of a BDD hangs on its variable order. Compiling starts from the FORCE heuristic's
order (variables that share constraints placed together) with reordering off, which takes
well under a second even for the SUV. `sift()` then runs CUDD's sifting once, which takes
seconds but roughly halves the diagram; `variable_order()` returns the order found, so it
is learned once per catalog version, in the background, and reused by every later compile.
"""

from __future__ import annotations

import operator
import time
from decimal import Decimal
from functools import reduce

from dd import cudd

from catalog.rulelang import (
    And,
    Compare,
    Const,
    Excludes,
    Iff,
    Implies,
    Node,
    Not,
    Or,
    Ref,
    Table,
    codes_in,
)
from configurator.engine.pricing import Selection
from configurator.engine.spec import CatalogSpec, GroupSpec

SIFT_ABOVE_NODES = 150_000  # nodes of the diagram being built before building pauses to sift
SLOW_STEP_SECONDS = 0.02  # a conjunction slower than this prompts a look at the size

COMPARE = {
    "<": operator.lt, "<=": operator.le, "==": operator.eq,
    "!=": operator.ne, ">=": operator.ge, ">": operator.gt,
}  # fmt: skip


class ConfigurationCounter:
    def __init__(self, spec: CatalogSpec, order: list[str] | None = None):
        self.spec = spec
        self.bdd = cudd.BDD()
        self.names: dict[tuple, str] = {}
        for group in spec.groups:
            for key in self._keys(group):
                self.names[key] = ":".join(str(part) for part in key)
        learned = order is not None and set(order) == set(self.names.values())
        self.bdd.configure(reordering=False)
        self.bdd.declare(*(order if learned else self._force_order()))
        self.option_names = [self.names[("option", code)] for code in spec.options]
        self.group_any = {}
        constraints = [self._group_constraint(group) for group in spec.groups]
        constraints += [self._node(rule.node) for rule in spec.rules]
        # Bottom-up: constraints on the deepest variables first keeps intermediate results
        # small. When the diagram still grows past the budget, sift once and double it.
        deepest = self.bdd.level_of_var
        constraints.sort(key=lambda f: max(map(deepest, f.support), default=0), reverse=True)
        budget = SIFT_ABOVE_NODES
        valid = self.bdd.true
        for constraint in constraints:
            started = time.perf_counter()
            valid &= constraint
            # A blow-up shows as slow steps; only then is the size worth measuring.
            slow = time.perf_counter() - started > SLOW_STEP_SECONDS
            if not learned and slow and valid.dag_size > budget:
                cudd.reorder(self.bdd)
                budget = max(budget, 2 * valid.dag_size)
        others = [name for key, name in self.names.items() if key[0] != "option"]
        self.valid = valid
        self.valid_choices = self.bdd.exist(others, valid) if others else valid
        self.others = others

    def _force_order(self, rounds: int = 30) -> list[str]:
        """A starting variable order by the FORCE heuristic (Aloul, Markov and Sakallah):
        every constraint pulls its variables towards its centre, so variables that appear
        together end up close, which keeps the diagram small before any sifting."""
        edges = [[self.names[k] for k in self._keys(g)] for g in self.spec.groups]
        group_vars = {g.code: [self.names[k] for k in self._keys(g)] for g in self.spec.groups}
        for rule in self.spec.rules:
            names = []
            for code in codes_in(rule.node):
                if ("option", code) in self.names:
                    names.append(self.names[("option", code)])
                else:
                    names += group_vars.get(code, [])
            if len(names) > 1:
                edges.append(names)
        order = list(self.names.values())
        for _ in range(rounds):
            position = {name: i for i, name in enumerate(order)}
            pull: dict[str, list[float]] = {name: [] for name in order}
            for edge in edges:
                centre = sum(position[n] for n in edge) / len(edge)
                for name in edge:
                    pull[name].append(centre)
            order.sort(key=lambda n: sum(pull[n]) / len(pull[n]) if pull[n] else position[n])
        return order

    def _keys(self, group: GroupSpec) -> list[tuple]:
        if group.is_choice:
            return [("option", o.code) for o in group.options]
        if group.kind == "number":
            return [("number", group.code, v) for v in group.number_values]
        return [("text", group.code)]

    def _var(self, *key):
        return self.bdd.var(self.names[key])

    def _group_constraint(self, group: GroupSpec):
        if group.is_choice:
            lits = [self._var("option", o.code) for o in group.options]
            self.group_any[group.code] = reduce(operator.or_, lits, self.bdd.false)
            low, high = group.bounds
            return self._between(lits, low, high)
        if group.kind == "number":
            lits = [self._var("number", group.code, v) for v in group.number_values]
            return self._between(lits, 1, 1)
        return self.bdd.true

    def _between(self, lits, low: int, high: int):
        """At least `low` and at most `high` of the literals, by counting along them."""
        by_count = {0: self.bdd.true}
        for literal in lits:
            step = {}
            for count, f in by_count.items():
                step[count] = step.get(count, self.bdd.false) | (f & ~literal)
                if count < high:
                    step[count + 1] = step.get(count + 1, self.bdd.false) | (f & literal)
            by_count = step
        return reduce(operator.or_, (f for c, f in by_count.items() if c >= low), self.bdd.false)

    def _node(self, node: Node):
        match node:
            case Ref(code=code):
                if code in self.spec.options:
                    return self._var("option", code)
                if code in self.group_any:
                    return self.group_any[code]
                return self._var("text", code)
            case Compare(code=code, operator=op, value=value):
                group = next(g for g in self.spec.groups if g.code == code)
                values = [v for v in group.number_values if COMPARE[op](v, value)]
                return reduce(
                    operator.or_, (self._var("number", code, v) for v in values), self.bdd.false
                )
            case Const(value=value):
                return self.bdd.true if value else self.bdd.false
            case Not(operand=operand):
                return ~self._node(operand)
            case And(operands=operands):
                return reduce(operator.and_, map(self._node, operands), self.bdd.true)
            case Or(operands=operands):
                return reduce(operator.or_, map(self._node, operands), self.bdd.false)
            case Implies(condition=a, consequence=b):
                return ~self._node(a) | self._node(b)
            case Excludes(left=a, right=b):
                return ~(self._node(a) & self._node(b))
            case Iff(left=a, right=b):
                return self._node(a).equiv(self._node(b))
            case Table(rows=rows):
                return reduce(
                    operator.or_,
                    (
                        reduce(
                            operator.and_, (self._var("option", c) for c in row if c), self.bdd.true
                        )
                        for row in rows
                    ),
                    self.bdd.false,
                )
        raise TypeError(f"not a rule node: {node!r}")

    def sift(self) -> None:
        """Shrink the diagram by CUDD's sifting (seconds on large catalogs)."""
        cudd.reorder(self.bdd)

    def variable_order(self) -> list[str]:
        return sorted(self.names.values(), key=self.bdd.level_of_var)

    @property
    def size(self) -> int:
        return self.valid.dag_size

    def count(self, selection: Selection | None = None) -> int:
        """Complete configurations (over the choice groups) that keep every current choice."""
        selection = selection or Selection()
        chosen = {
            self.names[("option", c)]: True
            for c in selection.options
            if ("option", c) in self.names
        }
        fields = {
            self.names[("text", c)]: True for c in selection.texts if ("text", c) in self.names
        }
        fields |= {
            self.names[("number", c, Decimal(v))]: True
            for c, v in selection.numbers.items()
            if ("number", c, Decimal(v)) in self.names
        }
        if fields:
            restricted = self.bdd.let(fields, self.valid)
            restricted = self.bdd.exist(self.others, restricted)
            restricted = self.bdd.let(chosen, restricted) if chosen else restricted
        else:
            restricted = self.bdd.let(chosen, self.valid_choices) if chosen else self.valid_choices
        free = len(self.option_names) - len(chosen)
        return self._models(
            restricted,
            free,
            [
                self.names[("option", c)]
                for c in self.spec.options
                if self.names[("option", c)] not in chosen
            ],
        )

    def _models(self, f, nvars: int, names: list[str]) -> int:
        """Models of f over exactly the given variables (f depends on no others)."""
        if f == self.bdd.false:
            return 0
        levels = sorted(self.bdd.level_of_var(n) for n in names)
        rank = {level: i for i, level in enumerate(levels)}
        bottom = len(levels)
        # Post-order over the diagram with an explicit stack: a recursive closure would
        # form a reference cycle and leave CUDD's manager to the garbage collector.
        memo: dict[tuple[str, bool], tuple[int, int]] = {}

        def key(g) -> tuple[str, bool]:
            return str(g), g.negated

        def value(g) -> tuple[int, int]:
            if g == self.bdd.true:
                return 1, bottom
            if g == self.bdd.false:
                return 0, bottom
            return memo[key(g)]

        def children(g):
            low, high = g.low, g.high
            return (~low, ~high) if g.negated else (low, high)

        stack = [f]
        while stack:
            g = stack[-1]
            if g in (self.bdd.true, self.bdd.false) or key(g) in memo:
                stack.pop()
                continue
            pending = [
                c
                for c in children(g)
                if c not in (self.bdd.true, self.bdd.false) and key(c) not in memo
            ]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            here = rank[g.level]
            (c_low, r_low), (c_high, r_high) = (value(c) for c in children(g))
            memo[key(g)] = ((c_low << (r_low - here - 1)) + (c_high << (r_high - here - 1)), here)
        count, top = value(f)
        return count << top
