"""Writes of the orders app: quoting and placing orders, payments, cancellations, refunds,
and the demand batches paid orders pool into.

Lock order, to stay free of deadlocks: a batch row before the order rows in it; an order
row before its payments.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from analytics.models import Event as BehaviourEvent
from analytics.services import order_event_record
from c2b import lean
from catalog.models import CatalogVersion, ProductModel
from configurator.compiled import engine_for
from configurator.engine.evaluate import Check
from configurator.engine.pricing import Selection
from orders import outbox
from orders.models import (
    MAX_QUANTITY,
    BatchOptionDemand,
    BatchPolicy,
    DemandBatch,
    EmailLog,
    OptionMinimum,
    Order,
    OrderEvent,
    Payment,
    WebhookReceipt,
)
from orders.payments import BadCallback, CallbackEvent, ProviderError, provider
from orders.queries import open_batch
from orders.regions import region_problem

FEN = Decimal("0.01")
log = logging.getLogger(__name__)


class OrderRefused(Exception):
    """The request cannot become an order; `errors` maps each field at fault to why."""

    def __init__(self, errors: dict[str, str], status: int = 422):
        self.errors = errors
        self.status = status
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


# Policies --------------------------------------------------------------------------------


def policy_for(product: ProductModel) -> BatchPolicy:
    try:
        return product.batch_policy  # often fetched along with the product
    except BatchPolicy.DoesNotExist:  # the defaults apply until an admin sets a policy
        return BatchPolicy.objects.get_or_create(product_model=product)[0]


def plant_for(product: ProductModel) -> str:
    line = product.production_lines.order_by("code").first()
    return line.plant if line else ""


# Quoting ---------------------------------------------------------------------------------


@dataclass
class OptionProgress:
    code: str
    label: str
    units: int
    minimum: int

    @property
    def missing(self) -> int:
        return max(0, self.minimum - self.units)


@dataclass
class Quote:
    version: CatalogVersion
    check: Check
    quantity: int
    province: str
    city: str
    deposit_percent: Decimal
    promised_from: date
    promised_to: date
    batch: DemandBatch | None
    batch_minimum: int

    @cached_property
    def option_progress(self) -> list[OptionProgress]:
        """Only the order page shows it, so only the page pays for it."""
        return option_progress(self.version.product_model, self.batch, self.check.selection.options)

    @property
    def unit_price(self) -> Decimal:
        return self.check.price.total

    @property
    def total(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(FEN)

    @property
    def deposit(self) -> Decimal:
        deposit = (self.total * self.deposit_percent / 100).quantize(FEN, ROUND_HALF_UP)
        return max(deposit, FEN)

    @property
    def batch_units(self) -> int:
        return self.batch.units if self.batch else 0


def _quantity(raw) -> int:
    try:
        quantity = int(str(raw).strip())
    except (TypeError, ValueError):
        raise OrderRefused({"quantity": "Give a whole number of units."}) from None
    if not 1 <= quantity <= MAX_QUANTITY:
        raise OrderRefused({"quantity": f"Order from 1 to {MAX_QUANTITY} units."})
    return quantity


def order_quote(
    *, version: CatalogVersion, selection: Selection, quantity, province: str, city: str
) -> Quote:
    """Re-check and re-price a selection on the server, as an order would be made."""
    if version.status != CatalogVersion.Status.PUBLISHED:
        raise OrderRefused(
            {
                "version": f"Catalog version {version.number} of {version.product_model} is no "
                "longer on sale; carry the configuration over to the current version first."
            }
        )
    errors: dict[str, str] = {}
    try:
        units = _quantity(quantity)
    except OrderRefused as refused:
        errors.update(refused.errors)
        units = 1
    errors.update(region_problem(province, city))
    check = engine_for(version).check(selection)
    for error in check.errors:  # broken rules gather under "rules", one sentence each
        previous = errors.get(error.field)
        errors[error.field] = f"{previous} {error.message}" if previous else error.message
    if errors:
        raise OrderRefused(errors)
    product = version.product_model
    policy = policy_for(product)
    batch = open_batch(product)
    cutoff = batch.cutoff_at if batch else timezone.now() + timedelta(days=policy.cutoff_days)
    cutoff_day = timezone.localdate(cutoff)
    return Quote(
        version=version,
        check=check,
        quantity=units,
        province=province,
        city=city,
        deposit_percent=policy.deposit_percent,
        promised_from=cutoff_day + timedelta(days=policy.lead_days_min),
        promised_to=cutoff_day + timedelta(days=policy.lead_days_max),
        batch=batch,
        batch_minimum=batch.minimum_quantity if batch else policy.minimum_quantity,
    )


def option_progress(
    product: ProductModel, batch: DemandBatch | None, chosen: frozenset[str] | None = None
) -> list[OptionProgress]:
    """Progress of the options with their own per-batch minimum (only the chosen ones,
    when `chosen` is given)."""
    minimums = OptionMinimum.objects.filter(product_model=product)
    if chosen is not None:
        minimums = minimums.filter(option_code__in=chosen)
    demand = {}
    if batch is not None:
        demand = dict(batch.option_demand.values_list("option_code", "units"))
    labels = {}
    version = product.published_version()
    if version is not None:
        labels = {code: o.label for code, o in engine_for(version).spec.options.items()}
    return [
        OptionProgress(
            m.option_code,
            labels.get(m.option_code, m.option_code),
            demand.get(m.option_code, 0),
            m.minimum_units,
        )
        for m in minimums.order_by("option_code")
    ]


def snapshot_of(quote: Quote) -> dict:
    engine = engine_for(quote.version)
    spec = engine.spec
    selection = quote.check.selection
    options = []
    for group in spec.groups:
        for option in group.options:
            if option.code in selection.options:
                options.append(
                    {
                        "code": option.code,
                        "label": option.label,
                        "group": group.code,
                        "group_name": group.name,
                        "price_delta": str(option.price_delta),
                        "paint_colour": option.paint_colour,
                    }
                )
    return {
        "version": {"id": quote.version.pk, "number": quote.version.number},
        "product": {
            "slug": quote.version.product_model.slug,
            "name": quote.version.product_model.name,
        },
        "selection": {
            "options": options,
            "numbers": {code: str(value) for code, value in selection.numbers.items()},
            "texts": dict(selection.texts),
        },
        "price": {
            "lines": [
                {
                    "kind": line.kind,
                    "code": line.code,
                    "label": line.label,
                    "amount": str(line.amount),
                }
                for line in quote.check.price.lines
            ],
            "unit_total": str(quote.unit_price),
        },
    }


# Placing and paying ----------------------------------------------------------------------


def provider_key(user_id: int, client_key: str) -> str:
    """The provider's idempotency key for an order, derived from the client's key, so a
    retry after a failed write reuses the same checkout instead of opening another."""
    return "order-" + hashlib.sha256(f"{user_id}:{client_key}".encode()).hexdigest()[:40]


def order_place(*, user, quote: Quote, client_key: str, site_url: str = "") -> Order:
    """Create the order, its timeline's first line and its deposit checkout, atomically
    (within the caller's transaction, when there is one: no savepoint is needed)."""
    with transaction.atomic(savepoint=False):
        order = Order(
            consumer=user,
            product_model=quote.version.product_model,
            version=quote.version,
            snapshot=snapshot_of(quote),
            unit_price=quote.unit_price,
            quantity=quote.quantity,
            total=quote.total,
            deposit=quote.deposit,
            province=quote.province,
            city=quote.city,
            promised_from=quote.promised_from,
            promised_to=quote.promised_to,
        )
        order.insert()
        placed = _record(order, "placed", total=str(order.total), deposit=str(order.deposit))
        order_event_record(order=order, kind=BehaviourEvent.Kind.ORDER_PLACED)
        _open_checkout(order, provider_key(user.pk, client_key), site_url)
    # what prefetch_related("events") would leave: the response shows the timeline
    # without reading back the line just written
    order._prefetched_objects_cache = {"events": [placed]}
    return order


def _open_checkout(order: Order, key: str, site_url: str) -> Payment:
    gateway = provider()
    base = site_url or settings.SITE_URL
    checkout = gateway.create_checkout(
        idempotency_key=key,
        merchant_ref=order.reference,
        amount=order.deposit,
        description=f"Deposit for {order.snapshot['product']['name']} ({order.reference})",
        return_url=base + reverse("order-detail", args=[order.reference]) + "?returned=1",
        notify_url=base + reverse("payment-callback", args=[gateway.name]),
    )
    payment = Payment(
        order=order, provider=gateway.name, provider_ref=checkout.checkout_id, amount=order.deposit
    )
    lean.insert(payment)
    return payment


def pay_url(order: Order) -> str | None:
    """Where the consumer pays the deposit, while the order waits for it."""
    if order.state != Order.State.PENDING_PAYMENT:
        return None
    payment = order.payments.filter(kind=Payment.Kind.DEPOSIT, status=Payment.Status.PENDING).last()
    if payment is None:
        return None
    return provider().retrieve(payment.provider_ref).pay_url


def order_retry_payment(order: Order, site_url: str = "") -> Payment:
    """A fresh checkout after a declined or voided one."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state != Order.State.PENDING_PAYMENT:
            raise OrderRefused({"state": "This order is not waiting for a deposit."}, status=409)
        pending = order.payments.filter(kind=Payment.Kind.DEPOSIT, status=Payment.Status.PENDING)
        if pending.exists():
            return pending.last()
        attempt = order.payments.count() + 1
        return _open_checkout(order, f"order-{order.reference}-{attempt}", site_url)


def payment_callback(provider_name: str, body: bytes, headers) -> tuple[int, dict]:
    """Apply a provider's signed callback once. Bad signatures, stale timestamps and
    replays change nothing."""
    gateway = provider()
    if provider_name != gateway.name:
        return 404, {"detail": f"No payment provider {provider_name!r}."}
    try:
        event = gateway.verify_callback(body, headers)
    except BadCallback as error:
        return 400, {"detail": str(error)}
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    WebhookReceipt.objects.create(
                        provider=gateway.name, event_id=event.event_id, event_type=event.event_type
                    )
            except IntegrityError:
                return 200, {"status": "duplicate", "event": event.event_id}
            outcome = _apply_event(event)
    except Exception:
        if event.event_type == "checkout.succeeded":
            # We took the money but could not record it: give it back now rather than
            # keep a charge no order shows. The provider retries the callback, which then
            # finds the checkout voided and leaves the order waiting for a new payment.
            try:
                gateway.void(event.checkout_id)
            except ProviderError:
                log.exception("Could not void checkout %s", event.checkout_id)
        raise
    return 200, {"status": outcome, "event": event.event_id}


def _apply_event(event: CallbackEvent) -> str:
    payment = Payment.objects.filter(
        provider=provider().name, provider_ref=event.checkout_id
    ).first()
    if payment is None:
        return "unknown checkout"
    if event.event_type == "checkout.succeeded":
        return payment_succeeded(payment)
    if event.event_type == "checkout.failed":
        return payment_failed(payment)
    if event.event_type == "refund.succeeded":
        return "refund confirmed"
    return "ignored"


def payment_reconcile(order: Order) -> str:
    """Ask the provider about the order's pending deposit (the consumer came back from the
    payment page before the callback arrived) and apply what it says."""
    payment = order.payments.filter(kind=Payment.Kind.DEPOSIT, status=Payment.Status.PENDING).last()
    if payment is None:
        return "nothing pending"
    status = provider().retrieve(payment.provider_ref).status
    if status == "succeeded":
        return payment_succeeded(payment)
    if status in ("failed", "voided"):
        return payment_failed(payment)
    return "open"


def payment_succeeded(payment: Payment) -> str:
    gateway = provider()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != Payment.Status.PENDING:
            return "already applied"
        if gateway.retrieve(payment.provider_ref).status != "succeeded":
            # e.g. voided after an earlier failed write: the consumer pays again
            payment.status = Payment.Status.VOIDED
            payment.save(update_fields=["status", "updated_at"])
            _record(order, "payment_voided")
            return "voided"
        if order.state != Order.State.PENDING_PAYMENT:
            payment.status = Payment.Status.SUCCEEDED
            payment.save(update_fields=["status", "updated_at"])
            outbox.enqueue(
                "refund_late_payment",
                {"payment_id": payment.pk},
                f"refund-late-{payment.pk}",
            )
            return "late payment refunded"
        payment.status = Payment.Status.SUCCEEDED
        payment.save(update_fields=["status", "updated_at"])
        order.mark_paid()
        order.save(update_fields=["state"])
        event = _record(order, "paid", amount=str(payment.amount))
        order_event_record(order=order, kind=BehaviourEvent.Kind.ORDER_PAID)
        _email(order, event, "paid")
        batch = _join_batch(order)
        if batch.units >= batch.minimum_quantity:  # once per batch; beat retries it after
            outbox.enqueue("launch_batch", {"batch_id": batch.pk}, f"launch-batch-{batch.pk}")
    return "paid"


def payment_failed(payment: Payment) -> str:
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != Payment.Status.PENDING:
            return "already applied"
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status", "updated_at"])
        _record(order, "payment_failed")
    return "failed"


# Batches ---------------------------------------------------------------------------------


def _next_batch(product: ProductModel, plant: str, now: datetime) -> DemandBatch:
    policy = policy_for(product)
    last = DemandBatch.objects.filter(product_model=product).aggregate(Max("number"))
    return DemandBatch.objects.create(
        product_model=product,
        plant=plant,
        number=(last["number__max"] or 0) + 1,
        minimum_quantity=policy.minimum_quantity,
        opened_at=now,
        cutoff_at=now + timedelta(days=policy.cutoff_days),
    )


def _locked_open_batch(product: ProductModel) -> DemandBatch:
    """The product's open batch, locked; opened if there is none. Two first orders racing
    to open it meet at the one-open-batch constraint, and the loser takes the winner's."""
    plant = plant_for(product)
    for _ in range(3):
        batch = (
            DemandBatch.objects.select_for_update()
            .filter(product_model=product, plant=plant, status=DemandBatch.Status.OPEN)
            .first()
        )
        if batch is not None:
            return batch
        try:
            with transaction.atomic():
                return _next_batch(product, plant, timezone.now())
        except IntegrityError:
            continue
    raise RuntimeError(f"Could not open a batch for {product}.")


