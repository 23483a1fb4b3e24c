"""Kunlun Forge 16: a configure-to-order laptop."""

from catalog.demo.builder import (
    attach_parts,
    money,
    one,
    option,
    price_rule,
    rules,
    several,
    text,
)

CORE, DISPLAY, BUILD, SOFT = "Performance", "Display and graphics", "Build", "Software and service"

GROUPS = [
    one(
        "CPU",
        "Processor",
        CORE,
        [
            option("CPU_I5", "Intel Core Ultra 5"),
            option("CPU_I7", "Intel Core Ultra 7", 1800),
            option("CPU_I9", "Intel Core Ultra 9", 3800),
            option("CPU_R7", "AMD Ryzen AI 7", 1500),
            option("CPU_R9", "AMD Ryzen AI 9", 3200),
        ],
    ),
    one(
        "MEMORY",
        "Memory",
        CORE,
        [
            option("MEM_16", "16 GB"),
            option("MEM_32", "32 GB", 900),
            option("MEM_64", "64 GB", 2400),
        ],
    ),
    one(
        "STORAGE",
        "Storage",
        CORE,
        [
            option("SSD_512", "512 GB SSD"),
            option("SSD_1T", "1 TB SSD", 600),
            option("SSD_2T", "2 TB SSD", 1500),
            option("SSD_4T", "4 TB SSD", 3600),
        ],
    ),
    one(
        "BATTERY",
        "Battery",
        CORE,
        [
            option("BAT_70", "70 Wh"),
            option("BAT_99", "99 Wh", 500),
        ],
    ),
    one(
        "SCREEN",
        "Screen",
        DISPLAY,
        [
            option("LSCR_FHD", "16-inch 1920×1200, 60 Hz"),
            option("LSCR_QHD165", "16-inch 2560×1600, 165 Hz", 800, station_codes=["HIGH_REFRESH"]),
            option("LSCR_OLED4K", "16-inch 4K OLED", 2200, station_codes=["OLED"]),
        ],
    ),
    one(
        "GPU",
        "Graphics",
        DISPLAY,
        [
            option("GPU_IGPU", "Integrated graphics"),
            option("GPU_4060", "GeForce RTX 4060", 2800, station_codes=["DGPU"]),
            option("GPU_4070", "GeForce RTX 4070", 4800, station_codes=["DGPU"]),
        ],
    ),
    one(
        "CHASSIS",
        "Chassis colour",
        BUILD,
        [
            option(
                "CH_SILVER", "Silver aluminium", paint_colour="#C0C4C8", station_codes=["ANODISE"]
            ),
            option(
                "CH_SPACE",
                "Space grey aluminium",
                0,
                paint_colour="#3A3D42",
                station_codes=["ANODISE"],
            ),
            option(
                "CH_BLUE",
                "Midnight blue painted",
                200,
                paint_colour="#2B4A6F",
                station_codes=["ANODISE"],
            ),
        ],
    ),
    one(
        "KEYBOARD",
        "Keyboard layout",
        BUILD,
        [
            option("KB_CN", "Chinese (Pinyin, US layout)"),
            option("KB_US", "US English"),
            option("KB_UK", "UK English"),
            option("KB_DE", "German"),
            option("KB_JP", "Japanese"),
        ],
    ),
    one(
        "BACKLIGHT",
        "Keyboard backlight",
        BUILD,
        [
            option("BL_WHITE", "White"),
            option("BL_RGB", "Per-key RGB", 200),
        ],
    ),
    several(
        "PORTS",
        "Extra ports",
        BUILD,
        [
            option("PORT_ETHERNET", "2.5 Gb Ethernet", 120),
            option("PORT_SDCARD", "SD Express card reader", 80),
            option("PORT_TB5", "Thunderbolt 5", 300),
        ],
        maximum=2,
    ),
    text(
        "ENGRAVING",
        "Lid engraving",
        BUILD,
        max_length=24,
        pattern=r"[\u4e00-\u9fffA-Za-z0-9 .,'&-]+",
        blocked=["fuck", "shit"],
        per_char=5,
        description="Up to 24 characters, laser-engraved on the lid; 5 yuan a character.",
    ),
    one(
        "OS",
        "Operating system",
        SOFT,
        [
            option("OS_WIN_HOME", "Windows 11 Home"),
            option("OS_WIN_PRO", "Windows 11 Pro", 600),
            option("OS_LINUX", "Ubuntu LTS", -300),
            option("OS_NONE", "No operating system", -800),
        ],
    ),
    one(
        "LAPTOP_WARRANTY",
        "Warranty",
        SOFT,
        [
            option("LW_1Y", "1 year"),
            option("LW_3Y", "3 years", 700),
            option("LW_3Y_ACC", "3 years with accidental damage", 1200),
        ],
    ),
]

