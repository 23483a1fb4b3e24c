import re

import pytest
from django.test import Client

from configurator.models import SavedConfiguration
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def save(client, query: str, name: str = "My rover"):
    return client.post("/configure/rover-a/save/", {"query": query, "name": name})


def share_code(response) -> str:
    return re.search(r"/c/([^/]+)/", response["Location"]).group(1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_can_save_and_open_the_share_link(personas, maker_a, persona):
    client = personas[persona]

    response = save(client, "g_PAINT=RED&g_WHEELS=W19&o=SUNROOF")

    assert response.status_code == 302
    saved = SavedConfiguration.objects.get()
    assert saved.options == ["RED", "SUNROOF", "W19"]
    page = client.get(response["Location"]).content.decode()
    assert "My rover" in page
    assert "¥113,000.00" in page  # 100,000 + 3,000 + 5,000 + 6,000 - 1,000 bundle


def test_a_share_link_opens_read_only_for_anyone_with_start_from_this(personas, maker_a):
    code = share_code(save(personas["consumer1"], "g_PAINT=RED&g_WHEELS=W19"))

    page = Client().get(f"/c/{code}/").content.decode()

    assert "Start from this" in page
    assert "/configure/rover-a/?g_PAINT=RED&amp;g_WHEELS=W19" in page
    assert "Delete this configuration" not in page


def test_configurations_are_listed_only_to_their_owner(personas, maker_a):
    save(personas["consumer1"], "g_PAINT=RED", name="Mine")

    assert "Mine" in personas["consumer1"].get("/my/configurations/").content.decode()
    assert "Mine" not in personas["consumer2"].get("/my/configurations/").content.decode()
    assert "Mine" not in personas["anonymous"].get("/my/configurations/").content.decode()


def test_an_anonymous_consumer_owns_what_they_saved_in_their_browser(maker_a):
    browser, stranger = Client(), Client()
    code = share_code(save(browser, "g_PAINT=RED", name="Anonymous idea"))

    assert "Anonymous idea" in browser.get("/my/configurations/").content.decode()
    assert "Anonymous idea" not in stranger.get("/my/configurations/").content.decode()
    assert stranger.post(f"/c/{code}/delete/").status_code == 404
    assert browser.post(f"/c/{code}/delete/").status_code == 302
    assert not SavedConfiguration.objects.exists()


def test_another_consumers_configuration_cannot_be_deleted(personas, maker_a):
    code = share_code(save(personas["consumer1"], "g_PAINT=RED"))

    assert personas["consumer2"].post(f"/c/{code}/delete/").status_code == 404
    assert personas["staff_a"].post(f"/c/{code}/delete/").status_code == 404
    assert SavedConfiguration.objects.filter(share_code=code).exists()


def test_saving_a_selection_the_catalog_cannot_hold_saves_nothing(personas, maker_a):
    response = save(personas["consumer1"], "o=NOPE")

    assert response.status_code == 302
    assert "/configure/rover-a/" in response["Location"]
    assert not SavedConfiguration.objects.exists()


def test_compare_shows_configurations_side_by_side_with_differences_marked(personas, maker_a):
    client = personas["consumer1"]
    first = share_code(save(client, "g_PAINT=RED&g_WHEELS=W19", name="Red"))
    second = share_code(save(client, "g_PAINT=WHITE&g_WHEELS=W19", name="White"))

    page = client.get("/compare/", {"c": [first, second]}).content.decode()

    assert page.index(">Red<") < page.index(">White<")
    assert re.search(r'<tr class="differs"><td>Paint <span class="badge">differs</span>', page)
    assert re.search(r"<tr><td>Wheels</td><td>19-inch</td><td>19-inch</td></tr>", page)


def test_compare_takes_at_most_three_and_says_when_codes_are_unknown(personas, maker_a):
    client = personas["consumer1"]
    codes = [share_code(save(client, f"g_PAINT={p}", name=p)) for p in ["RED", "WHITE"]]

    page = client.get("/compare/", {"c": [*codes, "nope", "more"]}).content.decode()

    assert "3 asked for, 2 found" in page


def test_a_configuration_from_an_older_version_says_so(personas, maker_a):
    from catalog.services import version_publish

    code = share_code(save(personas["consumer1"], "g_PAINT=RED"))
    version_publish(version=maker_a.draft)

    page = personas["consumer1"].get(f"/c/{code}/").content.decode()

    assert "made in catalog v1; the current catalog is v2" in page


def test_a_newer_catalog_shows_what_changed_and_carries_the_rest_over(personas, maker_a):
    from decimal import Decimal

    from catalog.models import Option, Rule
    from catalog.services import version_publish

    client = personas["consumer1"]
    code = share_code(save(client, "g_PAINT=WHITE&g_WHEELS=W17&o=COVERS"))
    draft = maker_a.draft
    draft.options.get(code="W17").delete()
    Option.objects.create(
        version=draft, group=draft.groups.get(code="WHEELS"), code="W18", label="18-inch",
        price_delta=Decimal("2000.00"),
    )  # fmt: skip
    draft.options.filter(code="COVERS").update(price_delta=Decimal("250.00"))
    Rule.objects.create(
        version=draft, code="R9", expression="WHITE -> !COVERS", message="Covers come in red."
    )
    version_publish(version=draft)

    page = client.get(f"/c/{code}/").content.decode()

    assert "The catalog has changed since you saved this" in page
    assert "<li>17-inch (Wheels)</li>" in page
    assert "<li>Seat covers (Extras): +¥200.00 → +¥250.00</li>" in page
    assert "New conflict: Not with White (Paint), Seat covers (Extras): Covers come in red." in page
    assert "/configure/rover-a/?g_PAINT=WHITE&amp;o=COVERS" in page  # the 17-inch is dropped