def _add_units(batch: DemandBatch, order: Order, sign: int) -> None:
    """Count an order's units into (or out of) a batch and its per-option demand, in a
    fixed four statements whatever the number of options (the caller holds the batch's
    row lock)."""
    units = sign * order.quantity
    codes = order.options
    DemandBatch.objects.filter(pk=batch.pk).update(units=F("units") + units)
    BatchOptionDemand.objects.bulk_create(
        [BatchOptionDemand(batch=batch, option_code=code) for code in codes],
        ignore_conflicts=True,
    )
    BatchOptionDemand.objects.filter(batch=batch, option_code__in=codes).update(
        units=F("units") + units
    )
    batch.refresh_from_db(fields=["units"])


def _join_batch(order: Order) -> DemandBatch:
    batch = _locked_open_batch(order.product_model)
    _add_units(batch, order, +1)
    order.batch = batch
    order.save(update_fields=["batch"])
    _record(order, "joined_batch", batch=batch.number)
    return batch


def batch_launch(batch_id: int, now: datetime | None = None) -> str:
    """Launch a batch that reached its minimum or its cut-off, exactly once: the batch row
    lock serialises racing launchers and only the first finds it open."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = DemandBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != DemandBatch.Status.OPEN:
            return "not open"
        cutoff_passed = batch.cutoff_at <= now
        if batch.units < batch.minimum_quantity and not cutoff_passed:
            return "not due"
        orders = list(
            batch.orders.select_for_update().filter(state=Order.State.PAID).order_by("created_at")
        )
        shortfalls = _option_shortfalls(batch, orders)
        staying = [o for o in orders if o.pk not in shortfalls]
        units = sum(o.quantity for o in staying)
        if units < batch.minimum_quantity:
            if not cutoff_passed:
                return "not due"  # once the short options leave, the batch is too small
            return _below_minimum_at_cutoff(batch, orders, now)
        batch.status = DemandBatch.Status.LAUNCHED
        batch.closed_at = now
        batch.save(update_fields=["status", "closed_at"])
        following = None
        for order in orders:
            if order.pk in shortfalls:
                minimum, units_had = shortfalls[order.pk]
                following = following or _next_batch(batch.product_model, batch.plant, now)
                _apply_shortfall(batch, following, order, minimum, units_had)
        for order in staying:
            order.mark_batched()
            order.save(update_fields=["state"])
            event = _record(order, "batch_launched", batch=batch.number, units=units)
            _email(order, event, "batch_launched")
        outbox.enqueue(
            "plan_after_launch",
            {"manufacturer_id": batch.product_model.manufacturer_id, "batch_id": batch.pk},
            f"plan-after-launch-{batch.pk}",
        )
    return "launched"


def _option_shortfalls(batch: DemandBatch, orders: list[Order]) -> dict[int, tuple]:
    """Orders that need an option whose batch minimum is missed. Taking them out can push
    another option below its minimum, so it repeats until nothing changes."""
    minimums = {
        m.option_code: m for m in OptionMinimum.objects.filter(product_model=batch.product_model)
    }
    out: dict[int, tuple] = {}
    while True:
        demand: dict[str, int] = {}
        for order in orders:
            if order.pk not in out:
                for code in order.options:
                    demand[code] = demand.get(code, 0) + order.quantity
        short = {
            code: m for code, m in minimums.items() if 0 < demand.get(code, 0) < m.minimum_units
        }
        if not short:
            return out
        for order in orders:
            if order.pk in out:
                continue
            for code in order.options:
                if code in short:
                    out[order.pk] = (short[code], demand[code])
                    break


def _apply_shortfall(batch, following, order: Order, minimum: OptionMinimum, units_had) -> None:
    _add_units(batch, order, -1)
    params = {"option": minimum.option_code, "minimum": minimum.minimum_units, "units": units_had}
    if minimum.shortfall == OptionMinimum.Shortfall.REFUND:
        order.batch = None
        order.save(update_fields=["batch"])
        event = _record(order, "option_short_refund", **params)
        _email(order, event, "option_short_refund")
        _refund_later(order, "option_short")
        return
    _add_units(following, order, +1)
    order.batch = following
    if (
        minimum.shortfall == OptionMinimum.Shortfall.SWAP
        and _swap_problem(order, minimum.option_code, minimum.swap_to) is None
    ):
        order.swap_offer = {"from": minimum.option_code, "to": minimum.swap_to}
        order.save(update_fields=["batch", "swap_offer"])
        event = _record(
            order, "option_short_swap", batch=following.number, to=minimum.swap_to, **params
        )
        _email(order, event, "option_short_swap")
    else:
        order.save(update_fields=["batch"])
        event = _record(order, "option_short_carry", batch=following.number, **params)
        _email(order, event, "option_short_carry")


def _swap_problem(order: Order, old: str, new: str) -> str | None:
    """Why this order cannot be built with `new` in place of `old`, or None when it can:
    a swap is only offered, and only taken, when the rest of the configuration allows it."""
    selection = order.snapshot["selection"]
    options = frozenset(new if code == old else code for code in order.options)
    numbers = {code: Decimal(value) for code, value in selection["numbers"].items()}
    check = engine_for(order.version).check(Selection(options, numbers, selection["texts"]))
    if check.complete:
        return None
    return " ".join(error.message for error in check.errors)


def _below_minimum_at_cutoff(batch: DemandBatch, orders: list[Order], now: datetime) -> str:
    policy = policy_for(batch.product_model)
    if not orders:  # nothing to roll over or refund: the window simply runs on
        batch.cutoff_at = now + timedelta(days=policy.cutoff_days)
        batch.save(update_fields=["cutoff_at"])
        return "extended"
    if policy.below_minimum == BatchPolicy.BelowMinimum.REFUND:
        batch.status = DemandBatch.Status.REFUNDED
        batch.closed_at = now
        batch.save(update_fields=["status", "closed_at"])
        for order in orders:
            event = _record(
                order,
                "batch_refunded",
                batch=batch.number,
                units=batch.units,
                minimum=batch.minimum_quantity,
            )
            _email(order, event, "batch_refunded")
            _refund_later(order, "batch_below_minimum")
        return "refunded"
    batch.status = DemandBatch.Status.ROLLED_OVER
    batch.closed_at = now
    batch.save(update_fields=["status", "closed_at"])
    following = _next_batch(batch.product_model, batch.plant, now)
    batch.rolled_into = following
    batch.save(update_fields=["rolled_into"])
    for order in orders:  # the closed batch keeps its figures, for the record
        _add_units(following, order, +1)
        order.batch = following
        order.save(update_fields=["batch"])
        event = _record(
            order,
            "batch_rolled_over",
            batch=batch.number,
            to=following.number,
            units=batch.units,
            minimum=batch.minimum_quantity,
        )
        _email(order, event, "batch_rolled_over")
    return "rolled over"


def batches_due(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = DemandBatch.objects.filter(status=DemandBatch.Status.OPEN).filter(
        Q(cutoff_at__lte=now) | Q(units__gte=F("minimum_quantity"))
    )
    return list(due.values_list("pk", flat=True))


def launch_due_batches(now: datetime | None = None) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    for batch_id in batches_due(now):
        outcome = batch_launch(batch_id, now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# Production ------------------------------------------------------------------------------


def order_schedule(
    order: Order, *, production_date: date, delivery_estimate: date, reason: dict | None = None
) -> Order:
    """A production plan was approved: the order gets its dates, and the timeline says
    briefly why that day (`reason` is the plan's kind-and-parameters explanation)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        order.mark_scheduled()
        order.production_date = production_date
        order.delivery_estimate = delivery_estimate
        order.save(update_fields=["state", "production_date", "delivery_estimate"])
        event = _record(
            order,
            "scheduled",
            date=production_date.isoformat(),
            delivery=delivery_estimate.isoformat(),
            **({"why": reason} if reason else {}),
        )
        _email(order, event, "scheduled")
    return order


PRODUCTION_STEPS = {
    "in_production": ("mark_in_production", None),
    "completed": ("mark_completed", None),
    "delivered": ("mark_delivered", "delivered"),
}


def order_advance(order: Order, step: str) -> Order:
    """Move a scheduled order along the line: in production, completed, delivered."""
    method, email = PRODUCTION_STEPS[step]
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        getattr(order, method)()
        order.save(update_fields=["state"])
        event = _record(order, step)
        if email:
            _email(order, event, email)
    return order


# Cancelling and refunding ----------------------------------------------------------------


CANCEL_TERMS = {
    Order.State.PENDING_PAYMENT: "nothing paid",
    Order.State.PAID: "deposit refunded",
    Order.State.BATCHED: "deposit kept",
}


def order_cancel(order: Order) -> Order:
    """Cancel by the consumer: free before paying, full refund before the batch launches,
    deposit kept once it has (parts are ordered); impossible once scheduled."""
    with transaction.atomic():
        if order.batch_id:  # lock order: batch first, as launching does
            DemandBatch.objects.select_for_update().get(pk=order.batch_id)
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state not in CANCEL_TERMS:
            state = order.get_state_display().lower()
            raise OrderRefused(
                {"state": f"An order that is {state} cannot be cancelled."}, status=409
            )
        terms = CANCEL_TERMS[order.state]
        was_paid_in_open_batch = order.state == Order.State.PAID
        if was_paid_in_open_batch and order.batch_id:
            _add_units(order.batch, order, -1)
        order.mark_cancelled()
        order.save(update_fields=["state"])
        event = _record(order, "cancelled", terms=terms)
        _email(order, event, "cancelled")
        if order.state == Order.State.CANCELLED and was_paid_in_open_batch:
            _refund_later(order, "cancelled")
        for payment in order.payments.filter(status=Payment.Status.PENDING):
            outbox.enqueue("void_checkout", {"payment_id": payment.pk}, f"void-{payment.pk}")
    return order


def order_accept_swap(order: Order) -> Order:
    """Take the swap offered when an option missed its batch minimum, at no extra cost."""
    with transaction.atomic():
        if order.batch_id:
            DemandBatch.objects.select_for_update().get(pk=order.batch_id)
        order = Order.objects.select_for_update().get(pk=order.pk)
        offer = order.swap_offer or {}
        if not offer or offer.get("accepted_at") or order.state != Order.State.PAID:
            raise OrderRefused({"swap": "There is no swap on offer for this order."}, status=409)
        problem = _swap_problem(order, offer["from"], offer["to"])
        if problem:  # the catalog's rules changed their mind since the offer
            raise OrderRefused({"swap": f"The swap no longer fits your order: {problem}"}, 409)
        if order.batch_id:
            _add_units(order.batch, order, -1)
        order.swap_offer = {**offer, "accepted_at": timezone.now().isoformat()}
        order.save(update_fields=["swap_offer"])
        if order.batch_id:
            _add_units(order.batch, order, +1)
        _record(order, "swap_accepted", **{"from": offer["from"], "to": offer["to"]})
    return order


def _refund_later(order: Order, reason: str) -> None:
    outbox.enqueue("refund_deposit", {"order_id": order.pk, "reason": reason}, f"refund-{order.pk}")


@outbox.handles("refund_deposit")
def _refund_deposit(payload: dict) -> None:
    order = Order.objects.select_for_update().get(pk=payload["order_id"])
    if order.state == Order.State.REFUNDED:
        return
    deposit = order.payments.get(kind=Payment.Kind.DEPOSIT, status=Payment.Status.SUCCEEDED)
    provider().refund(deposit.provider_ref, deposit.amount)  # idempotent at the provider
    Payment.objects.create(
        order=order,
        kind=Payment.Kind.REFUND,
        provider=deposit.provider,
        amount=deposit.amount,
        status=Payment.Status.SUCCEEDED,
    )
    order.mark_refunded()
    order.save(update_fields=["state"])
    event = _record(order, "refunded", amount=str(deposit.amount), reason=payload["reason"])
    _email(order, event, "refunded")


@outbox.handles("refund_late_payment")
def _refund_late_payment(payload: dict) -> None:
    payment = Payment.objects.select_for_update().get(pk=payload["payment_id"])
    provider().refund(payment.provider_ref, payment.amount)
    _record(payment.order, "late_payment_refunded", amount=str(payment.amount))


@outbox.handles("void_checkout")
def _void_checkout(payload: dict) -> None:
    payment = Payment.objects.select_for_update().get(pk=payload["payment_id"])
    if payment.status != Payment.Status.PENDING:
        return
    checkout = provider().void(payment.provider_ref)
    if checkout.status == "voided":
        payment.status = Payment.Status.VOIDED
        payment.save(update_fields=["status", "updated_at"])


@outbox.handles("launch_batch")
def _launch_batch(payload: dict) -> None:
    batch_launch(payload["batch_id"])


# Timeline and e-mail ---------------------------------------------------------------------


def _record(order: Order, kind: str, **params) -> OrderEvent:
    event = OrderEvent(order=order, kind=kind, state=order.state, params=params)
    lean.insert(event)
    return event


def _email(order: Order, event: OrderEvent, kind: str) -> None:
    outbox.enqueue("email", {"event_id": event.pk, "kind": kind}, f"email-{event.pk}-{kind}")


@outbox.handles("email")
def _send_email(payload: dict) -> None:
    event = OrderEvent.objects.select_related("order__consumer").get(pk=payload["event_id"])
    order = event.order
    to = order.consumer.email
    if not to or EmailLog.objects.filter(event=event, kind=payload["kind"]).exists():
        return
    from orders.timeline import describe

    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "order": order,
            "line": describe(event),
            "link": settings.SITE_URL + reverse("order-detail", args=[order.reference]),
        }
        subject = render_to_string("orders/email/subject.txt", context).strip()
        body = render_to_string("orders/email/body.txt", context)
    EmailLog.objects.create(order=order, event=event, kind=payload["kind"], to=to)
    send_mail(subject, body, None, [to])
