"""Aurora Pathfinder X7: a custom SUV modelled on real C2B car campaigns (dozens of option
categories, thousands of price points, an assistant that calls its owner by a chosen name)."""

from catalog.demo.builder import (
    attach_parts,
    money,
    number,
    one,
    option,
    price_rule,
    rules,
    several,
    text,
)

PT, EXT, INT, TECH, SAFE, SERV, PERS = (
    "Powertrain", "Exterior", "Interior", "Technology", "Safety & assistance", "Services",
    "Personal touches",
)  # fmt: skip


def _paint(code, label, price, colour, special=False):
    stations = ["PAINT", "PAINT_SPECIAL"] if special else ["PAINT"]
    extra = {"paint_colour": colour, "station_codes": stations}
    if special:
        extra["minimum_per_batch"] = 20
    return option(code, label, price, **extra)


GROUPS = [
    # --- powertrain -----------------------------------------------------------------
    one(
        "TRIM",
        "Trim level",
        PT,
        [
            option("TRIM_PIONEER", "Pioneer"),
            option("TRIM_EXPLORER", "Explorer", 18000),
            option("TRIM_SUMMIT", "Summit", 42000),
            option("TRIM_SPORT", "Sport", 36000),
            option("TRIM_TRAIL", "Trail", 30000),
        ],
    ),
    one(
        "ENGINE",
        "Engine",
        PT,
        [
            option("ENG_15T", "1.5T, 135 kW"),
            option("ENG_20T", "2.0T, 175 kW", 12000),
            option("ENG_20T_HP", "2.0T high output, 215 kW", 22000),
            option(
                "ENG_PHEV", "1.5T plug-in hybrid, 100 km electric", 35000, station_codes=["BATTERY"]
            ),
            option("ENG_30T_V6", "3.0T V6, 265 kW", 58000, station_codes=["HEAVY_ENGINE"]),
        ],
    ),
    one(
        "GEARBOX",
        "Gearbox",
        PT,
        [
            option("GB_7DCT", "7-speed dual clutch"),
            option("GB_6MT", "6-speed manual", -6000),
            option("GB_8AT", "8-speed automatic", 6000),
            option("GB_DHT", "Dedicated hybrid transmission"),
        ],
    ),
    one(
        "DRIVE",
        "Drive",
        PT,
        [
            option("DRV_FWD", "Front-wheel drive"),
            option("DRV_AWD", "Intelligent all-wheel drive", 15000, station_codes=["AWD"]),
            option("DRV_4WD_LOW", "Four-wheel drive with low range", 24000, station_codes=["AWD"]),
        ],
    ),
    one(
        "SUSPENSION",
        "Suspension",
        PT,
        [
            option("SUSP_STD", "Comfort suspension"),
            option("SUSP_SPORT", "Sport suspension", 6000),
            option("SUSP_AIR", "Adaptive air suspension", 16000, station_codes=["AIR_SUSP"]),
            option("SUSP_OFFROAD", "Raised off-road suspension", 9000),
        ],
    ),
    one(
        "EXHAUST",
        "Exhaust",
        PT,
        [
            option("EXH_STD", "Standard exhaust"),
            option("EXH_SPORT", "Active sport exhaust", 4500),
        ],
    ),
    one(
        "BRAKES",
        "Brakes",
        PT,
        [
            option("BRK_STD", "Standard brakes"),
            option("BRK_PERF", "Performance brakes, 6-piston", 8800),
        ],
    ),
    one(
        "CHARGER",
        "Home charger",
        PT,
        [
            option("CHG_NONE", "No wallbox"),
            option("CHG_7KW", "7 kW wallbox with installation", 4000),
            option("CHG_11KW", "11 kW wallbox with installation", 7500),
        ],
    ),
    several(
        "DRIVE_MODES",
        "Extra drive modes",
        PT,
        [
            option("DM_SNOW", "Snow", 600),
            option("DM_SAND", "Sand", 800),
            option("DM_ROCK", "Rock crawl", 1500),
            option("DM_TRACK", "Track", 2000),
        ],
        maximum=3,
    ),
    one(
        "TOWBAR",
        "Tow bar",
        PT,
        [
            option("TOW_NONE", "No tow bar"),
            option("TOW_DETACH", "Detachable tow bar, 2,000 kg", 3800, station_codes=["TOW"]),
            option("TOW_FIXED", "Fixed tow bar, 3,000 kg", 2600, station_codes=["TOW"]),
        ],
    ),
    # --- exterior ---------------------------------------------------------------------
    one(
        "PAINT",
        "Paint",
        EXT,
        [
            _paint("PAINT_ARCTIC_WHITE", "Arctic white", 0, "#F4F5F0"),
            _paint("PAINT_OBSIDIAN", "Obsidian black", 3000, "#111317"),
            _paint("PAINT_GRAPHITE", "Graphite grey", 3000, "#4A4F55"),
            _paint("PAINT_SILVER", "Moonlight silver", 3000, "#B8BCC2"),
            _paint("PAINT_OCEAN", "Ocean blue", 3000, "#1F4E79"),
            _paint("PAINT_JADE", "Jade green", 5000, "#3D7A68"),
            _paint("PAINT_SUNSET", "Sunset orange", 5000, "#D9602B"),
            _paint("PAINT_CRIMSON", "Crimson red", 5000, "#9E1B32"),
            _paint("PAINT_DESERT", "Desert sand", 5000, "#C9A66B"),
            _paint("PAINT_FOREST", "Forest green", 5000, "#2F4F3A"),
            _paint("PAINT_AURORA_PURPLE", "Aurora purple", 5000, "#5B3A78"),
            _paint("PAINT_CHAMPAGNE", "Champagne gold", 5000, "#C8B68E"),
            _paint("PAINT_PEARL", "Pearl white", 9000, "#EDE6DA", special=True),
            _paint("PAINT_MATTE_GREY", "Matte titanium grey", 12000, "#6B6E70", special=True),
        ],
    ),
    one(
        "ROOF_COLOUR",
        "Roof colour",
        EXT,
        [
            option("ROOFC_BODY", "Body colour"),
            option("ROOFC_BLACK", "Contrast black", 2500, paint_colour="#111317"),
            option("ROOFC_WHITE", "Contrast white", 2500, paint_colour="#F4F5F0"),
        ],
    ),
    one(
        "WHEELS",
        "Wheels",
        EXT,
        [
            option("WHL_17_STEEL", "17-inch steel"),
            option("WHL_18_ALLOY", "18-inch alloy", 4000),
            option("WHL_19_ALLOY", "19-inch alloy", 7000),
            option("WHL_20_SPORT", "20-inch sport alloy", 11000),
            option("WHL_21_FORGED", "21-inch forged", 18000),
            option("WHL_18_AT", "18-inch all-terrain alloy", 6000),
            option("WHL_19_BLACK", "19-inch gloss black alloy", 8000),
        ],
    ),
    one(
        "WHEEL_LOCKS",
        "Wheel locks",
        EXT,
        [
            option("WLOCK_NONE", "None"),
            option("WLOCK_STD", "Locking wheel nuts", 300),
        ],
    ),
    one(
        "TYRES",
        "Tyres",
        EXT,
        [
            option("TYRE_ALLSEASON", "All-season"),
            option("TYRE_SUMMER", "Summer performance", 1200),
            option("TYRE_WINTER", "Winter", 2400),
            option("TYRE_AT", "All-terrain", 3000),
            option("TYRE_RUNFLAT", "Run-flat", 3600),
        ],
    ),
    one(
        "CALIPERS",
        "Brake caliper colour",
        EXT,
        [
            option("CAL_STD", "Silver"),
            option("CAL_RED", "Red", 1500),
            option("CAL_YELLOW", "Yellow", 1500),
            option("CAL_BLUE", "Blue", 1500),
        ],
    ),
    one(
        "HEADLIGHTS",
        "Headlights",
        EXT,
        [
            option("HL_LED", "LED"),
            option("HL_MATRIX", "Matrix LED", 6000),
            option("HL_LASER", "Laser high beam", 14000),
        ],
    ),
    one(
        "TAILLIGHTS",
        "Tail lights",
        EXT,
        [
            option("TL_STD", "LED tail lights"),
            option("TL_SMOKED", "Smoked LED", 1200),
            option("TL_OLED", "OLED animated", 4800),
        ],
    ),
    one(
        "FOGLAMPS",
        "Fog lamps",
        EXT,
        [
            option("FOG_NONE", "None"),
            option("FOG_LED", "LED fog lamps", 900),
        ],
    ),
    one(
        "ROOF",
        "Roof",
        EXT,
        [
            option("ROOF_SOLID", "Solid roof"),
            option("ROOF_SUNROOF", "Electric sunroof", 6000, station_codes=["ROOF"]),
            option("ROOF_PANO", "Panoramic glass roof", 12000, station_codes=["ROOF"]),
        ],
    ),
    one(
        "ROOF_RAILS",
        "Roof rails",
        EXT,
        [
            option("RAIL_NONE", "None"),
            option("RAIL_SILVER", "Silver rails", 1500),
            option("RAIL_BLACK", "Black rails", 1500),
            option("RAIL_PLATFORM", "Expedition roof platform", 4200),
        ],
    ),
    one(
        "SIDE_STEPS",
        "Side steps",
        EXT,
        [
            option("STEP_NONE", "None"),
            option("STEP_FIXED", "Fixed side steps", 2200),
            option("STEP_POWER", "Powered deployable steps", 6800),
        ],
    ),
    one(
        "MIRRORS",
        "Mirror caps",
        EXT,
        [
            option("MIR_BODY", "Body colour"),
            option("MIR_BLACK", "Gloss black", 800),
            option("MIR_CARBON", "Carbon fibre", 3200),
        ],
    ),
    one(
        "GRILLE",
        "Grille",
        EXT,
        [
            option("GRL_CHROME", "Chrome"),
            option("GRL_BLACK", "Black", 1000),
            option("GRL_ILLUMINATED", "Illuminated", 3500),
        ],
    ),
    one(
        "TINT",
        "Window tint",
        EXT,
        [
            option("TINT_NONE", "Clear"),
            option("TINT_PRIVACY", "Rear privacy glass", 1800),
            option("TINT_HEAT", "Heat-reflecting film, all round", 3000),
        ],
    ),
    one(
        "BODY_KIT",
        "Body kit",
        EXT,
        [
            option("KIT_NONE", "None"),
            option("KIT_SPORT", "Sport aero kit", 9000),
            option("KIT_ADVENTURE", "Adventure cladding", 7500),
        ],
    ),
    one(
        "MUD_FLAPS",
        "Mud flaps",
        EXT,
        [
            option("MUD_NONE", "None"),
            option("MUD_SET", "Mud flaps, front and rear", 600),
        ],
    ),
    one(
        "BADGES",
        "Badges",
        EXT,
        [
            option("BADGE_CHROME", "Chrome badges"),
            option("BADGE_BLACK", "Black badges", 500),
            option("BADGE_DELETE", "No badges"),
        ],
    ),
    one(
        "UNDERBODY",
        "Underbody protection",
        EXT,
        [
            option("UB_NONE", "None"),
            option("UB_SKID", "Steel skid plates", 3200),
        ],
    ),
    one(
        "SPARE",
        "Spare wheel",
        EXT,
        [
            option("SPARE_KIT", "Tyre repair kit"),
            option("SPARE_COMPACT", "Compact spare", 800),
            option("SPARE_FULL", "Full-size spare", 1600),
        ],
    ),
    # --- interior ---------------------------------------------------------------------
    one(
        "SEATS",
        "Seats",
        INT,
        [
            option("SEATS_5", "5 seats"),
            option("SEATS_7", "7 seats", 12000, station_codes=["SEAT_3ROW"]),
        ],
    ),
    one(
        "SEAT_MATERIAL",
        "Seat material",
        INT,
        [
            option("MAT_FABRIC", "Fabric"),
            option("MAT_LEATHERETTE", "Leatherette", 4000),
            option("MAT_NAPPA", "Nappa leather", 15000),
            option("MAT_ALCANTARA", "Alcantara and leather", 9000),
        ],
    ),
    one(
        "INTERIOR_COLOUR",
        "Interior colour",
        INT,
        [
            option("INT_BLACK", "Black"),
            option("INT_GREY", "Stone grey"),
            option("INT_TAN", "Saddle tan", 2000),
            option("INT_RED", "Racing red", 3000),
            option("INT_WHITE", "Ivory white", 3000),
            option("INT_NAVY", "Navy blue", 2000),
        ],
    ),
    one(
        "SEAT_ADJUST",
        "Front seat adjustment",
        INT,
        [
            option("SADJ_MANUAL", "Manual, 6-way"),
            option("SADJ_POWER", "Power, 8-way", 2500),
            option("SADJ_MEMORY", "Power, 12-way with memory", 4200),
        ],
    ),
    one(
        "PEDALS",
        "Pedals",
        INT,
        [
            option("PED_STD", "Rubber pedals"),
            option("PED_ALU", "Aluminium pedals", 600),
        ],
    ),
    one(
        "DOOR_SILLS",
        "Door sill plates",
        INT,
        [
            option("SILL_PLASTIC", "Plastic"),
            option("SILL_STAINLESS", "Brushed stainless steel", 900),
            option("SILL_LIT", "Illuminated stainless steel", 1800),
        ],
    ),
    one(
        "FRAGRANCE",
        "Cabin fragrance",
        INT,
        [
            option("FRAG_NONE", "None"),
            option("FRAG_TEA", "Longjing tea", 600),
            option("FRAG_SANDALWOOD", "Sandalwood", 600),
            option("FRAG_CITRUS", "Citrus", 600),
        ],
    ),
    one(
        "FRIDGE",
        "Console fridge",
        INT,
        [
            option("FRIDGE_NONE", "None"),
            option("FRIDGE_6L", "6 L cooling and heating box", 2600),
        ],
    ),
    one(
        "GLASS",
        "Side glass",
        INT,
        [
            option("GLASS_STD", "Standard glass"),
            option("GLASS_ACOUSTIC", "Acoustic laminated glass", 2400),
        ],
    ),
    one(
        "SEAT_HEATING",
        "Seat heating",
        INT,
        [
            option("HEAT_NONE", "None"),
            option("HEAT_FRONT", "Front seats", 2000),
            option("HEAT_ALL", "Front and rear seats", 3800),
        ],
    ),
    one(
        "SEAT_VENT",
        "Seat ventilation",
        INT,
        [
            option("VENT_NONE", "None"),
            option("VENT_FRONT", "Ventilated front seats", 3000),
        ],
    ),
    one(
        "MASSAGE",
        "Massage seats",
        INT,
        [
            option("MASS_NONE", "None"),
            option("MASS_FRONT", "Massage front seats", 6000),
        ],
    ),
    one(
        "STEERING",
        "Steering wheel",
        INT,
        [
            option("STW_URETHANE", "Urethane"),
            option("STW_LEATHER", "Leather", 1200),
            option("STW_HEATED", "Heated leather", 2200),
            option("STW_SPORT", "Flat-bottom sport", 3000),
        ],
    ),
    one(
        "DASH_TRIM",
        "Dashboard trim",
        INT,
        [
            option("DASH_PIANO", "Piano black"),
            option("DASH_WOOD", "Open-pore walnut", 3500),
            option("DASH_CARBON", "Carbon fibre", 6000),
            option("DASH_ALU", "Brushed aluminium", 2500),
            option("DASH_GRAPHITE", "Graphite weave", 2800, minimum_per_batch=15),
        ],
    ),
    one(
        "AMBIENT",
        "Ambient lighting",
        INT,
        [
            option("AMB_NONE", "None"),
            option("AMB_8", "8 colours", 800),
            option("AMB_64", "64 colours, music-synced", 2400),
        ],
    ),
    one(
        "FLOOR_MATS",
        "Floor mats",
        INT,
        [
            option("MATS_STD", "Carpet mats"),
            option("MATS_PREMIUM", "Premium deep-pile mats", 900),
            option("MATS_ALLWEATHER", "All-weather rubber mats", 700),
        ],
    ),
    one(
        "HEADLINER",
        "Headliner",
        INT,
        [
            option("HLN_GREY", "Grey"),
            option("HLN_BLACK", "Black", 1500),
            option("HLN_ALCANTARA", "Black Alcantara", 5500),
        ],
    ),
    one(
        "THIRD_ROW",
        "Third row",
        INT,
        [
            option("ROW3_NONE", "No third row"),
            option("ROW3_STD", "Fold-flat third row"),
            option("ROW3_COMFORT", "Powered third row with vents", 3500),
        ],
    ),
    one(
        "SUNSHADES",
        "Sunshades",
        INT,
        [
            option("SHADE_NONE", "None"),
            option("SHADE_REAR", "Rear door sunshades", 1100),
        ],
    ),
    several(
        "CARGO",
        "Cargo organisers",
        INT,
        [
            option("CARGO_NET", "Cargo net", 300),
            option("CARGO_TRAY", "Boot tray", 500),
            option("CARGO_DIVIDER", "Dog guard divider", 1200),
            option("CARGO_RAILS", "Sliding cargo rails", 900),
            option("CARGO_HOOKS", "Bag hooks", 150),
            option("CARGO_COOLER", "Soft cooler bag", 400),
        ],
        maximum=3,
    ),
    one(
        "CABIN_AIR",
        "Cabin air",
        INT,
        [
            option("CAIR_STD", "Pollen filter"),
            option("CAIR_PM25", "PM2.5 filter with display", 1500),
            option("CAIR_NEGION", "PM2.5 filter and ioniser", 2800),
        ],
    ),
    one(
        "CLIMATE",
        "Climate control",
        INT,
        [
            option("CLIM_DUAL", "Dual zone"),
            option("CLIM_TRI", "Three zone", 3500),
            option("CLIM_QUAD", "Four zone", 5500),
        ],
    ),
    # --- technology -------------------------------------------------------------------
    one(
        "SCREEN",
        "Centre screen",
        TECH,
        [
            option("SCR_10", "10.25-inch"),
            option("SCR_12", "12.3-inch", 3000),
            option("SCR_15", "15.6-inch 2.5K", 6500),
        ],
    ),
    one(
        "CLUSTER",
        "Instrument cluster",
        TECH,
        [
            option("CLU_7", "7-inch with dials"),
            option("CLU_10", "10.25-inch digital", 2000),
            option("CLU_12", "12.3-inch digital", 3500),
        ],
    ),
    one(
        "HUD",
        "Head-up display",
        TECH,
        [
            option("HUD_NONE", "None"),
            option("HUD_STD", "Head-up display", 3500),
            option("HUD_AR", "Augmented-reality head-up display", 8500),
        ],
    ),
    one(
        "AUDIO",
        "Audio",
        TECH,
        [
            option("AUD_6", "6 speakers"),
            option("AUD_10", "10 speakers", 3500),
            option("AUD_16", "16-speaker premium surround", 9800),
        ],
    ),
    one(
        "CONNECT",
        "Connectivity",
        TECH,
        [
            option("CON_4G", "4G"),
            option("CON_5G", "5G with V2X", 2200),
        ],
    ),
    one(
        "WIRELESS_CHARGE",
        "Wireless phone charging",
        TECH,
        [
            option("WCH_NONE", "None"),
            option("WCH_FRONT", "One pad, 15 W", 900),
            option("WCH_DUAL", "Two pads, 50 W cooled", 1600),
        ],
    ),
    one(
        "VOICE_LANG",
        "Voice assistant language",
        TECH,
        [
            option("VL_MANDARIN", "Mandarin"),
            option("VL_CANTONESE", "Cantonese"),
            option("VL_SICHUANESE", "Sichuanese"),
            option("VL_ENGLISH", "English"),
        ],
    ),
    text(
        "VOICE_NAME",
        "What the voice assistant calls you",
        TECH,
        max_length=12,
        pattern=r"[\u4e00-\u9fffA-Za-z ·]+",
        blocked=["admin", "root", "笨蛋", "idiot"],
        description="Leave empty to be called by your account name.",
    ),
    several(
        "PHONE_LINK",
        "Phone projection",
        TECH,
        [
            option("PL_CARPLAY", "Apple CarPlay", 0),
            option("PL_CARLIFE", "Baidu CarLife", 0),
            option("PL_HICAR", "Huawei HiCar", 0),
        ],
        maximum=3,
    ),
    several(
        "SOFTWARE",
        "Software features",
        TECH,
        [
            option("SW_BOOST", "Performance boost, +20 kW", 6000),
            option("SW_KARAOKE", "In-car karaoke", 500),
            option("SW_GAMES", "Game pack for the centre screen", 300),
        ],
        maximum=3,
    ),
    one(
        "REAR_ENT",
        "Rear entertainment",
        TECH,
        [
            option("RENT_NONE", "None"),
            option("RENT_SCREENS", "Two 11.6-inch rear screens", 8000),
        ],
    ),
    one(
        "DASHCAM",
        "Dash camera",
        TECH,
        [
            option("CAM_NONE", "None"),
            option("CAM_FRONT", "Front camera", 1200),
            option("CAM_FRONT_REAR", "Front and rear cameras", 2000),
        ],
    ),
    one(
        "POWER_PACK",
        "Power sockets",
        TECH,
        [
            option("PWR_STD", "USB-C sockets"),
            option("PWR_220V", "USB-C and 220 V socket", 1500),
        ],
    ),
    one(
        "KEY",
        "Key",
        TECH,
        [
            option("KEY_STD", "Smart key fob"),
            option("KEY_DIGITAL", "Phone key", 800),
            option("KEY_WEARABLE", "Phone and wearable key", 1500),
        ],
    ),
    # --- safety -------------------------------------------------------------------------
    one(
        "ADAS",
        "Driver assistance",
        SAFE,
        [
            option("ADAS_BASIC", "Emergency braking and lane keeping"),
            option("ADAS_L2", "Adaptive cruise with lane centring", 6000),
            option("ADAS_HIGHWAY", "Highway navigate-on-autopilot", 15000, station_codes=["LIDAR"]),
            option(
                "ADAS_CITY", "City navigate-on-autopilot with lidar", 28000, station_codes=["LIDAR"]
            ),
        ],
    ),
    one(
        "PARKING",
        "Parking assistance",
        SAFE,
        [
            option("PARK_REAR", "Rear sensors and camera"),
            option("PARK_360", "360-degree cameras", 4500),
            option("PARK_AUTO", "Automated parking", 8500),
        ],
    ),
    one(
        "BLIND_SPOT",
        "Blind-spot monitoring",
        SAFE,
        [
            option("BSM_NONE", "None"),
            option("BSM_STD", "Blind-spot and rear cross-traffic alert", 2500),
        ],
    ),
    one(
        "NIGHT_VISION",
        "Night vision",
        SAFE,
        [
            option("NV_NONE", "None"),
            option("NV_STD", "Infrared night vision", 9000),
        ],
    ),
    one(
        "AIRBAGS",
        "Airbags",
        SAFE,
        [
            option("AIR_6", "6 airbags"),
            option("AIR_8", "8 airbags with knee airbags", 2200),
            option("AIR_10", "10 airbags with rear side airbags", 3800),
        ],
    ),
    one(
        "TRAILER_ASSIST",
        "Trailer assistance",
        SAFE,
        [
            option("TRA_NONE", "None"),
            option("TRA_REVERSE", "Trailer reverse assist", 1800),
        ],
    ),
    one(
        "ALARM",
        "Alarm",
        SAFE,
        [
            option("ALM_STD", "Factory alarm"),
            option("ALM_TRACKER", "Alarm with GPS tracker", 1800),
        ],
    ),
    # --- services -----------------------------------------------------------------------
    one(
        "WARRANTY",
        "Warranty",
        SERV,
        [
            option("WAR_3Y", "3 years / 100,000 km"),
            option("WAR_5Y", "5 years / 150,000 km", 4000),
            option("WAR_8Y", "8 years / 200,000 km", 9000),
        ],
    ),
    one(
        "INSURANCE",
        "Insurance plan",
        SERV,
        [
            option("INS_NONE", "Arrange my own"),
            option("INS_BASIC", "Compulsory and third party", 3800),
            option("INS_COMPREHENSIVE", "Comprehensive", 7600),
            option("INS_PREMIUM", "Comprehensive with replacement car", 11200),
        ],
    ),
    one(
        "MAINTENANCE",
        "Maintenance plan",
        SERV,
        [
            option("MNT_NONE", "Pay as you go"),
            option("MNT_2Y", "2 years of servicing", 2400),
            option("MNT_5Y", "5 years of servicing", 5200),
        ],
    ),
    number(
        "LOAN_TERM",
        "Loan term",
        SERV,
        low=0,
        high=60,
        step=12,
        default=0,
        unit="months",
        description="0 pays in full.",
    ),
    one(
        "DELIVERY",
        "Delivery",
        SERV,
        [
            option("DEL_DEALER", "Collect from a delivery centre"),
            option("DEL_HOME", "Delivered to your door", 800),
        ],
    ),
    one(
        "PLATE",
        "Licence plate",
        SERV,
        [
            option("PLATE_SELF", "I register the car myself"),
            option("PLATE_SERVICE", "Registration service", 600),
        ],
    ),
    # --- personal -----------------------------------------------------------------------
    text(
        "SILL_ENGRAVING",
        "Door-sill engraving",
        PERS,
        max_length=16,
        pattern=r"[A-Za-z0-9 ]+",
        blocked=["fuck", "shit"],
        per_char=20,
        description="Up to 16 letters, digits and spaces, laser-engraved on the front sills.",
    ),
    number("CHILD_SEATS", "Child seats", PERS, low=0, high=3, step=1, default=0, unit="seats"),
    several(
        "ACCESSORIES",
        "Accessories",
        PERS,
        [
            option("ACC_ROOFBOX", "Roof box, 450 L", 3200),
            option("ACC_BIKE", "Bike carrier", 1800),
            option("ACC_CHILDSEAT", "ISOFIX child seat installation"),
            option("ACC_PET", "Pet travel kit", 900),
            option("ACC_AWNING", "Side awning", 4500),
            option("ACC_TENT", "Rooftop tent", 9800),
        ],
        maximum=4,
    ),
]

