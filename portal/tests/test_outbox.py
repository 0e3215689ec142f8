"""The outbox: every e-mail and follow-up task caused by an action is written with the
action, delivered by a worker once it commits, retried until delivered, never twice.
(The same through a real broker that goes down, and a worker killed while delivering,
is in test_faults_worker.py.)"""

import datetime
import smtplib

import kombu.exceptions
import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core import tasks
from core.models import OutboxMessage
from core.notifications import notify
from portal.tasks import ping
from portal.tests.factories import make_user

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def broker_down(monkeypatch):
    """Offering a message to a worker fails as it does when Redis refuses connections."""

    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379.")

    monkeypatch.setattr(tasks.deliver_outbox_message, "apply_async", refuse)


def mail_owner(person, name="News"):
    notify([person], "accounts/email/orphaned", {"channel": {"name": name}, "owner": None})


def test_a_message_is_written_with_the_action_and_sent_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    owner = make_user(username="owner")
    with django_capture_on_commit_callbacks(execute=True):
        mail_owner(owner)
        (message,) = OutboxMessage.objects.all()
        assert message.delivered_at is None
        assert mailoutbox == []

    (sent,) = mailoutbox
    assert sent.to == ["owner@example.org"]
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 1
    assert sent.extra_headers["Message-ID"].startswith(f"<outbox-{message.pk}.")


def test_an_action_rolled_back_leaves_no_message_and_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    owner = make_user(username="owner")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail_owner(owner)
        raise RuntimeError("the action failed")
    assert OutboxMessage.objects.count() == 0
    assert mailoutbox == []


