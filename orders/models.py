"""Consumers' profiles, orders and their timelines, deposits, demand batches, and the
outbox that hands work to Celery only after a transaction commits."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from c2b import lean
from catalog.models import CatalogVersion, Manufacturer, ProductModel

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_QUANTITY = 10  # per order: more is a fleet sale, handled by the maker's sales team


class SnapshotImmutable(Exception):
    pass


class ConsumerProfile(models.Model):
    """Where a consumer's orders are delivered, and the optional facts analytics may use,
    only while the consumer consents."""

    class AgeBand(models.TextChoices):
        UNDER_25 = "18-24", "18–24"
        FROM_25 = "25-34", "25–34"
        FROM_35 = "35-44", "35–44"
        FROM_45 = "45-54", "45–54"
        FROM_55 = "55-64", "55–64"
        FROM_65 = "65+", _("65 and over")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Another gender")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consumer_profile"
    )
    province = models.CharField(max_length=2, blank=True, help_text="GB/T 2260 province code")
    city = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=8, choices=Gender.choices, blank=True)
    analytics_consent = models.BooleanField(
        default=False,
        help_text="May age band and gender be counted in makers' aggregated demand figures?",
    )
    consent_changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def segment(self) -> tuple[str, str]:
        """Age band and gender as analytics may see them: nothing without consent."""
        if not self.analytics_consent:
            return "", ""
        return self.age_band, self.gender


class BatchPolicy(models.Model):
    """How a product model's paid orders are pooled into production batches."""

    class BelowMinimum(models.TextChoices):
        ROLL_OVER = "roll_over", _("Roll over to the next window")
        REFUND = "refund", _("Refund its orders")

    product_model = models.OneToOneField(
        ProductModel, on_delete=models.CASCADE, related_name="batch_policy"
    )
    minimum_quantity = models.PositiveIntegerField(
        default=50, validators=[MinValueValidator(1)], help_text="Units that launch a batch."
    )
    cutoff_days = models.PositiveIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days a batch stays open before its cut-off.",
    )
    below_minimum = models.CharField(
        max_length=10, choices=BelowMinimum.choices, default=BelowMinimum.ROLL_OVER
    )
    deposit_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text="Deposit as a percentage of the order total.",
    )
    lead_days_min = models.PositiveIntegerField(
        default=21, help_text="Fewest days from a batch's cut-off to delivery."
    )
    lead_days_max = models.PositiveIntegerField(
        default=42, help_text="Most days from a batch's cut-off to delivery."
    )

    class Meta:
        verbose_name_plural = "batch policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(lead_days_max__gte=models.F("lead_days_min")),
                name="batch_policy_lead_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(deposit_percent__gt=0) & Q(deposit_percent__lte=100),
                name="batch_policy_deposit_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Batch policy of {self.product_model}"


class OptionMinimum(models.Model):
    """An option only made for enough units in one batch (a special paint mixed for 20)."""

    class Shortfall(models.TextChoices):
        CARRY = "carry", _("Carry the unit to the next batch")
        SWAP = "swap", _("Offer a swap to another option")
        REFUND = "refund", _("Refund the order")

    product_model = models.ForeignKey(
        ProductModel, on_delete=models.CASCADE, related_name="option_minimums"
    )
    option_code = models.CharField(max_length=40)
    minimum_units = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    shortfall = models.CharField(max_length=8, choices=Shortfall.choices, default=Shortfall.CARRY)
    swap_to = models.CharField(
        max_length=40, blank=True, help_text="With 'swap': the option offered instead."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product_model", "option_code"], name="option_minimum_unique"
            ),
            models.CheckConstraint(
                condition=~Q(shortfall="swap") | ~Q(swap_to=""),
                name="option_minimum_swap_names_option",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.option_code}: at least {self.minimum_units} per batch"


class DemandBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        LAUNCHED = "launched", _("Launched")
        ROLLED_OVER = "rolled_over", _("Rolled over")
        REFUNDED = "refunded", _("Refunded")

    product_model = models.ForeignKey(
        ProductModel, on_delete=models.PROTECT, related_name="batches"
    )
    plant = models.CharField(max_length=120, blank=True)
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    minimum_quantity = models.PositiveIntegerField(help_text="From the policy when it opened.")
    units = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(default=timezone.now)
    cutoff_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    rolled_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rolled_from"
    )

    class Meta:
        ordering = ["product_model", "-number"]
        verbose_name_plural = "demand batches"
        constraints = [
            models.UniqueConstraint(
                fields=["product_model", "number"], name="demand_batch_number_unique"
            ),
            models.UniqueConstraint(
                fields=["product_model", "plant"],
                condition=Q(status="open"),
                name="one_open_batch_per_product_and_plant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_model} batch {self.number}"

    @property
    def progress_percent(self) -> int:
        return min(100, self.units * 100 // max(self.minimum_quantity, 1))


class BatchOptionDemand(models.Model):
    """Units in a batch that need an option, kept as orders join and leave."""

    batch = models.ForeignKey(DemandBatch, on_delete=models.CASCADE, related_name="option_demand")
    option_code = models.CharField(max_length=40)
    units = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["batch", "-units", "option_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "option_code"], name="batch_option_demand_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.option_code}: {self.units} units in {self.batch}"


def new_reference() -> str:
    return "C2B-" + secrets.token_hex(5).upper()


class Order(FSMModelMixin, models.Model):
    class State(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Waiting for the deposit")
        PAID = "paid", _("Deposit paid")
        BATCHED = "batched", _("In a launched batch")
        SCHEDULED = "scheduled", _("Scheduled for production")
        IN_PRODUCTION = "in_production", _("In production")
        COMPLETED = "completed", _("Built")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    reference = models.CharField(max_length=16, unique=True, default=new_reference)
    consumer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    product_model = models.ForeignKey(ProductModel, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(help_text="Selections and price breakdown, frozen at ordering.")
    unit_price = models.DecimalField(**MONEY)
    quantity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    total = models.DecimalField(**MONEY)
    deposit = models.DecimalField(**MONEY)
    province = models.CharField(max_length=2)
    city = models.CharField(max_length=40)
    promised_from = models.DateField()
    promised_to = models.DateField()
    state = FSMField(default=State.PENDING_PAYMENT, choices=State.choices, protected=True)
    batch = models.ForeignKey(
        DemandBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    swap_offer = models.JSONField(
        null=True, blank=True, help_text="An option swap offered when an option missed its minimum."
    )
    production_date = models.DateField(null=True, blank=True)
    delivery_estimate = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_QUANTITY),
                name="order_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(deposit__gt=0) & Q(deposit__lte=models.F("total")),
                name="order_deposit_within_total",
            ),
        ]
        indexes = [models.Index(fields=["batch", "state"])]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        stored = getattr(self, "_stored_snapshot", None)
        if self.pk is not None and stored is not None and self.snapshot != stored:
            raise SnapshotImmutable(f"Order {self.reference}'s snapshot never changes.")
        super().save(*args, **kwargs)
        self._stored_snapshot = self.snapshot

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_snapshot = instance.__dict__.get("snapshot")
        return instance

    def insert(self) -> None:
        """Store a new order in one plain INSERT (the order hot path's way of saving)."""
        lean.insert(self)
        self._stored_snapshot = self.snapshot

    @property
    def options(self) -> list[str]:
        """The options to build: the snapshot's, with an accepted swap applied (the
        snapshot itself keeps what was ordered)."""
        codes = [line["code"] for line in self.snapshot["selection"]["options"]]
        offer = self.swap_offer or {}
        if offer.get("accepted_at"):
            codes = [offer["to"] if code == offer["from"] else code for code in codes]
        return codes

    # Transitions. Side effects (timeline, e-mails, batch counts) live in services.py,
    # which calls these under a row lock; the decorators refuse any other move.
    @transition(field=state, source=State.PENDING_PAYMENT, target=State.PAID)
    def mark_paid(self) -> None:
        pass

    @transition(field=state, source=State.PAID, target=State.BATCHED)
    def mark_batched(self) -> None:
        pass

    @transition(field=state, source=State.BATCHED, target=State.SCHEDULED)
    def mark_scheduled(self) -> None:
        pass

    @transition(field=state, source=State.SCHEDULED, target=State.IN_PRODUCTION)
    def mark_in_production(self) -> None:
        pass

    @transition(field=state, source=State.IN_PRODUCTION, target=State.COMPLETED)
    def mark_completed(self) -> None:
        pass

    @transition(field=state, source=State.COMPLETED, target=State.DELIVERED)
    def mark_delivered(self) -> None:
        pass

    @transition(
        field=state,
        source=[State.PENDING_PAYMENT, State.PAID, State.BATCHED],
        target=State.CANCELLED,
    )
    def mark_cancelled(self) -> None:
        pass

    @transition(field=state, source=[State.PAID, State.CANCELLED], target=State.REFUNDED)
    def mark_refunded(self) -> None:
        pass


class OrderEvent(models.Model):
    """One line of an order's timeline. Stored as a code and its parameters, so each
    reader sees it in their own language."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=32)
    state = models.CharField(max_length=16, help_text="The order's state after this event.")
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["order", "at", "id"]

    def __str__(self) -> str:
        return f"{self.order} {self.kind}"


class Payment(models.Model):
    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        REFUND = "refund", _("Refund")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        VOIDED = "voided", _("Voided")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.DEPOSIT)
    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_ref"],
                condition=~Q(provider_ref=""),
                name="payment_provider_ref_unique",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="refund"),
                name="one_refund_per_order",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} for {self.order}"


class WebhookReceipt(models.Model):
    """Each provider event applied once: a replayed event id finds its receipt."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=40)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class IdempotencyKey(models.Model):
    """A client's key for one submission. Claimed (and committed) before the work starts,
    so a concurrent repeat sees it in flight; completed together with the work."""

    class Status(models.TextChoices):
        IN_FLIGHT = "in_flight", "In flight"
        DONE = "done", "Done"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IN_FLIGHT)
    locked_until = models.DateTimeField(help_text="An in-flight claim older than this is stale.")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class OutboxMessage(models.Model):
    """Work for Celery, written in the transaction that causes it and published after it
    commits; the relay retries until the broker takes it."""

    topic = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=Q(published_at__isnull=True),
                name="outbox_unpublished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class EmailLog(models.Model):
    """Each e-mail sent once, whatever retries happen."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=32)
    event = models.ForeignKey(OrderEvent, on_delete=models.CASCADE, related_name="+")
    to = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="email_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"


class SandboxCheckout(models.Model):
    """The sandbox payment provider's own record of a checkout, standing in for a real
    provider's database. Only orders/payments/sandbox.py reads or writes it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        VOIDED = "voided", "Voided"
        REFUNDED = "refunded", "Refunded"

    checkout_id = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    merchant_ref = models.CharField(max_length=40)
    amount = models.DecimalField(**MONEY)
    description = models.CharField(max_length=200)
    return_url = models.CharField(max_length=300)
    notify_url = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    refunded_amount = models.DecimalField(**MONEY, default=Decimal("0"))
    create_calls = models.PositiveIntegerField(
        default=1, help_text="Create requests that carried this idempotency key."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sandbox provider checkout"

    def __str__(self) -> str:
        return self.checkout_id


# Production planning (issue 5) ------------------------------------------------------------


class PlanningSettings(models.Model):
    """A manufacturer's planning priorities: the cost of one of each, so that the plan
    weighs them in the order the maker cares about."""

    manufacturer = models.OneToOneField(
        Manufacturer, on_delete=models.CASCADE, related_name="planning_settings"
    )
    high_station_weight = models.PositiveBigIntegerField(
        default=1_000_000, help_text="Cost of one violated window at a high-priority station."
    )
    colour_change_weight = models.PositiveBigIntegerField(
        default=1_000, help_text="Cost of one colour change."
    )
    low_station_weight = models.PositiveBigIntegerField(
        default=10, help_text="Cost of one violated window at a low-priority station."
    )
    lateness_day_weight = models.PositiveBigIntegerField(
        default=1, help_text="Cost of one unit built one day after its due date."
    )
    delivery_days = models.PositiveIntegerField(
        default=7,
        validators=[MaxValueValidator(120)],
        help_text="Days from the end of production to the consumer's door.",
    )
    solver_seconds = models.PositiveIntegerField(
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="How long a planning job may optimise.",
    )

    class Meta:
        verbose_name_plural = "planning settings"

    def __str__(self) -> str:
        return f"Planning settings of {self.manufacturer}"


class PlanningJob(models.Model):
    """One request for a plan, run by a Celery task; the page follows its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (State.QUEUED, State.RUNNING)

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="planning_jobs"
    )
    batches = models.ManyToManyField(DemandBatch, related_name="planning_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when a batch launch started it.",
    )
    start_date = models.DateField()
    seed = models.PositiveIntegerField(default=1)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=20, blank=True)
    progress = models.FloatField(default=0)
    details = models.JSONField(default=dict, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, help_text="The Celery task running it.")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Planning job #{self.pk} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE


class ProductionPlan(models.Model):
    """Every unit of some launched batches on a line, a day and a place in that day's
    sequence. Written whole, in one transaction, by a planning job."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        RELEASED = "released", _("Released to the line")
        SUPERSEDED = "superseded", _("Superseded")
        REJECTED = "rejected", _("Rejected")

    manufacturer = models.ForeignKey(
        Manufacturer, on_delete=models.CASCADE, related_name="production_plans"
    )
    job = models.OneToOneField(PlanningJob, on_delete=models.PROTECT, related_name="plan")
    batches = models.ManyToManyField(DemandBatch, related_name="plans")
    input_key = models.CharField(
        max_length=64, help_text="SHA-256 of the units, lines, weights, start and seed."
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The plan this one is compared with.",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    start_date = models.DateField()
    last_day = models.DateField(null=True, blank=True)
    metrics = models.JSONField(default=dict)
    first_metrics = models.JSONField(default=dict, help_text="The construction's, before search.")
    solve_seconds = models.FloatField(default=0)
    delivery_days = models.PositiveIntegerField(default=7)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # one draft at a time per manufacturer: a new plan supersedes the draft
            models.UniqueConstraint(
                fields=["manufacturer"], condition=Q(state="draft"), name="one_draft_plan"
            )
        ]

    def __str__(self) -> str:
        return f"Plan #{self.pk} ({self.get_state_display()})"


class PlanEntry(models.Model):
    """One unit of an order in a plan: its line, day, place, and why that day."""

    plan = models.ForeignKey(ProductionPlan, on_delete=models.CASCADE, related_name="entries")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="plan_entries")
    unit = models.PositiveSmallIntegerField(help_text="1 ... the order's quantity")
    line = models.ForeignKey(
        "catalog.ProductionLine", on_delete=models.PROTECT, related_name="plan_entries"
    )
    day = models.DateField()
    position = models.PositiveIntegerField()
    colour = models.CharField(max_length=7, blank=True)
    stations = models.JSONField(default=list)
    due = models.DateField(null=True, blank=True)
    reason = models.JSONField(default=dict, help_text="Why this day: a kind and parameters.")

    class Meta:
        ordering = ["plan", "line", "day", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order", "unit"], name="plan_unit_once"),
            models.UniqueConstraint(
                fields=["plan", "line", "day", "position"], name="plan_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}/{self.unit} on {self.line_id} {self.day} #{self.position}"
