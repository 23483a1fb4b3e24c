import pytest

from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

URL = "/configure/rover-a/"


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_can_open_the_configurator(personas, maker_a, persona):
    response = personas[persona].get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="config-form" method="get"' in page  # works without JavaScript
    assert "¥100,000.00" in page


def test_choices_in_the_address_show_states_reasons_and_price(client, maker_a):
    page = client.get(URL, {"o": "TOWBAR", "g_PAINT": "WHITE"}).content.decode()

    assert 'value="TOWBAR"\n                             checked' in page
    assert "Not with Tow bar (Extras): No red tow cars." in page
    assert "¥102,500.00" in page  # 100,000 + tow bar 2,500


def test_choosing_an_excluded_option_asks_before_giving_up_choices(client, maker_a):
    page = client.get(URL, {"o": "TOWBAR", "g_WHEELS": "W17", "choose": "RED"}).content.decode()

    assert "Choose Red?" in page
    assert "<li>Tow bar (Extras)</li>" in page
    assert "<li>17-inch (Wheels)</li>" in page
    assert "g_PAINT=RED" in page  # the confirm link applies the resolution


def test_complete_it_for_me_redirects_to_a_complete_configuration(client, maker_a):
    response = client.get(URL, {"o": "SUNROOF", "complete": "cheapest"})

    assert response.status_code == 302
    completed = client.get(response["Location"]).content.decode()
    assert "is complete" in completed
    assert "g_WHEELS=W19" in response["Location"]


def test_htmx_requests_get_only_the_panel(client, maker_a):
    response = client.get(URL, {"g_PAINT": "RED"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<html" not in page
    assert 'class="configurator config-groups"' in page


def test_the_preview_is_tinted_with_the_chosen_paint(client, maker_a):
    page = client.get(URL, {"g_PAINT": "RED"}).content.decode()

    assert 'fill="#AA0000"' in page.split('class="preview"')[1][:600]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"o": "NOPE"}, "There is no option NOPE in this catalog."),
        ({"t_NICKNAME": "idiot"}, "Nickname: contains a word that is not allowed."),
        ({"n_SEAT_COUNT": "12"}, "Seats: choose a value from 2 to 7 in steps of 1."),
    ],
)
def test_bad_input_in_the_address_is_explained_not_a_server_error(client, maker_a, query, message):
    response = client.get(URL, query)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_text_is_previewed_and_priced_per_character(client, maker_a):
    page = client.get(URL, {"t_NICKNAME": "Bolt", "g_PAINT": "RED"}).content.decode()

    assert "Preview: <strong>Bolt</strong>" in page
    assert "Nickname (4 characters)" in page


def test_unknown_products_are_not_found(client, maker_a):
    assert client.get("/configure/nothing/").status_code == 404
