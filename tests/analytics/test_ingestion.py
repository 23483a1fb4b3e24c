"""The browser's event batches: good events stored, each bad one refused with its field and
reason and never stored, whole batches refused when they name no real product or come
too fast, and no event naming a consumer who does not consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import Event
from orders.models import ConsumerProfile
from tests.conftest import client_for

SESSION = "browser-session-0001"


def batch(version, *events, session=SESSION, product=None):
    return {
        "session": session,
        "product": product or version.product_model.slug,
        "version": version.pk,
        "events": list(events),
    }


def now_iso(delta=timedelta(0)):
    return (timezone.now() + delta).isoformat()


def post(client, body, **headers):
    return client.post("/api/events/", body, content_type="application/json", **headers)


@pytest.fixture
def version(maker_a):
    return maker_a.published


def test_a_good_batch_is_stored_with_the_session_and_catalog_version(client, version):
    response = post(
        client,
        batch(
            version,
            {"type": "product_viewed", "at": now_iso()},
            {"type": "option_selected", "at": now_iso(), "option": "SUNROOF"},
            {"type": "group_time", "at": now_iso(), "group": "EXTRAS", "seconds": 12},
            {"type": "search", "at": now_iso(), "query": "roof box", "matched": False},
        ),
    )

    assert response.status_code == 202, response.content
    assert response.json() == {"accepted": 4, "rejected": []}
    stored = Event.objects.order_by("pk")
    assert [e.kind for e in stored] == ["product_viewed", "option_selected", "group_time", "search"]
    assert {e.session_id for e in stored} == {SESSION}
    assert {e.version_id for e in stored} == {version.pk}
    assert stored[1].group_code == "EXTRAS"  # the option's group, from the catalog


@pytest.mark.parametrize(
    ("event", "field", "words"),
    [
        ({"type": "clicked_ad"}, "type", "Unknown event type"),
        ({"type": ["product_viewed"]}, "type", "Unknown event type"),
        ({"type": "order_paid"}, "type", "Unknown event type"),  # only the server records orders
        ({"type": "option_selected", "option": "JETPACK"}, "option", "No option 'JETPACK'"),
        ({"type": "group_time", "group": "NOPE", "seconds": 3}, "group", "No option group"),
        ({"type": "group_time", "group": "EXTRAS", "seconds": 0}, "seconds", "from 1 to 3600"),
        ({"type": "group_time", "group": "EXTRAS", "seconds": 99999}, "seconds", "from 1 to"),
        ({"type": "group_time", "group": "EXTRAS", "seconds": "5"}, "seconds", "whole number"),
        ({"type": "search", "query": "x" * 101, "matched": True}, "query", "1 to 100"),
        ({"type": "search", "query": "hepa", "matched": "yes"}, "matched", "true or false"),
        ({"type": "exclusion_resolved", "option": "RED", "resolution": "maybe"}, "resolution", ""),
        ({"type": "product_viewed", "price": 1}, "price", "has no field"),
        ({"type": "product_viewed", "at": "yesterday"}, "at", "ISO 8601"),
        ({"type": "product_viewed", "at": "2026-02-30T10:00:00Z"}, "at", "ISO 8601"),
        ({"type": "product_viewed", "at": "2026-12-01T10:00:00"}, "at", "offset"),
        ({"type": "product_viewed", "at": "FUTURE"}, "at", "future"),
        ({"type": "product_viewed", "at": "0001-01-01T00:00:00+05:00"}, "at", "a day old"),
        ({"type": "product_viewed", "at": "OLD"}, "at", "more than a day old"),
        ("not an object", "type", "object"),
    ],
)
def test_each_kind_of_bad_event_is_refused_naming_its_field_and_never_stored(
    client, version, event, field, words
):
    if isinstance(event, dict):
        event = {"at": now_iso(), **event}
        event["at"] = {
            "FUTURE": now_iso(timedelta(hours=1)),
            "OLD": now_iso(-timedelta(days=2)),
        }.get(event["at"], event["at"])
    good = {"type": "product_viewed", "at": now_iso()}

    response = post(client, batch(version, good, event))

    assert response.status_code == 202
    [rejected] = response.json()["rejected"]
    assert rejected["field"] == f"events[1].{field}"
    assert words in rejected["message"]
    assert Event.objects.count() == 1  # the good one only


def test_a_batch_of_only_bad_events_is_a_400(client, version):
    response = post(client, batch(version, {"type": "nonsense", "at": now_iso()}))

    assert response.status_code == 400
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"session": "short"}, "session"),
        ({"version": 2**63}, "version"),
        ({"session": "has spaces in it, sadly"}, "session"),
        ({"product": "no-such-product"}, "version"),
        ({"version": "1"}, "version"),
        ({"events": []}, "events"),
        ({"events": [{"type": "product_viewed"}] * 51}, "events"),
    ],
)
def test_a_batch_naming_no_real_session_product_or_version_is_refused_whole(
    client, version, change, field
):
    body = {**batch(version, {"type": "product_viewed", "at": now_iso()}), **change}

    response = post(client, body)

    assert response.status_code == 400
    assert field in response.json()
    assert Event.objects.count() == 0


def test_events_for_a_draft_catalog_version_are_refused(client, maker_a):
    body = batch(maker_a.draft, {"type": "product_viewed", "at": now_iso()})

    assert post(client, body).status_code == 400


def test_a_batch_too_large_or_not_json_is_refused(client, version):
    huge = batch(version, {"type": "search", "at": now_iso(), "query": "q", "matched": True})
    huge["padding"] = "x" * 20_000
    assert post(client, huge).status_code == 413
    response = client.post("/api/events/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert Event.objects.count() == 0


def test_a_session_sending_too_fast_is_told_to_wait(client, version):
    events = [{"type": "product_viewed", "at": now_iso()}] * 50
    answers = [post(client, batch(version, *events)).status_code for _ in range(7)]

    assert answers[:6] == [202] * 6
    assert answers[6] == 429
    assert Event.objects.count() == 300


def _profiled(user, consents: bool):
    ConsumerProfile.objects.create(
        user=user, province="11", age_band="25-34", gender="female", analytics_consent=consents
    )
    return user


def test_a_consenting_consumer_is_counted_as_themselves_with_their_segment(consumer1, version):
    client = client_for(_profiled(consumer1, consents=True))
    body = batch(version, {"type": "product_viewed", "at": now_iso()})

    post(client, body, HTTP_ORIGIN="http://testserver")

    event = Event.objects.get()
    assert event.user == consumer1
    assert (event.province, event.age_band, event.gender) == ("11", "25-34", "female")


def test_a_consumer_who_withdrew_consent_sends_nothing_that_names_them(consumer1, version):
    client = client_for(_profiled(consumer1, consents=False))
    body = batch(version, {"type": "product_viewed", "at": now_iso()})

    post(client, body, HTTP_ORIGIN="http://testserver")
    post(client, {**body, "session": "another-session-0002"}, HTTP_ORIGIN="http://testserver")

    events = list(Event.objects.select_related("consumer"))
    assert [e.user_id for e in events] == [None, None]
    assert {(e.age_band, e.gender) for e in events} == {("", "")}
    keys = {e.consumer.key for e in events}
    assert len(keys) == 1  # still one person in the counts, across sessions
    assert next(iter(keys)).startswith("h:")  # a keyed hash, not the account id


def test_another_sites_page_cannot_record_events_in_a_consumers_name(consumer1, version):
    client = client_for(_profiled(consumer1, consents=True))
    body = batch(version, {"type": "product_viewed", "at": now_iso()})

    response = post(client, body, HTTP_ORIGIN="https://evil.example")

    assert response.status_code == 202
    event = Event.objects.get()
    assert event.user is None
    assert event.consumer.key == f"s:{SESSION}"
