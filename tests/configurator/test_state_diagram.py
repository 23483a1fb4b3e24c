"""The layered decision diagram behind option states, on the real SUV: what it says of each
option equals what the SAT solver proves, whatever the variable order; orders that split a
group are never used; an order check never compiles it."""

import random
from decimal import Decimal

import pytest

from catalog.demo import suv
from configurator.engine.benchmark import walk
from configurator.engine.counting import ConfigurationCounter
from configurator.engine.evaluate import AVAILABLE, EXCLUDED, FORCED, SELECTED, Engine
from configurator.engine.pricing import Selection
from configurator.engine.spec import spec_from_document


@pytest.fixture(scope="module")
def spec():
    return spec_from_document(suv.document())


@pytest.fixture(scope="module")
def sifted_order(spec):
    counter = ConfigurationCounter(spec)
    counter.sift()
    return counter.variable_order()


def solver_state(engine: Engine, selection: Selection, code: str) -> str:
    """The state the SAT solver proves, one option at a time."""
    option = engine.spec.options[code]
    group = engine.groups[option.group]
    literal = engine.encoding.var("option", code)
    context = engine._literals(selection)
    if code in selection.options:
        return SELECTED
    switching = group.kind == "one" and any(o.code in selection.options for o in group.options)
    if switching:
        own = {engine.encoding.var("option", o.code) for o in group.options}
        context = [lit for lit in context if lit not in own]
    if not engine.satisfiable([*context, literal]):
        return EXCLUDED
    if not switching and not engine.satisfiable([*context, -literal]):
        return FORCED
    return AVAILABLE


@pytest.mark.parametrize("ordered", ["heuristic order", "sifted order"])
def test_every_suv_option_state_is_what_the_solver_proves_along_consumer_walks(
    spec, sifted_order, ordered
):
    engine = Engine(spec, sifted_order if ordered == "sifted order" else None)
    selections: list[Selection] = []
    rng = random.Random(7)
    for _ in range(4):
        walk(engine, rng, 20, [], selections)
    selections.append(
        Selection(frozenset({"TRIM_SUMMIT"}), {"CHILD_SEATS": Decimal(2)}, {"VOICE_NAME": "Nova"})
    )

    checked = 0
    for selection in selections:
        evaluation = engine.evaluate(selection)
        for code, state in evaluation.states.items():
            assert state.state == solver_state(engine, evaluation.selection, code), (
                code,
                selection,
            )
            checked += 1
    assert checked == len(selections) * len(spec.options)
    assert any(s.state == EXCLUDED for s in evaluation.states.values())


def test_an_invalid_selection_still_shows_what_each_exactly_one_group_could_switch_to(spec):
    engine = Engine(spec)
    # Two choices no configuration holds together.
    chosen = next(
        frozenset({a, b})
        for a in ("ENG_15T", "ENG_PHEV")
        for b in ("GB_8AT", "GB_DHT", "GB_6MT")
        if not engine.satisfiable(engine._literals(Selection(frozenset({a, b}))))
    )

    evaluation = engine.evaluate(Selection(chosen))

    assert not evaluation.valid
    assert evaluation.conflict is not None
    for code, state in evaluation.states.items():
        assert state.state == solver_state(engine, evaluation.selection, code), code


def test_sifting_keeps_each_groups_variables_together(spec, sifted_order):
    assert ConfigurationCounter.order_fits(spec, sifted_order)
    assert ConfigurationCounter(spec, sifted_order).learned


def test_a_stored_order_that_splits_a_group_is_not_used(spec, sifted_order):
    """Orders learned before groups were kept together are ignored (and learned again)."""
    split = list(sifted_order)
    paint = next(n for n in split if n.startswith("option:PAINT_"))
    split.remove(paint)
    split.append(paint)

    counter = ConfigurationCounter(spec, split)

    assert not ConfigurationCounter.order_fits(spec, split)
    assert not counter.learned
    assert ConfigurationCounter.order_fits(spec, counter.variable_order())
    assert counter.count() == ConfigurationCounter(spec, sifted_order).count()


def test_checking_an_order_never_compiles_the_diagram(spec):
    """Placing an order re-checks a complete configuration: that must stay cheap."""
    engine = Engine(spec)
    complete = engine.complete(Selection())

    assert engine.check(complete).complete
    assert engine._counter is None

    engine.evaluate(complete)
    assert engine._counter is not None
