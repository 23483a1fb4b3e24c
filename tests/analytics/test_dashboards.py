"""The dashboards: every page renders its figures, any figure covering fewer than 10
consumers is suppressed alike in pages, API and exports, and staff see only their own
manufacturer's products."""

from __future__ import annotations

import csv
import io

import pytest

from analytics.dashboards import VIEWS
from analytics.models import Event
from analytics.rollups import rollup_advance

K = Event.Kind


def orders_by(recorder, people: int, options: list[str], province="11", **fields):
    for i in range(people):
        recorder.event(f"s:{province}-{i}", K.PRODUCT_VIEWED, province=province)
        recorder.event(
            f"s:{province}-{i}",
            K.OPTION_SELECTED,
            option_code=options[0],
            group_code="PAINT",
            province=province,
        )
        recorder.order(f"s:{province}-{i}", options, province=province, **fields)


@pytest.fixture
def demand(recorder):
    """Twelve buyers in Beijing, nine in Shanghai, and one Tianjin buyer with many orders."""
    orders_by(recorder, 12, ["RED", "W19", "SUNROOF"], province="11")
    orders_by(recorder, 9, ["WHITE", "W17"], province="31")
    for _ in range(15):
        recorder.order("s:tianjin-whale", ["WHITE", "W17", "TOWBAR"], province="12")
    rollup_advance()


def table(response_json, slug):
    return next(t for t in response_json["tables"] if t["slug"] == slug)


@pytest.mark.parametrize("view", [v.slug for v in VIEWS])
def test_every_dashboard_page_renders_for_the_makers_staff(personas, maker_a, demand, view):
    response = personas["staff_a"].get(f"/staff/insights/{maker_a.product.slug}/{view}/")

    assert response.status_code == 200
    assert b"Download CSV" in response.content


def test_regions_below_ten_consumers_are_suppressed_in_page_api_and_export(
    personas, maker_a, demand
):
    staff = personas["staff_a"]
    slug = maker_a.product.slug

    page = staff.get(f"/staff/insights/{slug}/regions/").content.decode()
    api = staff.get(f"/api/insights/{slug}/regions/").json()
    export = list(
        csv.DictReader(
            io.StringIO(staff.get(f"/staff/insights/{slug}/regions/provinces.csv").content.decode())
        )
    )

    rows = {r["province"]: r for r in table(api, "provinces")["rows"]}
    assert rows["Beijing"]["units"] == 12
    assert not rows["Beijing"]["suppressed"]
    assert rows["Shanghai"]["units"] is None
    assert rows["Shanghai"]["suppressed"]
    assert rows["Tianjin"]["units"] is None
    assert rows["Tianjin"]["suppressed"]
    by_name = {r["Province"]: r for r in export}
    assert by_name["Beijing"]["Units"] == "12"
    assert by_name["Shanghai"]["Units"] == ""
    assert by_name["Shanghai"]["suppressed"] == "True"
    assert by_name["Tianjin"]["Orders"] == ""
    assert by_name["Tianjin"]["suppressed"] == "True"
    assert page.count('class="suppressed"') == 2
    assert page.count("&lt;10") == 6  # orders, units and share of both hidden rows
    assert "15" not in page.split("Demand by province")[1].split("</table>")[0]


def test_a_figure_summed_over_small_cells_shows_once_ten_distinct_people_are_behind_it(
    personas, maker_a, demand
):
    api = personas["staff_a"].get(f"/api/insights/{maker_a.product.slug}/take-rates/").json()

    rows = {r["code"]: r for r in table(api, "options")["rows"]}
    assert rows["RED"]["units"] == 12  # twelve people
    assert rows["TOWBAR"]["suppressed"]  # one person, however many orders
    assert rows["WHITE"]["units"] == 24  # nine Shanghai buyers and the whale: ten people

    shanghai = (
        personas["staff_a"]
        .get(f"/api/insights/{maker_a.product.slug}/take-rates/?province=31")
        .json()
    )
    rows = {r["code"]: r for r in table(shanghai, "options")["rows"]}
    assert rows["WHITE"]["suppressed"]  # only the nine there


def test_region_and_segment_filters_count_only_their_own_orders(personas, maker_a, recorder):
    orders_by(recorder, 12, ["RED", "W19"], province="11", age_band="25-34", gender="female")
    orders_by(recorder, 11, ["WHITE", "W17"], province="44", age_band="35-44", gender="male")
    orders_by(recorder, 10, ["WHITE", "W19"], province="44", age_band="25-34", gender="female")
    rollup_advance()
    slug = maker_a.product.slug

    def units(view: str, query: str, table_slug: str, column: str) -> dict:
        found = personas["staff_a"].get(f"/api/insights/{slug}/{view}/?{query}").json()
        rows = table(found, table_slug)["rows"]
        return {row[column]: row["units"] for row in rows if not row["suppressed"]}

    assert units("take-rates", "province=44", "options", "code") == {
        "WHITE": 21, "W17": 11, "W19": 10,
    }  # fmt: skip
    assert units("take-rates", "age_band=25-34", "options", "code") == {
        "RED": 12, "WHITE": 10, "W19": 22,
    }  # fmt: skip
    assert units("take-rates", "gender=male", "options", "code") == {"WHITE": 11, "W17": 11}
    assert units("take-rates", "province=44&age_band=25-34&gender=female", "options", "code") == {
        "WHITE": 10, "W19": 10,
    }  # fmt: skip
    assert units("regions", "gender=female", "provinces", "province") == {
        "Beijing": 12, "Guangdong": 10,
    }  # fmt: skip
    segments = units("segments", "province=44", "segments", "gender")
    assert segments == {"Male": 11, "Female": 10}


