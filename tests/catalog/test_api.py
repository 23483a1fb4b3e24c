import pytest
from django.test import Client
from django.urls import reverse

from catalog.services import version_publish, version_retire
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def test_product_list_shows_products_with_a_published_catalog(personas, maker_a, maker_b):
    response = personas["anonymous"].get("/api/products/")

    assert response.status_code == 200
    products = {p["slug"]: p for p in response.json()["results"]}
    assert set(products) == {"rover-a", "rover-b"}
    assert products["rover-a"]["published_version"] == 1
    assert products["rover-a"]["base_price"] == "100000.00"
    assert products["rover-a"]["manufacturer"] == {"slug": "maker-a", "name": "Maker A"}


def test_product_without_published_catalog_is_not_listed(personas, maker_a):
    version_retire(version=maker_a.published)

    listed = [p["slug"] for p in personas["consumer1"].get("/api/products/").json()["results"]]
    assert listed == ["rover-b"]
    assert personas["consumer1"].get("/api/products/rover-a/").status_code == 404


def test_published_catalog_has_groups_options_rules_and_prices(personas, maker_a):
    response = personas["consumer1"].get("/api/products/rover-a/catalog/")

    assert response.status_code == 200
    catalog = response.json()
    assert catalog["number"] == 1
    assert catalog["currency"] == "CNY"
    assert [g["code"] for g in catalog["groups"]] == [
        "PAINT", "WHEELS", "EXTRAS", "SEAT_COUNT", "NICKNAME",
    ]  # fmt: skip
    red = catalog["groups"][0]["options"][1]
    assert red == {
        "code": "RED", "label": "Red", "description": "", "price_delta": "3000.00",
        "is_default": False, "paint_colour": "#AA0000",
    }  # fmt: skip
    assert catalog["rules"][0] == {
        "code": "R1", "expression": "SUNROOF -> W19", "message": "The sunroof needs 19-inch wheels."
    }  # fmt: skip
    assert catalog["price_rules"][1]["kind"] == "percent"


def test_catalog_api_keeps_bill_of_materials_and_stations_private(personas, maker_a):
    catalog = personas["anonymous"].get("/api/products/rover-a/catalog/").json()

    option = catalog["groups"][0]["options"][1]
    assert "parts" not in option
    assert "station_codes" not in option


def test_catalog_page_costs_a_fixed_number_of_queries(
    personas, maker_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        personas["anonymous"].get("/api/products/rover-a/catalog/")


@pytest.mark.parametrize(
    ("persona", "sees_draft"),
    [
        ("admin", True),
        ("staff_a", True),
        ("staff_b", False),
        ("consumer1", False),
        ("consumer2", False),
        ("anonymous", False),
    ],
)
def test_drafts_are_visible_only_to_admins_and_the_makers_own_staff(
    personas, maker_a, persona, sees_draft
):
    client = personas[persona]

    listed = [v["number"] for v in client.get("/api/products/rover-a/versions/").json()["results"]]
    detail = client.get("/api/products/rover-a/versions/2/")

    assert listed == ([2, 1] if sees_draft else [1])
    assert detail.status_code == (200 if sees_draft else 404)


def test_retired_versions_stay_readable_for_everyone(personas, maker_a):
    version_publish(version=maker_a.draft)

    response = personas["anonymous"].get("/api/products/rover-a/versions/1/")
    assert response.status_code == 200
    assert response.json()["status"] == "retired"


@pytest.mark.parametrize(
    ("persona", "expected_lines"),
    [
        ("admin", ["LA1", "LB1"]),
        ("staff_a", ["LA1"]),
        ("staff_b", ["LB1"]),
        ("consumer1", []),
        ("consumer2", []),
    ],
)
def test_production_lines_are_listed_only_to_their_makers_staff(personas, persona, expected_lines):
    response = personas[persona].get("/api/production-lines/")

    assert response.status_code == 200
    assert [line["code"] for line in response.json()["results"]] == expected_lines


def test_anonymous_cannot_list_production_lines(personas):
    assert personas["anonymous"].get("/api/production-lines/").status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("staff_a", 404), ("staff_b", 200), ("consumer1", 404), ("anonymous", 403)],
)
def test_another_makers_line_is_not_found(personas, maker_b, persona, status):
    response = personas[persona].get(f"/api/production-lines/{maker_b.line.pk}/")

    assert response.status_code == status
    if status == 200:
        line = response.json()
        assert line["stations"] == [
            {"code": "ROOF", "name": "Roof module", "p": 1, "q": 3, "priority": "high"}
        ]
        assert line["product_models"] == ["rover-b"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_schema_and_docs_are_served_to_everyone(personas, persona):
    schema = personas[persona].get(
        reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    docs = personas[persona].get(reverse("api-docs"))

    assert schema.status_code == 200
    assert "/api/products/{slug}/catalog/" in schema.json()["paths"]
    assert docs.status_code == 200


def test_api_is_read_only(personas, maker_a):
    response = personas["admin"].post("/api/products/", {}, content_type="application/json")

    assert response.status_code == 405


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=201", "limit=-1", "limit=", "limit=ten", "offset=1000001",
     "offset=99999999999999999999", "limit=1&limit=2", "offset=٣"],
)  # fmt: skip
def test_bad_paging_parameters_get_a_400_naming_the_parameter(personas, maker_a, query):
    response = personas["anonymous"].get(f"/api/products/?{query}")

    assert response.status_code == 400
    name = query.split("=")[0]
    bounds = "0 to 1000000" if name == "offset" else "1 to 200"
    assert response.json() == {name: [f"Must be one whole number from {bounds}."]}


def test_paging_walks_through_the_list(personas, maker_a, maker_b):
    page = personas["anonymous"].get("/api/products/?limit=1&offset=1").json()

    assert page["count"] == 2
    assert [p["slug"] for p in page["results"]] == ["rover-b"]
    assert page["previous"] is not None


@pytest.mark.parametrize(
    "url",
    [
        "/api/nothing/",
        "/api/products/°€/versions/",
        "/api/products/x/y/z",
        "/api/batches/%0A%C2%A2%10/",
    ],
)
def test_unknown_api_addresses_answer_json_404(personas, url):
    response = personas["anonymous"].get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/api/plans/null,null/approve/", "/api/nothing/"])
def test_a_post_to_an_unknown_api_address_by_a_signed_in_browser_is_a_json_404(consumer1, url):
    client = Client(enforce_csrf_checks=True)  # as a browser with a session and no token
    client.force_login(consumer1, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_versions_of_an_unknown_product_are_not_found(personas):
    assert personas["admin"].get("/api/products/nothing/versions/").status_code == 404
