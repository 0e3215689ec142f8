"""Fault injection on the real services: what the people using the portal see, and that
no task or e-mail is lost or sent twice, when

- PostgreSQL restarts while a worker runs tasks;
- the broker stops while a reviewer decides on a proposal;
- a worker is killed while it delivers an e-mail.

Every server that a test stops is one of the test's own (portal/tests/services.py), on
a port of its own; the shared PostgreSQL and Redis are never touched. The cache's
outage is in test_faults_cache.py.
"""

import contextlib
import os
import subprocess
import sys
import time
import uuid

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from checklist.models import Proposal
from core.models import OutboxMessage
from core.tasks import sweep_outbox
from portal.celery import app
from portal.tests.services import (
    ROOT,
    PostgresServer,
    RedisServer,
    SMTPServer,
    kill,
    running,
    wait_until,
    worker_database_url,
    worker_process,
)

pytestmark = [pytest.mark.real_celery, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def app_broker(url):
    """Point this process's Celery app (which the views use) at ``url``. Celery reads
    CELERY_BROKER_URL from the environment before its configuration, so both change."""
    conf = app.conf
    saved = os.environ.get("CELERY_BROKER_URL"), conf.broker_url, conf.broker_transport_options
    os.environ["CELERY_BROKER_URL"] = url
    conf.broker_url, conf.broker_transport_options = url, {}
    app._after_fork()  # drop the connection pools made for the old broker
    try:
        yield
    finally:
        if saved[0] is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = saved[0]
        conf.broker_url, conf.broker_transport_options = saved[1:]
        app._after_fork()


# --- PostgreSQL restarts while a worker runs tasks ------------------------------------

# Real tasks that read and write the database, as beat sends them.
DATABASE_TASKS = [
    "portal.tasks.prune_access_audit",
    "core.tasks.sweep_outbox",
    "accounts.tasks.report_orphaned_channels",
    "accounts.tasks.send_recertification_reminders",
    "checklist.tasks.remind_overdue_reviews",
    "metrics.tasks.warn_expiring_tokens",
    "metrics.tasks.review_activity",
]


def test_every_task_completes_when_postgresql_restarts_under_a_worker():
    with PostgresServer() as postgres, RedisServer() as redis, app_broker(redis.url(0)):
        postgres.create_database("portal")
        env = {
            "DATABASE_URL": postgres.url("portal"),
            "CELERY_BROKER_URL": redis.url(0),
            "CELERY_RESULT_BACKEND": redis.url(1),
            "CELERY_DB_RETRY_BASE_SECONDS": "1",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
        beat = Celery(broker=redis.url(0), backend=redis.url(1), set_as_current=False)

        def send_all():
            return [beat.send_task(name) for name in DATABASE_TASKS]

        with running(worker_process(env)):
            before = send_all()
            for result in before:
                result.get(timeout=60)  # every child now holds an open connection

            postgres.stop()  # a restart: every connection is terminated, then refused
            during = send_all()
            time.sleep(2)
            postgres.start()
            after = send_all()

            outcomes = [result.get(timeout=90, propagate=False) for result in during + after]
            states = [result.state for result in during + after]

    assert states == ["SUCCESS"] * len(states), list(zip(DATABASE_TASKS * 2, outcomes, strict=True))


# --- The broker stops while a reviewer decides ----------------------------------------


def test_a_decision_made_while_the_broker_is_down_succeeds_and_its_mail_goes_out_once_after(
    client, in_review, reviewer, submitter
):
    with RedisServer() as broker, app_broker(broker.url()):
        mail.outbox.clear()
        OutboxMessage.objects.all().delete()
        broker.stop()

        client.force_login(reviewer)
        response = client.post(
            f"/proposals/{in_review.pk}/decide/approve/", {"comment": "Welcome."}, follow=True
        )

        # The reviewer sees the decision made, as with the broker up.
        assert response.status_code == 200
        assert response.redirect_chain[-1][1] == 302
        assert "approved" in response.content.decode().lower()
        in_review.refresh_from_db()
        assert in_review.state == Proposal.State.APPROVED
        waiting = list(OutboxMessage.objects.pending().values_list("payload__to", flat=True))
        assert "submitter@example.org" in waiting
        assert mail.outbox == []

        broker.start()
        # The queue named: a worker an earlier test started on "metrics" alone leaves
        # that selection on the app, and a worker started without queues would inherit it.
        default = app.conf.task_default_queue
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[default]):
            sweep_outbox.delay()  # beat's next minute
            wait_until(
                lambda: not OutboxMessage.objects.pending().exists(), message="the outbox to empty"
            )
            sweep_outbox.delay()  # and the one after: nothing more
            time.sleep(1)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(waiting)
    assert OutboxMessage.objects.filter(delivered_at=None).count() == 0


# --- A worker killed while it delivers an e-mail ----------------------------------------


def test_a_worker_killed_while_delivering_an_email_leaves_it_delivered_exactly_once(
    submitter,
):
    database_url = worker_database_url()
    with RedisServer() as broker, SMTPServer() as smtp, app_broker(broker.url()):
        env = {
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker.url(),
            # What a killed worker held comes back after 3 s, not 2 hours.
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "PORTAL_OUTBOX_LEASE_SECONDS": "3",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_TIMEOUT": "60",
        }
        smtp.hold.set()
        subject = f"Outbox test {uuid.uuid4().hex}"
        with running(worker_process(env)) as first:
            OutboxMessage.objects.add_email(
                to=submitter.email, subject=subject, body="Hello.", html=""
            )  # offered to the worker at once (autocommit)
            wait_until(smtp.holding.is_set, timeout=60, message="the delivery to start")
            kill(first)  # SIGKILL while the mail server has not accepted the message
        smtp.release()
        message = OutboxMessage.objects.get()
        assert message.delivered_at is None
        assert smtp.accepted == []

        with running(worker_process(env)):
            # Beat's sweeps, each minute in production; every second here.
            def delivered():
                sweep_outbox.delay()
                time.sleep(1)
                return OutboxMessage.objects.filter(delivered_at__isnull=False).exists()

            wait_until(delivered, timeout=90, message="the message to be delivered")
            for _ in range(4):  # redelivered task messages and later sweeps send nothing
                sweep_outbox.delay()
                time.sleep(1)

    assert [m["Subject"] for m in smtp.accepted] == [subject]
    assert smtp.accepted[0]["Message-ID"].startswith(f"<outbox-{message.pk}.")
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_the_worker_settings_match_the_production_ones():
    """The guarantees above rely on late acknowledgement and redelivery of a task a
    dead worker held."""
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
