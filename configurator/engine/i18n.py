"""The engine's own phrases (reasons, field errors), translatable without tying the engine to
Django: the configurator app plugs in Django's gettext when it starts; used alone
(benchmarks, property tests) the engine speaks English."""

from __future__ import annotations

from collections.abc import Callable

_translate: Callable[[str], str] = str


def _(message: str) -> str:
    """The message in the active language. `makemessages` collects every `_("...")` here."""
    return _translate(message)


def use(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate
