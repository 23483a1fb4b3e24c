from decimal import Decimal

import pytest

from catalog.demo import laptop, purifier, suv
from catalog.rulelang import evaluate
from configurator.engine.cnf import (
    Encoding,
    dead_and_forced_options,
    is_satisfiable,
    sample_configurations,
)
from configurator.engine.pricing import Selection, price
from configurator.engine.spec import spec_from_document
from tests.factories import catalog_document

DEMOS = pytest.mark.parametrize(
    "module", [suv, purifier, laptop], ids=["suv", "purifier", "laptop"]
)


def small_spec(**changes):
    document = catalog_document()
    for rule_code, expression in changes.items():
        next(r for r in document["rules"] if r["code"] == rule_code)["expression"] = expression
    return spec_from_document(document)


def test_price_adds_base_options_text_and_price_rules_line_by_line():
    spec = small_spec()
    selection = Selection(
        options=frozenset({"RED", "W19", "SUNROOF", "COVERS"}),
        numbers={"SEAT_COUNT": Decimal(5)},
        texts={"NICKNAME": "Bolt"},
    )

    breakdown = price(spec, selection)

    assert [(line.code, line.amount) for line in breakdown.lines] == [
        ("", Decimal("100000.00")),
        ("RED", Decimal("3000.00")),
        ("W19", Decimal("5000.00")),
        ("SUNROOF", Decimal("6000.00")),
        ("COVERS", Decimal("200.00")),
        ("NICKNAME", Decimal("40.00")),
        ("BUNDLE", Decimal("-1000.00")),
        ("LOYAL", Decimal("-712.00")),  # 5% of 14,240.00 of options and text
    ]
    assert breakdown.total == Decimal("112528.00")


def test_percent_adjustments_round_half_up_to_the_fen():
    spec = small_spec()
    selection = Selection(
        options=frozenset({"WHITE", "W17", "COVERS"}), numbers={"SEAT_COUNT": Decimal(5)}
    )

    breakdown = price(spec, selection)

    assert breakdown.lines[-1].amount == Decimal("-10.00")  # 5% of 200.00
    assert breakdown.total == Decimal("100190.00")


def test_number_fields_list_every_allowed_value():
    spec = small_spec()

    seats = next(g for g in spec.groups if g.code == "SEAT_COUNT")

    assert seats.number_values == tuple(Decimal(n) for n in range(2, 8))


def test_contradictory_rules_make_the_catalog_unsatisfiable():
    spec = small_spec(R1="WHITE & RED", R2="true")

    assert is_satisfiable(Encoding(spec)) is False


def test_dead_and_forced_options_are_found():
    spec = small_spec(R1="SUNROOF -> W19", R2="!RED", R4="W19")

    dead, forced = dead_and_forced_options(Encoding(spec))

    assert dead == ["RED", "W17"]
    assert forced == ["WHITE", "W19"]


def test_number_comparisons_constrain_the_chosen_value():
    spec = small_spec(R4="SEAT_COUNT >= 6 -> !SUNROOF", R1="SUNROOF")
    seats = {s.numbers["SEAT_COUNT"] for s in sample_configurations(Encoding(spec), 200, seed=3)}

    assert seats
    assert max(seats) <= Decimal(5)


@DEMOS
def test_demo_catalogs_are_satisfiable_without_dead_or_forced_options(module):
    encoding = Encoding(spec_from_document(module.document()))

    assert is_satisfiable(encoding)
    assert dead_and_forced_options(encoding) == ([], [])


@DEMOS
def test_sampled_configurations_obey_every_rule_and_group_bound(module):
    spec = spec_from_document(module.document())

    for selection in sample_configurations(Encoding(spec), 300, seed=7):
        truths = selection.truths(spec)
        broken = [r.code for r in spec.rules if not evaluate(r.node, truths, selection.numbers)]
        assert broken == []
        for group in spec.groups:
            low, high = group.bounds
            chosen = sum(o.code in selection.options for o in group.options)
            assert not group.is_choice or low <= chosen <= high, group.code


def test_demo_suv_has_thousands_of_distinct_prices():
    spec = spec_from_document(suv.document())

    prices = {price(spec, s).total for s in sample_configurations(Encoding(spec), 4000, seed=11)}

    assert len(prices) >= 2000  # a lower bound: 4,000 random valid configurations alone


def test_counting_compiles_the_same_diagram_however_busy_the_machine_is(monkeypatch):
    """On a loaded machine every step looks slow; that must not set off sifting (which
    once made a consumer's first request take 30 s)."""
    from catalog.demo import suv
    from configurator.engine import counting
    from configurator.engine.spec import spec_from_document

    spec = spec_from_document(suv.document())
    calm = counting.ConfigurationCounter(spec)
    monkeypatch.setattr(counting, "SLOW_STEP_SECONDS", 0.0)

    busy = counting.ConfigurationCounter(spec)

    assert busy.valid.dag_size == calm.valid.dag_size
    assert busy.variable_order() == calm.variable_order()
    assert busy.count() == calm.count()
