"""The engine against brute force: on random small catalogs, every option state, the count
of complete configurations, conflict resolution and completion agree with enumerating every
configuration."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.rulelang import And, Compare, Excludes, Implies, Not, Or, Ref, evaluate
from configurator.engine.counting import ConfigurationCounter
from configurator.engine.evaluate import AVAILABLE, EXCLUDED, FORCED, SELECTED, Engine
from configurator.engine.pricing import Selection, price
from configurator.engine.spec import (
    CatalogSpec,
    GroupSpec,
    OptionSpec,
    PriceRuleSpec,
    RuleSpec,
)

NUMBER = GroupSpec(
    code="N", name="Number", kind="number", number_values=(Decimal(0), Decimal(1), Decimal(2))
)
TEXT = GroupSpec(code="T", name="Text", kind="text", max_length=5)


@st.composite
def catalogs(draw) -> CatalogSpec:
    groups = []
    for g in range(draw(st.integers(2, 3))):
        kind = draw(st.sampled_from(["one", "several"]))
        size = draw(st.integers(2, 3))
        options = tuple(
            OptionSpec(f"G{g}O{o}", f"G{g}O{o}", Decimal(draw(st.integers(-5, 20))), f"G{g}")
            for o in range(size)
        )
        low = draw(st.integers(0, 1)) if kind == "several" else 0
        high = draw(st.integers(max(low, 1), size)) if kind == "several" else None
        groups.append(GroupSpec(f"G{g}", f"Group {g}", kind, options, low, high))
    groups += [NUMBER, TEXT]
    codes = [o.code for g in groups for o in g.options] + ["T"]
    leaves = st.one_of(
        st.sampled_from(codes).map(Ref),
        st.builds(
            Compare,
            st.just("N"),
            st.sampled_from([">=", "=="]),
            st.sampled_from([Decimal(0), Decimal(1), Decimal(2)]),
        ),
    )
    nodes = st.recursive(
        leaves,
        lambda children: st.one_of(
            st.builds(Not, children),
            st.builds(lambda a, b: And((a, b)), children, children),
            st.builds(lambda a, b: Or((a, b)), children, children),
            st.builds(Implies, children, children),
            st.builds(Excludes, children, children),
        ),
        max_leaves=4,
    )
    rules = tuple(
        RuleSpec(f"R{i}", node, f"rule {i}")
        for i, node in enumerate(draw(st.lists(nodes, max_size=4)))
    )
    price_rules = tuple(
        PriceRuleSpec(f"P{i}", f"price rule {i}", condition, kind, Decimal(value))
        for i, (condition, kind, value) in enumerate(
            draw(
                st.lists(
                    st.tuples(nodes, st.sampled_from(["amount", "percent"]), st.integers(-15, 10)),
                    max_size=2,
                )
            )
        )
    )
    return CatalogSpec(
        base_price=Decimal(100), groups=tuple(groups), rules=rules, price_rules=price_rules
    )


def all_configurations(spec: CatalogSpec) -> list[Selection]:
    """Every complete configuration that satisfies every rule. The number field is neither
    required nor defaulted, so it may also be left empty, where every comparison is false."""
    per_group = []
    for group in spec.groups:
        if group.is_choice:
            low, high = group.bounds
            codes = [o.code for o in group.options]
            per_group.append(
                [
                    frozenset(c)
                    for k in range(low, high + 1)
                    for c in itertools.combinations(codes, k)
                ]
            )
    valid = []
    for choice in itertools.product(*per_group):
        options = frozenset().union(*choice)
        for number in [*NUMBER.number_values, None]:
            for text in ("", "abc"):
                numbers = {} if number is None else {"N": number}
                selection = Selection(options, numbers, {"T": text} if text else {})
                truths = selection.truths(spec)
                if all(evaluate(r.node, truths, selection.numbers) for r in spec.rules):
                    valid.append(selection)
    return valid


def extends(config: Selection, partial: Selection) -> bool:
    return (
        partial.options <= config.options
        and all(config.numbers.get(k) == v for k, v in partial.numbers.items())
        and all(k in config.texts for k in partial.texts)
    )


@st.composite
def catalog_and_selection(draw):
    spec = draw(catalogs())
    options = [o.code for g in spec.groups for o in g.options]
    chosen = set(draw(st.lists(st.sampled_from(options), max_size=3, unique=True)))
    for group in spec.groups:  # keep the input well-formed: at most one in exactly-one groups
        mine = sorted(c for c in chosen if c.startswith(group.code + "O"))
        if group.kind == "one":
            chosen -= set(mine[1:])
        elif len(mine) > group.bounds[1]:
            chosen -= set(mine[group.bounds[1] :])
    numbers = draw(st.sampled_from([{}, {"N": Decimal(1)}]))
    texts = draw(st.sampled_from([{}, {"T": "abc"}]))
    return spec, Selection(frozenset(chosen), numbers, texts)


def context_for(spec, selection, group) -> Selection:
    if group.kind == "one" and any(o.code in selection.options for o in group.options):
        mine = {o.code for o in group.options}
        return Selection(selection.options - mine, selection.numbers, selection.texts)
    return selection


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(catalog_and_selection())
def test_every_option_state_agrees_with_brute_force(case):
    spec, selection = case
    configurations = all_configurations(spec)

    states = Engine(spec).evaluate(selection).states

    for group in spec.groups:
        context = context_for(spec, selection, group)
        reachable = [c for c in configurations if extends(c, context)]
        for option in group.options:
            state = states[option.code]
            if option.code in selection.options:
                assert state.state == SELECTED
                continue
            with_it = [c for c in reachable if option.code in c.options]
            switching = context is not selection
            if not with_it:
                expected = EXCLUDED
            elif not switching and len(with_it) == len(reachable):
                expected = FORCED
            else:
                expected = AVAILABLE
            assert state.state == expected, (option.code, selection, spec)
            if expected in (EXCLUDED, FORCED):
                assert state.reason is not None


@SETTINGS
@given(catalog_and_selection())
def test_count_of_complete_configurations_agrees_with_brute_force(case):
    spec, selection = case
    reachable = {c.options for c in all_configurations(spec) if extends(c, selection)}

    counter = ConfigurationCounter(spec)

    assert counter.count(selection) == len(reachable)
    assert ConfigurationCounter(spec, counter.variable_order()).count(selection) == len(reachable)


@SETTINGS
@given(catalog_and_selection())
def test_number_of_distinct_prices_agrees_with_brute_force(case):
    spec, selection = case
    totals = {price(spec, c).total for c in all_configurations(spec) if extends(c, selection)}

    assert ConfigurationCounter(spec).distinct_prices(selection) == len(totals)


@SETTINGS
@given(catalog_and_selection(), st.data())
def test_conflict_resolution_gives_up_the_fewest_choices(case, data):
    spec, selection = case
    engine = Engine(spec)
    excluded = [c for c, s in engine.evaluate(selection).states.items() if s.state == EXCLUDED]
    if not excluded:
        return
    target = data.draw(st.sampled_from(excluded))
    configurations = all_configurations(spec)
    group = next(g for g in spec.groups if target in {o.code for o in g.options})
    kept = context_for(spec, selection, group)
    choices = sorted(kept.options) + sorted(kept.numbers) + sorted(kept.texts)

    def feasible(dropped) -> bool:
        partial = Selection(
            (kept.options - set(dropped)) | {target},
            {k: v for k, v in kept.numbers.items() if k not in dropped},
            {k: v for k, v in kept.texts.items() if k not in dropped},
        )
        return any(extends(c, partial) for c in configurations)

    smallest = next(
        (
            k
            for k in range(len(choices) + 1)
            for d in itertools.combinations(choices, k)
            if feasible(d)
        ),
        None,
    )
    give_up = engine.resolve(selection, target)

    if smallest is None:
        assert give_up == ()
    else:
        assert len(give_up) == smallest
        assert feasible(give_up)
        chosen = engine.evaluate(engine.choose(selection, target))
        assert chosen.valid
        assert chosen.states[target].state == SELECTED


@SETTINGS
@given(catalog_and_selection(), st.sampled_from(["cheapest", "default"]))
def test_completion_is_complete_valid_and_keeps_the_choices(case, prefer):
    spec, selection = case
    engine = Engine(spec)
    possible = [c for c in all_configurations(spec) if extends(c, selection)]
    # Completion never invents free text: it leaves an empty text field empty.
    possible_without_new_text = [c for c in possible if set(c.texts) <= set(selection.texts)]

    completed = engine.complete(selection, prefer=prefer)

    if not possible_without_new_text:
        assert completed is None
        return
    assert completed is not None
    assert extends(completed, selection)
    assert engine.evaluate(completed).complete
    if prefer == "cheapest":
        cheapest = min(price(spec, p).total for p in possible_without_new_text)
        assert price(spec, completed).total == cheapest


@SETTINGS
@given(catalog_and_selection())
def test_the_order_check_agrees_with_full_evaluation(case):
    """Orders re-check with `check`, which skips option states: it must accept exactly the
    selections `evaluate` calls complete, at the same price."""
    spec, selection = case
    engine = Engine(spec)

    checked = engine.check(selection)
    evaluated = engine.evaluate(selection)

    assert checked.complete == evaluated.complete
    assert checked.price == evaluated.price
    completed = engine.complete(selection)
    if completed is not None:
        assert engine.check(completed).complete
        assert engine.check(completed).price == engine.evaluate(completed).price
