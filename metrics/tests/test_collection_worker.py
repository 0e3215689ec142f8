"""Collection through the real broker and real workers, against the local platform
server: exactly one snapshot per channel and day after a run, after a second run, after
a task delivered twice, and after a worker killed in the middle of a run."""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from metrics.fake_api import FakePlatformServer, expected_followers
from metrics.models import CollectionAttempt, Snapshot
from metrics.tasks import collect_all, collect_channel
from portal.celery import app
from portal.tests.factories import make_channel

pytestmark = [pytest.mark.real_celery, pytest.mark.django_db(transaction=True)]

DAY = "2026-11-20"
ROOT = Path(__file__).resolve().parents[2]


def purge(queue="metrics"):
    with app.connection_for_write() as conn, contextlib.suppress(conn.channel_errors):
        conn.default_channel.queue_purge(queue)


def wait_for(predicate, timeout=60, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {message}")


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
        wait_for(lambda: Snapshot.objects.count() == 4, message="four snapshots")
        asked = len(fake_server.requests())

        # A second beat by mistake, and one channel's task delivered twice.
        collect_all.delay(DAY)
        collect_channel.delay(channels[0].pk, DAY)
        collect_channel.delay(channels[0].pk, DAY)
        wait_for(lambda: queue_length() == 0, message="the queue to drain")
        time.sleep(0.5)  # the last task taken finishes

    assert asked == 8
    assert len(fake_server.requests()) == 8
    assert sorted(Snapshot.objects.values_list("channel_id", "followers")) == sorted(
        (c.pk, expected_followers("mastodon", f"w{i}")) for i, c in enumerate(channels)
    )
    assert CollectionAttempt.objects.count() == 4


def test_a_real_worker_retries_with_growing_delays(channels, fake_server):
    fake_server.script("acct=w0", "500", "503", "500")
    collect_channel.delay(channels[0].pk, DAY)

    with start_worker(app, pool="solo", perform_ping_check=False, queues=["metrics"]):
        wait_for(lambda: Snapshot.objects.filter(channel=channels[0]).exists(), timeout=30)

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


def worker_process(server_url):
    """A worker in its own process, on the test database, with a short visibility
    timeout so that the messages a killed worker held come back within seconds."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "METRICS_API_BASE_URL": server_url,
        "METRICS_RATE_LIMITS": "mastodon=1000",
    }
    # kombu looks for abandoned messages every 10 x 10 s by default; every second here.
    # It looks under a lock in Redis kept 300 s by default: a worker killed while it
    # held it (once a second, here) would stop the next from looking for 5 minutes.
    script = (
        "import django; django.setup()\n"
        "from portal.celery import app\n"
        "app.conf.broker_transport_options.update("
        "unacked_restore_interval=1, unacked_restore_throttle=1, unacked_mutex_expire=2)\n"
        "app.worker_main(['worker', '--queues', 'metrics', '--pool', 'prefork',"
        " '--concurrency', '2', '--loglevel', 'WARNING', '--without-gossip',"
        " '--without-mingle', '--without-heartbeat'])\n"
    )
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def kill(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


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
        first = worker_process(server.url)
        try:
            collect_all.delay(DAY)
            wait_for(lambda: Snapshot.objects.count() >= 3, message="the run to start")
            kill(first)  # SIGKILL: no warm shutdown, tasks in hand are not acknowledged
        finally:
            kill(first)
        done_when_killed = Snapshot.objects.count()
        assert done_when_killed < 12

        second = worker_process(server.url)
        try:
            wait_for(lambda: Snapshot.objects.count() == 12, timeout=90, message="all 12")
            time.sleep(2)  # any redelivered duplicate would land now
        finally:
            kill(second)
    purge()

    assert sorted(Snapshot.objects.values_list("channel_id", flat=True)) == [c.pk for c in many]
    assert set(Snapshot.objects.values_list("date", flat=True)) == {datetime.date(2026, 11, 20)}
    # Tasks the killed worker held were done again by the second: attempts, not rows.
    assert CollectionAttempt.objects.count() >= 12