RULES = rules(
    "LAP",
    [
        ("GPU_4070 -> BAT_99", "The RTX 4070 needs the 99 Wh battery."),
        ("GPU_4070 -> MEM_32 | MEM_64", "The RTX 4070 is paired with 32 GB or more."),
        ("CPU_I9 | CPU_R9 -> !GPU_IGPU", "The top processors come with discrete graphics."),
        ("LSCR_OLED4K -> !CPU_I5", "The 4K OLED needs a Core Ultra 7, Ryzen AI 7 or above."),
        ("PORT_TB5 -> CPU_I7 | CPU_I9", "Thunderbolt 5 needs an Intel Core Ultra 7 or 9."),
        ("MEM_64 -> !CPU_I5", "64 GB needs a Core Ultra 7, Ryzen AI 7 or above."),
        ("ENGRAVING -> CH_SILVER | CH_SPACE", "Engraving is offered on the aluminium finishes."),
        ("BL_RGB -> GPU_4060 | GPU_4070", "Per-key RGB comes with discrete graphics."),
        ("SSD_4T -> MEM_32 | MEM_64", "4 TB storage comes with 32 GB or more."),
        ("LSCR_QHD165 -> !GPU_IGPU", "The 165 Hz screen comes with discrete graphics."),
        (
            "table(CPU, GPU) { (CPU_I5, GPU_IGPU), (CPU_I5, GPU_4060), (CPU_I7, *), (CPU_I9, *),"
            " (CPU_R7, GPU_IGPU), (CPU_R7, GPU_4060), (CPU_R9, GPU_4060), (CPU_R9, GPU_4070) }",
            "Each processor comes with the graphics it was validated with.",
        ),
        ("OS_NONE -> LW_1Y | LW_3Y", "Accidental damage cover needs a preinstalled system."),
    ],
)

PRICE_RULES = [
    price_rule("CREATOR", "Creator bundle", "LSCR_OLED4K & MEM_64 & SSD_2T", -500),
    price_rule("GAMER", "Gamer bundle", "GPU_4070 & LSCR_QHD165 & BL_RGB", -400),
    price_rule("DEVELOPER", "Developer bundle", "OS_LINUX & MEM_32 & PORT_ETHERNET", -200),
    price_rule("CARE", "Care bundle: 5% off options", "LW_3Y_ACC & OS_WIN_PRO", -5, "percent"),
]


def document() -> dict:
    doc = {
        "format": "c2b-catalog/1",
        "manufacturer": {"slug": "kunlun-computing", "name": "Kunlun Computing"},
        "product": {
            "slug": "forge-16",
            "name": "Kunlun Forge 16",
            "tagline": "A 16-inch laptop configured to order, engraved if you like.",
            "description": "Processor, memory, storage, screen, keyboard layout and an engraved "
            "lid: built to order on our Chongqing line.",
            "preview": "laptop",
        },
        "version": {"base_price": money(6999), "notes": "Launch catalog."},
        "groups": GROUPS,
        "rules": RULES,
        "price_rules": PRICE_RULES,
    }
    attach_parts(doc, "KL", {})
    return doc
