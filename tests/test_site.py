import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_health_check_reports_database_and_cache(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_health_check_answers_503_naming_a_database_that_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("c2b.site_views.connection.cursor", broken_cursor)

    response = client.get("/healthz/")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_browsers_asking_for_favicon_ico_get_the_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("c2b/favicon.svg")
