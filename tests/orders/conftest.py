import pytest


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    """Outbox work runs in-process here unless a test starts a real worker."""
    return
