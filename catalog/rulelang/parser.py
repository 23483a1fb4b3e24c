"""Parse and check rule text.

1. Lark (LALR, contextual lexer) turns the text into a parse tree, using grammar.lark.
2. A transformer turns the tree into the frozen dataclasses below, keeping each code's
   position so that errors can point at it.
3. `check` walks the AST against a symbol table (the codes a catalog version defines) and
   collects every problem at once.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")
MAX_RULE_LENGTH = 10_000  # characters; a longer rule is certainly a pasting accident
KEYWORDS = frozenset(
    {"and", "or", "not", "requires", "implies", "excludes", "iff", "table", "true", "false"}
)


# ---------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Ref:
    """True when the option is chosen (or the group has a choice / a text value)."""

    code: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Compare:
    code: str
    operator: str
    value: Decimal
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Implies:
    condition: Node
    consequence: Node


@dataclass(frozen=True)
class Iff:
    left: Node
    right: Node


@dataclass(frozen=True)
class Excludes:
    left: Node
    right: Node


@dataclass(frozen=True)
class Table:
    """Allowed combinations of the options of single-choice groups; None is a wildcard."""

    groups: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    group_positions: tuple[int, ...] = field(default=(), compare=False)
    cell_positions: tuple[tuple[int, ...], ...] = field(default=(), compare=False)


Node = Ref | Compare | Const | Not | And | Or | Implies | Iff | Excludes | Table


# ---------------------------------------------------------------------- symbols


class SymbolKind(enum.StrEnum):
    OPTION = "option"
    CHOICE_GROUP = "choice group"  # exactly-one or several
    SINGLE_GROUP = "single-choice group"
    TEXT_GROUP = "text field"
    NUMBER_GROUP = "number field"


@dataclass(frozen=True)
class Symbol:
    kind: SymbolKind
    group: str | None = None  # for options: the code of their group
    options: tuple[str, ...] = ()  # for choice groups: their option codes


# ------------------------------------------------------------------------ errors


@dataclass(frozen=True)
class RuleError:
    """One problem in a rule: a 0-based character offset, 1-based line and column."""

    position: int
    line: int
    column: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


class RuleSyntaxError(ValueError):
    """Raised with every problem found in one rule's text."""

    def __init__(self, text: str, errors: list[RuleError]):
        self.text = text
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    return line, column


def _error_at(text: str, position: int, reason: str) -> RuleError:
    line, column = _line_and_column(text, position)
    return RuleError(position=position, line=line, column=column, reason=reason)


# ----------------------------------------------------------------------- parsing


@cache
def _lark() -> Lark:
    return Lark(GRAMMAR_PATH.read_text(), parser="lalr", propagate_positions=True)


def _pos(token: Token) -> int:
    return token.start_pos or 0


@v_args(inline=True)
class _ToAst(Transformer):
    def ref(self, code: Token) -> Ref:
        return Ref(str(code), _pos(code))

    def compare(self, code: Token, operator: Token, number: Token) -> Compare:
        return Compare(str(code), str(operator), Decimal(str(number)), _pos(code))

    def true(self) -> Const:
        return Const(True)

    def false(self) -> Const:
        return Const(False)

    def not_(self, operand: Node) -> Not:
        return Not(operand)

    def and_expr(self, *operands: Node) -> And:
        return And(tuple(operands))

    def or_expr(self, *operands: Node) -> Or:
        return Or(tuple(operands))

    def implies(self, condition: Node, consequence: Node) -> Implies:
        return Implies(condition, consequence)

    def iff(self, left: Node, right: Node) -> Iff:
        return Iff(left, right)

    def excludes(self, left: Node, right: Node) -> Excludes:
        return Excludes(left, right)

    def group_list(self, *codes: Token) -> tuple[Token, ...]:
        return codes

    def row(self, *cells: Token) -> tuple[Token, ...]:
        return cells

    def table(self, groups: tuple[Token, ...], *rows: tuple[Token, ...]) -> Table:
        return Table(
            groups=tuple(str(g) for g in groups),
            rows=tuple(tuple(None if c == "*" else str(c) for c in row) for row in rows),
            group_positions=tuple(_pos(g) for g in groups),
            cell_positions=tuple(tuple(_pos(c) for c in row) for row in rows),
        )


