"""The demo world: three makers, their products' published catalogs, production lines and
the demo users. Every step looks before it writes, so seeding twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from catalog.demo import laptop, purifier, suv
from catalog.interchange import catalog_import
from catalog.models import Manufacturer, ManufacturerStaff, ProductionLine, ProductModel, Station
from catalog.services import version_publish

DEMO_PASSWORD = "c2b-demo-2026"
CATALOGS = (suv, purifier, laptop)

MON_FRI, MON_SAT = [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6]

# (maker, line code, name, plant, products, capacity/day, days, paint batch limit,
#  colour-change cost, stations as (code, name, p, q, priority))
LINES = [
    ("aurora-motors", "HF1", "Hefei final assembly 1", "Hefei", ["pathfinder-x7"], 40, MON_FRI,
     15, "800.00", [
         ("ROOF", "Roof module", 2, 3, "high"), ("SEAT_3ROW", "Third-row seating", 1, 2, "high"),
         ("BATTERY", "Hybrid battery marriage", 1, 3, "high"),
         ("HEAVY_ENGINE", "V6 engine drop", 1, 5, "high"), ("AWD", "Transfer case", 2, 3, "low"),
         ("AIR_SUSP", "Air suspension", 1, 4, "low"), ("LIDAR", "Lidar calibration", 2, 5, "high"),
         ("TOW", "Tow bar fitting", 1, 2, "low"), ("PAINT_SPECIAL", "Special paint booth", 1, 4, "high"),
     ]),
    ("aurora-motors", "HF2", "Hefei final assembly 2", "Hefei", ["pathfinder-x7"], 30, MON_SAT,
     10, "950.00", [
         ("ROOF", "Roof module", 1, 2, "high"), ("SEAT_3ROW", "Third-row seating", 1, 3, "high"),
         ("BATTERY", "Hybrid battery marriage", 1, 2, "high"), ("AWD", "Transfer case", 3, 5, "low"),
         ("LIDAR", "Lidar calibration", 1, 3, "high"), ("TOW", "Tow bar fitting", 1, 3, "low"),
     ]),
    ("qingfeng-home", "FS1", "Foshan purifier line", "Foshan", ["airpure-5"], 400, MON_SAT,
     60, "120.00", [
         ("LARGE_FAN", "Large fan housing", 1, 2, "high"),
         ("WATER_TANK", "Humidifier tank", 1, 3, "low"),
     ]),
    ("kunlun-computing", "CQ1", "Chongqing laptop line", "Chongqing", ["forge-16"], 300, MON_FRI,
     80, "60.00", [
         ("DGPU", "Discrete GPU board", 2, 3, "high"), ("OLED", "OLED panel bonding", 1, 3, "high"),
         ("HIGH_REFRESH", "High-refresh panel", 1, 2, "low"),
     ]),
]  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


def seed_catalogs() -> list[str]:
    """Import and publish each demo catalog whose product has none yet."""
    done = []
    for module in CATALOGS:
        document = module.document()
        product = ProductModel.objects.filter(slug=document["product"]["slug"]).first()
        if product is not None and product.published_version() is not None:
            continue
        with transaction.atomic():
            version = catalog_import(document=document)
            version_publish(version=version)
        done.append(document["product"]["slug"])
    return done


def seed_lines() -> None:
    for maker, code, name, plant, products, capacity, days, batch, cost, stations in LINES:
        manufacturer = Manufacturer.objects.get(slug=maker)
        line, created = ProductionLine.objects.get_or_create(
            manufacturer=manufacturer,
            code=code,
            defaults={
                "name": name, "plant": plant, "daily_capacity": capacity, "working_days": days,
                "paint_batch_limit": batch, "colour_change_cost": cost,
            },
        )  # fmt: skip
        if not created:
            continue
        line.product_models.set(ProductModel.objects.filter(slug__in=products))
        Station.objects.bulk_create(
            Station(line=line, code=s, name=n, capacity_p=p, capacity_q=q, priority=prio)
            for s, n, p, q, prio in stations
        )


def seed_users() -> list[DemoLogin]:
    User = get_user_model()
    logins = [DemoLogin("admin", "admin: Django admin, every manufacturer")]
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"email": "admin@c2b.example", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    for manufacturer in Manufacturer.objects.order_by("name"):
        username = f"staff-{manufacturer.slug.split('-')[0]}"
        user = _demo_user(username, f"{username}@{manufacturer.slug}.example")
        ManufacturerStaff.objects.get_or_create(user=user, defaults={"manufacturer": manufacturer})
        logins.append(DemoLogin(username, f"staff of {manufacturer.name}"))
    for username in ("consumer1", "consumer2"):
        _demo_user(username, f"{username}@c2b.example")
        logins.append(DemoLogin(username, "consumer"))
    return logins


def _demo_user(username: str, email: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_demo() -> tuple[list[str], list[DemoLogin]]:
    with transaction.atomic():
        catalogs = seed_catalogs()
        seed_lines()
        logins = seed_users()
    return catalogs, logins