RULES = rules(
    "SUV",
    [
        (
            "table(ENGINE, GEARBOX) { (ENG_15T, GB_6MT), (ENG_15T, GB_7DCT), (ENG_20T, GB_7DCT),"
            " (ENG_20T, GB_8AT), (ENG_20T_HP, GB_8AT), (ENG_PHEV, GB_DHT), (ENG_30T_V6, GB_8AT) }",
            "Each engine comes with the gearboxes it is tuned for.",
        ),
        (
            "table(ENGINE, DRIVE) { (ENG_15T, DRV_FWD), (ENG_15T, DRV_AWD), (ENG_20T, *),"
            " (ENG_20T_HP, DRV_AWD), (ENG_20T_HP, DRV_4WD_LOW), (ENG_PHEV, DRV_FWD),"
            " (ENG_PHEV, DRV_AWD), (ENG_30T_V6, DRV_AWD), (ENG_30T_V6, DRV_4WD_LOW) }",
            "Each engine comes with the drive systems it is matched to.",
        ),
        ("GB_6MT -> DRV_FWD", "The manual gearbox is front-wheel drive only."),
        ("CHG_7KW | CHG_11KW -> ENG_PHEV", "A wallbox is offered with the plug-in hybrid."),
        (
            "ENG_PHEV excludes TOW_FIXED",
            "The plug-in hybrid is rated for the detachable tow bar only.",
        ),
        (
            "DRV_4WD_LOW -> SUSP_OFFROAD | SUSP_AIR",
            "Low-range 4WD needs off-road or air suspension.",
        ),
        ("SUSP_OFFROAD -> DRV_4WD_LOW | DRV_AWD", "Off-road suspension needs all-wheel drive."),
        ("DM_ROCK -> DRV_4WD_LOW", "Rock crawl mode needs low-range 4WD."),
        ("DM_SAND -> DRV_AWD | DRV_4WD_LOW", "Sand mode needs all-wheel drive."),
        ("DM_TRACK -> TRIM_SPORT", "Track mode is a Sport feature."),
        (
            "DM_SNOW -> TYRE_WINTER | TYRE_ALLSEASON | TYRE_AT",
            "Snow mode is calibrated for winter, all-season or all-terrain tyres.",
        ),
        ("EXH_SPORT -> ENG_20T_HP | ENG_30T_V6", "The sport exhaust fits the high-output engines."),
        (
            "BRK_PERF -> ENG_20T_HP | ENG_30T_V6",
            "Performance brakes come with the high-output engines.",
        ),
        ("ENG_30T_V6 -> BRK_PERF", "The V6 always has performance brakes."),
        ("TOW_FIXED | TOW_DETACH -> !ENG_15T", "Towing needs the 2.0T engine or above."),
        ("TOW_FIXED -> DRV_4WD_LOW | DRV_AWD", "The 3,000 kg tow bar needs all-wheel drive."),
        (
            "SUSP_SPORT -> TRIM_SPORT | TRIM_SUMMIT",
            "Sport suspension is offered on Sport and Summit.",
        ),
        ("SUSP_AIR -> TRIM_SUMMIT | TRIM_TRAIL", "Air suspension is offered on Summit and Trail."),
        ("TRIM_TRAIL -> DRV_4WD_LOW | DRV_AWD", "Trail is all-wheel drive."),
        ("TRIM_TRAIL -> UB_SKID", "Trail comes with skid plates."),
        ("TRIM_SPORT -> !ENG_15T", "Sport starts at the 2.0T engine."),
        ("TRIM_SPORT -> !SUSP_OFFROAD", "Sport is not offered with off-road suspension."),
        ("TRIM_SUMMIT -> !ENG_15T", "Summit starts at the 2.0T engine."),
        (
            "TRIM_PIONEER -> !ENG_30T_V6 & !ENG_20T_HP",
            "Pioneer is offered with the 1.5T, 2.0T and hybrid engines.",
        ),
        ("TRIM_PIONEER -> WHL_17_STEEL | WHL_18_ALLOY", "Pioneer has 17- or 18-inch wheels."),
        ("UB_SKID -> !DRV_FWD", "Skid plates are for all-wheel-drive cars."),
        (
            "table(WHEELS, TYRES) { (WHL_17_STEEL, TYRE_ALLSEASON), (WHL_17_STEEL, TYRE_WINTER),"
            " (WHL_18_ALLOY, TYRE_ALLSEASON), (WHL_18_ALLOY, TYRE_SUMMER), (WHL_18_ALLOY, TYRE_WINTER),"
            " (WHL_19_ALLOY, TYRE_ALLSEASON), (WHL_19_ALLOY, TYRE_SUMMER), (WHL_19_ALLOY, TYRE_WINTER),"
            " (WHL_19_ALLOY, TYRE_RUNFLAT), (WHL_20_SPORT, TYRE_SUMMER), (WHL_20_SPORT, TYRE_RUNFLAT),"
            " (WHL_21_FORGED, TYRE_SUMMER), (WHL_18_AT, TYRE_AT), (WHL_18_AT, TYRE_WINTER),"
            " (WHL_19_BLACK, TYRE_ALLSEASON), (WHL_19_BLACK, TYRE_SUMMER) }",
            "Tyres come in the sizes each wheel takes.",
        ),
        (
            "WHL_21_FORGED -> TRIM_SPORT | TRIM_SUMMIT",
            "Forged wheels are offered on Sport and Summit.",
        ),
        ("WHL_20_SPORT -> !SUSP_OFFROAD", "20-inch wheels do not fit the raised suspension."),
        (
            "WHL_18_AT -> TRIM_TRAIL | TRIM_EXPLORER",
            "All-terrain wheels are offered on Trail and Explorer.",
        ),
        (
            "TRIM_TRAIL -> WHL_18_AT | WHL_19_ALLOY",
            "Trail has 18-inch all-terrain or 19-inch wheels.",
        ),
        (
            "CAL_RED | CAL_YELLOW | CAL_BLUE -> BRK_PERF",
            "Coloured calipers come with performance brakes.",
        ),
        ("SUSP_AIR excludes WHL_17_STEEL", "Air suspension needs alloy wheels."),
        ("TYRE_AT -> !SUSP_SPORT", "All-terrain tyres do not suit the sport suspension."),
        ("ROOFC_BLACK -> !PAINT_OBSIDIAN", "A black roof needs a body colour other than black."),
        (
            "ROOFC_WHITE -> !PAINT_ARCTIC_WHITE & !PAINT_PEARL",
            "A white roof needs a body colour other than white.",
        ),
        (
            "ROOF_PANO -> ROOFC_BODY | ROOFC_BLACK",
            "The panoramic roof is framed in body colour or black.",
        ),
        (
            "PAINT_MATTE_GREY -> TRIM_SPORT | TRIM_SUMMIT",
            "Matte titanium is offered on Sport and Summit.",
        ),
        ("PAINT_MATTE_GREY -> !ROOFC_WHITE", "Matte titanium is not paired with a white roof."),
        (
            "PAINT_PEARL -> TRIM_SUMMIT | TRIM_EXPLORER",
            "Pearl white is offered on Summit and Explorer.",
        ),
        (
            "PAINT_DESERT | PAINT_FOREST -> !TRIM_SPORT",
            "Desert sand and forest green are not offered on Sport.",
        ),
        ("PAINT_SUNSET -> !TRIM_SUMMIT", "Sunset orange is not offered on Summit."),
        ("HL_LASER -> TRIM_SUMMIT | TRIM_SPORT", "Laser lights are offered on Summit and Sport."),
        (
            "HL_LASER -> NV_STD | ADAS_HIGHWAY | ADAS_CITY",
            "Laser high beam needs night vision or navigate-on-autopilot.",
        ),
        (
            "TL_OLED -> HL_MATRIX | HL_LASER",
            "OLED tail lights come with matrix or laser headlights.",
        ),
        ("TRIM_PIONEER -> HL_LED", "Pioneer has LED headlights."),
        ("FOG_LED -> !KIT_SPORT", "The sport bumper has no fog lamps."),
        (
            "ROOF_PANO excludes RAIL_PLATFORM",
            "The roof platform cannot sit over the panoramic roof.",
        ),
        (
            "RAIL_PLATFORM -> TRIM_TRAIL | TRIM_EXPLORER",
            "The roof platform is offered on Trail and Explorer.",
        ),
        ("ACC_ROOFBOX | ACC_BIKE -> !RAIL_NONE", "The roof box and bike carrier need roof rails."),
        ("STEP_POWER -> TRIM_SUMMIT", "Powered steps are a Summit feature."),
        ("STEP_FIXED | STEP_POWER -> !KIT_SPORT", "Side steps do not fit the sport aero kit."),
        ("MIR_CARBON -> TRIM_SPORT", "Carbon mirror caps are a Sport feature."),
        (
            "GRL_ILLUMINATED -> HL_MATRIX | HL_LASER",
            "The illuminated grille comes with matrix or laser lights.",
        ),
        ("KIT_SPORT -> TRIM_SPORT", "The sport aero kit is a Sport feature."),
        (
            "KIT_ADVENTURE -> TRIM_TRAIL | TRIM_EXPLORER",
            "Adventure cladding is offered on Trail and Explorer.",
        ),
        (
            "KIT_SPORT -> WHL_20_SPORT | WHL_21_FORGED",
            "The sport aero kit needs 20- or 21-inch wheels.",
        ),
        ("MUD_SET -> !KIT_SPORT", "Mud flaps do not fit the sport aero kit."),
        (
            "BADGE_DELETE -> TRIM_SPORT | TRIM_SUMMIT",
            "Badge delete is offered on Sport and Summit.",
        ),
        ("UB_SKID -> !KIT_SPORT", "Skid plates do not fit the sport aero kit."),
        ("SPARE_FULL -> !SEATS_7", "The full-size spare takes the space of the third row."),
        ("TRIM_TRAIL -> SPARE_FULL | SPARE_COMPACT", "Trail carries a spare wheel."),
        ("TINT_HEAT -> !TRIM_PIONEER", "Heat-reflecting film is offered from Explorer up."),
        ("SEATS_7 <-> !ROW3_NONE", "A third row comes with, and only with, 7 seats."),
        (
            "ROW3_COMFORT -> TRIM_SUMMIT | TRIM_EXPLORER",
            "The powered third row is offered on Summit and Explorer.",
        ),
        ("SEATS_7 -> !ENG_15T", "The 7-seater starts at the 2.0T engine."),
        ("SEATS_7 -> !TRIM_SPORT", "Sport is a 5-seater."),
        (
            "MAT_NAPPA -> TRIM_SUMMIT | TRIM_EXPLORER",
            "Nappa leather is offered on Summit and Explorer.",
        ),
        ("MAT_ALCANTARA -> TRIM_SPORT | TRIM_SUMMIT", "Alcantara is offered on Sport and Summit."),
        (
            "TRIM_SUMMIT -> MAT_NAPPA | MAT_ALCANTARA | MAT_LEATHERETTE",
            "Summit has leather or Alcantara seats.",
        ),
        (
            "VENT_FRONT -> MAT_NAPPA | MAT_LEATHERETTE",
            "Ventilated seats need perforated leather or leatherette.",
        ),
        ("MASS_FRONT -> MAT_NAPPA", "Massage seats are upholstered in Nappa."),
        ("MASS_FRONT -> VENT_FRONT", "Massage seats are also ventilated."),
        (
            "INT_WHITE -> MAT_NAPPA | MAT_LEATHERETTE",
            "Ivory white comes in leather or leatherette.",
        ),
        ("INT_RED -> TRIM_SPORT", "Racing red is a Sport interior."),
        ("INT_TAN -> !TRIM_SPORT", "Saddle tan is not offered on Sport."),
        ("MAT_FABRIC -> INT_BLACK | INT_GREY", "Fabric comes in black or grey."),
        ("STW_SPORT -> TRIM_SPORT", "The flat-bottom wheel is a Sport feature."),
        ("STW_HEATED -> HEAT_FRONT | HEAT_ALL", "The heated wheel comes with heated seats."),
        ("HEAT_ALL -> !TRIM_PIONEER", "Heated rear seats are offered from Explorer up."),
        ("DASH_CARBON -> TRIM_SPORT | TRIM_SUMMIT", "Carbon trim is offered on Sport and Summit."),
        (
            "DASH_WOOD -> TRIM_SUMMIT | TRIM_EXPLORER",
            "Walnut trim is offered on Summit and Explorer.",
        ),
        ("DASH_GRAPHITE -> !TRIM_PIONEER", "Graphite weave is offered from Explorer up."),
        ("AMB_64 -> !TRIM_PIONEER", "64-colour lighting is offered from Explorer up."),
        (
            "HLN_ALCANTARA -> MAT_ALCANTARA | MAT_NAPPA",
            "The Alcantara headliner matches Alcantara or Nappa seats.",
        ),
        ("SHADE_REAR -> !TRIM_PIONEER", "Rear sunshades are offered from Explorer up."),
        (
            "CLIM_TRI | CLIM_QUAD -> !TRIM_PIONEER",
            "Multi-zone climate is offered from Explorer up.",
        ),
        ("CLIM_QUAD -> SEATS_7 | TRIM_SUMMIT", "Four-zone climate comes with 7 seats or Summit."),
        (
            "CAIR_NEGION -> CLIM_TRI | CLIM_QUAD",
            "The ioniser is built into the multi-zone climate unit.",
        ),
        ("CARGO_RAILS -> SEATS_5", "Cargo rails fit the 5-seat boot floor."),
        (
            "TRIM_PIONEER -> MAT_FABRIC | MAT_LEATHERETTE",
            "Pioneer has fabric or leatherette seats.",
        ),
        ("SCR_15 -> CLU_12 | CLU_10", "The 15.6-inch screen pairs with a digital cluster."),
        ("CLU_7 -> SCR_10", "The dial cluster pairs with the 10.25-inch screen."),
        (
            "HUD_AR -> ADAS_HIGHWAY | ADAS_CITY",
            "The AR head-up display shows navigate-on-autopilot guidance.",
        ),
        ("HUD_AR -> CLU_12", "The AR head-up display needs the 12.3-inch cluster."),
        (
            "AUD_16 -> TRIM_SUMMIT | TRIM_SPORT | TRIM_EXPLORER",
            "Premium surround is offered from Explorer up.",
        ),
        ("AUD_16 -> AMB_8 | AMB_64", "Premium surround lights its speaker grilles."),
        ("RENT_SCREENS -> SEATS_7 | TRIM_SUMMIT", "Rear screens come with 7 seats or Summit."),
        ("RENT_SCREENS -> PWR_220V", "Rear screens need the 220 V supply."),
        ("ADAS_CITY -> CON_5G", "City autopilot needs 5G maps."),
        ("ADAS_CITY -> PARK_360 | PARK_AUTO", "City autopilot uses the surround cameras."),
        ("ADAS_HIGHWAY | ADAS_CITY -> BSM_STD", "Autopilot uses the blind-spot radars."),
        (
            "PARK_AUTO -> ADAS_HIGHWAY | ADAS_CITY",
            "Automated parking needs the autopilot computer.",
        ),
        ("ADAS_CITY | ADAS_HIGHWAY -> !GB_6MT", "Autopilot needs an automatic gearbox."),
        ("ADAS_CITY -> SCR_12 | SCR_15", "City autopilot needs the larger centre screen."),
        ("NV_STD -> TRIM_SUMMIT", "Night vision is a Summit feature."),
        ("NV_STD -> HL_MATRIX | HL_LASER", "Night vision works with matrix or laser lights."),
        ("KEY_WEARABLE -> CON_5G", "The wearable key needs 5G connectivity."),
        ("CAM_FRONT_REAR -> ALM_TRACKER", "The rear camera records through the tracker module."),
        ("TRIM_PIONEER -> SCR_10 | SCR_12", "Pioneer has the 10.25- or 12.3-inch screen."),
        ("TRIM_SUMMIT -> AIR_8 | AIR_10", "Summit has at least 8 airbags."),
        ("AIR_10 -> !TRIM_PIONEER", "10 airbags are offered from Explorer up."),
        ("TRIM_PIONEER -> ADAS_BASIC | ADAS_L2", "Pioneer offers the basic and L2 assistance."),
        ("INS_PREMIUM -> WAR_5Y | WAR_8Y", "The replacement-car plan needs an extended warranty."),
        ("WAR_8Y -> MNT_2Y | MNT_5Y", "The 8-year warranty needs a maintenance plan."),
        ("MNT_5Y -> !WAR_3Y", "The 5-year maintenance plan comes with a 5- or 8-year warranty."),
        (
            "LOAN_TERM >= 48 -> INS_COMPREHENSIVE | INS_PREMIUM",
            "Loans of 48 months or more need comprehensive insurance.",
        ),
        ("LOAN_TERM > 0 -> !INS_NONE", "A loan needs insurance arranged with the car."),
        ("PLATE_SERVICE -> !INS_NONE", "Registration needs the compulsory insurance."),
        ("DEL_HOME -> PLATE_SERVICE", "Home delivery needs the car registered first."),
        (
            "ENG_PHEV -> WAR_5Y | WAR_8Y",
            "The hybrid comes with at least a 5-year battery warranty.",
        ),
        ("CHILD_SEATS >= 1 -> ACC_CHILDSEAT", "Child seats are installed by us."),
        ("ACC_CHILDSEAT -> CHILD_SEATS >= 1", "Installation needs at least one child seat."),
        ("CHILD_SEATS >= 3 -> SEATS_7", "Three child seats need the 7-seater."),
        (
            "ACC_AWNING -> RAIL_PLATFORM | RAIL_BLACK | RAIL_SILVER",
            "The awning mounts on roof rails.",
        ),
        ("ACC_PET -> MATS_ALLWEATHER", "The pet kit comes with all-weather mats."),
        ("SILL_ENGRAVING -> !TRIM_PIONEER", "Sill engraving is offered from Explorer up."),
        ("TRIM_TRAIL -> TOW_DETACH | TOW_FIXED", "Trail comes with a tow bar."),
        ("TRIM_SPORT -> !TOW_FIXED", "Sport offers the detachable tow bar only."),
        ("ADAS_L2 -> !CLU_7", "Lane centring needs a digital cluster."),
        ("WCH_DUAL -> !TRIM_PIONEER", "Dual charging pads are offered from Explorer up."),
        ("TRIM_PIONEER -> AUD_6", "Pioneer has the 6-speaker system."),
        ("MATS_PREMIUM -> !MAT_FABRIC", "Premium mats match leather interiors."),
        ("TRIM_SUMMIT -> GB_8AT | GB_DHT", "Summit is automatic only."),
        ("ACC_TENT -> RAIL_PLATFORM", "The rooftop tent mounts on the expedition platform."),
        ("SILL_LIT -> AMB_8 | AMB_64", "Illuminated sills are part of the ambient lighting."),
        (
            "SILL_ENGRAVING -> SILL_STAINLESS | SILL_LIT",
            "Engraving needs the stainless steel sill plates.",
        ),
        ("SADJ_MEMORY -> !TRIM_PIONEER", "Memory seats are offered from Explorer up."),
        ("MASS_FRONT -> SADJ_MEMORY", "Massage seats come with memory adjustment."),
        (
            "PED_ALU -> TRIM_SPORT | TRIM_SUMMIT",
            "Aluminium pedals are offered on Sport and Summit.",
        ),
        ("TRA_REVERSE -> TOW_DETACH | TOW_FIXED", "Trailer reverse assist needs a tow bar."),
        (
            "TRA_REVERSE -> PARK_360 | PARK_AUTO",
            "Trailer reverse assist uses the surround cameras.",
        ),
        (
            "FRIDGE_6L -> CLIM_TRI | CLIM_QUAD",
            "The console fridge runs on the multi-zone climate circuit.",
        ),
        ("GLASS_ACOUSTIC -> !TRIM_PIONEER", "Acoustic glass is offered from Explorer up."),
        (
            "SW_BOOST -> ENG_PHEV | ENG_20T_HP",
            "The performance boost is for the hybrid and the high-output 2.0T.",
        ),
        ("PAINT_AURORA_PURPLE -> !TRIM_TRAIL", "Aurora purple is not offered on Trail."),
    ],
)

