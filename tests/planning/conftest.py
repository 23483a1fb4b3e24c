from pathlib import Path

import pytest

CSPLIB = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "car-sequencing" / "csplib"
)


@pytest.fixture
def csplib_dir() -> Path:
    if not CSPLIB.is_dir():
        pytest.skip("../shared/data/car-sequencing/csplib is not beside the checkout")
    return CSPLIB
