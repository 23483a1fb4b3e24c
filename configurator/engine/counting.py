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
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
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
from configurator.engine.diagram import StateDiagram
from configurator.engine.pricing import Selection
from configurator.engine.spec import CatalogSpec, GroupSpec

PRICES_COUNTED_UP_TO = 10**15  # configurations left; beyond, prices are plainly "many"
DISTINCT_PRICES_NODES = 5_000  # a bigger restricted diagram is not "cheap": no price count
DISTINCT_PRICES_WORK = 400_000  # partial sums formed in all before giving up (~0.1 s)
# Building pauses to sift only when the diagram truly blows up. The size is only looked at
# after a slow step (measuring costs time), and a busy machine makes steps slow, so the
# threshold sits far above what a good order passes through (the SUV peaks below it):
# whether a build sifts must not depend on how loaded the machine is. At 150,000 it did,
# and a consumer's first request on a busy server spent 30 s sifting.
SIFT_ABOVE_NODES = 1_000_000
SLOW_STEP_SECONDS = 0.02  # a conjunction slower than this prompts a look at the size

PRICE_PREFIX = "price:"
FEN = Decimal("0.01")


class _TooMany(Exception):
    """A price-sum set outgrew its budget."""


COMPARE = {
    "<": operator.lt, "<=": operator.le, "==": operator.eq,
    "!=": operator.ne, ">=": operator.ge, ">": operator.gt,
}  # fmt: skip


