from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.rulelang import (
    And,
    Compare,
    Excludes,
    Implies,
    Not,
    Or,
    Ref,
    RuleSyntaxError,
    Symbol,
    SymbolKind,
    Table,
    codes_in,
    compile_rule,
    evaluate,
    parse_rule,
    to_text,
)

SYMBOLS = {
    "ENGINE": Symbol(SymbolKind.SINGLE_GROUP, options=("E15", "E20")),
    "E15": Symbol(SymbolKind.OPTION, group="ENGINE"),
    "E20": Symbol(SymbolKind.OPTION, group="ENGINE"),
    "GEARBOX": Symbol(SymbolKind.SINGLE_GROUP, options=("MT", "AT")),
    "MT": Symbol(SymbolKind.OPTION, group="GEARBOX"),
    "AT": Symbol(SymbolKind.OPTION, group="GEARBOX"),
    "EXTRAS": Symbol(SymbolKind.CHOICE_GROUP, options=("SUNROOF", "TOW")),
    "SUNROOF": Symbol(SymbolKind.OPTION, group="EXTRAS"),
    "TOW": Symbol(SymbolKind.OPTION, group="EXTRAS"),
    "LOAN": Symbol(SymbolKind.NUMBER_GROUP),
    "NAME": Symbol(SymbolKind.TEXT_GROUP),
}


def errors_of(text: str, symbols=SYMBOLS) -> list[str]:
    with pytest.raises(RuleSyntaxError) as caught:
        parse_rule(text, symbols)
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TOW -> E20", Implies(Ref("TOW"), Ref("E20"))),
        ("TOW requires E20", Implies(Ref("TOW"), Ref("E20"))),
        ("SUNROOF excludes TOW", Excludes(Ref("SUNROOF"), Ref("TOW"))),
        ("not SUNROOF and TOW or MT", Or((And((Not(Ref("SUNROOF")), Ref("TOW"))), Ref("MT")))),
        ("!(SUNROOF | TOW)", Not(Or((Ref("SUNROOF"), Ref("TOW"))))),
        ("LOAN >= 24 -> AT", Implies(Compare("LOAN", ">=", Decimal(24)), Ref("AT"))),
        ("NAME -> E20  # a comment", Implies(Ref("NAME"), Ref("E20"))),
        ("A -> B -> C", Implies(Ref("A"), Implies(Ref("B"), Ref("C")))),
    ],
)
def test_rules_parse_with_the_documented_precedence(text, expected):
    assert parse_rule(text) == expected


def test_compatibility_table_lists_allowed_combinations_with_wildcards():
    rule = parse_rule("table(ENGINE, GEARBOX) { (E15, MT), (E20, *); }", SYMBOLS)

    assert rule == Table(groups=("ENGINE", "GEARBOX"), rows=(("E15", "MT"), ("E20", None)))
    assert evaluate(rule, {"E15", "MT"}) is True
    assert evaluate(rule, {"E15", "AT"}) is False
    assert evaluate(rule, {"E20", "AT"}) is True


def test_unfinished_rule_points_at_its_end():
    assert errors_of("TOW ->") == ["line 1, column 7: the rule ends too early; it looks unfinished"]


def test_unexpected_token_names_what_was_expected():
    [error] = errors_of("TOW -> -> E20")
    assert error.startswith("line 1, column 8: unexpected '->'; expected")
    assert "a code" in error


def test_stray_character_is_reported_with_its_position():
    assert errors_of("TOW $ E20") == ["line 1, column 5: unexpected character '$'"]


def test_position_counts_lines_in_multi_line_rules():
    assert errors_of("TOW ->\n  (E20 |)") == [
        "line 2, column 9: unexpected ')'; expected '!', '(', a code"
    ]


def test_unknown_code_is_rejected_with_a_suggestion():
    assert errors_of("SUNROF -> E20") == [
        "line 1, column 1: unknown code 'SUNROF'; did you mean 'SUNROOF'?"
    ]


def test_every_unknown_code_in_a_rule_is_reported_at_once():
    errors = errors_of("XX -> YY & E20")
    assert [e.split(":")[0] for e in errors] == ["line 1, column 1", "line 1, column 7"]


