#!/usr/bin/env python3
"""Developer entry point; needs only Python 3.11+ on the machine.

    python3 dev.py demo    create .venv, install, migrate, load demo data, print logins, serve
    python3 dev.py test    create .venv, install, run the test suite (pytest arguments pass through)
    python3 dev.py fuzz    serve the demo on a spare port and fuzz the API schema as every persona
    python3 dev.py lint    ruff, formatting, missing migrations, deployment checks

The virtualenv is reinstalled only when pyproject.toml changes. Environment variables
(DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, ...) are passed through, so the same commands
run against PostgreSQL and Redis when those are set, as CI does.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("C2B_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".c2b-installed"
DEMO_ADDRESS = os.environ.get("C2B_DEMO_ADDRESS", "127.0.0.1:8000")


def say(message: str) -> None:
    print(f"\033[1m==> {message}\033[0m", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def requirements(extras: tuple[str, ...]) -> list[str]:
    import tomllib  # here, so that an older Python reaches the version check's message

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    return wanted


def ensure_venv(extras: tuple[str, ...] = ("dev",)) -> None:
    """Create the virtualenv and install what pyproject.toml asks for, once per change."""
    # dev.py runs on whatever python3 the machine has, so it checks before anything else.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit(f"Python 3.11 or newer is needed (found {sys.version.split()[0]}).")
    wanted = requirements(extras)
    fingerprint = hashlib.sha256("\n".join(sorted(wanted)).encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    if not PYTHON.exists():
        say(f"Creating a virtualenv in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("Installing dependencies (first run takes a minute)")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", *wanted)
    STAMP.write_text(fingerprint)


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    run(PYTHON, "manage.py", *args, env=env)


def demo(args: list[str]) -> None:
    ensure_venv()
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "true")}
    say("Migrating the database")
    manage("migrate", "--no-input", "-v", "0", env=env)
    say("Loading the demo data")
    manage("seed_demo", env=env)
    say(f"Serving on http://{DEMO_ADDRESS}/ (admin: /admin/, API docs: /api/docs/; Ctrl-C stops)")
    manage("runserver", DEMO_ADDRESS, *args, env=env)


def test(args: list[str]) -> None:
    ensure_venv()
    database = os.environ.get("DATABASE_URL", "the embedded SQLite database")
    say(f"Running the tests against {database}")
    # Live-server request threads would otherwise keep their connections open, and the
    # test database could not be dropped at the end.
    env = {**os.environ, "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "0")}
    run(PYTHON, "-m", "pytest", *args, env=env)


def lint(args: list[str]) -> None:
    ensure_venv()
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    manage("makemigrations", "--check", "--dry-run")
    production = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "lint-only-" + hashlib.sha256(b"c2b-lint").hexdigest(),
        "DJANGO_ALLOWED_HOSTS": "c2b.example.com",
    }
    manage("check", "--deploy", "--fail-level", "WARNING", env=production)


def fuzz(args: list[str]) -> None:
    ensure_venv(("dev", "fuzz"))
    run(PYTHON, "-m", "c2b.schema_fuzz", *args)


COMMANDS = {"demo": demo, "test": test, "fuzz": fuzz, "lint": lint}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
