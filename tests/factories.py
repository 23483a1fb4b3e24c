"""Factories for tests. Catalog content is easiest to build as a small catalog document
imported through the real import path; `catalog_document` returns one to start from."""

from __future__ import annotations

import copy
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from catalog.interchange import catalog_import
from catalog.models import (
    CatalogVersion,
    Manufacturer,
    ManufacturerStaff,
    ProductionLine,
    ProductModel,
    Station,
)
from catalog.services import version_publish

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)


class ManufacturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Manufacturer
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Maker {n}")
    slug = factory.Sequence(lambda n: f"maker-{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManufacturerStaff

    user = factory.SubFactory(UserFactory)
    manufacturer = factory.SubFactory(ManufacturerFactory)


class ProductModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductModel

    manufacturer = factory.SubFactory(ManufacturerFactory)
    slug = factory.Sequence(lambda n: f"product-{n}")
    name = factory.Sequence(lambda n: f"Product {n}")


class CatalogVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogVersion

    product_model = factory.SubFactory(ProductModelFactory)
    base_price = Decimal("1000.00")


class ProductionLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionLine

    manufacturer = factory.SubFactory(ManufacturerFactory)
    code = factory.Sequence(lambda n: f"L{n}")
    name = factory.Sequence(lambda n: f"Line {n}")
    plant = "Hefei"
    daily_capacity = 20
    working_days = [1, 2, 3, 4, 5]
    paint_batch_limit = 10
    colour_change_cost = Decimal("500.00")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    line = factory.SubFactory(ProductionLineFactory)
    code = factory.Sequence(lambda n: f"ST{n}")
    name = "Roof module"
    capacity_p = 1
    capacity_q = 2


SMALL_CATALOG = {
    "format": "c2b-catalog/1",
    "manufacturer": {"slug": "maker-a", "name": "Maker A"},
    "product": {"slug": "rover", "name": "Rover", "tagline": "A small test car", "preview": "suv"},
    "version": {"base_price": "100000.00", "notes": "test"},
    "parts": [
        {"number": "P-WHEEL", "name": "Wheel", "unit": "pcs"},
        {"number": "P-PAINT-RED", "name": "Red paint", "unit": "L"},
        {"number": "P-COVER", "name": "Seat cover", "unit": "pcs"},
    ],
    "groups": [
        {
            "code": "PAINT",
            "name": "Paint",
            "section": "Exterior",
            "kind": "one",
            "options": [
                {"code": "WHITE", "label": "White", "price_delta": "0.00", "is_default": True,
                 "paint_colour": "#FFFFFF", "station_codes": ["PAINT"]},
                {"code": "RED", "label": "Red", "price_delta": "3000.00", "paint_colour": "#AA0000",
                 "station_codes": ["PAINT"],
                 "parts": [{"part": "P-PAINT-RED", "quantity": "12.5"}]},
            ],
        },
        {
            "code": "WHEELS",
            "name": "Wheels",
            "section": "Exterior",
            "kind": "one",
            "options": [
                {"code": "W17", "label": "17-inch",
                 "parts": [{"part": "P-WHEEL", "quantity": "4"}]},
                {"code": "W19", "label": "19-inch", "price_delta": "5000.00"},
            ],
        },
        {
            "code": "EXTRAS",
            "name": "Extras",
            "section": "Interior",
            "kind": "several",
            "min_choices": 0,
            "max_choices": 2,
            "options": [
                {"code": "SUNROOF", "label": "Sunroof", "price_delta": "6000.00",
                 "station_codes": ["ROOF"]},
                {"code": "COVERS", "label": "Seat covers", "price_delta": "200.00",
                 "parts": [{"part": "P-COVER", "quantity": "1", "per": "SEAT_COUNT"}]},
                {"code": "TOWBAR", "label": "Tow bar", "price_delta": "2500.00"},
            ],
        },
        {"code": "SEAT_COUNT", "name": "Seats", "kind": "number", "min_value": "2.00",
         "max_value": "7.00", "step": "1.00", "default_value": "5.00", "unit": "seats"},
        {"code": "NICKNAME", "name": "Nickname", "kind": "text", "max_length": 12,
         "allowed_pattern": "[A-Za-z ]+", "blocked_words": ["idiot"],
         "price_per_character": "10.00"},
    ],
    "rules": [
        {"code": "R1", "expression": "SUNROOF -> W19",
         "message": "The sunroof needs 19-inch wheels."},
        {"code": "R2", "expression": "TOWBAR excludes RED", "message": "No red tow cars."},
        {"code": "R3", "expression": "table(PAINT, WHEELS) { (WHITE, *), (RED, W19) }"},
        {"code": "R4", "expression": "SEAT_COUNT >= 6 -> !SUNROOF"},
        {"code": "R5", "expression": "NICKNAME -> RED"},
    ],
    "price_rules": [
        {"code": "BUNDLE", "label": "Sun bundle", "condition": "SUNROOF & W19", "kind": "amount",
         "value": "-1000.00"},
        {"code": "LOYAL", "label": "Loyalty", "condition": "COVERS", "kind": "percent",
         "value": "-5.00"},
    ],
}  # fmt: skip


def catalog_document(*, slug: str = "rover", maker: str = "maker-a") -> dict:
    document = copy.deepcopy(SMALL_CATALOG)
    document["product"]["slug"] = slug
    document["manufacturer"] = {"slug": maker, "name": maker.replace("-", " ").title()}
    return document


def published_catalog(*, slug: str = "rover", maker: str = "maker-a") -> CatalogVersion:
    version = catalog_import(document=catalog_document(slug=slug, maker=maker))
    return version_publish(version=version)
