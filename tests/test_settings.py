import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from c2b.environment import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "c2b.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("raw", "value"), [("true", True), ("0", False), ("Yes", True), ("", False)]
)
def test_booleans_are_read_in_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("SOME_FLAG", raw)

    assert env_bool("SOME_FLAG", default=not value) is value


def test_a_misspelt_boolean_stops_start_up_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")

    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG='ture' is not a boolean"):
        env_bool("SOME_FLAG", default=False)


def test_numbers_must_be_whole_and_above_their_minimum(monkeypatch):
    monkeypatch.setenv("WORKERS", "two")
    with pytest.raises(ImproperlyConfigured, match="WORKERS='two' is not a whole number"):
        env_int("WORKERS", 1)
    monkeypatch.setenv("WORKERS", "-1")
    with pytest.raises(ImproperlyConfigured, match="WORKERS=-1 is below its minimum of 0"):
        env_int("WORKERS", 1, minimum=0)


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")

    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false" in result.stderr


def test_database_and_broker_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'],"
        " s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
    )
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/somewhere",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
    }

    result = run_manage("shell", "--no-imports", "-c", code, env=env)

    assert result.stdout.split() == [
        "django.db.backends.postgresql", "somewhere", "False", "RedisCache",
    ]  # fmt: skip


def test_without_a_broker_tasks_run_in_process():
    code = "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)"

    result = run_manage("shell", "--no-imports", "-c", code, env={"CELERY_BROKER_URL": ""})

    assert result.stdout.strip() == "True"


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "c2b" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()

    assert names, "expected settings to read environment variables"
    assert sorted(n for n in names if n not in example) == []
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
