"""Who may see and act on orders and batches, for every persona: consumers their own
orders only, manufacturer staff their own manufacturer's batches only."""

import pytest
from django.urls import reverse

from orders.models import BatchPolicy, Order
from tests.conftest import PERSONAS
from tests.orders.helpers import checkout_of, pay, place


@pytest.fixture
def world(client, maker_a, maker_b, personas):
    BatchPolicy.objects.create(product_model=maker_a.product, minimum_quantity=50)
    reference = place(personas["consumer1"]).json()["reference"]
    pay(client, reference)
    order = Order.objects.get(reference=reference)
    return {"order": order, "batch": order.batch, "personas": personas}


ORDER_READERS = {"consumer1": 200, "admin": 200}
BATCH_READERS = {"staff_a": 200, "admin": 200}


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_order_is_seen_by_its_consumer_and_admins_only(world, persona):
    client = world["personas"][persona]
    reference = world["order"].reference

    api = client.get(reverse("api-order-detail", args=[reference]))
    page = client.get(reverse("order-detail", args=[reference]))
    pay_page = client.get(reverse("order-pay", args=[reference]))

    if persona == "anonymous":
        assert api.status_code == 403
        assert page.status_code == pay_page.status_code == 302
        assert page["Location"].startswith(reverse("login"))
    else:
        expected = ORDER_READERS.get(persona, 404)
        assert api.status_code == page.status_code == expected
        assert pay_page.status_code == (302 if expected == 200 else 404)


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "consumer1"])
def test_nobody_else_can_cancel_or_swap_a_consumers_order(world, persona):
    client = world["personas"][persona]
    reference = world["order"].reference
    expected_api = 403 if persona == "anonymous" else (200 if persona == "admin" else 404)

    swap = client.post(reverse("api-order-accept-swap", args=[reference]))
    if persona != "admin":
        cancel = client.post(reverse("api-order-cancel", args=[reference]))
        page_cancel = client.post(reverse("order-cancel", args=[reference]))
        assert cancel.status_code == expected_api
        assert page_cancel.status_code == (302 if persona == "anonymous" else 404)

    assert swap.status_code == (409 if persona == "admin" else expected_api)
    world["order"].refresh_from_db()
    assert world["order"].state == Order.State.PAID


@pytest.mark.parametrize("persona", PERSONAS)
def test_order_lists_show_only_your_own_orders(world, persona):
    client = world["personas"][persona]

    api = client.get(reverse("api-order-list"))
    page = client.get(reverse("my-orders"))

    if persona == "anonymous":
        assert api.status_code == 403
        assert page.status_code == 302
        return
    assert api.status_code == page.status_code == 200
    seen = [row["reference"] for row in api.json()["results"]]
    owns = persona == "consumer1"
    assert seen == ([world["order"].reference] if owns or persona == "admin" else [])
    assert (world["order"].reference in page.content.decode()) is owns


@pytest.mark.parametrize("persona", PERSONAS)
def test_batches_are_for_their_manufacturers_staff_and_admins(world, persona):
    client = world["personas"][persona]
    batch = world["batch"]

    listing = client.get(reverse("api-batch-list"))
    detail = client.get(reverse("api-batch-detail", args=[batch.pk]))
    page_list = client.get(reverse("batch-list"))
    page = client.get(reverse("batch-detail", args=[batch.pk]))

    if persona == "anonymous":
        assert listing.status_code == detail.status_code == 403
        assert page_list.status_code == page.status_code == 302
    elif persona in ("consumer1", "consumer2"):
        assert listing.status_code == detail.status_code == 403
        assert page_list.status_code == page.status_code == 403
    elif persona == "staff_b":
        assert listing.status_code == page_list.status_code == 200
        assert listing.json()["results"] == []
        assert detail.status_code == page.status_code == 404
    else:
        assert listing.status_code == detail.status_code == 200
        assert page_list.status_code == page.status_code == 200
        assert detail.json()["units"] == 1
        assert detail.json()["option_demand"][0]["units"] == 1
        assert detail.json()["regions"] == [{"province": "31", "region": "Shanghai", "units": 1}]
        assert "consumer1" not in page.content.decode()  # demand, never people


@pytest.mark.parametrize("persona", PERSONAS)
def test_consumer_pages_need_a_sign_in(world, persona):
    client = world["personas"][persona]

    for url in (reverse("order-new", args=["rover-a"]), reverse("profile")):
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code in (200, 422)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_hosted_payment_page_opens_for_whoever_holds_its_address(world, persona):
    checkout = checkout_of(world["order"])

    response = world["personas"][persona].get(reverse("sandbox-checkout", args=[checkout]))

    assert response.status_code == 200
    assert "This checkout is" in response.content.decode()  # already paid: no pay button


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_api_token_is_given_for_a_right_password_only(world, persona):
    from tests.factories import PASSWORD

    client = world["personas"][persona]
    url = reverse("api-token")

    wrong = client.post(url, {"username": "consumer1", "password": "nope"})
    right = client.post(url, {"username": "consumer1", "password": PASSWORD})

    assert wrong.status_code == 400
    assert right.status_code == 200
    orders = client.get(
        reverse("api-order-list"), HTTP_AUTHORIZATION=f"Token {right.json()['token']}"
    )
    assert orders.status_code == 200


def test_a_forged_token_or_a_deactivated_accounts_token_is_refused(world):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    User = get_user_model()
    token = Token.objects.create(user=User.objects.get(username="consumer1"))
    url = reverse("api-order-list")

    forged = Client().get(url, HTTP_AUTHORIZATION="Token " + "f" * 40)
    valid = Client().get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    User.objects.filter(username="consumer1").update(is_active=False)
    deactivated = Client().get(url, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert forged.status_code == 403  # DRF answers 403 when session auth comes first
    assert forged.json()["detail"] == "Invalid token."
    assert valid.status_code == 200
    assert deactivated.status_code == 403


def test_guessing_token_passwords_locks_the_account_out_like_the_sign_in_form(world, settings):
    from django.test import Client

    from tests.factories import PASSWORD

    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    url = reverse("api-token")
    for _ in range(3):
        client.post(url, {"username": "consumer1", "password": "guess"})

    locked = client.post(url, {"username": "consumer1", "password": PASSWORD})

    assert locked.status_code == 400  # refused like a wrong password: no hint, no token
    assert "token" not in locked.content.decode()


def test_the_batch_page_names_provinces_and_states_in_the_readers_language(world):
    staff = world["personas"]["staff_a"]
    url = reverse("batch-detail", args=[world["batch"].pk])

    english = staff.get(url).content.decode()
    chinese = staff.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "<td>Shanghai</td>" in english
    assert "<td>Deposit paid</td>" in english
    assert "<td>上海市</td>" in chinese
    assert "<td>定金已付</td>" in chinese
