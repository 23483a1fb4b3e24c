"""Fuzz the REST API against its own OpenAPI schema, signed in as every persona.

1. Migrate a scratch database (DATABASE_URL if set, else a temporary SQLite file) and
   load the demo data.
2. Serve it with gunicorn on a free loopback port, production settings but plain HTTP.
3. Sign each demo persona in through the login form, then run schemathesis with their
   session cookie; any server error or response that breaks the schema fails the run.

Run it as `python3 dev.py fuzz [extra schemathesis options]`.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PERSONAS = {
    "anonymous": None,
    "admin": "admin",
    "staff of Aurora Motors": "staff-aurora",
    "staff of Qingfeng Home": "staff-qingfeng",
    "consumer 1": "consumer1",
    "consumer 2": "consumer2",
}
DEMO_PASSWORD = "c2b-demo-2026"
MAX_EXAMPLES = os.environ.get("C2B_FUZZ_EXAMPLES", "40")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, scratch: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "STATIC_ROOT": f"{scratch}/static",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "schema-fuzz-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        # Fuzzing signs six personas in from one address; keep lockouts out of the way.
        "AXES_FAILURE_LIMIT": "1000",
        # Thousands of deliberate 4xx answers would bury the one server error that matters.
        "LOG_LEVEL": "ERROR",
    }


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("The server stopped before it answered.")
        try:
            with urlopen(url, timeout=2):
                return
        except (URLError, ConnectionError, OSError):
            time.sleep(0.5)
    sys.exit(f"The server did not answer {url} within {seconds:.0f} s.")


def sign_in(base: str, username: str) -> str:
    """Log in through the real form and return the session id."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or found is None:
        sys.exit(f"The login page answered {page.status_code} without a form.")
    token = found.group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        sys.exit(f"Could not sign {username} in (status {response.status_code}).")
    return session.cookies["sessionid"]


# The session cookie is given as the schema's own cookieAuth scheme, so that schemathesis
# knows it is the credential and can also check that protected operations refuse requests
# without it.
AUTH_CONFIG = """
[auth.openapi.cookieAuth]
api_key = "${C2B_FUZZ_SESSION}"
"""


def fuzz_as(persona: str, session_id: str | None, base: str, scratch: str, extra: list[str]) -> int:
    print(f"\n=== schemathesis as {persona} ===", flush=True)
    config = Path(scratch) / ("signed-in.toml" if session_id else "anonymous.toml")
    config.write_text(AUTH_CONFIG if session_id else "")
    env = {**os.environ, "C2B_FUZZ_SESSION": session_id or ""}
    command = [
        str(BIN / "schemathesis"), "--config-file", str(config),
        "run", f"{base}/api/schema/?format=json",
        "--checks", "all",
        # This check expects every schema-valid request to succeed, so it flags any API
        # that validates meaning as well as shape: an unknown option code is a schema-valid
        # string that must get a 400.
        "--exclude-checks", "positive_data_acceptance",
        "--max-examples", MAX_EXAMPLES,
        "--seed", "20261125",
        "--request-timeout", "20",
        "--no-color",
    ]  # fmt: skip
    return subprocess.run(command + extra, cwd=ROOT, env=env).returncode


def main(extra: list[str]) -> int:
    scratch = tempfile.mkdtemp(prefix="c2b-fuzz-")
    database_url = os.environ.get("C2B_FUZZ_DATABASE_URL") or f"sqlite:///{scratch}/fuzz.sqlite3"
    port = free_port()
    env = server_env(database_url, scratch)
    manage = [sys.executable, "manage.py"]
    for step in (["collectstatic", "--no-input"], ["migrate", "--no-input"], ["seed_demo"]):
        subprocess.run([*manage, *step, "-v", "0"], cwd=ROOT, env=env, check=True)
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        # No request-line limit here: the fuzzer's long query strings should reach the
        # application's own validation rather than stop at the HTTP server.
        [str(BIN / "gunicorn"), "c2b.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--limit-request-line", "0",
         "--access-logfile", os.devnull, "--error-logfile", f"{scratch}/gunicorn.log"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_until_up(f"{base}/healthz/", server)
        failed = []
        for persona, username in PERSONAS.items():
            session_id = sign_in(base, username) if username else None
            if fuzz_as(persona, session_id, base, scratch, extra) != 0:
                failed.append(persona)
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failed:
        print(f"\nSchema fuzzing failed for: {', '.join(failed)}")
        print(f"Server log: {scratch}/gunicorn.log")
        return 1
    print("\nSchema fuzzing passed for every persona.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
