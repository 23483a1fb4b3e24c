"""Synthetic demand: consumers, their sessions in the configurator, and their orders, with
the regional and seasonal habits real demand has (high-grade filters and the northern
winter pack where winter air is bad, the anti-mould coating in the humid south in summer).

Rows are written in bulk: COPY on PostgreSQL, large `bulk_create`s elsewhere."""

from __future__ import annotations

import csv
import io
import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from analytics.models import Consumer, Event
from analytics.services import pseudonym
from catalog.models import CatalogVersion
from configurator.compiled import engine_for
from orders.models import ConsumerProfile, Order, new_reference
from orders.regions import PROVINCES

K = Event.Kind
POOL = 60  # distinct complete configurations drawn per product
NORTH = {"11", "12", "13", "14", "15", "21", "22", "23", "37", "41", "61", "62", "63", "64", "65"}
HUMID_SOUTH = {"35", "36", "43", "44", "45", "46", "50", "51", "52", "53"}
COAST = {"12", "13", "21", "31", "32", "33", "35", "37", "44", "46"}
BIG = {"44": 12.6, "37": 10.2, "41": 9.9, "51": 8.4, "32": 8.5, "13": 7.5, "43": 6.6,
       "34": 6.1, "42": 5.8, "33": 6.5, "45": 5.0, "53": 4.7, "36": 4.5, "21": 4.3,
       "35": 4.2, "61": 4.0, "23": 3.2, "14": 3.5, "52": 3.9, "50": 3.2, "22": 2.4,
       "62": 2.5, "15": 2.4, "65": 2.6, "31": 2.5, "11": 2.2, "12": 1.4, "46": 1.0,
       "64": 0.7, "63": 0.6, "54": 0.4}  # fmt: skip  # residents, tens of millions (2020 census)
WISHES = {  # searches; the first of each pair finds something in most catalogs
    "matched": ["hepa", "wifi", "white", "sensor", "warranty", "grey"],
    "missed": ["uv lamp", "ionizer", "solar roof", "8k screen", "remote start", "wood trim"],
}
SEARCH_LIMIT = 100


@dataclass
class Generated:
    consumers: int = 0
    sessions: int = 0
    events: int = 0
    orders: int = 0


@dataclass
class Shape:
    """How much demand, and how people behave; the defaults look like a shop's visitors,
    `Shape.lean` like a benchmark's buyers (about five events for each order)."""

    weeks: int = 30
    sessions_per_week: int = 500
    seed: int = 2026
    signed_in_share: float = 0.45
    consent_share: float = 0.7
    search_share: float = 0.2
    configure_share: float = 0.75
    groups_visited: float = 6  # groups a configuring visitor sets, on average
    save_share: float = 0.3
    checkout_share: float = 0.45  # of signed-in configurers
    pay_share: float = 0.6  # of checkouts

    @classmethod
    def lean(cls, **changes) -> Shape:
        lean = dict(
            signed_in_share=1.0,
            search_share=0.05,
            configure_share=0.9,
            groups_visited=0.6,
            save_share=0.05,
            checkout_share=0.95,
            pay_share=0.95,
        )
        return cls(**{**lean, **changes})


def _winter(moment: datetime) -> bool:
    return moment.month in (11, 12, 1, 2)


def _summer(moment: datetime) -> bool:
    return moment.month in (5, 6, 7, 8, 9)


def _appeal(codes: frozenset[str], province: str, moment: datetime) -> float:
    """How much more than usual a consumer in this place and season wants these options."""
    weight = 1.0
    northern_winter = province in NORTH and _winter(moment)
    if northern_winter and codes & {"FLT_H13", "FLT_H14", "FLT_CARBON_H13"}:
        weight *= 3.0
    if northern_winter and "REG_NORTH_WINTER" in codes:
        weight *= 5.0
    if province in HUMID_SOUTH and _summer(moment) and "REG_SOUTH_HUMID" in codes:
        weight *= 5.0
    if province in COAST and "REG_COASTAL" in codes:
        weight *= 3.0
    return weight