def test_abandonment_counts_who_chose_an_option_and_paid_no_order_that_week(
    personas, maker_a, recorder
):
    def chose(who: str, code: str, times: int = 1):
        for _ in range(times):
            recorder.event(who, K.OPTION_SELECTED, option_code=code, group_code="PAINT")

    for i in range(12):
        chose(f"s:walked-away-{i}", "RED", times=3)  # three clicks, one person
    for i in range(11):
        chose(f"s:bought-red-{i}", "RED")
        recorder.order(f"s:bought-red-{i}", ["RED", "W19"])
    for i in range(10):
        chose(f"s:changed-mind-{i}", "WHITE")  # then bought red: no white ordered, none left
        recorder.order(f"s:changed-mind-{i}", ["RED", "W17"])
    rollup_advance()

    found = personas["staff_a"].get(f"/api/insights/{maker_a.product.slug}/abandoned/").json()

    summary = table(found, "summary")["rows"]
    assert summary[0]["consumers"] == 12  # chose options, paid nothing
    assert summary[1]["suppressed"]  # nobody saved
    assert summary[2]["suppressed"]  # nor started checkout
    rows = {row["option"]: row for row in table(found, "options")["rows"]}
    assert rows["Red"]["abandoned_by"] == 12
    assert rows["Red"]["ordered_by"] == 11
    assert rows["Red"]["conversion"] == round(11 / 23, 4)
    assert rows["White"]["abandoned_by"] is None
    assert rows["White"]["suppressed"]
    assert rows["White"]["ordered_by"] is None


def test_the_funnel_counts_each_consumer_once_per_stage(personas, maker_a, demand):
    api = personas["staff_a"].get(f"/api/insights/{maker_a.product.slug}/funnel/").json()

    stages = [row["consumers"] for row in table(api, "stages")["rows"]]
    assert stages[0] == 21  # viewed: 12 + 9
    assert stages[-1] == 22  # paid: 12 + 9 + the whale, once


PAGES = [
    "/staff/insights/{slug}/take-rates/",
    "/staff/insights/{slug}/regions/provinces.csv",
    "/api/insights/{slug}/funnel/",
]


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", 200),
        ("staff_a", 200),
        ("staff_b", 404),
        ("consumer1", 403),
        ("anonymous", None),
    ],
)
def test_only_the_makers_staff_and_admins_see_its_demand(
    personas, maker_a, demand, address, persona, expected
):
    response = personas[persona].get(address.format(slug=maker_a.product.slug))

    if expected is None:  # anonymous: the sign-in page, or the API's refusal
        assert response.status_code in (302, 401, 403)
        assert b"Beijing" not in response.content
    else:
        assert response.status_code == expected


def test_staff_see_only_their_own_products_in_the_dashboard_list(personas, maker_a, maker_b):
    page = personas["staff_b"].get("/staff/insights/").content.decode()

    assert maker_b.product.slug in page  # both makers' products are named Rover
    assert maker_a.product.slug not in page


def test_bad_filters_are_refused_naming_the_field(personas, maker_a, demand):
    staff, slug = personas["staff_a"], maker_a.product.slug

    api = staff.get(f"/api/insights/{slug}/regions/?start=2026-10-01&end=2026-09-01")
    page = staff.get(f"/staff/insights/{slug}/regions/?province=XX")
    export = staff.get(f"/staff/insights/{slug}/regions/provinces.csv?age_band=old")

    assert api.status_code == 400
    assert "end" in api.json()
    assert page.status_code == 400
    assert export.status_code == 400
    assert b"age_band" in export.content
    assert staff.get(f"/api/insights/{slug}/no-such-view/").status_code == 404
    assert staff.get(f"/api/insights/{slug}/regions/?end=0001-01-01").status_code == 400


def test_forecasts_fitted_after_a_rollup_are_ready_before_staff_ask(
    personas, maker_a, demand, monkeypatch, eager_celery
):
    from analytics import dashboards
    from analytics.tasks import rollup_advance_task

    late = Event.objects.filter(kind=K.ORDER_PAID).first()
    late.pk = None
    late.order_reference = "LATE-ONE"
    late.save()
    rollup_advance_task()  # folds it, then fits the default forecasts of every product

    def refit(filters):
        raise AssertionError("the page fitted the models again")

    monkeypatch.setattr(dashboards, "_forecast_tables", refit)
    response = personas["staff_a"].get(f"/staff/insights/{maker_a.product.slug}/forecast/")

    assert response.status_code == 200


@pytest.mark.parametrize("view", ["take-rates", "regions", "funnel", "abandoned"])
def test_a_dashboard_page_costs_the_same_queries_however_much_demand_there_is(
    personas, maker_a, recorder, view
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    address = f"/staff/insights/{maker_a.product.slug}/{view}/"

    def queries_for_page() -> int:
        rollup_advance()
        with CaptureQueriesContext(connection) as captured:
            assert personas["staff_a"].get(address).status_code == 200
        return len(captured)

    orders_by(recorder, 12, ["RED", "W19"], province="11")
    queries_for_page()  # the first view compiles the catalog for its labels
    few = queries_for_page()
    orders_by(recorder, 40, ["WHITE", "W17", "COVERS"], province="44")
    orders_by(recorder, 25, ["RED", "W19", "TOWBAR"], province="31")

    assert queries_for_page() == few
