"""Faults on the real stack: gunicorn, a Celery worker and Celery beat, on PostgreSQL and
Redis, with TCP proxies in front of both so a test can take either away and bring it back.

Each test prints what it counted: committed, processed, duplicated, lost.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from orders.models import EmailLog, Order, OutboxMessage
from orders.payments.sandbox import SandboxProvider, callback_for
from tests.faults import TcpProxy, free_port
from tests.orders.helpers import checkout_of, order_body

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BROKER_DB = 7  # a Redis database of its own, so a test never meets another's messages


@dataclass
class Stack:
    base: str
    database: TcpProxy
    redis: TcpProxy
    worker: subprocess.Popen
    mail_dir: Path

    def post(self, path: str, body: bytes, headers: dict) -> tuple[int, dict, float]:
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        return status, json.loads(text or b"{}"), time.monotonic() - started

    def callback(self, checkout_id: str) -> int:
        body, headers, _ = callback_for(checkout_id)
        return self.post(
            "/api/payments/sandbox/callback/",
            body,
            {**headers, "Content-Type": "application/json"},
        )[0]

    def order(self, token: str, key: str, body: dict) -> tuple[int, dict, float]:
        return self.post(
            "/api/orders/",
            json.dumps(body).encode(),
            {
                "Authorization": f"Token {token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            },
        )

    def emails_sent(self) -> int:
        return len(list(self.mail_dir.glob("sent-*")))

    def attempts_started(self) -> int:
        return len(list(self.mail_dir.glob("started-*")))


def _database_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    return f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"


def _wait(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"Timed out after {seconds:.0f} s waiting for {what}.")


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture
def stack(tmp_path, maker_a):
    database_proxy = TcpProxy(connection.settings_dict["HOST"] or "127.0.0.1", 5432).start()
    redis_proxy = TcpProxy("127.0.0.1", 6379).start()
    name = connection.settings_dict["NAME"]
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    direct_db = f"{_database_url()}/{name}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{database_proxy.port}/{name}",
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_proxy.port}/{BROKER_DB}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}/{BROKER_DB + 1}",
        "PAYMENT_SANDBOX_WEBHOOKS": "off",
        "EMAIL_BACKEND": "tests.orders.slow_mail.SlowEmailBackend",
        "SLOW_MAIL_DIR": str(mail_dir),
        "SLOW_MAIL_SECONDS": "0",
        "OUTBOX_RELAY_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(["redis-cli", "-n", str(BROKER_DB), "flushdb"], check=False, capture_output=True)
    port = free_port()
    logs = tmp_path / "logs"
    logs.mkdir()
    processes = []

    def spawn(args, log_name, extra_env=None):
        log = open(logs / log_name, "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            args, cwd=ROOT, env={**env, **(extra_env or {})}, stdout=log, stderr=log
        )
        processes.append((process, log))
        return process

    spawn(
        [str(BIN / "gunicorn"), "c2b.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--timeout", "60"],
        "gunicorn.log",
    )  # fmt: skip
    worker = spawn(
        [str(BIN / "celery"), "-A", "c2b", "worker", "--pool=prefork", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
         f"--hostname=faults-{uuid.uuid4().hex[:6]}@%h"],
        "worker.log",
        # The worker reads and writes the database directly: the outage under test is
        # between the web server and its services.
        {"DATABASE_URL": direct_db},
    )  # fmt: skip
    spawn(
        [str(BIN / "celery"), "-A", "c2b", "beat", "--loglevel=INFO",
         "--schedule", str(tmp_path / "beat-schedule")],
        "beat.log",
        {"DATABASE_URL": direct_db},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: _up(base + "/healthz/"), 60, "gunicorn")
        yield Stack(base, database_proxy, redis_proxy, worker, mail_dir)
    finally:
        for process, _log in processes:
            process.terminate()
        for process, log in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
        if os.environ.get("C2B_FAULT_LOGS"):
            for path in logs.iterdir():
                print(f"--- {path.name}\n{path.read_text()[-4000:]}")
        database_proxy.stop()
        redis_proxy.stop()
        subprocess.run(
            ["redis-cli", "-n", str(BROKER_DB), "flushdb"], check=False, capture_output=True
        )
        connection.close()


def _pending_orders(count: int, user, maker) -> list[Order]:
    """Orders placed and paid at the provider, waiting for its callback."""
    from configurator.engine.pricing import Selection
    from orders.services import order_place, order_quote

    body = order_body()
    orders = []
    for _ in range(count):
        quote = order_quote(
            version=maker.published,
            selection=Selection(frozenset(body["options"]), body["numbers"], {}),
            quantity=1,
            province=body["province"],
            city=body["city"],
        )
        order = order_place(user=user, quote=quote, client_key=uuid.uuid4().hex)
        SandboxProvider().pay(checkout_of(order), succeed=True)
        orders.append(order)
    return orders


def test_redis_stopped_while_orders_are_paid_then_started_delivers_all_work_once(
    stack, consumer1, maker_a
):
    orders = _pending_orders(10, consumer1, maker_a)
    stack.redis.stop()

    statuses = [stack.callback(checkout_of(order)) for order in orders]
    committed = Order.objects.filter(state=Order.State.PAID).count()
    waiting = OutboxMessage.objects.filter(published_at__isnull=True).count()
    stack.redis.start()
    _wait(
        lambda: not OutboxMessage.objects.filter(processed_at__isnull=True).exists(),
        90,
        "the outbox to drain once Redis is back",
    )
    time.sleep(2)  # let any duplicate delivery arrive before counting

    sent = stack.emails_sent()
    logged = EmailLog.objects.count()
    print(f"\nRedis down during 10 payments: callbacks {statuses.count(200)}x200; orders "
          f"committed {committed}; messages held {waiting}; processed "
          f"{OutboxMessage.objects.filter(processed_at__isnull=False).count()}; e-mails sent "
          f"{sent} (duplicated {sent - 10}, lost {10 - sent})")  # fmt: skip
    assert statuses == [200] * 10
    assert committed == 10
    assert waiting == 10  # one payment e-mail each, held while the broker was away
    assert sent == logged == 10
    assert OutboxMessage.objects.filter(processed_at__isnull=True).count() == 0


def test_a_worker_killed_mid_task_runs_it_again_and_its_effect_happens_once(
    stack, consumer1, maker_a
):
    (order,) = _pending_orders(1, consumer1, maker_a)
    # The worker sends slowly from here on: restart it with a slow mailer.
    stack.worker.send_signal(signal.SIGTERM)
    stack.worker.wait(timeout=30)
    slow = subprocess.Popen(
        [str(BIN / "celery"), "-A", "c2b", "worker", "--pool=prefork", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
         f"--hostname=slow-{uuid.uuid4().hex[:6]}@%h"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"{_database_url()}/{connection.settings_dict['NAME']}",
             "CELERY_BROKER_URL": f"redis://127.0.0.1:{stack.redis.port}/{BROKER_DB}",
             "REDIS_URL": f"redis://127.0.0.1:{stack.redis.port}/{BROKER_DB + 1}",
             "EMAIL_BACKEND": "tests.orders.slow_mail.SlowEmailBackend",
             "SLOW_MAIL_DIR": str(stack.mail_dir), "SLOW_MAIL_SECONDS": "6",
             "LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert stack.callback(checkout_of(order)) == 200
        _wait(lambda: stack.attempts_started() >= 1, 60, "the e-mail task to start")
        children = subprocess.run(
            ["pgrep", "-P", str(slow.pid)], capture_output=True, text=True
        ).stdout.split()
        for child in children:
            os.kill(int(child), signal.SIGKILL)
        _wait(
            lambda: not OutboxMessage.objects.filter(processed_at__isnull=True).exists(),
            90,
            "the killed task to run again",
        )
    finally:
        slow.terminate()
        slow.wait(timeout=30)

    print(f"\nWorker killed mid-send: attempts {stack.attempts_started()}, e-mails sent "
          f"{stack.emails_sent()}, logged {EmailLog.objects.count()}; killed processes "
          f"{len(children)}")  # fmt: skip
    assert children
    assert stack.attempts_started() >= 2
    assert stack.emails_sent() == 1
    assert EmailLog.objects.count() == 1


def test_postgresql_stopped_is_a_fast_503_and_the_retry_returns_the_same_order(stack, consumer1):
    token = Token.objects.create(user=consumer1).key
    stack.database.stop()

    down = [stack.order(token, "outage-key", order_body()) for _ in range(3)]
    stack.database.start()
    up = stack.order(token, "outage-key", order_body())
    again = stack.order(token, "outage-key", order_body())

    print(f"\nPostgreSQL down: answers {[d[0] for d in down]} in "
          f"{max(d[2] for d in down):.2f} s at most; after restart {up[0]}, {again[0]}; "
          f"orders committed {Order.objects.count()}")  # fmt: skip
    assert [status for status, _, _ in down] == [503, 503, 503]
    assert max(seconds for _, _, seconds in down) < 5
    assert up[0] == again[0] == 201
    assert up[1]["reference"] == again[1]["reference"]
    assert Order.objects.count() == 1
