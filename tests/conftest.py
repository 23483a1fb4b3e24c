"""Personas every access test reuses: admin, staff of maker A, staff of maker B,
consumer 1, consumer 2 and anonymous, in a small world where each maker has a product
with a published catalog, a draft in progress and a production line."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

from catalog.models import CatalogVersion, Manufacturer, ProductModel
from catalog.services import version_new_draft
from tests.factories import (
    ProductionLineFactory,
    StaffFactory,
    StationFactory,
    UserFactory,
    published_catalog,
)

PERSONAS = ["admin", "staff_a", "staff_b", "consumer1", "consumer2", "anonymous"]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need row locks and real concurrency, which SQLite lacks;
    tests marked `stack` also need Redis and start real servers and Celery workers."""
    no_postgres = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); CI runs it")
    no_redis = pytest.mark.skip(reason="needs Redis (set CELERY_BROKER_URL); CI runs it")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(no_postgres)
        if "stack" in item.keywords and not os.environ.get("CELERY_BROKER_URL"):
            item.add_marker(no_redis)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a third of a second per user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Maker:
    manufacturer: Manufacturer
    product: ProductModel
    published: CatalogVersion
    draft: CatalogVersion
    line: object


def _maker(slug: str, product_slug: str, line_code: str) -> Maker:
    published = published_catalog(slug=product_slug, maker=slug)
    draft = version_new_draft(source=published)
    manufacturer = published.product_model.manufacturer
    line = ProductionLineFactory(manufacturer=manufacturer, code=line_code)
    line.product_models.add(published.product_model)
    StationFactory(line=line, code="ROOF", capacity_p=1, capacity_q=3)
    return Maker(manufacturer, published.product_model, published, draft, line)


@pytest.fixture
def maker_a(db) -> Maker:
    return _maker("maker-a", "rover-a", "LA1")


@pytest.fixture
def maker_b(db) -> Maker:
    return _maker("maker-b", "rover-b", "LB1")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_a(maker_a):
    return StaffFactory(user__username="staff_a", manufacturer=maker_a.manufacturer).user


@pytest.fixture
def staff_b(maker_b):
    return StaffFactory(user__username="staff_b", manufacturer=maker_b.manufacturer).user


@pytest.fixture
def consumer1(db):
    return UserFactory(username="consumer1")


@pytest.fixture
def consumer2(db):
    return UserFactory(username="consumer2")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def personas(admin_user, staff_a, staff_b, consumer1, consumer2) -> dict[str, Client]:
    """A signed-in client per persona, plus an anonymous one."""
    users = {
        "admin": admin_user,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "consumer1": consumer1,
        "consumer2": consumer2,
        "anonymous": None,
    }
    return {name: client_for(user) for name, user in users.items()}


@pytest.fixture(autouse=True)
def sandbox_callbacks_by_hand(settings):
    """Tests deliver the sandbox provider's callbacks themselves (tests/orders/helpers.py)
    instead of letting it POST to a server that is not running."""
    settings.PAYMENT_SANDBOX_WEBHOOKS = "off"


@pytest.fixture(autouse=True)
def fresh_caches():
    """Compiled engines are kept per version id for the life of a process; test databases
    reuse ids after each rollback, so each test starts with empty caches."""
    from django.core.cache import cache

    from analytics import rollups
    from configurator import compiled

    cache.clear()
    compiled.forget_all()
    rollups.defaults_of.cache_clear()


@pytest.fixture
def eager_celery():
    """Run enqueued tasks in-process, whatever broker the suite runs against."""
    from c2b.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
