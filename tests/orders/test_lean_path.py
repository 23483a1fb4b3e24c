"""The order hot path reads and writes plain SQL (c2b/lean.py): what it stores and the
instances it builds must be exactly what the ORM would store and build."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.authtoken.models import Token

from c2b import lean
from c2b.rest import token_with_user
from orders import queries
from orders.models import BatchPolicy, ConsumerProfile, IdempotencyKey, Order, OrderEvent
from orders.serializers import OrderSerializer
from tests.orders.helpers import place

COMPARED = [f.attname for f in Order._meta.concrete_fields if f.attname not in ("id", "reference")]


@pytest.fixture
def placed(maker_a, personas) -> Order:
    response = place(personas["consumer1"], quantity=2)
    assert response.status_code == 201, response.json()
    return Order.objects.get(reference=response.json()["reference"])


def _read_plainly(order: Order) -> Order:
    columns = lean.columns(Order, "o")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns.sql} FROM orders_order o WHERE o.id = %s", [order.pk])
        return columns.instance(cursor.fetchone())


def test_an_order_read_plainly_has_the_values_and_types_the_orm_gives(placed):
    plain = _read_plainly(placed)

    for name in ["id", "reference", *COMPARED]:
        ours, orms = getattr(plain, name), getattr(placed, name)
        assert (ours, type(ours)) == (orms, type(orms)), name
    assert isinstance(plain.total, Decimal)
    assert plain.snapshot["product"]["slug"] == "rover-a"


def test_an_order_inserted_plainly_is_stored_as_the_orm_stores_it(placed):
    by_orm = Order.objects.get(pk=placed.pk)
    by_orm.pk, by_orm.reference = None, "C2B-ORM0000001"
    by_orm._state.adding = True
    by_orm.save()
    plain = Order.objects.get(pk=placed.pk)
    plain.pk, plain.reference = None, "C2B-LEAN000001"
    plain.insert()

    ours, orms = Order.objects.get(pk=plain.pk), Order.objects.get(pk=by_orm.pk)

    assert [getattr(ours, n) for n in COMPARED] == [getattr(orms, n) for n in COMPARED]


def test_a_conflicting_plain_insert_is_skipped_and_says_so(placed):
    claim = IdempotencyKey.objects.create(
        user=placed.consumer, key="k1", fingerprint="f", locked_until=placed.created_at
    )
    again = IdempotencyKey(
        user=placed.consumer, key="k1", fingerprint="other", locked_until=placed.created_at
    )

    assert lean.insert(again, ignore_conflicts=True) is False
    assert again.pk is None
    assert IdempotencyKey.objects.get(key="k1").fingerprint == claim.fingerprint


def test_a_plain_update_changes_only_the_named_fields(placed):
    event = OrderEvent.objects.get(order=placed)
    event.kind, event.params = "changed", {"note": "日本"}

    assert lean.update(event, ["params"]) == 1
    event.refresh_from_db()
    assert (event.kind, event.params) == ("placed", {"note": "日本"})
    event.pk = 10**9
    assert lean.update(event, ["params"]) == 0


def test_the_placing_response_is_what_reading_the_order_back_gives(maker_a, personas):
    response = place(personas["consumer1"])

    stored = Order.objects.get(reference=response.json()["reference"])
    assert response.json() == OrderSerializer(stored).data


def test_a_token_brings_its_user_and_profile_in_one_query(consumer1, django_assert_num_queries):
    ConsumerProfile.objects.create(user=consumer1, province="31", city="上海市")
    key = Token.objects.create(user=consumer1).key
    assert token_with_user("f" * 40) is None  # prepares the statement, on PostgreSQL

    with django_assert_num_queries(1):
        token = token_with_user(key)
        assert token.user == consumer1
        assert token.user.consumer_profile.city == "上海市"


def test_a_user_without_a_profile_is_not_asked_for_it_again(consumer2, django_assert_num_queries):
    key = Token.objects.create(user=consumer2).key
    token_with_user(key)  # prepares the statement, on PostgreSQL

    with django_assert_num_queries(1):
        user = token_with_user(key).user
        assert getattr(user, "consumer_profile", None) is None
    assert user == get_user_model().objects.get(username="consumer2")


def test_the_version_to_order_comes_with_its_product_and_policy(maker_a, django_assert_num_queries):
    BatchPolicy.objects.create(product_model=maker_a.product, minimum_quantity=7)
    queries.version_to_order(maker_a.product.slug)  # prepares the statement, on PostgreSQL

    with django_assert_num_queries(1):
        version = queries.version_to_order(maker_a.product.slug)
        assert version.product_model == maker_a.product
        assert version.product_model.batch_policy.minimum_quantity == 7
    assert queries.version_to_order(maker_a.product.slug, version.number) == version
    assert queries.version_to_order(maker_a.product.slug, version.number + 5) is None
    assert queries.version_to_order("no-such-product") is None


@pytest.mark.django_db(transaction=True)
def test_statements_prepared_before_a_reconnect_still_run_after_it(consumer1):
    key = Token.objects.create(user=consumer1).key
    assert token_with_user(key).user == consumer1

    connection.close()  # as after PostgreSQL restarted: the new session has nothing prepared

    assert token_with_user(key).user == consumer1


def test_a_demand_event_finds_its_consumer_in_the_same_insert(placed, django_assert_num_queries):
    from analytics.models import Consumer, Event
    from analytics.services import order_event_record

    placed_event = Event.objects.get(order_reference=placed.reference, kind="order_placed")
    order_event_record(order=placed, kind="order_paid")  # prepares the statement, on PostgreSQL
    Event.objects.filter(kind="order_paid").delete()

    with django_assert_num_queries(1):
        order_event_record(order=placed, kind="order_paid")

    paid = Event.objects.get(order_reference=placed.reference, kind="order_paid")
    assert paid.consumer_id == placed_event.consumer_id
    assert Consumer.objects.get(pk=paid.consumer_id)


def test_a_consumers_first_demand_event_creates_the_consumer(placed):
    from analytics.models import Consumer, Event
    from analytics.services import order_event_record

    Event.objects.all().delete()
    Consumer.objects.all().delete()

    order_event_record(order=placed, kind="order_placed")
    order_event_record(order=placed, kind="order_placed")  # a second delivery: nothing new

    event = Event.objects.get(order_reference=placed.reference)
    assert Consumer.objects.get(pk=event.consumer_id)
