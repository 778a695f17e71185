"""Where the tests find their files: the checkout, its test data, and the shared data sets
beside it (present on the development machine, absent on a fresh one)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEST_DATA = REPO / "tests" / "data"
SHARED_DATA = REPO.parent / "shared" / "data"
