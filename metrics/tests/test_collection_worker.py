"""Collection through the real broker and real workers, against the local platform
server: exactly one snapshot per channel and day after a run, after a second run, after
a task delivered twice, and after a worker killed in the middle of a run."""

import contextlib
import datetime
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from metrics.fake_api import FakePlatformServer, expected_followers
from metrics.models import CollectionAttempt, Snapshot
from metrics.tasks import collect_all, collect_channel
from portal.celery import app
from portal.tests.factories import make_channel
from portal.tests.services import kill, wait_until, worker_database_url, worker_process

pytestmark = [pytest.mark.real_celery, pytest.mark.django_db(transaction=True)]

DAY = "2026-11-20"


def purge(queue="metrics"):
    with app.connection_for_write() as conn, contextlib.suppress(conn.channel_errors):
        conn.default_channel.queue_purge(queue)


@pytest.fixture
def fake_server(settings):
    with FakePlatformServer() as server:
        settings.METRICS_API_BASE_URL = server.url
        settings.METRICS_RATE_LIMITS = {"default": 1000.0}
        settings.METRICS_RETRY_BASE_SECONDS = 1
        yield server


@pytest.fixture
def channels(unit, submitter):
    made = [
        make_channel(
            unit=unit,
            owner=submitter,
            platform="mastodon",
            profile_url=f"https://mastodon.example/@w{i}",
        )
        for i in range(4)
    ]
    purge()
    yield made
    purge()


def test_a_run_through_the_broker_leaves_one_snapshot_per_channel_however_often_sent(
    channels, fake_server
):
    collect_all.delay(DAY)
    with start_worker(app, pool="solo", perform_ping_check=False, queues=["metrics"]):
        wait_until(lambda: Snapshot.objects.count() == 4, message="four snapshots")
        asked = len(fake_server.requests())

        # A second beat by mistake, and one channel's task delivered twice.
        collect_all.delay(DAY)
        collect_channel.delay(channels[0].pk, DAY)
        collect_channel.delay(channels[0].pk, DAY)
        wait_until(lambda: queue_length() == 0, message="the queue to drain")
        time.sleep(0.5)  # the last task taken finishes

    assert asked == 12  # WebFinger, the account and its posts of each
    assert len(fake_server.requests()) == 12
    assert sorted(Snapshot.objects.values_list("channel_id", "followers")) == sorted(
        (c.pk, expected_followers("mastodon", f"w{i}")) for i, c in enumerate(channels)
    )
    assert CollectionAttempt.objects.count() == 4


def test_a_real_worker_retries_with_growing_delays(channels, fake_server):
    fake_server.script("acct=w0", "500", "503", "500")
    collect_channel.delay(channels[0].pk, DAY)

    with start_worker(app, pool="solo", perform_ping_check=False, queues=["metrics"]):
        wait_until(lambda: Snapshot.objects.filter(channel=channels[0]).exists(), timeout=30)

    times = [t for t, _p, path, _s in fake_server.requests() if path.endswith("lookup")]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3
    # Backoff of 1 s doubling, jittered within its upper half: 0.5-1, 1-2, 2-4 s.
    assert 0.4 <= gaps[0] <= 1.5 and 0.9 <= gaps[1] <= 2.5 and 1.9 <= gaps[2] <= 4.5
    assert gaps[0] < gaps[2]
    assert list(
        CollectionAttempt.objects.order_by("started_at").values_list("outcome", "will_retry")
    ) == [("error", True), ("error", True), ("error", True), ("ok", False)]


def queue_length(queue="metrics"):
    with app.connection_for_write() as conn:
        try:
            return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
        except conn.channel_errors:
            return 0


# --- A worker killed half-way --------------------------------------------------------


def metrics_worker(server_url):
    """A worker in its own process, on the test database, with a short visibility
    timeout so that the messages a killed worker held come back within seconds."""
    env = {
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "METRICS_API_BASE_URL": server_url,
        "METRICS_RATE_LIMITS": "mastodon=1000",
    }
    return worker_process(env, queues="metrics")


@pytest.fixture
def real_services():
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        reason = "a worker in another process needs PostgreSQL and Redis"
        if os.environ.get("PORTAL_CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def test_a_worker_killed_mid_run_loses_nothing_and_duplicates_nothing(
    real_services, unit, submitter
):
    many = [
        make_channel(
            unit=unit,
            owner=submitter,
            platform="mastodon",
            profile_url=f"https://mastodon.example/@k{i}",
        )
        for i in range(12)
    ]
    purge()
    with FakePlatformServer(latency=0.3) as server:
        first = metrics_worker(server.url)
        try:
            collect_all.delay(DAY)
            wait_until(lambda: Snapshot.objects.count() >= 3, message="the run to start")
            kill(first)  # SIGKILL: no warm shutdown, tasks in hand are not acknowledged
        finally:
            kill(first)
        done_when_killed = Snapshot.objects.count()
        assert done_when_killed < 12

        second = metrics_worker(server.url)
        try:
            wait_until(lambda: Snapshot.objects.count() == 12, timeout=90, message="all 12")
            time.sleep(2)  # any redelivered duplicate would land now
        finally:
            kill(second)
    purge()

    assert sorted(Snapshot.objects.values_list("channel_id", flat=True)) == [c.pk for c in many]
    assert set(Snapshot.objects.values_list("date", flat=True)) == {datetime.date(2026, 11, 20)}
    # Tasks the killed worker held were done again by the second: attempts, not rows.
    assert CollectionAttempt.objects.count() >= 12
