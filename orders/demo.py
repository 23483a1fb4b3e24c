"""Demo data of the orders app: batch policies, per-option minimums, the demo consumers'
delivery cities and a few orders, so batch pages and timelines have something to show.
Looks before it writes, like the catalog's demo seeding."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from catalog.models import ProductModel
from configurator.compiled import engine_for
from configurator.engine.pricing import Selection
from orders.models import (
    BatchPolicy,
    ConsumerProfile,
    DemandBatch,
    OptionMinimum,
    Order,
    PlanningSettings,
)
from orders.payments.sandbox import SandboxProvider
from orders.services import batch_launch, order_place, order_quote, payment_succeeded

# product: (minimum, cut-off days, below minimum, deposit %, lead days min, max)
POLICIES = {
    "pathfinder-x7": (50, 14, "roll_over", "10", 28, 56),
    "airpure-5": (200, 7, "refund", "20", 10, 21),
    "forge-16": (100, 10, "roll_over", "15", 14, 28),
}
# product, option, minimum units per batch, shortfall, swap to
OPTION_MINIMUMS = [
    ("pathfinder-x7", "PAINT_MATTE_GREY", 20, "swap", "PAINT_GRAPHITE"),
    ("pathfinder-x7", "PAINT_PEARL", 20, "carry", ""),
]
PROFILES = {"consumer1": ("11", "北京市"), "consumer2": ("44", "广州市")}
# consumer, product, preference for the completion, paid?
ORDERS = [
    ("consumer1", "pathfinder-x7", "cheapest", True),
    ("consumer1", "airpure-5", "default", True),
    ("consumer2", "pathfinder-x7", "default", False),
]


def seed_orders() -> int:
    """Returns how many demo orders were placed (none when they already exist)."""
    with transaction.atomic():
        for slug, (minimum, days, below, deposit, lead_min, lead_max) in POLICIES.items():
            product = ProductModel.objects.filter(slug=slug).first()
            if product is not None:
                BatchPolicy.objects.get_or_create(
                    product_model=product,
                    defaults={
                        "minimum_quantity": minimum, "cutoff_days": days, "below_minimum": below,
                        "deposit_percent": Decimal(deposit), "lead_days_min": lead_min,
                        "lead_days_max": lead_max,
                    },
                )  # fmt: skip
        for slug, code, minimum, shortfall, swap_to in OPTION_MINIMUMS:
            product = ProductModel.objects.filter(slug=slug).first()
            if product is not None:
                OptionMinimum.objects.get_or_create(
                    product_model=product,
                    option_code=code,
                    defaults={"minimum_units": minimum, "shortfall": shortfall, "swap_to": swap_to},
                )
        users = {u.username: u for u in get_user_model().objects.filter(username__in=PROFILES)}
        for username, (province, city) in PROFILES.items():
            if username in users:
                ConsumerProfile.objects.get_or_create(
                    user=users[username], defaults={"province": province, "city": city}
                )
        if Order.objects.exists():
            return 0
        placed = 0
        for username, slug, prefer, paid in ORDERS:
            product = ProductModel.objects.filter(slug=slug).first()
            if product is None or username not in users:
                continue
            version = product.published_version()
            selection = engine_for(version).complete(Selection(), prefer=prefer)
            province, city = PROFILES[username]
            quote = order_quote(
                version=version, selection=selection, quantity=1, province=province, city=city
            )
            order = order_place(user=users[username], quote=quote, client_key=uuid.uuid4().hex)
            placed += 1
            if paid:
                payment = order.payments.get()
                SandboxProvider().pay(payment.provider_ref, succeed=True)
                payment_succeeded(payment)
    return placed


LAUNCH_PRODUCT = "pathfinder-x7"
LAUNCH_SHOPPERS = 24  # demo buyers (no login printed) whose orders fill one SUV batch
CITIES = [("11", "北京市"), ("31", "上海市"), ("44", "广州市"), ("51", "成都市"), ("33", "杭州市"),
          ("42", "武汉市"), ("61", "西安市"), ("21", "沈阳市")]  # fmt: skip


def _varied_selection(engine, rng: random.Random) -> Selection | None:
    """A complete configuration as varied as shoppers make them: a few options drawn at
    random, the rest completed by default; a draw the rules forbid is drawn again smaller."""
    choices = [
        code for code, option in engine.spec.options.items()
        if engine.groups[option.group].kind in ("one", "several")
    ]  # fmt: skip
    picks = rng.sample(choices, k=min(4, len(choices)))
    while True:
        completed = engine.complete(Selection(frozenset(picks)), prefer="default")
        if completed is not None or not picks:
            return completed
        picks.pop()


def seed_launched_batch(seed: int = 2026) -> int:
    """Enough paid SUV orders to launch a batch, so that the batch launch starts a planning
    job and the demo has a production plan to review. Returns the units placed."""
    product = ProductModel.objects.filter(slug=LAUNCH_PRODUCT).first()
    if product is None or Order.objects.filter(product_model=product).count() > 5:
        return 0
    PlanningSettings.objects.get_or_create(
        manufacturer=product.manufacturer, defaults={"solver_seconds": 2}
    )
    User = get_user_model()
    rng = random.Random(seed)
    version = product.published_version()
    engine = engine_for(version)
    minimum = product.batch_policy.minimum_quantity
    units = 0
    shopper = 0
    while units < minimum + 10:
        shopper += 1
        user, _ = User.objects.get_or_create(
            username=f"shopper{shopper % LAUNCH_SHOPPERS + 1:02d}",
            defaults={"email": f"shopper{shopper % LAUNCH_SHOPPERS + 1:02d}@c2b.example"},
        )
        selection = _varied_selection(engine, rng)
        if selection is None:
            continue
        province, city = rng.choice(CITIES)
        quantity = rng.choice([1, 1, 1, 2])
        quote = order_quote(
            version=version, selection=selection, quantity=quantity, province=province, city=city
        )
        order = order_place(user=user, quote=quote, client_key=uuid.uuid4().hex)
        payment = order.payments.get()
        SandboxProvider().pay(payment.provider_ref, succeed=True)
        payment_succeeded(payment)
        units += quantity
    # the launch at the minimum may have waited for short options; launch it now
    batch = DemandBatch.objects.get(product_model=product, status=DemandBatch.Status.OPEN)
    batch_launch(batch.pk)
    return units
