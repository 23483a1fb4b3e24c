import pytest

from orders.models import BatchPolicy, DemandBatch, PlanningSettings
from tests.orders.helpers import drain, order_body, pay, place


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """Outbox work runs in-process here unless a test starts a real worker."""
    return


SUNROOF_RED = {"options": ["RED", "W19", "SUNROOF"]}
COVERS = {"options": ["WHITE", "W17", "COVERS"]}


@pytest.fixture
def launched(client, personas, maker_a, django_capture_on_commit_callbacks):
    """A batch of 4 units launched: 2 red with a sunroof, 2 white with seat covers; the
    launch starts a planning job once it commits."""
    BatchPolicy.objects.create(product_model=maker_a.product, minimum_quantity=4, cutoff_days=7)
    PlanningSettings.objects.create(manufacturer=maker_a.manufacturer, solver_seconds=2)
    for shopper, body in (("consumer1", SUNROOF_RED), ("consumer2", COVERS)):
        reference = place(personas[shopper], order_body(quantity=2, **body)).json()["reference"]
        pay(client, reference)
    with django_capture_on_commit_callbacks(execute=True):
        drain()
    batch = DemandBatch.objects.get()
    assert batch.status == DemandBatch.Status.LAUNCHED
    return batch
