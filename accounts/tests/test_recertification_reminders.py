import datetime

import pytest
import time_machine

from accounts.models import Channel
from accounts.tasks import send_recertification_reminders
from portal.tests.factories import make_channel

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0), tick=False):
        yield


def channel_due(unit, owner, deputy, days_from_today):
    return make_channel(
        unit=unit,
        owner=owner,
        deputy=deputy,
        recertification_due_on=TODAY + datetime.timedelta(days=days_from_today),
    )


def run_reminders(capture):
    with capture(execute=True):
        return send_recertification_reminders()


def test_owner_and_deputy_are_reminded_within_thirty_days_of_the_date(
    unit, submitter, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    due = channel_due(unit, submitter, deputy, 30)
    channel_due(unit, submitter, deputy, 31)  # not yet
    assert run_reminders(django_capture_on_commit_callbacks) == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["deputy@example.org", "submitter@example.org"]
    assert mailoutbox[0].subject == f"Time to recertify {due.name}"
    assert f"/registry/{due.pk}/recertify/" in mailoutbox[0].body


def test_a_reminder_is_not_repeated_within_a_week(
    unit, submitter, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channel_due(unit, submitter, deputy, -3)
    assert run_reminders(django_capture_on_commit_callbacks) == 1
    assert run_reminders(django_capture_on_commit_callbacks) == 0
    with time_machine.travel(datetime.datetime(2026, 11, 29, 9, 0), tick=False):
        assert run_reminders(django_capture_on_commit_callbacks) == 1
    assert channel.events.filter(action="channel.recertification_reminded").count() == 2


def test_the_unit_head_is_reminded_too_when_it_is_long_overdue(
    unit, submitter, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channel_due(unit, submitter, deputy, -31)
    run_reminders(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "deputy@example.org",
        "head@example.org",
        "submitter@example.org",
    ]
    assert mailoutbox[0].subject == f"Recertification of {channel.name} is overdue"
    assert channel.events.get().payload == {"due": "2026-10-22", "escalated": True}


def test_recertifying_stops_the_reminders(
    unit, submitter, deputy, django_capture_on_commit_callbacks
):
    channel = channel_due(unit, submitter, deputy, -3)
    channel.recertify(by=submitter, outcome="keep", answers={})
    assert run_reminders(django_capture_on_commit_callbacks) == 0
    assert list(Channel.objects.recertification_overdue()) == []


def test_closed_channels_get_no_reminders(unit, submitter, deputy, reviewer, mailoutbox):
    channel = channel_due(unit, submitter, deputy, -3)
    channel.close(by=reviewer, reason="Gone")
    assert send_recertification_reminders() == 0
