"""Recording behaviour events: the browser's batches, checked one by one, and the events
the server records itself (saves, comparisons, checkouts, orders).

Who an event belongs to is decided here and only here: a signed-in consumer who consents
is counted as themselves, with their age band and gender; anyone else as a pseudonym
that names no one (their browser's session, or a keyed hash of their account)."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from analytics.models import Consumer, Event
from c2b import lean
from catalog.models import CatalogVersion, ProductModel
from configurator.compiled import engine_for

K = Event.Kind
CONSUMER_BY_KEY = lean.Lookup("consumer_id", Consumer, "key")
BROWSER_KINDS = {
    K.PRODUCT_VIEWED,
    K.OPTION_SELECTED,
    K.OPTION_DESELECTED,
    K.GROUP_TIME,
    K.EXCLUSION_HIT,
    K.EXCLUSION_RESOLVED,
    K.CONFIGURATION_SHARED,
    K.SEARCH,
}
FIELDS_OF = {  # what each browser event may carry besides "type" and "at"
    K.PRODUCT_VIEWED: set(),
    K.OPTION_SELECTED: {"option"},
    K.OPTION_DESELECTED: {"option"},
    K.GROUP_TIME: {"group", "seconds"},
    K.EXCLUSION_HIT: {"option"},
    K.EXCLUSION_RESOLVED: {"option", "resolution"},
    K.CONFIGURATION_SHARED: set(),
    K.SEARCH: {"query", "matched"},
}
MAX_EVENTS_PER_BATCH = 50
MAX_BODY_BYTES = 16 * 1024
EVENTS_PER_MINUTE = 300  # per session: a busy person clicks about once a second
OLDEST = timedelta(hours=24)  # a tab asleep overnight still delivers its last batch
CLOCK_SKEW = timedelta(minutes=5)
LONGEST_GROUP_VISIT = 3600  # seconds
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class BatchRefused(Exception):
    """The whole batch is refused: `field` names what is wrong."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(message)
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Rejection:
    index: int
    field: str
    message: str


@dataclass(frozen=True)
class Who:
    consumer_key: str
    user_id: int | None
    province: str
    age_band: str
    gender: str


def who_is(user, session_id: str) -> Who:
    profile = getattr(user, "consumer_profile", None) if user and user.is_authenticated else None
    if profile is None:
        if user is not None and user.is_authenticated:
            return Who(pseudonym(user.pk), None, "", "", "")
        return Who(f"s:{session_id}", None, "", "", "")
    if profile.analytics_consent:
        return Who(f"u:{user.pk}", user.pk, profile.province, profile.age_band, profile.gender)
    return Who(pseudonym(user.pk), None, profile.province, "", "")


