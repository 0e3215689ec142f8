"""A task sent through the configured broker is executed by a real worker.

Not eager mode: the message is published to the broker (Redis in CI, the embedded
filesystem broker locally), counted there while no worker runs, and then consumed by
a worker started with celery.contrib.testing in this process.
"""

import queue
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_success
from django.conf import settings

from portal.celery import app
from portal.tasks import ping

pytestmark = pytest.mark.real_celery


@pytest.fixture
def task_results():
    """Results of the tasks that succeed while the test runs, as (task name, result)."""
    results = queue.Queue()

    def record(sender, result, **kwargs):
        results.put((sender.name, result))

    task_success.connect(record, weak=False)
    yield results
    task_success.disconnect(record)


def waiting_messages(queue_name):
    with app.connection_for_write() as connection:
        try:
            declared = connection.default_channel.queue_declare(queue=queue_name, passive=True)
        except connection.channel_errors:
            return 0  # Redis forgets a queue as soon as it is empty
        return declared.message_count


@pytest.fixture
def queue_name():
    """A queue of the tests' own, which no `make run` worker consumes; emptied first in
    case an interrupted run left a message. One fixed name, so nothing accumulates."""
    name = "portal-test-ping"
    ping.apply_async(args=["declare"], queue=name)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(name)
    return name


def test_the_app_uses_the_configured_broker_and_is_not_eager():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_always_eager is False


def test_a_task_travels_through_the_broker_to_a_real_worker(task_results, queue_name):
    token = uuid.uuid4().hex

    ping.apply_async(args=[token], queue=queue_name)
    assert waiting_messages(queue_name) == 1

    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue_name]):
        assert task_results.get(timeout=30) == ("portal.tasks.ping", token)

    assert waiting_messages(queue_name) == 0
