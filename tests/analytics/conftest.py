"""Events written straight into the table, as the ingestion endpoint and the order
services write them, so that rollups and dashboards can be tested on known figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.models import Consumer, Event
from analytics.rollups import rollup_advance


@pytest.fixture(autouse=True)
def no_rollup_lag(settings):
    settings.ANALYTICS_ROLLUP_LAG_SECONDS = 0


class Recorder:
    def __init__(self, version):
        self.version = version
        self.when = timezone.now() - timedelta(days=1)

    def consumer(self, key: str) -> int:
        return Consumer.objects.get_or_create(key=key)[0].pk

    def event(self, who: str, kind: str, **fields) -> Event:
        fields.setdefault("occurred_at", self.when)
        fields.setdefault("received_at", fields["occurred_at"])
        return Event.objects.create(
            kind=kind,
            consumer_id=self.consumer(who),
            session_id=who.replace(":", "-").ljust(16, "x"),
            product_model=self.version.product_model,
            version=self.version,
            **fields,
        )

    def order(self, who: str, options: list[str], *, price="100000.00", quantity=1, **fields):
        reference = f"R{Event.objects.count():07d}"
        return self.event(
            who,
            Event.Kind.ORDER_PAID,
            options=options,
            unit_price=Decimal(price),
            quantity=quantity,
            order_reference=reference,
            **fields,
        )


@pytest.fixture
def recorder(maker_a):
    return Recorder(maker_a.published)


@pytest.fixture
def rolled_up():
    return rollup_advance
