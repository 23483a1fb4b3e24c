"""Answers for a consumer's partial selection: every option's state with its reason, field
errors, validity and completeness, the price, conflict resolution and completion.

The states are exact: "available" means some complete valid configuration contains the
option together with the current choices, "excluded" that none does. They are read from the
catalog's decision diagram (`diagram.StateDiagram`), every option at once; the reasons
behind exclusions and forced options, and conflicts, come from a SAT solver (python-sat)
working on `cnf.Encoding`, whose unsatisfiable cores name the rules and choices involved.

State of an option in an exactly-one group that already has a choice: choosing it would
replace that choice, so it is judged against the other groups' choices ("switching").
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pysat.examples.rc2 import RC2
from pysat.formula import WCNF
from pysat.solvers import Solver

from catalog.rulelang import compile_rule
from configurator.engine.cnf import SOLVER, Encoding
from configurator.engine.counting import ConfigurationCounter
from configurator.engine.diagram import OptionStates, StateDiagram
from configurator.engine.i18n import _
from configurator.engine.pricing import PriceBreakdown, Selection, price
from configurator.engine.spec import CatalogSpec, GroupSpec

SELECTED, AVAILABLE, EXCLUDED, FORCED = "selected", "available", "excluded", "forced"
MAX_CORE_TO_MINIMISE = 12  # assumptions; larger cores are reported as found
MINIMAL_CORE_CACHE = 20_000  # entries, oldest dropped first; a few MB at most
MAX_PERCENTAGE_CASES_RULES = 4  # each way they can fire is a MaxSAT solve: 2**n of them
KNOWN_CORES_PER_LITERAL = 64  # the most recent minimal cores kept per checked literal


@dataclass(frozen=True)
class Reason:
    """Why an option is excluded or forced: the rules and current choices involved. Reasons
    are cached across requests, so the words are put together in the reader's language
    each time they are read."""

    rules: tuple[str, ...]
    choices: tuple[str, ...]
    messages: str  # the rules' own messages, as the catalog's maker wrote them
    described: tuple[tuple[str, str, str], ...]  # per choice: kind, name, option label or value

    @property
    def text(self) -> str:
        if not self.rules:
            return _("Too many choices in this group.")
        if not self.described:
            return self.messages
        labels = ", ".join(_describe(*parts) for parts in self.described)
        return _("Not with %(choices)s: %(reasons)s") % {
            "choices": labels,
            "reasons": self.messages,
        }


def _describe(kind: str, name: str, detail: str) -> str:
    if kind == "option":
        return _("%(option)s (%(group)s)") % {"option": detail, "group": name}
    if kind == "number":
        return f"{name} {detail}"
    return _("your %(field)s") % {"field": name.lower()}


@dataclass(frozen=True)
class OptionState:
    code: str
    state: str
    reason: Reason | None = None


@dataclass(frozen=True)
class FieldError:
    field: str  # a group code, or an option code that does not exist
    message: str


@dataclass(frozen=True)
class Evaluation:
    selection: Selection
    states: dict[str, OptionState]
    errors: tuple[FieldError, ...]  # bad input and incomplete groups, each naming its field
    valid: bool  # the input is well-formed and can still be completed
    complete: bool  # every group is filled within its bounds and every rule holds
    conflict: Reason | None  # when not valid: the rules and choices in conflict
    price: PriceBreakdown
    incomplete_groups: tuple[str, ...] = field(default=())

    @property
    def input_errors(self) -> tuple[FieldError, ...]:
        return tuple(e for e in self.errors if e.field not in self.incomplete_groups)


@dataclass(frozen=True)
class Check:
    """A complete configuration checked without the option states an order does not need."""

    selection: Selection
    errors: tuple[FieldError, ...]  # bad input, unfilled groups, broken rules ("rules")
    price: PriceBreakdown

    @property
    def complete(self) -> bool:
        return not self.errors


class Engine:
    """One compiled catalog. Thread-safe: one incremental solver behind a lock; the
    decision diagram is compiled the first time a state is asked for (`order`: a variable
    order learned for it, see `counting.ConfigurationCounter`) and only read after."""

    def __init__(self, spec: CatalogSpec, order: list[str] | None = None):
        self.spec = spec
        self._order = order
        self._counter: ConfigurationCounter | None = None
        self._diagram: StateDiagram | None = None
        self._compile_lock = threading.Lock()
        self.encoding = Encoding(spec)
        self.groups = {g.code: g for g in spec.groups}
        self.rule_messages = {r.code: r.message or r.code for r in spec.rules}
        self.price_literals = {
            p.code: self.encoding._literal(p.condition) for p in spec.price_rules
        }
        self._solver = Solver(name=SOLVER, bootstrap_with=self.encoding.clauses)
        self._lock = threading.Lock()
        self._selectors = list(self.encoding.rule_selectors)
        self._rules = [compile_rule(rule.node) for rule in spec.rules]
        position = {code: i for i, code in enumerate(spec.options)}
        self._group_members = [
            (g, frozenset(o.code for o in g.options) if g.is_choice else None, *g.bounds)
            for g in spec.groups
        ]
        # The catalog's options, group by group, with the state objects that carry no
        # reason made once: an evaluation only picks them.
        self._options = [
            (option.code, i, group, self.encoding.var("option", option.code))
            for group in spec.groups
            for option in group.options
            for i in [position[option.code]]
        ]
        self._plain = {
            (code, state): OptionState(code, state)
            for code in spec.options
            for state in (SELECTED, AVAILABLE)
        }
        self._minimal_cores: dict[tuple[frozenset[int], int | None], frozenset[int]] = {}
        # Per checked literal, minimal cores found before: one whose choices are all still
        # made proves the literal impossible again, with no solve.
        self._known_cores: dict[int, list[tuple[frozenset[int], frozenset[int]]]] = {}
        self._reasons: dict[frozenset[int], Reason] = {}
        self._reasoned: dict[tuple[str, str, frozenset[int]], OptionState] = {}

    # ------------------------------------------------------------------ input

    def normalise(
        self, selection: Selection, fill_defaults: bool = True
    ) -> tuple[Selection, list[FieldError]]:
        """Drop what the catalog cannot hold, reporting each, and fill number defaults."""
        errors: list[FieldError] = []
        options = set()
        for code in sorted(selection.options):
            if code in self.spec.options:
                options.add(code)
            else:
                message = _("There is no option %(code)s in this catalog.") % {"code": code}
                errors.append(FieldError(code, message))
        numbers: dict[str, Decimal] = {}
        texts: dict[str, str] = {}
        for group, members, _low, high in self._group_members:
            if members is not None and len(members & options) <= high:
                continue  # nothing to report, nothing to drop
            errors += self._group_input_errors(group, selection, options, numbers, texts)
            if not fill_defaults and group.code not in selection.numbers:
                numbers.pop(group.code, None)
        for code, kind in [(c, "number") for c in selection.numbers] + [
            (c, "text") for c in selection.texts
        ]:
            if code not in self.groups or self.groups[code].kind != kind:
                template = (
                    _("There is no number field %(code)s in this catalog.")
                    if kind == "number"
                    else _("There is no text field %(code)s in this catalog.")
                )
                errors.append(FieldError(code, template % {"code": code}))
        return Selection(frozenset(options), numbers, texts), errors

    def _group_input_errors(self, group, selection, options, numbers, texts) -> list[FieldError]:
        if group.is_choice:
            chosen = [o.code for o in group.options if o.code in options]
            low, high = group.bounds
            if len(chosen) > high:
                options.difference_update(chosen)
                template = (
                    _("%(group)s: choose one option.")
                    if high == 1
                    else _("%(group)s: choose at most %(count)s options.")
                )
                return [FieldError(group.code, template % {"group": group.name, "count": high})]
            return []
        if group.kind == "number":
            return self._number_errors(group, selection.numbers.get(group.code), numbers)
        return self._text_errors(group, selection.texts.get(group.code, ""), texts)

    def _number_errors(self, group: GroupSpec, raw, numbers) -> list[FieldError]:
        if raw is None or raw == "":
            if group.default_value is not None:
                numbers[group.code] = group.default_value
            return []
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            return [FieldError(group.code, _("%(field)s: enter a number.") % {"field": group.name})]
        if value not in group.number_values:
            low, high = group.number_values[0], group.number_values[-1]
            step = group.number_values[1] - low if len(group.number_values) > 1 else 0
            return [
                FieldError(
                    group.code,
                    _("%(field)s: choose a value from %(low)s to %(high)s in steps of %(step)s.")
                    % {
                        "field": group.name,
                        "low": low.normalize(),
                        "high": high.normalize(),
                        "step": Decimal(step).normalize(),
                    },
                )
            ]
        numbers[group.code] = value
        return []

    def _text_errors(self, group: GroupSpec, raw, texts) -> list[FieldError]:
        text = str(raw).strip()
        if not text:
            return []
        problem = text_problem(group, text)
        if problem:
            message = _("%(field)s: %(problem)s") % {"field": group.name, "problem": problem}
            return [FieldError(group.code, message)]
        texts[group.code] = text
        return []

    # -------------------------------------------------------------- evaluate

    def satisfiable(self, assumptions: list[int]) -> bool:
        with self._lock:
            return self._solve(assumptions)

    @property
    def counter(self) -> ConfigurationCounter:
        """The catalog's BDD, for exact counts; compiled when first needed."""
        with self._compile_lock:
            if self._counter is None:
                self._counter = ConfigurationCounter(self.spec, self._order)
            return self._counter

    @property
    def diagram(self) -> StateDiagram:
        if self._diagram is None:
            self._diagram = self.counter.state_diagram()
        return self._diagram

    def evaluate(self, selection: Selection, fill_defaults: bool = True) -> Evaluation:
        selection, errors = self.normalise(selection, fill_defaults)
        base = self._literals(selection)
        found = self.diagram.option_states(selection)
        with self._lock:
            conflict = None
            if not found.valid:
                self._solve(base)
                conflict = self._explain(None)
            states = self._states(selection, base, found)
        incomplete = self._incomplete(selection)
        unfilled = {code for code, _message in incomplete}
        # An input error on a field left unfilled is reported; it leaves nothing invalid.
        valid = found.valid and all(e.field in unfilled for e in errors)
        errors += [FieldError(code, message) for code, message in incomplete]
        complete = found.valid and not errors and self._rules_hold(selection)
        return Evaluation(
            selection=selection,
            states=states,
            errors=tuple(errors),
            valid=valid,
            complete=complete,
            conflict=conflict,
            price=price(self.spec, selection),
            incomplete_groups=tuple(code for code, _message in incomplete),
        )

    def check(self, selection: Selection) -> Check:
        """Is this a complete, valid configuration, and what does it cost? With every group
        filled each rule is just true or false, so no solver call is needed: this is what
        an order re-checks, far cheaper than `evaluate`."""
        selection, errors = self.normalise(selection)
        errors += [FieldError(code, message) for code, message in self._incomplete(selection)]
        if not errors:
            truths = selection.truths(self.spec)
            for rule, holds in zip(self.spec.rules, self._rules, strict=True):
                if not holds(truths, selection.numbers):
                    errors.append(FieldError("rules", rule.message or rule.code))
        return Check(selection, tuple(errors), price(self.spec, selection))

    def _literals(self, selection: Selection) -> list[int]:
        enc = self.encoding
        literals = [enc.var("option", code) for code in sorted(selection.options)]
        literals += [
            enc.var("number", code, value) for code, value in sorted(selection.numbers.items())
        ]
        literals += [enc.var("text", code) for code in sorted(selection.texts)]
        return literals

    def _solve(self, assumptions: list[int]) -> bool:
        return self._solver.solve(assumptions=self._selectors + assumptions)

    def _states(self, selection, base, found: OptionStates) -> dict[str, OptionState]:
        """Each option's state from the diagram; a reason for each excluded or forced one.
        An option of an exactly-one group that has a choice is judged as a replacement of
        that choice: against the other choices only ("switching")."""
        available, forced = found.available.tolist(), found.forced.tolist()
        chosen = selection.options
        assumed = frozenset(base)
        plain, reasoned = self._plain, self._reasoned
        replaced: dict[str, frozenset[int]] = {}  # per group, worked out once
        states = {}
        for code, i, group, literal in self._options:
            if code in chosen:
                states[code] = plain[code, SELECTED]
            elif available[i] and not forced[i]:
                states[code] = plain[code, AVAILABLE]
            else:
                state, target = (FORCED, -literal) if available[i] else (EXCLUDED, literal)
                own = replaced.get(group.code)
                if own is None:
                    own = replaced[group.code] = self._replaced(group, chosen)
                core = self._known_core(assumed, own, target) or self._new_core(base, own, target)
                key = (code, state, core)
                if key not in reasoned:
                    reasoned[key] = OptionState(code, state, self._reason(core))
                    if len(reasoned) > MINIMAL_CORE_CACHE:
                        reasoned.pop(next(iter(reasoned)))
                states[code] = reasoned[key]
        return states

    def _replaced(self, group: GroupSpec, chosen) -> frozenset[int]:
        """The choices an option of `group` would replace: the group's, if it takes one."""
        if group.kind != "one":
            return frozenset()
        return frozenset(
            self.encoding.var("option", o.code) for o in group.options if o.code in chosen
        )

    def _new_core(self, base: list[int], own: frozenset[int], target: int) -> frozenset[int]:
        """A minimal core of `target` with the choices other than `own`, from the solver."""
        if self._solve([*(lit for lit in base if lit not in own), target]):
            raise RuntimeError(f"the diagram and the SAT encoding disagree on literal {target}")
        return self._explain_core(target)

    # --------------------------------------------------------------- reasons

    def _explain(self, target: int | None) -> Reason:
        return self._reason(self._explain_core(target))

    def _explain_core(self, target: int | None) -> frozenset[int]:
        """The rules and choices behind the check that just failed.

        1. Take the solver's unsatisfiable core of that check.
        2. Minimise it by deletion, remembering the answer per (core, check): the same
           conflicts recur throughout a consumer's session.
        """
        extra = [] if target is None else [target]
        core = set(self._solver.get_core() or [])
        core.discard(target)
        key = (frozenset(core), target)
        if key not in self._minimal_cores:
            self._minimal_cores[key] = self._minimise(core, extra)
            if len(self._minimal_cores) > MINIMAL_CORE_CACHE:
                self._minimal_cores.pop(next(iter(self._minimal_cores)))
        core = self._minimal_cores[key]
        if target is not None:
            known = self._known_cores.setdefault(target, [])
            choices = frozenset(lit for lit in core if lit not in self.encoding.rule_selectors)
            if (choices, core) not in known:
                known.append((choices, core))
                del known[:-KNOWN_CORES_PER_LITERAL]
        return core

    def _known_core(self, assumed: frozenset[int], own: frozenset[int], target: int):
        """A minimal core found before for `target` whose choices are all still made (and
        are not among `own`, the choices the option would replace)."""
        for choices, core in self._known_cores.get(target, ()):
            if choices <= assumed and not choices & own:
                return core
        return None

    def _minimise(self, core: set[int], extra: list[int]) -> frozenset[int]:
        """Deletion-based: drop each literal whose absence keeps the check unsatisfiable.
        Two-literal cores (a rule and a choice) are already minimal for a lint-clean catalog."""
        if len(core) <= 2 or len(core) > MAX_CORE_TO_MINIMISE:
            return frozenset(core)
        selectors = self.encoding.rule_selectors
        for literal in sorted(core):
            trial = core - {literal}
            rules = {lit for lit in trial if lit in selectors}
            choices = [lit for lit in trial if lit not in selectors]
            if not self._solver.solve(assumptions=self._core_assumptions(rules, choices) + extra):
                core = trial
        return frozenset(core)

    @staticmethod
    def _core_assumptions(rules: set[int], choices: list[int]) -> list[int]:
        """Assume only the given rule selectors. The others are left open, which switches
        their rules off just as well: a selector only ever appears negated in the clauses,
        so any model can set the open ones false."""
        return [*rules, *choices]

    def _reason(self, core: frozenset[int]) -> Reason:
        if core not in self._reasons:
            self._reasons[core] = self._describe_core(core)
            if len(self._reasons) > MINIMAL_CORE_CACHE:
                self._reasons.pop(next(iter(self._reasons)))
        return self._reasons[core]

    def _describe_core(self, core: frozenset[int]) -> Reason:
        rules = tuple(
            sorted(
                self.encoding.rule_selectors[lit]
                for lit in core
                if lit in self.encoding.rule_selectors
            )
        )
        choices = [
            self._describe_literal(lit)
            for lit in sorted(core)
            if lit not in self.encoding.rule_selectors
        ]
        return Reason(
            rules=rules,
            choices=tuple(code for code, _parts in choices),
            messages=" ".join(dict.fromkeys(self.rule_messages[r] for r in rules)),
            described=tuple(parts for _code, parts in choices),
        )

    def describe(self, code: str) -> str:
        """A current choice in words: an option with its group, or a field."""
        if code in self.spec.options:
            option = self.spec.options[code]
            return _describe("option", self.groups[option.group].name, option.label)
        return self.groups[code].name if code in self.groups else code

    def _describe_literal(self, literal: int) -> tuple[str, tuple[str, str, str]]:
        key = self.encoding.pool.obj(abs(literal))
        kind, code = key[0], key[1]
        if kind == "option":
            option = self.spec.options[code]
            return code, ("option", self.groups[option.group].name, option.label)
        if kind == "number":
            return code, ("number", self.groups[code].name, str(key[2].normalize()))
        return code, ("text", self.groups[code].name, "")

    # ----------------------------------------------------------- completeness

    def _incomplete(self, selection: Selection) -> list[tuple[str, str]]:
        missing = []
        for group, members, low, _high in self._group_members:
            if members is not None:
                if len(members & selection.options) < low:
                    template = (
                        _("%(group)s: choose an option.")
                        if group.kind == "one"
                        else _("%(group)s: choose at least %(count)s.")
                    )
                    missing.append((group.code, template % {"group": group.name, "count": low}))
            elif group.required and group.code not in selection.numbers | selection.texts:
                missing.append(
                    (group.code, _("%(field)s: this is required.") % {"field": group.name})
                )
        return missing

    def _rules_hold(self, selection: Selection) -> bool:
        truths = selection.truths(self.spec)
        return all(holds(truths, selection.numbers) for holds in self._rules)

    # ----------------------------------------------------- resolve, complete

    def resolve(self, selection: Selection, code: str) -> tuple[str, ...]:
        """The fewest current choices to give up so that `code` can be chosen."""
        selection, _errors = self.normalise(selection)
        option = self.spec.options[code]
        group = self.groups[option.group]
        replaced = {o.code for o in group.options} if group.kind == "one" else set()
        keep = [
            lit for lit in self._literals(replace(selection, options=selection.options - replaced))
        ]
        wcnf = self._hard(extra=[[self.encoding.var("option", code)]])
        for literal in keep:
            wcnf.append([literal], weight=1)
        model = self._optimum(wcnf)
        if model is None:
            return ()
        return tuple(self._describe_literal(lit)[0] for lit in keep if lit not in model)

    def choose(self, selection: Selection, code: str) -> Selection:
        """Choose an option, giving up whatever the smallest resolution asks."""
        selection, _errors = self.normalise(selection)
        give_up = set(self.resolve(selection, code))
        group = self.groups[self.spec.options[code].group]
        replaced = {o.code for o in group.options} if group.kind == "one" else set()
        options = (selection.options - replaced - give_up) | {code}
        numbers = {k: v for k, v in selection.numbers.items() if k not in give_up}
        texts = {k: v for k, v in selection.texts.items() if k not in give_up}
        return Selection(frozenset(options), numbers, texts)

    def complete(self, selection: Selection, prefer: str = "cheapest") -> Selection | None:
        """Fill every remaining group with a valid completion: the cheapest, or the closest to
        the defaults. Free text is never invented. None when the current choices cannot be
        completed.

        "Cheapest" is a weighted MaxSAT optimum of the total price. A percentage price rule
        scales the options' subtotal, which no linear weight can express, so each way the
        percentage rules can fire is solved separately, with option prices scaled by that
        case's factor, and the case whose completion really costs least wins. That is exact
        but for each percentage's rounding to the fen."""
        selection, _errors = self.normalise(selection)
        empty_texts = [
            g.code
            for g in self.spec.groups
            if g.kind == "text" and not g.required and g.code not in selection.texts
        ]
        hard = [[lit] for lit in self._literals(selection)]
        hard += [[-self.encoding.var("text", code)] for code in empty_texts]
        cases = [([], self._preferences(prefer))]
        if prefer == "cheapest":
            cases = list(self._percentage_cases())
        best, best_total = None, None
        for case_hard, preferences in cases:
            wcnf = self._hard(extra=hard + case_hard)
            for weight, literal in preferences:
                wcnf.append([literal], weight=weight)
            model = self._optimum(wcnf)
            if model is None:
                continue
            completed = self.encoding.selection(
                sorted(model), text_for=lambda g: selection.texts.get(g.code, "")
            )
            total = price(self.spec, completed).total
            if best_total is None or total < best_total:
                best, best_total = completed, total
        return best

    def _percentage_cases(self):
        """(hard clauses fixing which percentage rules fire, weights of that case's price)."""
        percentages = [r for r in self.spec.price_rules if r.kind == "percent" and r.value]
        if len(percentages) > MAX_PERCENTAGE_CASES_RULES:
            percentages = []  # 2**n cases would cost more than an approximate answer is worth
        for fired in itertools.product((False, True), repeat=len(percentages)):
            scale = 10_000 + sum(
                int(rule.value * 100) for rule, on in zip(percentages, fired, strict=True) if on
            )
            hard = [
                [self.price_literals[rule.code] if on else -self.price_literals[rule.code]]
                for rule, on in zip(percentages, fired, strict=True)
            ]
            yield hard, list(self._price_weights(scale))

    def _preferences(self, prefer: str):
        enc = self.encoding
        if prefer == "default":
            for group in self.spec.groups:
                for option in group.options:
                    literal = enc.var("option", option.code)
                    yield 1, literal if option.is_default else -literal
            return
        yield from self._price_weights(10_000)

    def _price_weights(self, scale: int):
        """Soft clauses whose cost is the price in fen times `scale` / 10,000: options'
        prices scaled, fixed price adjustments not."""
        for option in self.spec.options.values():
            literal = self.encoding.var("option", option.code)
            yield from _weighted(int(option.price_delta * 100) * scale, literal)
        for rule in self.spec.price_rules:
            if rule.kind == "amount":
                yield from _weighted(int(rule.value * 100) * 10_000, self.price_literals[rule.code])

    def _hard(self, extra: list[list[int]]) -> WCNF:
        """The catalog's clauses, every rule on, plus `extra`, as hard clauses. The lists are
        shared, not copied clause by clause: RC2 only reads them."""
        wcnf = WCNF()
        wcnf.hard = [*self.encoding.clauses, *([s] for s in self._selectors), *extra]
        wcnf.nv = max([self.encoding.pool.top, *(abs(lit) for clause in extra for lit in clause)])
        return wcnf

    @staticmethod
    def _optimum(wcnf: WCNF) -> set[int] | None:
        with RC2(wcnf) as rc2:
            model = rc2.compute()
        return None if model is None else {lit for lit in model if lit > 0}


def _weighted(cost: int, literal: int):
    """A soft clause that charges `cost` when the literal is true (a negative cost: when it
    is false)."""
    if cost > 0:
        yield cost, -literal
    elif cost < 0:
        yield -cost, literal


def text_problem(group: GroupSpec, text: str) -> str | None:
    """Why a free-text value is not allowed, or None."""
    if group.max_length and len(text) > group.max_length:
        return _("at most %(limit)s characters (%(given)s given).") % {
            "limit": group.max_length,
            "given": len(text),
        }
    if group.allowed_pattern and not re.fullmatch(group.allowed_pattern, text):
        return _("contains characters that are not allowed.")
    lowered = text.lower()
    for word in group.blocked_words:
        if word.lower() in lowered:
            return _("contains a word that is not allowed.")
    return None
