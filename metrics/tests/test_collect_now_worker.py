""" "Collect now" through the real broker and a real worker: the press is handed over
by the outbox after commit, collected on the metrics queue, and the request ends done
with the result; two presses at the same moment queue one collection."""

import contextlib
import threading

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from metrics.fake_api import FakePlatformServer, expected_followers
from metrics.models import CollectionAttempt, CollectionRequest, Snapshot
from portal.celery import app
from portal.tests.factories import make_channel
from portal.tests.services import wait_until

pytestmark = [pytest.mark.real_celery, pytest.mark.django_db(transaction=True)]

QUEUES = ["celery", "metrics"]  # the outbox's delivery, then the collection


def purge():
    with app.connection_for_write() as conn:
        for queue in QUEUES:
            with contextlib.suppress(conn.channel_errors):
                conn.default_channel.queue_purge(queue)


@pytest.fixture
def channel(unit, submitter, settings):
    with FakePlatformServer() as server:
        settings.METRICS_API_BASE_URL = server.url
        settings.METRICS_RATE_LIMITS = {"default": 1000.0}
        purge()
        yield make_channel(
            unit=unit,
            owner=submitter,
            platform="mastodon",
            name="Computer Science",
            profile_url="https://mastodon.example/@cs",
        )
        purge()


def test_a_press_is_collected_by_a_worker_and_ends_done(channel, submitter):
    asked = CollectionRequest.ask(channel, by=submitter)  # committed: the outbox offers it

    with start_worker(app, pool="solo", perform_ping_check=False, queues=QUEUES):
        wait_until(
            lambda: CollectionRequest.objects.get(pk=asked.pk).state == "done",
            message="the request to be done",
        )

    asked.refresh_from_db()
    assert (asked.followers, asked.attempt.outcome) == (expected_followers("mastodon", "cs"), "ok")
    assert Snapshot.objects.filter(channel=channel).count() == 1
    assert CollectionAttempt.objects.count() == 1


def test_two_presses_at_the_same_moment_queue_one_collection(channel, submitter, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    start = threading.Barrier(2)
    outcomes = []

    def press(person):
        try:
            start.wait()
            CollectionRequest.ask(channel, by=person)
            outcomes.append("queued")
        except ValidationError as refusal:
            outcomes.append(refusal.code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=press, args=(p,)) for p in (submitter, reviewer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["open", "queued"]
    assert CollectionRequest.objects.count() == 1