PRICE_RULES = [
    price_rule("WINTER_PACK", "Winter pack saving", "HEAT_ALL & STW_HEATED & TYRE_WINTER", -1500),
    price_rule("TECH_PACK", "Technology pack saving", "SCR_15 & CLU_12 & HUD_AR", -3000),
    price_rule("COMFORT_PACK", "Comfort pack saving", "VENT_FRONT & MASS_FRONT & MAT_NAPPA", -4000),
    price_rule("SPORT_PACK", "Sport pack saving", "KIT_SPORT & SUSP_SPORT & EXH_SPORT", -5000),
    price_rule(
        "ADVENTURE_PACK", "Adventure pack saving", "KIT_ADVENTURE & UB_SKID & RAIL_PLATFORM", -4500
    ),
    price_rule("SAFETY_PACK", "Safety pack saving", "BSM_STD & PARK_360 & AIR_8", -2000),
    price_rule("FAMILY_PACK", "Family pack saving", "SEATS_7 & RENT_SCREENS & CLIM_QUAD", -3500),
    price_rule("LIGHT_PACK", "Light pack saving", "HL_MATRIX & TL_OLED & GRL_ILLUMINATED", -2200),
    price_rule("SOUND_LIGHT", "Sound and light saving", "AUD_16 & AMB_64", -1200),
    price_rule("NEV_INCENTIVE", "New-energy vehicle incentive", "ENG_PHEV", -10000),
    price_rule(
        "WALLBOX_BUNDLE",
        "Wallbox bundled with the hybrid",
        "ENG_PHEV & (CHG_7KW | CHG_11KW)",
        -2000,
    ),
    price_rule(
        "FINANCE_BONUS", "Finance bonus, 24 to 36 months", "LOAN_TERM >= 24 & LOAN_TERM < 48", -3000
    ),
    price_rule("FINANCE_BONUS_LONG", "Finance bonus, 48 months or more", "LOAN_TERM >= 48", -6000),
    price_rule("CARE_BUNDLE", "Insurance and servicing bundle", "INS_PREMIUM & MNT_5Y", -2500),
    price_rule(
        "CARE_PLUS", "Total care: 3% off options", "WAR_8Y & MNT_5Y & INS_PREMIUM", -3, "percent"
    ),
    price_rule("PEARL_LAUNCH", "Summit pearl launch edition", "TRIM_SUMMIT & PAINT_PEARL", -3000),
    price_rule("TWO_TONE_MATTE", "Two-tone matte masking", "PAINT_MATTE_GREY & ROOFC_BLACK", 1500),
    price_rule(
        "FREE_DELIVERY",
        "Home delivery included with full insurance",
        "DEL_HOME & (INS_COMPREHENSIVE | INS_PREMIUM)",
        -800,
    ),
    price_rule("TOWING_PACK", "Towing pack saving", "TOW_DETACH & DRV_4WD_LOW", -1200),
    price_rule(
        "CONNECTED_PACK", "Connected pack saving", "CON_5G & KEY_WEARABLE & CAM_FRONT_REAR", -1000
    ),
    price_rule("PIONEER_VALUE", "Pioneer assistance offer", "TRIM_PIONEER & ADAS_L2", -2000),
    price_rule("CHILD_SAFETY", "Child safety saving", "ACC_CHILDSEAT & AIR_10", -600),
    price_rule(
        "TRAIL_EDITION",
        "Trail edition: 2% off options",
        "TRIM_TRAIL & KIT_ADVENTURE & TYRE_AT",
        -2,
        "percent",
    ),
]

