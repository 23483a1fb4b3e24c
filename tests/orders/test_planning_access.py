"""Who may see and act on production plans and planning jobs, for every persona: the
manufacturer's own staff and admins; another maker's staff get 404, consumers 403."""

import pytest
from django.urls import reverse

from orders.models import PlanningJob, ProductionPlan
from tests.conftest import PERSONAS

READERS = {"staff_a": 200, "admin": 200}
PAGE_REFUSED = {"staff_b": 404, "consumer1": 403, "consumer2": 403, "anonymous": 302}
API_REFUSED = {"staff_b": 404, "consumer1": 403, "consumer2": 403, "anonymous": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_plan_pages_and_exports_are_for_the_makers_staff_and_admins(launched, personas, persona):
    client = personas[persona]
    plan = ProductionPlan.objects.get()
    job = PlanningJob.objects.get()
    urls = [
        reverse("plan-detail", args=[plan.pk]),
        reverse("plan-csv", args=[plan.pk]),
        reverse("plan-materials-csv", args=[plan.pk]),
        reverse("planning-job", args=[job.pk]),
    ]
    expected = READERS.get(persona) or PAGE_REFUSED[persona]
    for url in urls:
        assert client.get(url).status_code == expected, url
    listing = client.get(reverse("plan-list"))
    assert listing.status_code == (200 if persona in READERS or persona == "staff_b" else expected)
    if persona == "staff_b":  # their own (empty) list: nothing of maker A's
        assert f"#{plan.pk}" not in listing.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_plans_api_is_for_the_makers_staff_and_admins(launched, personas, persona):
    client = personas[persona]
    plan = ProductionPlan.objects.get()
    job = PlanningJob.objects.get()
    expected = READERS.get(persona) or API_REFUSED[persona]

    detail = client.get(reverse("api-plan", args=[plan.pk]))
    job_detail = client.get(reverse("api-planning-job", args=[job.pk]))
    listing = client.get(reverse("api-plans"))
    jobs = client.get(reverse("api-planning-jobs"))

    assert detail.status_code == job_detail.status_code == expected
    if expected == 200:
        assert len(detail.json()["entries"]) == 4
        assert detail.json()["entries"][0]["why"]
    if persona == "staff_b":
        assert listing.json()["results"] == jobs.json()["results"] == []
    elif persona in READERS:
        assert [row["id"] for row in listing.json()["results"]] == [plan.pk]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in READERS])
def test_nobody_else_can_approve_reject_release_or_cancel(launched, personas, persona):
    client = personas[persona]
    plan = ProductionPlan.objects.get()
    job = PlanningJob.objects.create(manufacturer=plan.manufacturer, start_date="2027-01-04")

    for action in ("approve", "reject", "release"):
        page = client.post(reverse("plan-decide", args=[plan.pk, action]))
        api = client.post(reverse(f"api-plan-{action}", args=[plan.pk]))
        assert page.status_code == PAGE_REFUSED[persona]
        assert api.status_code == API_REFUSED[persona]
    cancel_page = client.post(reverse("planning-job-cancel", args=[job.pk]))
    cancel_api = client.post(reverse("api-planning-job-cancel", args=[job.pk]))
    assert cancel_page.status_code == PAGE_REFUSED[persona]
    assert cancel_api.status_code == API_REFUSED[persona]

    plan.refresh_from_db()
    job.refresh_from_db()
    assert plan.state == ProductionPlan.State.DRAFT
    assert job.state == PlanningJob.State.QUEUED


@pytest.mark.parametrize("persona", ["consumer1", "anonymous"])
def test_consumers_cannot_ask_for_plans(launched, personas, persona):
    client = personas[persona]

    page = client.post(reverse("plan-request"))
    api = client.post(reverse("api-planning-jobs"), {}, content_type="application/json")

    assert page.status_code == PAGE_REFUSED[persona]
    assert api.status_code == 403
    assert PlanningJob.objects.count() == 1


def test_staff_approve_through_the_api_and_a_second_approval_is_refused(launched, personas):
    plan = ProductionPlan.objects.get()
    client = personas["staff_a"]

    first = client.post(reverse("api-plan-approve", args=[plan.pk]))
    second = client.post(reverse("api-plan-approve", args=[plan.pk]))

    assert first.status_code == 200
    assert first.json()["state"] == "approved"
    assert second.status_code == 409
    assert "Only a draft" in second.json()["state"]


def test_admins_name_the_manufacturer_when_asking_for_a_plan(launched, personas, maker_a):
    client = personas["admin"]

    unnamed = client.post(reverse("api-planning-jobs"), {}, content_type="application/json")
    unknown = client.post(
        reverse("api-planning-jobs"), {"manufacturer": 999_999}, content_type="application/json"
    )
    bad = client.post(
        reverse("api-planning-jobs"), {"batches": ["x"]}, content_type="application/json"
    )

    assert unnamed.status_code == unknown.status_code == bad.status_code == 400
    assert "manufacturer" in unnamed.json()
    assert "manufacturer" in unknown.json()
    assert "batches" in bad.json()
