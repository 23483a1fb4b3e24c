from configurator.engine.evaluate import Engine
from configurator.engine.lint import lint
from configurator.engine.spec import spec_from_document
from tests.factories import catalog_document


def lint_of(*rules: tuple[str, str, str]) -> list[str]:
    document = catalog_document()
    document["rules"] += [{"code": c, "expression": e, "message": m} for c, e, m in rules]
    return [str(p) for p in lint(Engine(spec_from_document(document)))]


def test_a_clean_catalog_has_no_lint():
    assert lint_of() == []


def test_dead_option_is_reported_with_the_rule_that_kills_it():
    problems = lint_of(("NO_TOW", "!TOWBAR", "Tow bars are sold out."))

    assert problems == [
        "Tow bar (TOWBAR) can never be chosen, because of NO_TOW: Tow bars are sold out.",
        # ... which leaves "TOWBAR excludes RED" with nothing to do:
        "Rule R2 can never fire: its left side can never hold.",
    ]


def test_forced_option_is_reported():
    problems = lint_of(("ALWAYS_W19", "W19", "Every car has 19-inch wheels."))

    assert problems == [
        "17-inch (W17) can never be chosen, because of ALWAYS_W19: Every car has 19-inch wheels.",
        "19-inch (W19) is always forced, because of ALWAYS_W19: Every car has 19-inch wheels.",
    ]


def test_rule_whose_condition_can_never_hold_is_reported():
    problems = lint_of(("ODD", "WHITE & RED -> SUNROOF", "Two paints at once."))

    assert problems == ["Rule ODD can never fire: its condition can never hold."]


def test_contradictory_rules_leave_no_configuration():
    problems = lint_of(("A", "RED", ""), ("B", "!RED", ""))

    assert problems == ["No configuration satisfies every rule (rules in conflict: A, B)."]
