"""Qingfeng AirPure 5: an air purifier built to order, with regional sensor options (more
high-grade filters where winter air is bad)."""

from catalog.demo.builder import (
    attach_parts,
    money,
    number,
    one,
    option,
    price_rule,
    rules,
    several,
)

CORE, LOOK, SMART, SERV = "Filtration", "Look", "Smart features", "Service"

GROUPS = [
    one(
        "FILTER",
        "Filter grade",
        CORE,
        [
            option("FLT_H11", "HEPA H11"),
            option("FLT_H13", "HEPA H13", 300),
            option("FLT_H14", "HEPA H14, medical grade", 600),
            option("FLT_CARBON_H13", "H13 with activated carbon for formaldehyde", 500),
        ],
    ),
    one(
        "ROOM",
        "Room size",
        CORE,
        [
            option("ROOM_20", "Up to 20 m²"),
            option("ROOM_40", "Up to 40 m²", 400, station_codes=["LARGE_FAN"]),
            option("ROOM_80", "Up to 80 m²", 1000, station_codes=["LARGE_FAN"]),
        ],
    ),
    one(
        "REGION_PACK",
        "Regional pack",
        CORE,
        [
            option("REG_STANDARD", "Standard"),
            option("REG_NORTH_WINTER", "Northern winter: pre-filter and heavy-smog mode", 200),
            option("REG_SOUTH_HUMID", "Southern humidity: anti-mould coating", 180),
            option("REG_COASTAL", "Coastal: salt-resistant fan", 120),
        ],
    ),
    one(
        "HUMIDIFY",
        "Humidifier",
        CORE,
        [
            option("HUM_NONE", "None"),
            option("HUM_STD", "Evaporative humidifier, 3 L", 400, station_codes=["WATER_TANK"]),
        ],
    ),
    one(
        "COLOUR",
        "Colour",
        LOOK,
        [
            option("COL_WHITE", "Snow white", paint_colour="#F2F2F2", station_codes=["PAINT"]),
            option("COL_GREY", "Slate grey", 0, paint_colour="#8A8F95", station_codes=["PAINT"]),
            option("COL_SAGE", "Sage green", 80, paint_colour="#9CAF88", station_codes=["PAINT"]),
            option("COL_BLUSH", "Blush pink", 80, paint_colour="#E8C4C0", station_codes=["PAINT"]),
        ],
    ),
    one(
        "NOISE",
        "Night mode",
        LOOK,
        [
            option("NOISE_STD", "Standard, 32 dB"),
            option("NOISE_SLEEP", "Whisper, 22 dB", 150),
        ],
    ),
    one(
        "SMART",
        "Smart module",
        SMART,
        [
            option("SMART_NONE", "None"),
            option("SMART_WIFI", "Wi-Fi and app", 150),
            option("SMART_MATTER", "Matter and app", 220),
        ],
    ),
    several(
        "SENSORS",
        "Sensors",
        SMART,
        [
            option("SNS_PM25", "PM2.5 laser sensor", 60),
            option("SNS_CO2", "CO₂ sensor", 180),
            option("SNS_HCHO", "Formaldehyde sensor", 220),
            option("SNS_VOC", "VOC sensor", 120),
        ],
        minimum=1,
        maximum=4,
    ),
    number(
        "SPARE_FILTERS", "Spare filters", SERV, low=0, high=6, step=1, default=0, unit="filters"
    ),
    one(
        "WARRANTY",
        "Warranty",
        SERV,
        [
            option("PW_2Y", "2 years"),
            option("PW_5Y", "5 years", 199),
        ],
    ),
]

RULES = rules(
    "AIR",
    [
        (
            "ROOM_80 -> FLT_H13 | FLT_H14 | FLT_CARBON_H13",
            "Large rooms need an H13 filter or better.",
        ),
        ("SNS_HCHO -> FLT_CARBON_H13", "The formaldehyde sensor works with the carbon filter."),
        (
            "SMART_NONE -> !SNS_CO2 & !SNS_HCHO & !SNS_VOC",
            "Extra sensors report through a smart module.",
        ),
        (
            "REG_NORTH_WINTER -> FLT_H13 | FLT_H14 | FLT_CARBON_H13",
            "The heavy-smog mode needs an H13 filter or better.",
        ),
        ("REG_SOUTH_HUMID excludes HUM_STD", "Humid regions do not need the humidifier."),
        ("HUM_STD -> ROOM_40 | ROOM_80", "The humidifier fits the larger housings."),
        ("NOISE_SLEEP -> !ROOM_80", "The whisper fan is for rooms up to 40 m²."),
        ("SMART_MATTER -> SNS_PM25", "Matter reports the PM2.5 reading."),
        (
            "FLT_H14 -> SMART_WIFI | SMART_MATTER",
            "The medical-grade filter reports its life through the app.",
        ),
        ("COL_BLUSH -> !ROOM_80", "Blush pink comes in the smaller housings."),
        ("REG_COASTAL -> !HUM_STD", "The coastal fan is not combined with the humidifier."),
        (
            "SPARE_FILTERS >= 4 -> PW_5Y",
            "Four or more spare filters come with the 5-year warranty.",
        ),
    ],
)

PRICE_RULES = [
    price_rule("HEALTHY_HOME", "Healthy home bundle", "SNS_HCHO & FLT_CARBON_H13", -100),
    price_rule("SMART_SENSE", "Smart sensing bundle", "SMART_MATTER & SNS_CO2 & SNS_VOC", -80),
    price_rule(
        "NORTH_WINTER_OFFER",
        "Northern winter offer",
        "REG_NORTH_WINTER & (FLT_H14 | FLT_CARBON_H13)",
        -120,
    ),
    price_rule(
        "FILTER_PLAN", "Spare filter plan: 10% off options", "SPARE_FILTERS >= 3", -10, "percent"
    ),
]


def document() -> dict:
    doc = {
        "format": "c2b-catalog/1",
        "manufacturer": {"slug": "qingfeng-home", "name": "Qingfeng Home Appliances"},
        "product": {
            "slug": "airpure-5",
            "name": "Qingfeng AirPure 5",
            "tagline": "Clean air sized for your room and your city's winter.",
            "description": "An air purifier assembled to order: filter grade, room size, sensors "
            "and a regional pack for the air where you live.",
            "preview": "purifier",
        },
        "version": {"base_price": money(1999), "notes": "Launch catalog."},
        "groups": GROUPS,
        "rules": RULES,
        "price_rules": PRICE_RULES,
    }
    attach_parts(doc, "QF", {code: _filter_lines(grade) for code, grade in FILTER_PARTS.items()})
    return doc


FILTER_PARTS = {"FLT_H11": "H11", "FLT_H13": "H13", "FLT_H14": "H14", "FLT_CARBON_H13": "C13"}


def _filter_lines(grade: str) -> list[dict]:
    """The fitted filter, plus one boxed spare per unit of SPARE_FILTERS."""
    return [
        {"part": f"QF-FILTER-{grade}", "quantity": "1", "name": f"Filter cartridge {grade}"},
        {"part": f"QF-SPARE-{grade}", "quantity": "1", "per": "SPARE_FILTERS",
         "name": f"Boxed spare filter {grade}"},
    ]  # fmt: skip
