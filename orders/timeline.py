"""Timeline lines in words, in the reader's language. Events are stored as a kind and its
parameters (see OrderEvent), so an order placed in English reads in Chinese too."""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalog.templatetags.money import cny
from orders.models import OrderEvent

MONEY_PARAMS = ("amount", "total", "deposit")


def _money(params: dict) -> dict:
    return {k: cny(v) if k in MONEY_PARAMS else v for k, v in params.items()}


CANCEL_TERMS = {
    "nothing paid": lambda: _("Nothing had been paid."),
    "deposit refunded": lambda: _("Your deposit will be refunded in full."),
    "deposit kept": lambda: _(
        "The batch had launched and its parts were ordered, so the deposit is kept."
    ),
}
REFUND_REASONS = {
    "cancelled": lambda: _("you cancelled the order"),
    "batch_below_minimum": lambda: _("the batch did not reach its minimum by its cut-off"),
    "option_short": lambda: _("an option you chose did not reach its minimum in the batch"),
}


def _scheduled(params: dict) -> str:
    from orders.plan_display import describe_reason_briefly

    line = _("Scheduled for production on %(date)s; delivery expected around %(delivery)s.")
    line %= params
    why = describe_reason_briefly(params.get("why"))
    if why:
        line += " " + _("That day because %(why)s.") % {"why": why}
    return line


PHRASES = {
    "placed": lambda p: _("Order placed: %(total)s in all, deposit %(deposit)s.") % _money(p),
    "paid": lambda p: _("Deposit of %(amount)s received.") % _money(p),
    "payment_failed": lambda p: _("The payment did not go through; you can try again."),
    "payment_voided": lambda p: _(
        "We could not record your payment, so the charge was voided; please pay again."
    ),
    "late_payment_refunded": lambda p: (
        _("A payment arrived after the order had closed; %(amount)s was refunded.") % _money(p)
    ),
    "joined_batch": lambda p: _("Joined production batch %(batch)s.") % p,
    "batch_launched": lambda p: (
        _(
            "Batch %(batch)s launched with %(units)s units: your order goes into production "
            "planning."
        )
        % p
    ),
    "batch_rolled_over": lambda p: (
        _(
            "Batch %(batch)s reached %(units)s of its %(minimum)s units by its cut-off; your order "
            "moves to batch %(to)s."
        )
        % p
    ),
    "batch_refunded": lambda p: (
        _(
            "Batch %(batch)s reached %(units)s of its %(minimum)s units by its cut-off and will "
            "not be built; your deposit is refunded."
        )
        % p
    ),
    "option_short_carry": lambda p: (
        _(
            "Option %(option)s is only made for %(minimum)s units per batch and this batch had "
            "%(units)s; your order moves to batch %(batch)s."
        )
        % p
    ),
    "option_short_swap": lambda p: (
        _(
            "Option %(option)s is only made for %(minimum)s units per batch and this batch had "
            "%(units)s; your order moves to batch %(batch)s, or you can switch to %(to)s now."
        )
        % p
    ),
    "option_short_refund": lambda p: (
        _(
            "Option %(option)s is only made for %(minimum)s units per batch and this batch had "
            "%(units)s; your deposit is refunded."
        )
        % p
    ),
    "swap_accepted": lambda p: _("You switched %(from)s to %(to)s.") % p,
    "cancelled": lambda p: (
        _("Order cancelled. %(terms)s") % {"terms": CANCEL_TERMS.get(p.get("terms"), lambda: "")()}
    ),
    "refunded": lambda p: (
        _("Deposit of %(amount)s refunded because %(reason)s.")
        % {"amount": cny(p["amount"]), "reason": REFUND_REASONS.get(p.get("reason"), lambda: "")()}
    ),
    "scheduled": lambda p: _scheduled(p),
    "in_production": lambda p: _("Your order is being built."),
    "completed": lambda p: _("Built and checked; it is on its way to you soon."),
    "delivered": lambda p: _("Delivered."),
}


def describe(event: OrderEvent) -> str:
    phrase = PHRASES.get(event.kind)
    if phrase is None:
        return event.kind.replace("_", " ").capitalize()
    try:
        return phrase(event.params)
    except (KeyError, TypeError):
        return event.kind.replace("_", " ").capitalize()