_TERMINAL_WORDS = {
    "CODE": "a code",
    "NUMBER": "a number",
    "COMPARATOR": "a comparison (<, <=, ==, !=, >=, >)",
    "LPAR": "'('",
    "RPAR": "')'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "COMMA": "','",
    "SEMICOLON": "';'",
    "ANY": "'*'",
    "BANG": "'!'",
    "NOT": "'not'",
    "AND": "'and'",
    "OR": "'or'",
    "AMPERSAND": "'&'",
    "VBAR": "'|'",
    "TRUE": "'true'",
    "FALSE": "'false'",
    "TABLE": "'table'",
}


def _terminal_word(name: str) -> str:
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    if name == "$END":
        return "the end of the rule"
    pattern = _lark().get_terminal(name).pattern
    return repr(pattern.value) if pattern.type == "str" else name.lower()


def _expected_words(expected: set[str]) -> str:
    words = sorted({_terminal_word(name) for name in expected})
    if len(words) > 6:
        words = words[:6] + ["..."]
    return ", ".join(words)


def _syntax_error(text: str, exc: UnexpectedInput) -> RuleError:
    if isinstance(exc, UnexpectedEOF):
        return _error_at(text, len(text), "the rule ends too early; it looks unfinished")
    if isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream]
        return _error_at(text, exc.pos_in_stream, f"unexpected character {char!r}")
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        if token.type == "$END":
            return _error_at(text, len(text), "the rule ends too early; it looks unfinished")
        expected = _expected_words(set(exc.expected))
        return _error_at(text, _pos(token), f"unexpected {str(token)!r}; expected {expected}")
    return _error_at(text, 0, str(exc))


def parse_rule(text: str, symbols: Mapping[str, Symbol] | None = None) -> Node:
    """Parse rule text; with a symbol table, also check every code it names.

    Raises RuleSyntaxError listing every problem found.
    """
    if not text.strip():
        raise RuleSyntaxError(text, [_error_at(text, 0, "the rule is empty")])
    if len(text) > MAX_RULE_LENGTH:
        reason = f"the rule is longer than {MAX_RULE_LENGTH} characters"
        raise RuleSyntaxError(text, [_error_at(text, MAX_RULE_LENGTH, reason)])
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        raise RuleSyntaxError(text, [_syntax_error(text, exc)]) from None
    keyword_errors = [
        _error_at(text, _pos(token), f"{str(token)!r} is a keyword and cannot be used as a code")
        for token in tree.scan_values(lambda v: isinstance(v, Token) and v.type == "CODE")
        if str(token) in KEYWORDS
    ]
    if keyword_errors:
        raise RuleSyntaxError(text, keyword_errors)
    node = _ToAst().transform(tree)
    if symbols is not None:
        errors = _check(text, node, symbols)
        if errors:
            raise RuleSyntaxError(text, errors)
    return node


# ---------------------------------------------------------------------- checking


def _unknown(text: str, code: str, position: int, symbols: Mapping[str, Symbol]) -> RuleError:
    reason = f"unknown code {code!r}"
    close = difflib.get_close_matches(code, list(symbols), n=1)
    if close:
        reason += f"; did you mean {close[0]!r}?"
    return _error_at(text, position, reason)


def _check(text: str, node: Node, symbols: Mapping[str, Symbol]) -> list[RuleError]:
    errors: list[RuleError] = []

    def visit(n: Node) -> None:
        match n:
            case Ref(code=code, position=position):
                symbol = symbols.get(code)
                if symbol is None:
                    errors.append(_unknown(text, code, position, symbols))
                elif symbol.kind is SymbolKind.NUMBER_GROUP:
                    reason = f"{code} is a number field; compare it, for example {code} >= 1"
                    errors.append(_error_at(text, position, reason))
            case Compare(code=code, position=position):
                symbol = symbols.get(code)
                if symbol is None:
                    errors.append(_unknown(text, code, position, symbols))
                elif symbol.kind is not SymbolKind.NUMBER_GROUP:
                    reason = f"{code} is a {symbol.kind}, and only number fields can be compared"
                    errors.append(_error_at(text, position, reason))
            case Not(operand=operand):
                visit(operand)
            case And(operands=operands) | Or(operands=operands):
                for operand in operands:
                    visit(operand)
            case (
                Implies(condition=a, consequence=b)
                | Iff(left=a, right=b)
                | Excludes(left=a, right=b)
            ):
                visit(a)
                visit(b)
            case Table():
                errors.extend(_check_table(text, n, symbols))
            case Const():
                pass

    visit(node)
    return errors


