"""Run callables at the same moment from separate threads, each with its own database
connection, as concurrent requests to a multi-worker server would."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def concurrently(calls: list[Callable], timeout: float = 120) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call: Callable) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # reported to the test, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
