"""Order placement through HTTP on PostgreSQL with gunicorn, sustained, and checked.

    python -m orders.benchmark [--seconds 60] [--clients 24] [--workers 5] [--product airpure-5]

1. Recreates a scratch PostgreSQL database (C2B_BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/c2b_bench), migrates it and loads the demo data.
2. Serves it with gunicorn (production settings, plain HTTP) and creates API tokens for
   as many consumers as there are clients.
3. For --seconds, each client places orders back to back (a new idempotency key each,
   the whole configuration in the body, token auth), from several processes.
4. Measures a trivial JSON endpoint (/ping/) the same way, in the same run.
5. Checks the database: every 201 is one committed order (lost = 201s without an order;
   duplicates = orders beyond the 201s), and a sample of keys sent again must return the
   same order.

Prints throughput, p50/p99 latency, errors, lost and duplicated orders, and the ratio to
the trivial endpoint.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/c2b_bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped before it answered.")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/ping/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer within {seconds:.0f} s.")


def recreate_database(url: str) -> None:
    import psycopg2

    base, name = url.rsplit("/", 1)
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def prepare(clients: int, product_slug: str) -> tuple[list[str], dict]:
    """Tokens for `clients` consumers, and one complete order body for the product."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from catalog.models import ProductModel
    from configurator.compiled import engine_for
    from configurator.engine.pricing import Selection
    from orders.models import ConsumerProfile

    User = get_user_model()
    tokens = []
    for index in range(clients):
        user, _ = User.objects.get_or_create(
            username=f"bench{index}", defaults={"email": f"bench{index}@c2b.example"}
        )
        ConsumerProfile.objects.get_or_create(
            user=user, defaults={"province": "31", "city": "上海市"}
        )
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    version = ProductModel.objects.get(slug=product_slug).published_version()
    selection = engine_for(version).complete(Selection(), prefer="default")
    body = {
        "product": product_slug,
        "options": sorted(selection.options),
        "numbers": {code: str(value) for code, value in selection.numbers.items()},
        "texts": dict(selection.texts),
        "quantity": 1,
        "province": "31",
        "city": "上海市",
    }
    return tokens, body


def _client(args) -> dict:
    """One client: requests back to back until the deadline."""
    port, path, token, body, deadline = args
    latencies, statuses, keys = [], {}, []
    payload = json.dumps(body).encode() if body is not None else None
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {}
        key = None
        if payload is not None:
            key = uuid.uuid4().hex
            headers = {
                "Authorization": f"Token {token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            }
        started = time.perf_counter()
        try:
            connection.request("POST" if payload else "GET", path, payload, headers)
            response = connection.getresponse()
            text = response.read()
            status = response.status
        except OSError:
            status, text = 0, b""
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 201:
            keys.append((token, key, json.loads(text)["reference"]))
        connection.close()
    return {"latencies": latencies, "statuses": statuses, "keys": keys}


def load(port: int, path: str, tokens: list[str], body, seconds: float, processes: int) -> dict:
    deadline = time.monotonic() + seconds
    jobs = [(port, path, token, body, deadline) for token in tokens]
    started = time.monotonic()
    # Threads would share one GIL with each other; processes spread the load generator.
    with multiprocessing.Pool(processes) as pool:
        results = pool.map(_client, jobs, chunksize=1)
    elapsed = time.monotonic() - started
    latencies = sorted(x for r in results for x in r["latencies"])
    statuses: dict[int, int] = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "elapsed": elapsed,
        "requests": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "statuses": statuses,
        "keys": [k for r in results for k in r["keys"]],
    }


def verify(port: int, placed: list, body: dict, before: int, sample: int = 50) -> dict:
    from orders.models import Order

    committed = Order.objects.count() - before
    references = set(Order.objects.values_list("reference", flat=True))
    answered = {reference for _, _, reference in placed}
    replays_differing = 0
    for token, key, reference in placed[:sample]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(
            "POST",
            "/api/orders/",
            json.dumps(body).encode(),
            {
                "Authorization": f"Token {token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            },
        )
        response = connection.getresponse()
        data = json.loads(response.read())
        if response.status != 201 or data.get("reference") != reference:
            replays_differing += 1
        connection.close()
    return {
        "committed": committed,
        "lost": len(answered - references),
        "duplicates": committed - len(answered),
        "replays_checked": min(sample, len(placed)),
        "replays_differing": replays_differing,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes")
    parser.add_argument("--processes", type=int, default=4, help="load-generator processes")
    parser.add_argument("--product", default="airpure-5")
    args = parser.parse_args()

    database = os.environ.get("C2B_BENCH_DATABASE_URL", DEFAULT_DATABASE)
    scratch = Path(tempfile.mkdtemp(prefix="c2b-bench-"))
    (scratch / "static").mkdir()  # the API serves no static files; this keeps WhiteNoise quiet
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "order-benchmark-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(scratch / "static"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)  # placing an order enqueues nothing
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    print(f"Database {database}: recreating, migrating, loading the demo", flush=True)
    recreate_database(database)
    for step in (["migrate", "--no-input"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *step, "-v", "0"],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    tokens, body = prepare(args.clients, args.product)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "c2b.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--access-logfile", os.devnull,
         "--error-logfile", str(scratch / "gunicorn.log")],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        load(port, "/api/orders/", tokens[:4], body, 3, min(4, args.processes))  # warm up
        from orders.models import Order

        before = Order.objects.count()
        print(
            f"Placing {args.product} orders for {args.seconds:.0f} s: {args.clients} clients, "
            f"{args.workers} gunicorn workers, {args.processes} load processes",
            flush=True,
        )
        orders = load(port, "/api/orders/", tokens, body, args.seconds, args.processes)
        ping = load(port, "/ping/", tokens, None, min(args.seconds, 15), args.processes)
        checked = verify(port, orders["keys"], body, before)
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = sum(n for status, n in orders["statuses"].items() if status != 201)
    print(f"\norders      {orders['rate']:7.1f}/s  p50 {orders['p50']:6.1f} ms  "
          f"p99 {orders['p99']:6.1f} ms  {orders['requests']} requests  statuses "
          f"{orders['statuses']}")  # fmt: skip
    print(
        f"/ping/      {ping['rate']:7.1f}/s  p50 {ping['p50']:6.1f} ms  p99 {ping['p99']:6.1f} ms"
    )
    print(f"ratio       throughput {ping['rate'] / orders['rate']:.1f}x, p50 "
          f"{orders['p50'] / ping['p50']:.1f}x the trivial endpoint")  # fmt: skip
    print(f"checked     committed {checked['committed']}, errors {errors}, lost "
          f"{checked['lost']}, duplicates {checked['duplicates']}, replays "
          f"{checked['replays_checked']} with {checked['replays_differing']} "
          "differing")  # fmt: skip
    healthy = errors == 0 and checked["lost"] == 0 and checked["duplicates"] == 0
    return 0 if healthy and checked["replays_differing"] == 0 else 1


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2b.settings")
    sys.exit(main())