def _check_table(text: str, table: Table, symbols: Mapping[str, Symbol]) -> list[RuleError]:
    errors: list[RuleError] = []
    header_ok: list[bool] = []
    for group, position in zip(table.groups, table.group_positions, strict=True):
        symbol = symbols.get(group)
        if symbol is None:
            errors.append(_unknown(text, group, position, symbols))
        elif symbol.kind is not SymbolKind.SINGLE_GROUP:
            reason = f"{group} is a {symbol.kind}; table columns must be single-choice groups"
            errors.append(_error_at(text, position, reason))
        if table.groups.count(group) > 1 and table.groups.index(group) != len(header_ok):
            errors.append(_error_at(text, position, f"{group} appears twice in the header"))
        header_ok.append(symbol is not None and symbol.kind is SymbolKind.SINGLE_GROUP)
    seen_rows: set[tuple[str | None, ...]] = set()
    for row, positions in zip(table.rows, table.cell_positions, strict=True):
        if len(row) != len(table.groups):
            cells = "1 cell" if len(row) == 1 else f"{len(row)} cells"
            reason = f"this row has {cells} but the table has {len(table.groups)} columns"
            errors.append(_error_at(text, positions[0], reason))
            continue
        if row in seen_rows:
            errors.append(_error_at(text, positions[0], "this row repeats an earlier one"))
        seen_rows.add(row)
        for cell, position, group, ok in zip(row, positions, table.groups, header_ok, strict=True):
            if cell is None or not ok:
                continue
            symbol = symbols.get(cell)
            if symbol is None:
                errors.append(_unknown(text, cell, position, symbols))
            elif symbol.kind is not SymbolKind.OPTION or symbol.group != group:
                errors.append(_error_at(text, position, f"{cell} is not an option of {group}"))
    return errors


# -------------------------------------------------------------------- utilities


def codes_in(node: Node) -> set[str]:
    """Every code a rule names."""
    match node:
        case Ref(code=code) | Compare(code=code):
            return {code}
        case Const():
            return set()
        case Not(operand=operand):
            return codes_in(operand)
        case And(operands=operands) | Or(operands=operands):
            return set().union(*(codes_in(o) for o in operands))
        case Implies(condition=a, consequence=b) | Iff(left=a, right=b) | Excludes(left=a, right=b):
            return codes_in(a) | codes_in(b)
        case Table(groups=groups, rows=rows):
            return set(groups) | {cell for row in rows for cell in row if cell is not None}
    raise TypeError(f"not a rule node: {node!r}")


_COMPARE = {
    "<": Decimal.__lt__,
    "<=": Decimal.__le__,
    "==": Decimal.__eq__,
    "!=": Decimal.__ne__,
    ">=": Decimal.__ge__,
    ">": Decimal.__gt__,
}


def evaluate(node: Node, chosen: set[str], numbers: Mapping[str, Decimal] | None = None) -> bool:
    """Evaluate a rule on a complete assignment.

    `chosen` holds the chosen option codes plus the codes of groups that have a choice or
    a text value; `numbers` the values of number fields (an absent field compares false).
    """
    numbers = numbers or {}
    match node:
        case Ref(code=code):
            return code in chosen
        case Compare(code=code, operator=operator, value=value):
            return code in numbers and _COMPARE[operator](Decimal(numbers[code]), value)
        case Const(value=value):
            return value
        case Not(operand=operand):
            return not evaluate(operand, chosen, numbers)
        case And(operands=operands):
            return all(evaluate(o, chosen, numbers) for o in operands)
        case Or(operands=operands):
            return any(evaluate(o, chosen, numbers) for o in operands)
        case Implies(condition=a, consequence=b):
            return not evaluate(a, chosen, numbers) or evaluate(b, chosen, numbers)
        case Iff(left=a, right=b):
            return evaluate(a, chosen, numbers) == evaluate(b, chosen, numbers)
        case Excludes(left=a, right=b):
            return not (evaluate(a, chosen, numbers) and evaluate(b, chosen, numbers))
        case Table(groups=groups, rows=rows):
            return any(
                all(cell is None or cell in chosen for cell in row)
                for row in rows
                if len(row) == len(groups)
            )
    raise TypeError(f"not a rule node: {node!r}")