def _seasonal_volume(product_slug: str, moment: datetime) -> float:
    """Purifiers peak in winter, cars in spring and autumn, laptops before term starts."""
    week = moment.isocalendar().week
    if "purifier" in product_slug or "air" in product_slug:
        return 1 + 0.5 * math.cos(2 * math.pi * (week - 2) / 52)
    if "laptop" in product_slug or "book" in product_slug:
        return 1 + 0.4 * math.cos(2 * math.pi * (week - 35) / 52)
    return 1 + 0.25 * math.cos(4 * math.pi * (week - 14) / 52)


@dataclass
class _Product:
    version: CatalogVersion
    pool: list  # (option codes in page order, unit price)
    groups: list  # (group code, option codes of the group)
    _weights: dict = field(default_factory=dict)

    def weights(self, province: str, moment: datetime) -> list[float]:
        """Each pooled configuration's appeal here and now, cached per kind of place and
        season (the only things `_appeal` looks at)."""
        key = (province in NORTH, province in HUMID_SOUTH, province in COAST)
        key += (_winter(moment), _summer(moment))
        if key not in self._weights:
            self._weights[key] = [
                _appeal(frozenset(codes), province, moment) for codes, _ in self.pool
            ]
        return self._weights[key]


def _products(rng: random.Random) -> list[_Product]:
    from orders.demo import _varied_selection

    found = []
    for version in CatalogVersion.objects.filter(
        status=CatalogVersion.Status.PUBLISHED
    ).select_related("product_model"):
        engine = engine_for(version)
        order = {code: i for i, code in enumerate(engine.spec.options)}
        pool = []
        for _ in range(POOL):
            selection = _varied_selection(engine, rng)
            if selection is not None:
                price = engine.evaluate(selection).price.total
                pool.append((sorted(selection.options, key=order.__getitem__), price))
        groups = [(g.code, [o.code for o in g.options]) for g in engine.spec.groups if g.options]
        if pool:
            found.append(_Product(version, pool, groups))
    return found


def generate_demand(
    shape: Shape, *, progress: Callable[[int], None] | None = None, now: datetime | None = None
) -> Generated:
    """Write `shape.weeks` weeks of demand, ending this week, for every published product."""
    rng = random.Random(shape.seed)
    now = now or timezone.now()
    products = _products(rng)
    if not products:
        return Generated()
    people = _people(shape, rng)
    writer = _Writer()
    done = Generated(consumers=len(people))
    provinces = [p.code for p in PROVINCES if p.code in BIG]
    weights = [BIG[code] for code in provinces]
    for week in range(shape.weeks):
        # ends an hour ago: a session's later events must not be in the future
        week_start = now - timedelta(hours=1) - timedelta(weeks=shape.weeks - week)
        growth = 1 + 0.01 * week
        for product in products:
            volume = shape.sessions_per_week / len(products) * growth
            volume *= _seasonal_volume(product.version.product_model.slug, week_start)
            for _ in range(max(0, round(rng.gauss(volume, math.sqrt(volume))))):
                moment = week_start + timedelta(seconds=rng.uniform(0, 7 * 24 * 3600))
                person = rng.choice(people) if rng.random() < shape.signed_in_share else None
                province = person.province if person else rng.choices(provinces, weights)[0]
                _session(writer, rng, shape, product, person, province, moment, done)
        if progress:
            progress(1)
    writer.finish()
    done.events = writer.events
    return done


@dataclass
class _Person:
    user_id: int
    consumer_id: int
    province: str
    age_band: str
    gender: str
    consents: bool


