"""A consumer in a real browser: Playwright drives Debian's Chromium (by executable path;
browser downloads are not possible here) against a live test server."""

import os
import shutil

import pytest
from django.db import connection

from configurator.models import SavedConfiguration

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it",
    ),
]


@pytest.fixture(scope="module", autouse=True)
def live_server_sessions_closed(django_db_blocker):
    """The live server answers each request in its own thread; one can outlive the tests
    with its PostgreSQL session open, and the test database then cannot be dropped. They
    are closed once the module is done: closing them between tests would also close the
    one the test body uses inside Playwright's context, which the next test reuses."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server answers in
    # its own thread, so the ORM use in this test body is safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_consumer_configures_resolves_a_conflict_saves_and_shares(
    live_server, maker_a, browser, tmp_path
):
    page = browser.new_page()
    page.goto(f"{live_server.url}/configure/rover-a/")

    # Choosing the tow bar excludes red paint, with the reason in words.
    page.check("input[value=TOWBAR]")
    page.wait_for_selector("input[value=RED][disabled]")
    assert "No red tow cars." in page.inner_text("#group-PAINT")

    # Choosing red anyway asks first, then gives up the tow bar.
    page.click("#group-PAINT .choose-anyway")
    page.wait_for_selector(".proposal")
    assert "Tow bar (Extras)" in page.inner_text(".proposal")
    page.click("text=Yes, choose it")
    page.wait_for_selector("input[value=RED]:checked")
    assert not page.is_checked("input[value=TOWBAR]")
    assert "g_PAINT=RED" in page.url

    # Save it, then open the share link as somebody else.
    page.fill("#save-name", "Red rover")
    page.click(".save-form button")
    page.wait_for_selector("text=Start from this")
    share_url = page.url
    page.screenshot(path=str(tmp_path / "saved.png"))

    visitor = browser.new_context().new_page()
    visitor.goto(share_url)
    assert "Red rover" in visitor.inner_text("h1")
    assert "Delete this configuration" not in visitor.content()
    visitor.click("text=Start from this")
    visitor.wait_for_selector("input[value=RED]:checked")

    assert SavedConfiguration.objects.get().options == ["RED"]


def _screenshot(page, name: str, tmp_path) -> None:
    """Saved to C2B_SCREENSHOTS when set (how the README's pictures are made)."""
    folder = os.environ.get("C2B_SCREENSHOTS")
    page.screenshot(path=str(tmp_path / name) if not folder else os.path.join(folder, name))


def test_consumer_signs_in_orders_pays_the_deposit_and_follows_the_order(
    live_server, maker_a, consumer1, browser, tmp_path
):
    from orders.models import Order
    from tests.factories import PASSWORD

    page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-US")
    page.goto(f"{live_server.url}/configure/rover-a/?g_PAINT=WHITE&g_WHEELS=W17")
    page.click("text=Order this")

    # Ordering needs an account: sign in, and come back to the order page.
    page.fill("input[name=username]", "consumer1")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Deposit now (10%)")
    page.fill("input[name=quantity]", "2")
    page.wait_for_selector("#order-totals >> text=¥200,000.00")
    page.select_option("select[name=region]", "31|上海市")
    _screenshot(page, "order.png", tmp_path)
    page.click("text=Order and pay the deposit")

    # The provider's hosted page, then back to the order.
    page.wait_for_selector("text=Sandbox payment provider")
    page.click("button[value=pay]")
    page.wait_for_selector("text=Deposit paid")
    assert "Joined production batch 1." in page.inner_text(".timeline")
    _screenshot(page, "order-paid.png", tmp_path)

    order = Order.objects.get()
    assert order.state == Order.State.PAID
    assert order.quantity == 2
    assert order.consumer == consumer1


def test_the_configurator_page_reports_what_the_consumer_does(live_server, maker_a, browser):
    from analytics.models import Event

    page = browser.new_page()
    page.goto(f"{live_server.url}/configure/rover-a/")

    page.check("input[value=TOWBAR]")
    page.wait_for_selector("input[value=RED][disabled]")
    page.click("#group-PAINT .choose-anyway")
    page.wait_for_selector(".proposal")
    page.click("text=Yes, choose it")
    page.wait_for_selector("input[value=RED]:checked")
    page.fill("#option-search", "jetpack")
    page.wait_for_timeout(1200)  # the search is reported once typing pauses

    # the page sends its batch within five seconds
    for _ in range(40):
        if Event.objects.filter(kind=Event.Kind.SEARCH).exists():
            break
        page.wait_for_timeout(250)
    kinds = {(e.kind, e.option_code, e.resolution, e.query, e.matched) for e in Event.objects.all()}
    assert ("product_viewed", "", "", "", None) in kinds
    assert ("option_selected", "TOWBAR", "", "", None) in kinds
    assert ("exclusion_hit", "RED", "", "", None) in kinds
    assert ("exclusion_resolved", "RED", "accepted", "", None) in kinds
    assert ("search", "", "", "jetpack", False) in kinds
    assert {e.version_id for e in Event.objects.all()} == {maker_a.published.pk}