def compile_rule(node: Node) -> Callable[[AbstractSet[str], Mapping[str, Decimal]], bool]:
    """The rule as a Python function with `evaluate`'s meaning, several times faster: the
    configurator checks rules hundreds of times per request."""
    constants: dict[str, object] = {"_Decimal": Decimal}

    def constant(value) -> str:
        name = f"_c{len(constants)}"
        constants[name] = value
        return name

    def source(node: Node) -> str:
        match node:
            case Ref(code=code):
                return f"({code!r} in chosen)"
            case Compare(code=code, operator=operator, value=value):
                return (
                    f"({code!r} in numbers and "
                    f"_Decimal(numbers[{code!r}]) {operator} {constant(value)})"
                )
            case Const(value=value):
                return "True" if value else "False"
            case Not(operand=operand):
                return f"(not {source(operand)})"
            case And(operands=operands):
                return "(" + " and ".join(map(source, operands)) + ")" if operands else "True"
            case Or(operands=operands):
                return "(" + " or ".join(map(source, operands)) + ")" if operands else "False"
            case Implies(condition=a, consequence=b):
                return f"(not {source(a)} or {source(b)})"
            case Iff(left=a, right=b):
                return f"({source(a)} == {source(b)})"
            case Excludes(left=a, right=b):
                return f"(not ({source(a)} and {source(b)}))"
            case Table(groups=groups, rows=rows):
                cells = tuple(
                    frozenset(c for c in row if c is not None)
                    for row in rows
                    if len(row) == len(groups)
                )
                return f"any(row <= chosen for row in {constant(cells)})"
        raise TypeError(f"not a rule node: {node!r}")

    code = compile(f"lambda chosen, numbers: {source(node)}", "<rule>", "eval")
    return eval(code, constants)  # noqa: S307 - source built above from a parsed AST only


_PRECEDENCE = {Iff: 1, Implies: 2, Excludes: 3, Or: 4, And: 5, Not: 6}


def to_text(node: Node) -> str:
    """Canonical text for a rule; parse_rule(to_text(n)) == n."""

    def wrap(child: Node, parent_level: int, strictly: bool = False) -> str:
        level = _PRECEDENCE.get(type(child), 7)
        text = to_text(child)
        needs = level < parent_level or (strictly and level == parent_level)
        return f"({text})" if needs else text

    match node:
        case Ref(code=code):
            return code
        case Compare(code=code, operator=operator, value=value):
            return f"{code} {operator} {value}"
        case Const(value=value):
            return "true" if value else "false"
        case Not(operand=operand):
            return "!" + wrap(operand, 6)
        case And(operands=operands):
            return " & ".join(wrap(o, 5, strictly=True) for o in operands)
        case Or(operands=operands):
            return " | ".join(wrap(o, 4, strictly=True) for o in operands)
        case Implies(condition=a, consequence=b):
            return f"{wrap(a, 2, strictly=True)} -> {wrap(b, 2)}"
        case Iff(left=a, right=b):
            return f"{wrap(a, 1, strictly=True)} <-> {wrap(b, 1, strictly=True)}"
        case Excludes(left=a, right=b):
            return f"{wrap(a, 3, strictly=True)} excludes {wrap(b, 3, strictly=True)}"
        case Table(groups=groups, rows=rows):
            body = ", ".join("(" + ", ".join(c or "*" for c in row) + ")" for row in rows)
            return f"table({', '.join(groups)}) {{ {body} }}"
    raise TypeError(f"not a rule node: {node!r}")
