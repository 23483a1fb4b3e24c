"""The consumer's pages: signing up, resetting a password, the profile and its consent,
and ordering through plain form posts (no JavaScript needed)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from orders.models import ConsumerProfile, IdempotencyKey, Order, SandboxCheckout
from tests.factories import PASSWORD, UserFactory
from tests.orders.helpers import deliver, order_body, place

ORDER_QUERY = "?g_PAINT=WHITE&g_WHEELS=W17&n_SEAT_COUNT=5"


@pytest.mark.django_db
def test_signing_up_creates_a_consumer_with_a_delivery_city():
    client = Client()
    response = client.post(
        reverse("signup"),
        {
            "username": "lihua",
            "email": "Li.Hua@example.com",
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
            "region": "44|广州市",
        },
    )

    assert response.status_code == 302
    profile = ConsumerProfile.objects.get(user__username="lihua")
    assert (profile.province, profile.city) == ("44", "广州市")
    assert profile.user.email == "li.hua@example.com"
    assert client.get(reverse("my-orders")).status_code == 200  # signed in


@pytest.mark.django_db
def test_a_sign_up_with_a_city_outside_its_province_names_the_field():
    response = Client().post(
        reverse("signup"),
        {"username": "x", "email": "x@example.com", "password1": "a long enough pass phrase",
         "password2": "a long enough pass phrase", "region": "44|上海市"},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not get_user_model().objects.filter(username="x").exists()


@pytest.mark.django_db
def test_a_forgotten_password_can_be_reset_by_email():
    UserFactory(username="forgetful", email="forgetful@example.com")
    client = Client()

    client.post(reverse("password_reset"), {"email": "forgetful@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand new pass phrase", "new_password2": "brand new pass phrase"},
    )

    assert done.status_code == 302
    user = get_user_model().objects.get(username="forgetful")
    assert user.check_password("brand new pass phrase")
    assert not user.check_password(PASSWORD)


def test_withdrawing_consent_hides_age_and_gender_from_analytics(personas, consumer1):
    client = personas["consumer1"]
    client.post(
        reverse("profile"),
        {"region": "11|北京市", "age_band": "25-34", "gender": "female", "analytics_consent": "on"},
    )
    profile = ConsumerProfile.objects.get(user=consumer1)
    assert profile.segment() == ("25-34", "female")
    given_at = profile.consent_changed_at

    client.post(
        reverse("profile"), {"region": "11|北京市", "age_band": "25-34", "gender": "female"}
    )

    profile.refresh_from_db()
    assert profile.segment() == ("", "")
    assert profile.consent_changed_at > given_at


def test_ordering_through_plain_form_posts_from_configuration_to_paid(maker_a, personas):
    client = personas["consumer1"]
    url = reverse("order-new", args=["rover-a"]) + ORDER_QUERY
    page = client.get(url)
    assert page.status_code == 200
    assert "Deposit now (10%)" in page.content.decode()
    key = page.context["form"]["idempotency_key"].value()

    placed = client.post(url, {"quantity": "1", "region": "31|上海市", "idempotency_key": key})
    pay_page = client.get(placed["Location"])
    hosted = client.post(pay_page["Location"], {"action": "pay"})
    back = client.get(hosted["Location"])

    order = Order.objects.get()
    assert back.status_code == 200
    assert order.state == Order.State.PAID
    assert "Deposit of ¥10,000.00 received." in back.content.decode()


def test_a_double_clicked_order_form_places_one_order(maker_a, personas):
    client = personas["consumer1"]
    url = reverse("order-new", args=["rover-a"]) + ORDER_QUERY
    data = {"quantity": "2", "region": "31|上海市", "idempotency_key": "form-key-1"}

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    assert SandboxCheckout.objects.get().create_calls == 1


def test_an_incomplete_configuration_cannot_be_ordered_from_the_page(maker_a, personas):
    response = personas["consumer1"].get(reverse("order-new", args=["rover-a"]) + "?g_PAINT=WHITE")

    assert response.status_code == 422
    assert "WHEELS" in response.content.decode()


def test_a_database_outage_is_a_fast_503_and_the_retry_returns_the_order(
    maker_a, personas, monkeypatch, client
):
    shopper = personas["consumer1"]

    def database_gone(**kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("orders.api.order_place", database_gone)
    down = place(shopper, key="retry-me")
    monkeypatch.undo()
    up = place(shopper, key="retry-me")
    again = place(shopper, key="retry-me")

    assert down.status_code == 503
    assert down["Retry-After"] == "5"
    assert not Order.objects.exists() or Order.objects.count() == 1
    assert up.status_code == again.status_code == 201
    assert again.json()["reference"] == up.json()["reference"]
    assert Order.objects.count() == 1
    assert IdempotencyKey.objects.get().status == IdempotencyKey.Status.DONE


def test_the_order_timeline_reads_in_chinese(maker_a, personas, client):
    shopper = personas["consumer1"]
    reference = place(shopper, order_body()).json()["reference"]
    order = Order.objects.get(reference=reference)
    from orders.payments.sandbox import SandboxProvider
    from tests.orders.helpers import checkout_of

    SandboxProvider().pay(checkout_of(order), succeed=True)
    deliver(client, checkout_of(order))

    page = shopper.get(reverse("order-detail", args=[reference]), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert "已收到定金" in page.content.decode()


def test_the_order_page_totals_follow_the_quantity(maker_a, personas):
    url = reverse("order-new", args=["rover-a"]) + ORDER_QUERY + "&quantity=3"

    page = personas["consumer1"].get(url, HTTP_HX_REQUEST="true")

    content = page.content.decode()
    assert "¥300,000.00" in content
    assert "¥30,000.00" in content  # the deposit
    assert 'hx-get="' in content