def _people(shape: Shape, rng: random.Random) -> list[_Person]:
    """Signed-in consumers with profiles; about one in ten sessions is theirs."""
    count = max(20, shape.sessions_per_week * shape.weeks // 10)
    User = get_user_model()
    start = User.objects.count()
    users = [User(username=f"synthetic-{shape.seed}-{start + i}") for i in range(count)]
    for user in users:
        user.set_unusable_password()  # synthetic consumers never sign in
    users = User.objects.bulk_create(users, batch_size=2000)
    if connection.vendor != "postgresql":  # SQLite gives no ids back from bulk_create
        made = User.objects.filter(username__startswith=f"synthetic-{shape.seed}-")
        users = list(made.order_by("-pk")[:count])
    provinces = [code for code in BIG]
    weights = [BIG[code] for code in provinces]
    ages = [choice for choice, _ in ConsumerProfile.AgeBand.choices]
    genders = [choice for choice, _ in ConsumerProfile.Gender.choices]
    profiles, people = [], []
    for user in users:
        consents = rng.random() < shape.consent_share
        profile = ConsumerProfile(
            user=user,
            province=rng.choices(provinces, weights)[0],
            city="",
            age_band=rng.choices(ages, [18, 30, 24, 16, 8, 4])[0],
            gender=rng.choices(genders, [48, 49, 3])[0],
            analytics_consent=consents,
        )
        profiles.append(profile)
    ConsumerProfile.objects.bulk_create(profiles, batch_size=2000)
    keys = [f"u:{p.user_id}" if p.analytics_consent else pseudonym(p.user_id) for p in profiles]
    ids = _consumer_ids(keys)
    for profile, key in zip(profiles, keys, strict=True):
        people.append(
            _Person(
                profile.user_id,
                ids[key],
                profile.province,
                profile.age_band if profile.analytics_consent else "",
                profile.gender if profile.analytics_consent else "",
                profile.analytics_consent,
            )
        )
    return people


def _consumer_ids(keys: list[str]) -> dict[str, int]:
    Consumer.objects.bulk_create(
        [Consumer(key=key) for key in keys], batch_size=5000, ignore_conflicts=True
    )
    found = {}
    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        found.update(Consumer.objects.filter(key__in=chunk).values_list("key", "pk"))
    return found


def _session(writer, rng, shape, product: _Product, person, province, moment, done) -> None:
    """One visit: a view, perhaps choices, searches, a save, perhaps an order."""
    done.sessions += 1
    session_id = f"synthetic{rng.getrandbits(64):016x}"
    who = {"consumer_id": person.consumer_id} if person else {"consumer_key": f"s:{session_id}"}
    age, gender = (person.age_band, person.gender) if person else ("", "")
    user_id = person.user_id if person and person.consents else None
    base = dict(
        **who,
        user_id=user_id,
        session_id=session_id,
        product_id=product.version.product_model_id,
        version_id=product.version.pk,
        province=province,
        age_band=age,
        gender=gender,
    )
    clock = [moment]

    def emit(kind, **fields):
        clock[0] += timedelta(seconds=rng.randint(2, 40))
        writer.event(dict(base, kind=kind, occurred_at=clock[0], **fields))

    emit(K.PRODUCT_VIEWED)
    if rng.random() < shape.search_share:
        missed = rng.random() < 0.5
        query = rng.choice(WISHES["missed" if missed else "matched"])
        emit(K.SEARCH, query=query, matched=not missed)
    if rng.random() > shape.configure_share:
        return
    weights = product.weights(province, moment)
    codes, price = rng.choices(product.pool, weights)[0]
    # People set a handful of groups themselves and leave the rest at their defaults.
    share = min(1.0, shape.groups_visited / len(product.groups))
    visited = [g for g in product.groups if rng.random() < share]
    chosen = set(codes)
    for group, options in visited:
        emit(K.GROUP_TIME, group_code=group, seconds=max(1, int(rng.lognormvariate(2.3, 0.8))))
        for code in options:
            if code in chosen:
                emit(K.OPTION_SELECTED, option_code=code, group_code=group)
            elif rng.random() < 0.05:
                emit(K.OPTION_SELECTED, option_code=code, group_code=group)
                emit(K.OPTION_DESELECTED, option_code=code, group_code=group)
    if rng.random() < 0.1:
        blocked = rng.choice(codes)
        emit(K.EXCLUSION_HIT, option_code=blocked)
        resolution = "accepted" if rng.random() < 0.6 else "declined"
        emit(K.EXCLUSION_RESOLVED, option_code=blocked, resolution=resolution)
    if rng.random() < shape.save_share:
        emit(K.CONFIGURATION_SAVED)
        if rng.random() < 0.2:
            emit(K.CONFIGURATION_SHARED)
        if rng.random() < 0.25:
            emit(K.CONFIGURATION_COMPARED)
    if person is None or rng.random() > shape.checkout_share:
        return
    emit(K.CHECKOUT_STARTED)
    if rng.random() > shape.pay_share:
        return
    quantity = 1 if rng.random() < 0.9 else rng.randint(2, 3)
    reference = new_reference()
    writer.order(person, product, codes, price, quantity, province, reference, clock[0])
    order_fields = dict(options=codes, unit_price=price, quantity=quantity)
    emit(K.ORDER_PLACED, order_reference=reference, **order_fields)
    emit(K.ORDER_PAID, order_reference=reference, **order_fields)
    done.orders += 1


class _Writer:
    """Buffers rows and writes them in large chunks."""

    CHUNK = 20_000
    EVENT_COLUMNS = [
        "kind", "consumer_id", "user_id", "session_id", "product_model_id", "version_id",
        "occurred_at", "received_at", "province", "age_band", "gender", "group_code",
        "option_code", "query", "matched", "seconds", "resolution", "options",
        "unit_price", "quantity", "order_reference",
    ]  # fmt: skip

    def __init__(self):
        self.events_buffer: list[dict] = []
        self.orders_buffer: list[Order] = []
        self.events = 0

    def event(self, row: dict) -> None:
        self.events_buffer.append(row)
        if len(self.events_buffer) >= self.CHUNK:
            self._flush()

    def order(self, person, product, codes, price, quantity, province, reference, at):
        total = (price * quantity).quantize(Decimal("0.01"))
        deposit = (total * Decimal("0.1")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        snapshot = {
            "version": {"id": product.version.pk, "number": product.version.number},
            "product": {
                "slug": product.version.product_model.slug,
                "name": product.version.product_model.name,
            },
            "selection": {
                "options": [{"code": code} for code in codes],
                "numbers": {},
                "texts": {},
            },
            "price": {"lines": [], "unit_total": str(price)},
            "synthetic": True,
        }
        self.orders_buffer.append(
            Order(
                reference=reference,
                consumer_id=person.user_id,
                product_model_id=product.version.product_model_id,
                version=product.version,
                snapshot=snapshot,
                unit_price=price,
                quantity=quantity,
                total=total,
                deposit=deposit,
                province=province,
                city="",
                promised_from=at.date() + timedelta(days=30),
                promised_to=at.date() + timedelta(days=60),
                state=Order.State.DELIVERED,
                created_at=at,
            )
        )

    def finish(self) -> None:
        self._flush()

    def _flush(self) -> None:
        with transaction.atomic():
            if self.orders_buffer:
                Order.objects.bulk_create(self.orders_buffer, batch_size=2000)
                self.orders_buffer = []
            rows = self.events_buffer
            self.events_buffer = []
            self.events += len(rows)
            # anonymous sessions get their consumer ids here, a chunk at a time
            anonymous = _consumer_ids(
                [row["consumer_key"] for row in rows if "consumer_key" in row]
            )
            for row in rows:
                if "consumer_key" in row:
                    row["consumer_id"] = anonymous[row.pop("consumer_key")]
            if connection.vendor == "postgresql":
                self._copy(rows)
            else:
                Event.objects.bulk_create([self._event(row) for row in rows], batch_size=5000)

    def _event(self, row: dict) -> Event:
        fields = dict(row)
        fields["product_model_id"] = fields.pop("product_id")
        fields.setdefault("received_at", fields["occurred_at"])
        return Event(**fields)

    def _copy(self, rows: list[dict]) -> None:
        buffer = io.StringIO()
        out = csv.writer(buffer)
        for row in rows:
            event = self._event(row)
            out.writerow(
                [
                    _copy_value(
                        json.dumps(event.options) if column == "options" else getattr(event, column)
                    )
                    for column in self.EVENT_COLUMNS
                ]
            )
        buffer.seek(0)
        columns = ", ".join(self.EVENT_COLUMNS)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY analytics_event ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
