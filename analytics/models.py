"""Behaviour events as they arrive, and the weekly rollup cells every dashboard reads.

Dashboards never read events: `rollups.rollup_advance` folds new events into `Cell` rows,
each holding its counts and the exact set of consumers it covers (a Roaring bitmap of
`Consumer` ids), so that "fewer than 10 distinct consumers" can be decided exactly for any
sum of cells without going back to the events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from catalog.models import CatalogVersion, ProductModel

ALL = "*"  # a cell's dimension value meaning "every value", as written for the coarse level


class Consumer(models.Model):
    """A dense integer for each person or anonymous browser, for the bitmaps. The key is
    `u:<user id>` for a signed-in consumer who consents, else `s:<session id>`."""

    key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.key


class Event(models.Model):
    class Kind(models.TextChoices):
        PRODUCT_VIEWED = "product_viewed"
        OPTION_SELECTED = "option_selected"
        OPTION_DESELECTED = "option_deselected"
        GROUP_TIME = "group_time"
        EXCLUSION_HIT = "exclusion_hit"
        EXCLUSION_RESOLVED = "exclusion_resolved"
        CONFIGURATION_SAVED = "configuration_saved"
        CONFIGURATION_SHARED = "configuration_shared"
        CONFIGURATION_COMPARED = "configuration_compared"
        SEARCH = "search"
        CHECKOUT_STARTED = "checkout_started"
        ORDER_PLACED = "order_placed"
        ORDER_PAID = "order_paid"

    class Resolution(models.TextChoices):
        ACCEPTED = "accepted", "gave up choices to allow it"
        DECLINED = "declined", "kept their choices"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="+")
    # Set only for consumers who consent; everyone else is only their session.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session_id = models.CharField(max_length=64)
    product_model = models.ForeignKey(
        ProductModel, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        CatalogVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    province = models.CharField(max_length=2, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    gender = models.CharField(max_length=8, blank=True)
    group_code = models.CharField(max_length=40, blank=True)
    option_code = models.CharField(max_length=40, blank=True)
    query = models.CharField(max_length=100, blank=True)
    matched = models.BooleanField(null=True, blank=True)
    seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    # order events: the ordered options, the unit price and the quantity
    options = models.JSONField(default=list, blank=True)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    order_reference = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [
            # an order's placing and paying are recorded once each, however often the
            # callback that triggers them is delivered
            models.UniqueConstraint(
                fields=["order_reference", "kind"],
                condition=~models.Q(order_reference=""),
                name="one_event_per_order_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.consumer_id} at {self.occurred_at:%Y-%m-%d %H:%M}"


class RollupCursor(models.Model):
    """How far the rollup has read the event table; the row is locked while it advances,
    so two rollup tasks never count an event twice."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} at event {self.last_event_id}"


class Cell(models.Model):
    """One measure for one product, week, key and (province, age band, gender).

    Every fact is written at four levels: fine, with its own dimensions; its province's,
    with `*` for age band and gender; its segment's, with `*` for the province; and
    coarse, with `*` in all three. A page reads the one level its filters and grouping
    need, so that a year of one option is a few dozen rows whatever the filter. Option
    pairs are written at the coarse level only. Besides the measures events add to, the
    rollup keeps weekly differences of them (`rollups.DERIVED`)."""

    product_model = models.ForeignKey(ProductModel, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="The Monday the week starts on (China Standard Time).")
    measure = models.CharField(max_length=16)
    key = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=2, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    gender = models.CharField(max_length=8, blank=True)
    count = models.BigIntegerField(default=0, help_text="Events, or orders for order measures.")
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, default=0, help_text="Units, seconds or CNY."
    )
    consumers = models.PositiveIntegerField(default=0)
    members = models.BinaryField(help_text="Roaring bitmap of the consumer ids it covers.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "product_model",
                    "measure",
                    "week",
                    "key",
                    "province",
                    "age_band",
                    "gender",
                ],
                name="one_cell_per_coordinate",
            )
        ]
        indexes = [
            # each level and filter reads its own cells without scanning the other levels
            # (grouping by a dimension scans one measure's cells, which only a few pages do)
            models.Index(
                fields=[
                    "product_model",
                    "measure",
                    "province",
                    "age_band",
                    "gender",
                    "week",
                    "key",
                ],
                name="cell_by_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}[{self.key}] {self.week}"
