import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona", ["admin", "staff_a", "staff_b", "consumer1", "consumer2", "anonymous"]
)
def test_everyone_sees_the_products_with_their_starting_price(personas, persona):
    page = personas[persona].get("/").content.decode()

    assert "Rover" in page
    assert "from ¥100,000.00" in page


def test_product_page_lists_groups_by_section_with_option_prices(personas, maker_a):
    response = personas["anonymous"].get("/products/rover-a/")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("<h2>Exterior</h2>") < page.index("<h2>Interior</h2>")
    assert 'Red <span class="price">+¥3,000.00</span>' in page
    assert "Free text up to 12 characters, ¥10.00 per character." in page
    assert "A number from 2 to 7 seats in steps of 1." in page
    assert 'fill="#AA0000"' in page


def test_product_page_of_an_unknown_or_unpublished_product_is_not_found(personas, maker_a):
    from catalog.services import version_retire

    version_retire(version=maker_a.published)

    assert personas["anonymous"].get("/products/rover-a/").status_code == 404
    assert personas["anonymous"].get("/products/nothing/").status_code == 404


def test_product_page_costs_a_fixed_number_of_queries(
    personas, maker_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        personas["anonymous"].get("/products/rover-a/")