def pseudonym(user_id: int) -> str:
    """The same person counts once, without the events saying who they are."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"consumer:{user_id}".encode(), "sha256")
    return f"h:{digest.hexdigest()[:32]}"


def consumer_id(key: str) -> int:
    # plain SQL: this runs on every order placed. One INSERT … ON CONFLICT DO NOTHING
    # RETURNING for a new key, where a savepoint around a plain INSERT costs three
    # statements; a key another request created meanwhile is found by the second SELECT.
    quote = connection.ops.quote_name
    table, column = quote(Consumer._meta.db_table), quote("key")
    with connection.cursor() as cursor:
        lean.execute(cursor, f"SELECT id FROM {table} WHERE {column} = %s", [key])
        found = cursor.fetchone()
        if found is None:
            lean.execute(
                cursor,
                f"INSERT INTO {table} ({column}, created_at) VALUES (%s, %s) "
                f"ON CONFLICT ({column}) DO NOTHING RETURNING id",
                [key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            found = cursor.fetchone()
        if found is None:
            lean.execute(cursor, f"SELECT id FROM {table} WHERE {column} = %s", [key])
            found = cursor.fetchone()
    return found[0]


# The browser's batches ------------------------------------------------------------------


def events_ingest(*, payload, user, now: datetime | None = None) -> tuple[int, list[Rejection]]:
    """Store each valid event of a batch and say why each other one was refused.

    The batch names its session, product and catalog version once; a batch that gets those
    wrong, or comes too fast, is refused whole (BatchRefused)."""
    now = now or timezone.now()
    if not isinstance(payload, dict):
        raise BatchRefused("body", "Send a JSON object with session, product, version, events.")
    session_id = payload.get("session")
    if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
        raise BatchRefused("session", "session must be 16 to 64 letters, digits, - or _.")
    version = _version_of(payload)
    raw_events = payload.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise BatchRefused("events", "events must be a non-empty list.")
    if len(raw_events) > MAX_EVENTS_PER_BATCH:
        raise BatchRefused("events", f"At most {MAX_EVENTS_PER_BATCH} events in one batch.")
    _count_against_limit(session_id, len(raw_events), now)
    who = who_is(user, session_id)
    spec = engine_for(version).spec
    options, groups = spec.options, {group.code for group in spec.groups}
    accepted, rejections = [], []
    for index, raw in enumerate(raw_events):
        try:
            accepted.append(_event(raw, options, groups, now))
        except _Bad as bad:
            rejections.append(Rejection(index, f"events[{index}].{bad.field}", str(bad)))
    if accepted:
        consumer = consumer_id(who.consumer_key)
        Event.objects.bulk_create(
            [
                Event(
                    **fields,
                    consumer_id=consumer,
                    user_id=who.user_id,
                    session_id=session_id,
                    product_model_id=version.product_model_id,
                    version=version,
                    received_at=now,
                    province=who.province,
                    age_band=who.age_band,
                    gender=who.gender,
                )
                for fields in accepted
            ]
        )
    return len(accepted), rejections


def _version_of(payload: dict) -> CatalogVersion:
    product_slug, version_id = payload.get("product"), payload.get("version")
    if not isinstance(product_slug, str):
        raise BatchRefused("product", "product must be a product's slug.")
    if (
        not isinstance(version_id, int)
        or isinstance(version_id, bool)
        or not 0 < version_id < 2**31
    ):
        raise BatchRefused("version", "version must be a catalog version's id.")
    version = (
        CatalogVersion.objects.select_related("product_model")
        .filter(pk=version_id, product_model__slug=product_slug)
        .exclude(status=CatalogVersion.Status.DRAFT)
        .first()
    )
    if version is None:
        raise BatchRefused("version", "No published catalog version of that product has that id.")
    return version


def _count_against_limit(session_id: str, count: int, now: datetime) -> None:
    key = f"analytics:rate:{session_id}:{now:%Y%m%d%H%M}"
    cache.add(key, 0, timeout=120)
    if cache.incr(key, count) > EVENTS_PER_MINUTE:
        raise BatchRefused("session", "Too many events from this session; wait a minute.", 429)


class _Bad(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _event(raw, options: dict, groups: set[str], now: datetime) -> dict:
    if not isinstance(raw, dict):
        raise _Bad("type", "Each event must be an object.")
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in BROWSER_KINDS:
        known = ", ".join(sorted(BROWSER_KINDS))
        raise _Bad("type", f"Unknown event type {str(kind)[:40]!r}; the browser sends {known}.")
    extra = set(raw) - FIELDS_OF[kind] - {"type", "at"}
    if extra:
        raise _Bad(sorted(extra)[0], f"A {kind} event has no field {sorted(extra)[0]!r}.")
    fields = {"kind": kind, "occurred_at": _time(raw.get("at"), now)}
    if "option" in FIELDS_OF[kind]:
        code = raw.get("option")
        if not isinstance(code, str) or code not in options:
            raise _Bad("option", f"No option {str(code)[:40]!r} in this catalog version.")
        fields["option_code"] = code
        fields["group_code"] = options[code].group
    if kind == K.GROUP_TIME:
        group = raw.get("group")
        if not isinstance(group, str) or group not in groups:
            raise _Bad("group", f"No option group {str(group)[:40]!r} in this catalog version.")
        seconds = raw.get("seconds")
        if not isinstance(seconds, int) or isinstance(seconds, bool):
            raise _Bad("seconds", "seconds must be a whole number.")
        if not 1 <= seconds <= LONGEST_GROUP_VISIT:
            raise _Bad("seconds", f"seconds must be from 1 to {LONGEST_GROUP_VISIT}.")
        fields.update(group_code=group, seconds=seconds)
    if kind == K.EXCLUSION_RESOLVED:
        resolution = raw.get("resolution")
        if resolution not in Event.Resolution.values:
            raise _Bad("resolution", "resolution must be accepted or declined.")
        fields["resolution"] = resolution
    if kind == K.SEARCH:
        query, matched = raw.get("query"), raw.get("matched")
        if not isinstance(query, str) or not query.strip() or len(query) > 100:
            raise _Bad("query", "query must be 1 to 100 characters.")
        if not isinstance(matched, bool):
            raise _Bad("matched", "matched must be true or false.")
        fields.update(query=query.strip(), matched=matched)
    return fields


def _time(value, now: datetime) -> datetime:
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # the right shape, but no such day or hour
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise _Bad("at", "at must be an ISO 8601 time with its offset: 2026-12-03T10:00:00Z.")
    in_range = now - OLDEST <= moment <= now + CLOCK_SKEW
    if not in_range and moment > now:
        raise _Bad("at", "at is in the future.")
    if not in_range:
        raise _Bad("at", "at is more than a day old; such events are not taken.")
    return moment


# What the server records itself ---------------------------------------------------------


def event_record(
    *,
    kind: str,
    user,
    session_id: str,
    product: ProductModel,
    version: CatalogVersion | None = None,
) -> None:
    """A save, share, comparison or checkout seen by a page of ours."""
    who = who_is(user, session_id)
    Event.objects.create(
        kind=kind,
        consumer_id=consumer_id(who.consumer_key),
        user_id=who.user_id,
        session_id=session_id,
        product_model=product,
        version=version,
        occurred_at=timezone.now(),
        province=who.province,
        age_band=who.age_band,
        gender=who.gender,
    )


def order_event_record(*, order, kind: str) -> None:
    """An order placed or paid, within the transaction that places or pays it; a second
    delivery of the same step records nothing."""
    who = who_is(order.consumer, f"order-{order.reference}")
    codes = [option["code"] for option in order.snapshot["selection"]["options"]]
    event = Event(
        order_reference=order.reference,
        kind=kind,
        user_id=who.user_id,
        session_id=f"order-{order.reference}"[:64],
        product_model_id=order.product_model_id,
        version_id=order.version_id,
        occurred_at=timezone.now(),
        province=order.province,
        age_band=who.age_band,
        gender=who.gender,
        options=codes,
        unit_price=order.unit_price,
        quantity=order.quantity,
    )
    # One INSERT … SELECT … ON CONFLICT DO NOTHING that finds the consumer's id as it
    # goes (this runs on every order placed); only a consumer seen for the first time,
    # or a second delivery of the step, takes the longer way.
    if lean.insert(
        event, ignore_conflicts=True, lookup=CONSUMER_BY_KEY, lookup_value=who.consumer_key
    ):
        return
    event.consumer_id = consumer_id(who.consumer_key)
    lean.insert(event, ignore_conflicts=True)
