"""Fixtures of the impersonation watch's tests: a clean rate limiter, the searches the
job may use (the real Bluesky one, and doubles defined in the tests), and an office."""

import pytest

from lookalikes import search as searches
from metrics import limiter
from portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _clean_limiter(settings):
    """Each test starts with no booked request slots (the limiter outlives tests)."""
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}
    # Eager retries run at once, inside apply(), only when exceptions are not
    # propagated (as in metrics/tests/test_collection.py).
    celery_app.conf.task_eager_propagates = False
    limiter.backend().reset()
    yield
    limiter.backend().reset()


@pytest.fixture
def use_searches(monkeypatch):
    """Make the job use these Search classes (dotted paths) only."""

    def use(*paths):
        monkeypatch.setattr(searches, "SEARCHES", {str(i): path for i, path in enumerate(paths)})

    return use
