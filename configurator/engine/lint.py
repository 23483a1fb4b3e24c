"""The catalog lint, run before publishing: what makes a catalog wrong for consumers,
each problem with its reason.

- No valid configuration at all (with the rules in conflict).
- Dead options: no complete configuration can choose them.
- Forced options: every complete configuration chooses them (an option nobody can decline
  is standard equipment: show it as such, or fix the rules).
- Rules that can never fire: an implication whose condition, or an exclusion one of whose
  sides, no valid configuration can make true.

Number defaults are not choices here: a default of 0 child seats must not make the child
seat installation look dead.
"""

from __future__ import annotations

from dataclasses import dataclass

from configurator.engine.evaluate import Engine, Reason
from configurator.engine.pricing import Selection


@dataclass(frozen=True)
class LintProblem:
    kind: str  # unsatisfiable | dead | forced | rule_never_fires
    code: str
    message: str

    def __str__(self) -> str:
        return self.message


def lint(engine: Engine) -> list[LintProblem]:
    evaluation = engine.evaluate(Selection(), fill_defaults=False)
    if not evaluation.valid:
        rules = ", ".join(evaluation.conflict.rules) if evaluation.conflict else ""
        message = f"No configuration satisfies every rule (rules in conflict: {rules})."
        return [LintProblem("unsatisfiable", "", message)]
    problems = []
    for code, state in evaluation.states.items():
        where = f"{engine.spec.options[code].label} ({code})"
        if state.state == "excluded":
            message = f"{where} can never be chosen{_because(state.reason)}"
            problems.append(LintProblem("dead", code, message))
        elif state.state == "forced":
            message = f"{where} is always forced{_because(state.reason)}"
            problems.append(LintProblem("forced", code, message))
    for code, what in _rules_never_firing(engine):
        message = f"Rule {code} can never fire: {what} can never hold."
        problems.append(LintProblem("rule_never_fires", code, message))
    return problems


def _because(reason: Reason | None) -> str:
    if reason is None or not reason.rules:
        return "."
    return f", because of {', '.join(reason.rules)}: {reason.text}"


def _rules_never_firing(engine: Engine) -> list[tuple[str, str]]:
    never = []
    for code, triggers in engine.encoding.rule_triggers.items():
        names = ["its condition"] if len(triggers) == 1 else ["its left side", "its right side"]
        for name, trigger in zip(names, triggers, strict=True):
            if not engine.satisfiable([trigger]):
                never.append((code, name))
                break
    return never
