"""CI promises real services; these guard against a silent fall-back to the defaults."""

import os

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.skipif(
    not os.environ.get("PORTAL_CI"), reason="only where .ci/run sets PORTAL_CI"
)


def test_ci_runs_the_suite_on_postgresql(db):
    assert connection.vendor == "postgresql"


def test_ci_sends_tasks_through_redis():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
