import datetime

import time_machine
from django.utils import timezone

from checklist.tasks import remind_overdue_reviews
from checklist.tests.factories import make_proposal


def test_people_are_reminded_of_what_has_waited_too_long_for_them(
    submitter, unit, unit_head, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    old = make_proposal(submitter=submitter, unit=unit, complete=True, name="Old one")
    fresh = make_proposal(submitter=submitter, unit=unit, complete=True, name="Fresh one")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=21)):
        old.submit(by=submitter)  # entered the unit head's stage three weeks ago
    fresh.submit(by=submitter)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue_reviews() == 1
    (message,) = mailoutbox
    assert message.to == ["head@example.org"]
    assert message.subject == "1 proposal has waited too long for you"
    assert "Old one" in message.body
    assert "Fresh one" not in message.body


def test_nobody_is_reminded_when_nothing_is_overdue(
    submitter, unit, unit_head, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    make_proposal(submitter=submitter, unit=unit, complete=True).submit(by=submitter)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_overdue_reviews() == 0
    assert mailoutbox == []