PART_OVERRIDES = {
    **{
        code: [{"part": f"AUR-WHEEL-{code[4:]}", "quantity": "4", "name": label}]
        for code, label in [
            ("WHL_17_STEEL", "17-inch steel wheel"),
            ("WHL_18_ALLOY", "18-inch alloy wheel"),
            ("WHL_19_ALLOY", "19-inch alloy wheel"),
            ("WHL_20_SPORT", "20-inch sport wheel"),
            ("WHL_21_FORGED", "21-inch forged wheel"),
            ("WHL_18_AT", "18-inch all-terrain wheel"),
        ]
    },
    **{
        code: [{"part": f"AUR-TYRE-{code[5:]}", "quantity": "4", "name": label}]
        for code, label in [
            ("TYRE_ALLSEASON", "All-season tyre"),
            ("TYRE_SUMMER", "Summer tyre"),
            ("TYRE_WINTER", "Winter tyre"),
            ("TYRE_AT", "All-terrain tyre"),
            ("TYRE_RUNFLAT", "Run-flat tyre"),
        ]
    },
    "ACC_CHILDSEAT": [
        {
            "part": "AUR-ISOFIX-SEAT",
            "quantity": "1",
            "per": "CHILD_SEATS",
            "name": "ISOFIX child seat",
        }
    ],
    "SEATS_7": [
        {"part": "AUR-ROW3-FRAME", "quantity": "1", "name": "Third-row seat frame"},
        {"part": "AUR-SEATBELT", "quantity": "2", "name": "Seat belt assembly"},
    ],
}


def _paint_parts() -> dict:
    return {
        opt["code"]: [
            {"part": f"AUR-PAINT-{opt['code'][6:]}", "quantity": "14.5", "unit": "L",
             "name": f"Paint, {opt['label']}"}
        ]
        for group in GROUPS if group["code"] == "PAINT" for opt in group["options"]
    }  # fmt: skip


def document() -> dict:
    doc = {
        "format": "c2b-catalog/1",
        "manufacturer": {"slug": "aurora-motors", "name": "Aurora Motors"},
        "product": {
            "slug": "pathfinder-x7",
            "name": "Aurora Pathfinder X7",
            "tagline": "The SUV you design, built with thousands who want theirs too.",
            "description": "A mid-size SUV in five trims, with 82 option groups from paint to "
            "the name its voice assistant calls you.",
            "preview": "suv",
        },
        "version": {"base_price": money(189800), "notes": "Launch catalog."},
        "groups": GROUPS,
        "rules": RULES,
        "price_rules": PRICE_RULES,
    }
    attach_parts(doc, "AUR", {**PART_OVERRIDES, **_paint_parts()})
    return doc