def test_with_the_broker_down_the_message_waits_and_the_sweep_sends_it_once(
    broker_down, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    owner = make_user(username="owner")
    with django_capture_on_commit_callbacks(execute=True):
        mail_owner(owner)
    assert mailoutbox == []
    assert "waits for the sweep" in caplog.text
    assert OutboxMessage.objects.pending().count() == 1

    assert tasks.sweep_outbox() == 1
    assert tasks.sweep_outbox() == 0
    assert [m.to for m in mailoutbox] == [["owner@example.org"]]
    assert OutboxMessage.objects.pending().count() == 0


def test_a_message_offered_twice_is_delivered_once(mailoutbox, broker_down):
    owner = make_user(username="owner")
    mail_owner(owner)
    (message,) = OutboxMessage.objects.all()

    assert tasks.deliver_outbox_message(message.pk) is True
    assert tasks.deliver_outbox_message(message.pk) is False
    assert tasks.sweep_outbox() == 0
    assert len(mailoutbox) == 1


def test_a_message_held_by_a_worker_is_left_to_it_until_its_lease_ends(
    mailoutbox, broker_down, settings
):
    settings.PORTAL_OUTBOX_LEASE_SECONDS = 300
    owner = make_user(username="owner")
    with time_machine.travel(T0, tick=False):
        mail_owner(owner)
        (message,) = OutboxMessage.objects.all()
        # A worker claimed it, then died before sending.
        assert OutboxMessage.objects.claim(message.pk, lease=300)
        assert tasks.sweep_outbox() == 0
        assert tasks.deliver_outbox_message(message.pk) is False
    with time_machine.travel(T0 + datetime.timedelta(seconds=299), tick=False):
        assert tasks.sweep_outbox() == 0
    with time_machine.travel(T0 + datetime.timedelta(seconds=301), tick=False):
        assert tasks.sweep_outbox() == 1
    assert len(mailoutbox) == 1


@pytest.fixture
def smtp_fails(monkeypatch):
    calls = []

    def fail(self, *args, **kwargs):
        calls.append(1)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", fail)
    return calls


def test_a_failed_delivery_is_tried_again_after_a_growing_delay(smtp_fails, broker_down, settings):
    settings.PORTAL_OUTBOX_RETRY_SECONDS = 30
    owner = make_user(username="owner")
    with time_machine.travel(T0, tick=False):
        mail_owner(owner)
        assert tasks.sweep_outbox() == 0
    message = OutboxMessage.objects.get()
    assert message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error
    assert message.due_at == T0 + datetime.timedelta(seconds=30)
    assert message.leased_until is None

    with time_machine.travel(T0 + datetime.timedelta(seconds=29), tick=False):
        assert tasks.sweep_outbox() == 0
    assert len(smtp_fails) == 1
    with time_machine.travel(T0 + datetime.timedelta(seconds=31), tick=False):
        assert tasks.sweep_outbox() == 0
    message.refresh_from_db()
    assert len(smtp_fails) == 2
    assert message.attempts == 2
    assert message.due_at == T0 + datetime.timedelta(seconds=31 + 60)


def test_after_the_last_attempt_a_message_is_given_up_until_sent_again(
    smtp_fails, broker_down, settings, monkeypatch
):
    settings.PORTAL_OUTBOX_MAX_ATTEMPTS = 2
    settings.PORTAL_OUTBOX_RETRY_SECONDS = 1
    owner = make_user(username="owner")
    mail_owner(owner)
    message = OutboxMessage.objects.get()
    message.deliver()
    OutboxMessage.objects.update(due_at=timezone.now())
    message.refresh_from_db()
    message.deliver()
    message.refresh_from_db()
    assert message.failed_at is not None
    assert message.state == "given up"
    OutboxMessage.objects.update(due_at=timezone.now())
    assert tasks.sweep_outbox() == 0
    assert len(smtp_fails) == 2

    monkeypatch.undo()  # the mail server is back
    assert OutboxMessage.objects.retry_now() == 1
    assert tasks.sweep_outbox() == 1
    assert len(mail.outbox) == 1


def test_a_follow_up_task_is_handed_to_the_workers_after_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    ran = []
    monkeypatch.setattr(ping, "run", lambda token: ran.append(token))
    with django_capture_on_commit_callbacks(execute=True):
        OutboxMessage.objects.add_task("portal.tasks.ping", "hello")
        assert ran == []
    assert ran == ["hello"]
    assert OutboxMessage.objects.get().delivered_at is not None


def test_a_follow_up_task_waits_while_the_broker_is_down(
    django_capture_on_commit_callbacks, monkeypatch, broker_down
):
    def refuse(*args, **kwargs):
        raise kombu.exceptions.OperationalError("Error 111")

    monkeypatch.setattr(ping, "apply_async", refuse)
    OutboxMessage.objects.add_task("portal.tasks.ping", "hello")
    assert tasks.sweep_outbox() == 0
    message = OutboxMessage.objects.get()
    assert message.delivered_at is None
    assert message.attempts == 1
    assert "Error 111" in message.last_error


def test_delivered_messages_are_forgotten_after_the_retention(broker_down, settings):
    settings.PORTAL_OUTBOX_RETENTION_DAYS = 30
    owner = make_user(username="owner")
    with time_machine.travel(T0, tick=False):
        mail_owner(owner, "old")
        mail_owner(owner, "waiting")
        old, waiting = OutboxMessage.objects.order_by("pk")
        old.deliver()
    with time_machine.travel(T0 + datetime.timedelta(days=31), tick=False):
        mail_owner(owner, "recent")
        recent = OutboxMessage.objects.latest("pk")
        recent.deliver()
        assert tasks.prune_outbox() == 1
    assert sorted(OutboxMessage.objects.values_list("pk", flat=True)) == [waiting.pk, recent.pk]


def test_portal_admins_see_the_outbox_and_can_send_a_message_again(
    client, portal_admin, broker_down, smtp_fails, settings
):
    settings.PORTAL_OUTBOX_MAX_ATTEMPTS = 1
    owner = make_user(username="owner")
    mail_owner(owner)
    message = OutboxMessage.objects.get()
    message.deliver()
    client.force_login(portal_admin)

    listing = client.get("/admin/core/outboxmessage/?state=failed&q=owner%40example.org")
    assert listing.status_code == 200
    assert "owner@example.org" in listing.content.decode()
    assert client.get(f"/admin/core/outboxmessage/{message.pk}/change/").status_code == 200

    response = client.post(
        "/admin/core/outboxmessage/",
        {"action": "send_again", "_selected_action": [message.pk]},
        follow=True,
    )
    assert "1 message will be sent at the next sweep" in response.content.decode()
    message.refresh_from_db()
    assert message.failed_at is None


def test_staff_cannot_see_the_outbox(client, submitter, broker_down):
    client.force_login(submitter)
    assert client.get("/admin/core/outboxmessage/").status_code in (302, 403)