class ConfigurationCounter:
    def __init__(self, spec: CatalogSpec, order: list[str] | None = None):
        self.spec = spec
        self.bdd = cudd.BDD()
        self.names: dict[tuple, str] = {}
        self.group_names: dict[str, list[str]] = {}
        for group in spec.groups:
            self.group_names[group.code] = [self._name(key) for key in self._keys(group)]
            for key in self._keys(group):
                self.names[key] = self._name(key)
        self.learned = order is not None and self.order_fits(spec, order)
        self.bdd.configure(reordering=False)
        self.bdd.declare(*(order if self.learned else self._force_order()))
        # Sifting moves a group's variables as one block: the state diagram reads the BDD
        # a group at a time.
        for names in self.group_names.values():
            if len(names) > 1:
                top = min(map(self.bdd.level_of_var, names))
                self.bdd.group({self.bdd.var_at_level(top): len(names)})
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
            if not self.learned and slow and valid.dag_size > budget:
                cudd.reorder(self.bdd)
                budget = max(budget, 2 * valid.dag_size)
        others = [name for key, name in self.names.items() if key[0] != "option"]
        self.valid = valid
        self.valid_choices = self.bdd.exist(others, valid) if others else valid
        self.others = others
        # CUDD is not thread-safe; one diagram is shared by a process's request threads.
        self._lock = threading.Lock()
        self._priced = None  # valid, with one variable per price rule tied to its condition
        self._states = None  # the StateDiagram, read from `valid` when first asked for

    def state_diagram(self) -> StateDiagram:
        """The diagram read a group at a time, for option states (read once, then kept)."""
        with self._lock:
            if self._states is None:
                self._states = StateDiagram(self.spec, self.bdd, self.valid, self.group_names)
            return self._states

    @staticmethod
    def _name(key: tuple) -> str:
        return ":".join(str(part) for part in key)

    @classmethod
    def order_fits(cls, spec: CatalogSpec, order: list[str]) -> bool:
        """Whether `order` names exactly this catalog's variables with each group's in one
        run. Orders stored before groups were kept together do not: they are learned
        again."""
        groups = [[cls._name(key) for key in cls._keys(group)] for group in spec.groups]
        if sorted(order) != sorted(name for names in groups for name in names):
            return False
        position = {name: i for i, name in enumerate(order)}
        for names in groups:
            places = sorted(position[n] for n in names)
            if places and places[-1] - places[0] != len(places) - 1:
                return False
        return True

    def _force_order(self, rounds: int = 30) -> list[str]:
        """A starting order of the groups by the FORCE heuristic (Aloul, Markov and
        Sakallah): every rule pulls the groups it names towards their centre, so groups that
        appear together end up close, which keeps the diagram small before any sifting. Each
        group's variables stay together, in the catalog's order."""
        owner = {o.code: g.code for g in self.spec.groups for o in g.options}
        edges = []
        for rule in self.spec.rules:
            groups = list(dict.fromkeys(owner.get(code, code) for code in codes_in(rule.node)))
            if len(groups) > 1:
                edges.append(groups)
        order = [g.code for g in self.spec.groups]
        for _ in range(rounds):
            position = {code: i for i, code in enumerate(order)}
            pull: dict[str, list[float]] = {code: [] for code in order}
            for edge in edges:
                centre = sum(position[code] for code in edge) / len(edge)
                for code in edge:
                    pull[code].append(centre)
            order.sort(key=lambda c: sum(pull[c]) / len(pull[c]) if pull[c] else position[c])
        return [name for code in order for name in self.group_names[code]]

    @staticmethod
    def _keys(group: GroupSpec) -> list[tuple]:
        if group.is_choice:
            return [("option", o.code) for o in group.options]
        if group.kind == "number":
            # As in the SAT encoding: a field neither required nor defaulted may be empty.
            empty = [] if group.required or group.default_value is not None else [None]
            return [("number", group.code, v) for v in [*group.number_values, *empty]]
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
            lits = [self._var(*key) for key in self._keys(group)]
            return self._between(lits, 1, 1)
        return self._var("text", group.code) if group.required else self.bdd.true

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
        with self._lock:
            restricted, chosen = self._restrict(self.valid, self.valid_choices, selection)
            free = [
                self.names[("option", c)]
                for c in self.spec.options
                if self.names[("option", c)] not in chosen
            ]
            return self._models(restricted, free)

    def _restrict(self, full, projected, selection: Selection):
        """`full` with the current choices applied and every number and text variable
        quantified away (`projected` is `full` already quantified, for speed)."""
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
            restricted = self.bdd.exist(self.others, self.bdd.let(fields, full))
        else:
            restricted = projected
        return (self.bdd.let(chosen, restricted) if chosen else restricted), chosen

    # ------------------------------------------------------------ distinct prices

    def distinct_prices(self, selection: Selection | None = None) -> int | None:
        """How many different totals the complete configurations still open have, or None
        when that is not cheap to know (a big diagram, or too many partial sums).

        One pass over the restricted diagram, with a variable per price rule (true exactly
        when its condition holds) below the options: each node keeps the set of (sum of
        option prices, price rules fired) over its paths; totals then follow exactly as the
        price breakdown computes them. Numbers and free text are taken as chosen."""
        selection = selection or Selection()
        with self._lock:
            full, projected = self._priced_diagrams()
            restricted, chosen = self._restrict(full, projected, selection)
            if restricted == self.bdd.false:
                return 0
            if restricted.dag_size > DISTINCT_PRICES_NODES:
                return None
            free = [c for c in self.spec.options if self.names[("option", c)] not in chosen]
            try:
                sums = self._price_sums(restricted, free)
            except _TooMany:
                return None
        fixed = sum((self.spec.options[c].price_delta for c in selection.options), Decimal(0))
        for group in self.spec.groups:
            text = selection.texts.get(group.code, "")
            if group.kind == "text" and text and group.price_per_character:
                fixed += (group.price_per_character * len(text)).quantize(FEN)
        percentages = self._percentage_rules()
        return len({self._total(fixed, state, percentages) for state in sums})

    def _priced_diagrams(self):
        if self._priced is None:
            # Each rule's variable goes just below the deepest variable of its condition, so
            # that a path learns whether the rule fires as soon as it can know.
            full = self.valid
            level = self.bdd.level_of_var
            block = {n: names for names in self.group_names.values() for n in names}
            for rule in self.spec.price_rules:
                condition = self._node(rule.condition)
                # Below the whole group of that variable: groups stay in one piece.
                deepest = max(
                    (max(map(level, block[name])) for name in condition.support), default=-1
                )
                self.bdd.insert_var(PRICE_PREFIX + rule.code, deepest + 1)
                full &= self.bdd.var(PRICE_PREFIX + rule.code).equiv(condition)
            self._priced = full, self.bdd.exist(self.others, full) if self.others else full
        return self._priced

    def _total(self, fixed: Decimal, state: tuple[int, int, int], percentages) -> Decimal:
        options_fen, adjustments_fen, fired = state
        subtotal = fixed + Decimal(options_fen) / 100
        total = self.spec.base_price + subtotal + Decimal(adjustments_fen) / 100
        for bit, rule in enumerate(percentages):
            if fired >> bit & 1:
                total += (subtotal * rule.value / 100).quantize(FEN, ROUND_HALF_UP)
        return total

    def _percentage_rules(self):
        return [r for r in self.spec.price_rules if r.kind == "percent"]

    def _price_sums(self, f, free: list[str]) -> frozenset[tuple[int, int, int]]:
        """(option prices, fixed adjustments, mask of percentage rules fired) over f's
        models, in fen. When no percentage rule can fire any more, the adjustments fold into
        the first sum, which keeps the sets far smaller."""
        percentages = self._percentage_rules()
        fold = all(
            f & self.bdd.var(PRICE_PREFIX + rule.code) == self.bdd.false for rule in percentages
        )
        effects = {
            self.names[("option", c)]: (int(self.spec.options[c].price_delta * 100), 0, 0)
            for c in free
        }
        for rule in self.spec.price_rules:
            fen = int(rule.value * 100)
            if rule.kind == "percent":
                effects[PRICE_PREFIX + rule.code] = (0, 0, 1 << percentages.index(rule))
            else:
                effects[PRICE_PREFIX + rule.code] = (fen, 0, 0) if fold else (0, fen, 0)
        ordered = sorted(effects, key=self.bdd.level_of_var)
        by_rank = [effects[name] for name in ordered]
        rank = {self.bdd.level_of_var(name): i for i, name in enumerate(ordered)}
        work = [0]

        def spend(values):
            work[0] += len(values)
            if work[0] > DISTINCT_PRICES_WORK:
                raise _TooMany
            return values

        def apply(values, effect):
            d_options, d_adjustments, bit = effect
            return {(o + d_options, a + d_adjustments, m | bit) for o, a, m in values}

        def free_between(values, start: int, stop: int):
            for effect in by_rank[start:stop]:
                if any(effect):
                    values = spend(values | apply(values, effect))
            return values

        def node(here: int, low, low_rank: int, high, high_rank: int):
            values = free_between(low, here + 1, low_rank)
            values |= apply(free_between(high, here + 1, high_rank), by_rank[here])
            return frozenset(spend(values))

        values, top = self._fold(f, rank, frozenset({(0, 0, 0)}), frozenset(), node)
        return free_between(values, 0, top)

    def _models(self, f, names: list[str]) -> int:
        """Models of f over exactly the given variables (f depends on no others)."""
        levels = sorted(self.bdd.level_of_var(n) for n in names)
        rank = {level: i for i, level in enumerate(levels)}

        def node(here: int, low: int, low_rank: int, high: int, high_rank: int) -> int:
            # A variable skipped between a node and its child is free: it doubles the count.
            return (low << (low_rank - here - 1)) + (high << (high_rank - here - 1))

        count, top = self._fold(f, rank, 1, 0, node)
        return count << top

    def _fold(self, f, rank: dict[int, int], on_true, on_false, node):
        """A value per diagram node, children first: `node(rank, low value, low's rank,
        high value, high's rank)`, where ranks number the levels that matter and the
        terminals sit at the bottom rank. Returns f's value and rank, so that callers can
        account for the variables skipped above f and between nodes.

        Post-order with an explicit stack: a recursive closure would form a reference cycle
        and leave CUDD's manager to the garbage collector."""
        true, false = self.bdd.true, self.bdd.false
        bottom = len(rank)
        memo: dict[tuple[str, bool], tuple] = {}

        def key(g) -> tuple[str, bool]:
            return str(g), g.negated

        def value(g):
            if g == true:
                return on_true, bottom
            if g == false:
                return on_false, bottom
            return memo[key(g)]

        def children(g):
            low, high = g.low, g.high
            return (~low, ~high) if g.negated else (low, high)

        stack = [f]
        while stack:
            g = stack[-1]
            if g in (true, false) or key(g) in memo:
                stack.pop()
                continue
            pending = [c for c in children(g) if c not in (true, false) and key(c) not in memo]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            here = rank[g.level]
            (low, low_rank), (high, high_rank) = (value(c) for c in children(g))
            memo[key(g)] = node(here, low, low_rank, high, high_rank), here
        return value(f)