def test_keywords_cannot_be_used_as_codes():
    assert errors_of("and") == ["line 1, column 1: 'and' is a keyword and cannot be used as a code"]


def test_number_fields_must_be_compared_and_only_they_can_be():
    assert "compare it" in errors_of("LOAN -> AT")[0]
    assert "only number fields can be compared" in errors_of("TOW > 3")[0]


def test_table_columns_must_be_single_choice_groups_holding_their_cells():
    errors = errors_of("table(ENGINE, EXTRAS) { (E15, TOW) }")
    assert errors == [
        "line 1, column 15: EXTRAS is a choice group; table columns must be single-choice groups"
    ]
    assert errors_of("table(ENGINE, GEARBOX) { (MT, E15) }") == [
        "line 1, column 27: MT is not an option of ENGINE",
        "line 1, column 31: E15 is not an option of GEARBOX",
    ]


def test_table_rows_must_match_the_header_and_not_repeat():
    errors = errors_of("table(ENGINE, GEARBOX) { (E15), (E20, MT), (E20, MT) }")
    assert errors == [
        "line 1, column 27: this row has 1 cell but the table has 2 columns",
        "line 1, column 45: this row repeats an earlier one",
    ]


def test_empty_and_overlong_rules_are_rejected():
    assert errors_of("   ") == ["line 1, column 1: the rule is empty"]
    assert "longer than" in errors_of("A | " * 3000 + "A")[0]


def test_codes_in_lists_every_code_a_rule_names():
    rule = parse_rule("table(ENGINE, GEARBOX) { (E15, *) } ")
    assert codes_in(rule) == {"ENGINE", "GEARBOX", "E15"}
    assert codes_in(parse_rule("LOAN > 12 -> !(TOW | NAME)")) == {"LOAN", "TOW", "NAME"}


def test_evaluate_follows_boolean_semantics_and_numbers():
    rule = parse_rule("LOAN >= 24 -> AT")
    assert evaluate(rule, {"MT"}, {"LOAN": Decimal(12)}) is True
    assert evaluate(rule, {"MT"}, {"LOAN": Decimal(36)}) is False
    assert evaluate(parse_rule("SUNROOF excludes TOW"), {"SUNROOF", "TOW"}) is False
    assert evaluate(parse_rule("SUNROOF <-> TOW"), set()) is True


# ------------------------------------------------------------------ property tests

CODES = st.sampled_from(["A", "B", "C", "D_2", "E"])


def _trees(children):
    return st.one_of(
        st.builds(Not, children),
        st.builds(lambda xs: And(tuple(xs)), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda xs: Or(tuple(xs)), st.lists(children, min_size=2, max_size=3)),
        st.builds(Implies, children, children),
        st.builds(Excludes, children, children),
    )


RULES = st.recursive(
    st.one_of(
        st.builds(Ref, CODES),
        st.builds(
            Compare, CODES, st.sampled_from(["<", ">=", "=="]), st.integers(0, 99).map(Decimal)
        ),
    ),
    _trees,
    max_leaves=8,
)


@given(RULES)
def test_canonical_text_parses_back_to_the_same_rule(rule):
    assert parse_rule(to_text(rule)) == rule


@given(RULES, st.sets(CODES), st.integers(0, 99))
def test_canonical_text_evaluates_like_the_rule(rule, chosen, number):
    numbers = {code: Decimal(number) for code in ["A", "B", "C", "D_2", "E"]}
    assert evaluate(parse_rule(to_text(rule)), chosen, numbers) == evaluate(rule, chosen, numbers)


@given(RULES, st.sets(CODES), st.integers(0, 99), st.booleans())
def test_compiled_rule_agrees_with_the_evaluator(rule, chosen, number, numbered):
    numbers = {code: Decimal(number) for code in ["A", "C", "E"]} if numbered else {}
    assert compile_rule(rule)(chosen, numbers) == evaluate(rule, chosen, numbers)


def test_compiled_table_accepts_only_listed_combinations():
    check = compile_rule(parse_rule("table(ENGINE, GEARBOX) { (E15, MT), (E20, *); }", SYMBOLS))
    assert check({"E15", "MT"}, {})
    assert check({"E20", "AT"}, {})
    assert not check({"E15", "AT"}, {})
