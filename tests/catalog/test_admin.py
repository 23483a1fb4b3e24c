import pytest
from django.urls import reverse

from catalog.models import CatalogVersion, Option, OptionGroup, PriceRule, Rule

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "manufacturer", "part", "productmodel", "catalogversion", "optiongroup", "option", "rule",
    "pricerule", "productionline",
]  # fmt: skip


@pytest.mark.parametrize("model", CHANGELISTS)
def test_admin_lists_load_for_admins(personas, maker_a, model):
    response = personas["admin"].get(reverse(f"admin:catalog_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", CHANGELISTS)
def test_admin_add_pages_load(personas, model):
    assert personas["admin"].get(reverse(f"admin:catalog_{model}_add")).status_code == 200


def test_admin_change_pages_load_for_each_kind_of_object(personas, maker_a):
    admin = personas["admin"]
    for obj in [
        maker_a.draft,
        maker_a.published,
        maker_a.draft.groups.first(),
        maker_a.draft.options.get(code="COVERS"),
        maker_a.draft.rules.first(),
        maker_a.draft.price_rules.first(),
        maker_a.line,
        maker_a.product,
        maker_a.manufacturer,
    ]:
        url = reverse(f"admin:catalog_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["staff_a", "staff_b", "consumer1", "consumer2", "anonymous"])
def test_only_admins_reach_the_admin(personas, persona):
    response = personas[persona].get(reverse("admin:catalog_catalogversion_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_publish_button_publishes_the_draft_and_retires_the_old_version(personas, maker_a):
    response = personas["admin"].post(
        reverse("admin:catalog_version_publish", args=[maker_a.draft.pk])
    )

    assert response.status_code == 302
    maker_a.draft.refresh_from_db()
    maker_a.published.refresh_from_db()
    assert maker_a.draft.status == CatalogVersion.Status.PUBLISHED
    assert maker_a.published.status == CatalogVersion.Status.RETIRED


def test_publish_action_reports_problems_and_leaves_the_draft(personas, maker_a):
    Rule.objects.create(version=maker_a.draft, code="BAD", expression="RED -> NOPE")
    url = reverse("admin:catalog_catalogversion_changelist")

    response = personas["admin"].post(
        url, {"action": "publish_selected", "_selected_action": [maker_a.draft.pk]}, follow=True
    )

    assert "Rule BAD: line 1, column 8: unknown code &#x27;NOPE&#x27;" in response.content.decode()
    maker_a.draft.refresh_from_db()
    assert maker_a.draft.status == CatalogVersion.Status.DRAFT


def test_new_draft_action_copies_a_published_version(personas, maker_a):
    url = reverse("admin:catalog_catalogversion_changelist")

    personas["admin"].post(
        url, {"action": "new_draft_from_selected", "_selected_action": [maker_a.published.pk]}
    )

    newest = maker_a.product.versions.order_by("-number").first()
    assert (newest.number, newest.status, newest.based_on) == (3, "draft", maker_a.published)
    assert newest.options.count() == maker_a.published.options.count()


def test_published_version_is_shown_read_only(personas, maker_a):
    url = reverse("admin:catalog_catalogversion_change", args=[maker_a.published.pk])

    page = personas["admin"].get(url).content.decode()
    posted = personas["admin"].post(url, {"base_price": "1.00", "notes": "changed"})

    assert 'name="base_price"' not in page
    assert "New draft from this version" in page
    assert posted.status_code == 403
    maker_a.published.refresh_from_db()
    assert maker_a.published.notes == "test"


def test_published_option_cannot_be_changed_through_the_admin(personas, maker_a):
    option = maker_a.published.options.get(code="RED")
    url = reverse("admin:catalog_option_change", args=[option.pk])

    response = personas["admin"].post(url, {"label": "Scarlet", "price_delta": "1.00"})

    assert response.status_code == 403
    option.refresh_from_db()
    assert option.label == "Red"


def test_draft_shows_what_stops_it_from_being_published(personas, maker_a):
    Rule.objects.create(version=maker_a.draft, code="BAD", expression="RED ->")
    url = reverse("admin:catalog_catalogversion_change", args=[maker_a.draft.pk])

    page = personas["admin"].get(url).content.decode()

    assert "Rule BAD: line 1, column 7: the rule ends too early" in page


def test_rule_with_an_unknown_code_is_rejected_in_the_admin_form(personas, maker_a):
    response = personas["admin"].post(
        reverse("admin:catalog_rule_add"),
        {"version": maker_a.draft.pk, "code": "NEW", "expression": "RED -> W21", "position": 0},
    )

    assert response.status_code == 200
    assert (
        "unknown code &#x27;W21&#x27;; did you mean &#x27;W19&#x27;?" in response.content.decode()
    )
    assert not Rule.objects.filter(code="NEW").exists()


def test_price_rule_added_in_the_admin_is_saved_on_the_draft(personas, maker_a):
    response = personas["admin"].post(
        reverse("admin:catalog_pricerule_add"),
        {
            "version": maker_a.draft.pk, "code": "RED_DEAL", "label": "Red deal",
            "condition": "RED & W19", "kind": "amount", "value": "-500.00", "position": 9,
        },
    )  # fmt: skip

    assert response.status_code == 302
    assert PriceRule.objects.get(code="RED_DEAL").version == maker_a.draft


def test_option_station_codes_are_edited_as_comma_separated_text(personas, maker_a):
    option = maker_a.draft.options.get(code="SUNROOF")
    url = reverse("admin:catalog_option_change", args=[option.pk])
    data = {
        "code": "SUNROOF", "label": "Sunroof", "description": "", "price_delta": "6000.00",
        "position": 0, "paint_colour": "", "station_codes": "roof, glass", "minimum_per_batch": "",
        "parts-TOTAL_FORMS": 0, "parts-INITIAL_FORMS": 0,
    }  # fmt: skip

    response = personas["admin"].post(url, data)

    assert response.status_code == 302
    option.refresh_from_db()
    assert option.station_codes == ["ROOF", "GLASS"]


def test_group_with_options_can_be_added_in_one_form(personas, maker_a):
    data = {
        "version": maker_a.draft.pk, "code": "MIRRORS", "name": "Mirrors", "section": "Exterior",
        "kind": "one", "position": 9, "min_choices": 0, "blocked_words": "",
        "price_per_character": "0",
        "options-TOTAL_FORMS": 1, "options-INITIAL_FORMS": 0,
        "options-0-code": "MIR_BLACK", "options-0-label": "Black", "options-0-price_delta": "800",
        "options-0-position": 0,
    }  # fmt: skip

    response = personas["admin"].post(reverse("admin:catalog_optiongroup_add"), data)

    assert response.status_code == 302
    group = OptionGroup.objects.get(code="MIRRORS")
    assert Option.objects.get(code="MIR_BLACK").version == group.version == maker_a.draft


def test_line_cannot_build_another_makers_products(personas, maker_a, maker_b):
    url = reverse("admin:catalog_productionline_change", args=[maker_a.line.pk])
    data = {
        "manufacturer": maker_a.manufacturer.pk, "code": "LA1", "name": "Line", "plant": "Hefei",
        "product_models": [maker_a.product.pk, maker_b.product.pk], "daily_capacity": 20,
        "working_days": [1, 2, 3], "paint_batch_limit": 5, "colour_change_cost": "10",
        "stations-TOTAL_FORMS": 0, "stations-INITIAL_FORMS": 0,
    }  # fmt: skip

    response = personas["admin"].post(url, data)

    assert response.status_code == 200
    assert "Not Maker A&#x27;s products: Rover." in response.content.decode()
