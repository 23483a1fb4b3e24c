import inspect
import re

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import reverse
from rest_framework import serializers

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/products/rover-a/",
    "/configure/rover-a/",
    "/my/configurations/",
    "/compare/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
    "/api/docs/",
    "/admin/login/",
]
PROJECT_APPS = ("catalog", "configurator", "orders", "analytics", "c2b")


@pytest.mark.parametrize("url", PAGES)
def test_pages_forbid_inline_script_and_framing(personas, maker_a, url):
    response = personas["anonymous"].get(url)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.split() == ["'self'"]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())


def test_login_form_requires_a_csrf_token():
    UserFactory(username="casey")
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "casey", "password": PASSWORD})

    assert response.status_code == 403


def test_htmx_requests_carry_the_csrf_token_from_every_page(personas, maker_a):
    page = personas["consumer1"].get("/").content.decode()

    assert re.search(r"""hx-headers='\{"X-CSRFToken": "[A-Za-z0-9]{32,}"\}'""", page)


def test_repeated_failed_logins_lock_the_account_out_even_with_the_right_password(settings):
    UserFactory(username="casey")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "casey", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "casey", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_good_login_works_and_resets_the_failure_count():
    UserFactory(username="casey")
    client = Client()
    client.post(reverse("login"), {"username": "casey", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "casey", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def _project_classes(base):
    for app in apps.get_app_configs():
        if app.name not in PROJECT_APPS:
            continue
        for module_name in ("forms", "serializers", "admin", "api", "views"):
            module = (
                __import__(f"{app.name}.{module_name}", fromlist=["_"])
                if _exists(app, module_name)
                else None
            )
            if module is None:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, base) and cls.__module__ == module.__name__:
                    yield cls


def _exists(app, module_name) -> bool:
    from importlib.util import find_spec

    return find_spec(f"{app.name}.{module_name}") is not None


@pytest.mark.parametrize("base", [forms.ModelForm, serializers.ModelSerializer])
def test_no_form_or_serializer_accepts_all_fields(base):
    classes = list(_project_classes(base))

    assert classes, "expected project forms or serializers to check"
    offenders = [
        cls.__qualname__ for cls in classes if getattr(cls.Meta, "fields", None) == "__all__"
    ]
    assert offenders == []


def test_api_docs_allow_inline_styles_but_never_inline_scripts(personas):
    policy = personas["anonymous"].get("/api/docs/")["Content-Security-Policy"]

    assert "style-src 'self' 'unsafe-inline'" in policy
    assert re.search(r"script-src ([^;]*)", policy).group(1).split() == ["'self'"]


def test_other_pages_allow_no_inline_styles(personas, maker_a):
    policy = personas["anonymous"].get("/products/rover-a/")["Content-Security-Policy"]

    assert re.search(r"style-src ([^;]*)", policy).group(1).split() == ["'self'"]
