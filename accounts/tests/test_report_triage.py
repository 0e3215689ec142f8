"""The office's decisions on a suspicious account: outcome, reopening, notes, each a
locked operation with one history row; and the counts and reminders built on them."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import ReportDigest, ReportEvent, SuspiciousAccountReport
from accounts.tasks import remind_open_reports
from core import roles
from portal.tests.factories import make_user

Outcome = SuspiciousAccountReport.Outcome
TODAY = datetime.date(2026, 3, 10)


def make_report(*, url="https://www.instagram.com/eng_news_0fficial/", **fields):
    return SuspiciousAccountReport.objects.create(
        reported_url=url,
        detected_platform=fields.pop("detected_platform", "instagram"),
        description=fields.pop("description", "Uses our logo."),
        **fields,
    )


def history(report):
    return list(
        ReportEvent.objects.filter(report=report)
        .order_by("pk")
        .values_list("actor__username", "action", "comment", "payload")
    )


@time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_the_office_marks_an_impostor_reported_to_the_platform(reviewer):
    report = make_report()
    assert report.decide(
        by=reviewer, outcome=Outcome.IMPOSTOR, reported_on=TODAY, note="Sent Meta's form."
    )
    report.refresh_from_db()
    assert (report.outcome, report.reported_to_platform_on, report.closed_by) == (
        "impostor",
        TODAY,
        reviewer,
    )
    assert report.closed_at == timezone.now()
    assert history(report) == [
        (
            "reviewer",
            "report.decided",
            "Sent Meta's form.",
            {"outcome": "impostor", "previous": "", "reported_on": "2026-03-10"},
        )
    ]


def test_an_impostor_needs_the_date_it_was_reported_and_not_a_future_one(reviewer):
    report = make_report()
    with pytest.raises(ValidationError) as missing:
        report.decide(by=reviewer, outcome=Outcome.IMPOSTOR)
    assert list(missing.value.message_dict) == ["reported_on"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        report.decide(by=reviewer, outcome=Outcome.IMPOSTOR, reported_on=tomorrow)
    report.refresh_from_db()
    assert (report.is_open, history(report)) == (True, [])


def test_an_unknown_outcome_is_refused(reviewer):
    report = make_report()
    with pytest.raises(ValidationError):
        report.decide(by=reviewer, outcome="deleted")
    assert history(report) == []


def test_other_outcomes_forget_a_platform_date(reviewer):
    report = make_report()
    report.decide(by=reviewer, outcome=Outcome.UNFOUNDED, reported_on=TODAY)
    report.refresh_from_db()
    assert (report.outcome, report.reported_to_platform_on) == ("unfounded", None)


def test_a_second_click_on_the_same_outcome_changes_nothing(reviewer):
    report = make_report()
    assert report.decide(by=reviewer, outcome=Outcome.UNFOUNDED) is True
    closed_at = SuspiciousAccountReport.objects.get().closed_at
    assert report.decide(by=reviewer, outcome=Outcome.UNFOUNDED) is False
    assert SuspiciousAccountReport.objects.get().closed_at == closed_at
    assert len(history(report)) == 1


def test_changing_an_outcome_records_the_previous_one(reviewer):
    report = make_report()
    report.decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    report.decide(by=reviewer, outcome=Outcome.OURS, note="It is the library's new account.")
    assert [row[3]["previous"] for row in history(report)] == ["", "unfounded"]
    assert SuspiciousAccountReport.objects.get().outcome == "ours"


def test_reopening_puts_the_report_back_in_the_queue_once(reviewer):
    report = make_report()
    report.decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    assert report.reopen(by=reviewer, note="The reporter sent more.") is True
    assert report.reopen(by=reviewer) is False
    report.refresh_from_db()
    assert (report.is_open, report.outcome, report.closed_by) == (True, "", None)
    assert [row[1] for row in history(report)] == ["report.decided", "report.reopened"]


def test_a_note_is_added_once_even_when_sent_twice(reviewer):
    report = make_report()
    assert report.add_note(by=reviewer, text="  Asked the library.  ") is True
    assert report.add_note(by=reviewer, text="Asked the library.") is False
    with pytest.raises(ValidationError):
        report.add_note(by=reviewer, text="   ")
    assert history(report) == [("reviewer", "report.noted", "Asked the library.", {})]


@pytest.mark.parametrize("persona", ["submitter", "unit_head", "outsider"])
def test_only_the_office_triages(request, persona):
    person = request.getfixturevalue(persona)
    report = make_report()
    with pytest.raises(PermissionDenied):
        report.decide(by=person, outcome=Outcome.UNFOUNDED)
    with pytest.raises(PermissionDenied):
        report.add_note(by=person, text="Hm.")
    SuspiciousAccountReport.objects.filter(pk=report.pk).update(closed_at=timezone.now())
    with pytest.raises(PermissionDenied):
        report.reopen(by=person)
    assert history(report) == []


def test_history_rows_are_never_changed(reviewer):
    report = make_report()
    report.add_note(by=reviewer, text="First.")
    event = ReportEvent.objects.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        ReportEvent.objects.all().delete()


def test_the_open_count_is_one_query(reviewer, django_assert_num_queries):
    make_report()
    make_report(url="@fake_two")
    make_report(url="@fake_three").decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    with django_assert_num_queries(1):
        assert SuspiciousAccountReport.objects.open_count() == 2


def test_reports_of_both_sources_share_the_queue(reviewer):
    make_report()
    make_report(
        url="https://bsky.app/profile/eng-news.bsky.social",
        detected_platform="bluesky",
        description="",
        source=SuspiciousAccountReport.Source.LOOKALIKE,
        evidence={"name": "Engineering News", "score": 0.93},
    )
    assert SuspiciousAccountReport.objects.open_count() == 2


# --- Reminders of reports left open -------------------------------------------------------


def _at(day, hour=9):
    return datetime.datetime(2026, 3, day, hour, tzinfo=datetime.UTC)


@pytest.fixture
def old_and_new(reviewer, settings):
    settings.PORTAL_REPORT_REMINDER_DAYS = 3
    old = make_report(url="@old_fake", reported_at=_at(1))
    make_report(url="@new_fake", reported_at=_at(9))
    decided = make_report(url="@decided_fake", reported_at=_at(1))
    decided.decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    return old


def test_the_office_gets_one_digest_of_the_reports_left_open(
    old_and_new, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(username="office2", groups=[roles.COMMUNICATIONS])
    with (
        time_machine.travel(_at(10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert remind_open_reports() == 1
    assert sorted(message.to[0] for message in mailoutbox) == [
        "office2@example.org",
        "reviewer@example.org",
    ]
    message = mailoutbox[0]
    assert message.subject == "1 report of a suspicious account is still open"
    assert "@old_fake (" in message.body
    assert f"/reports/{old_and_new.pk}/" in message.body
    assert "@new_fake" not in message.body
    assert "@decided_fake" not in message.body


def test_a_second_run_the_same_day_sends_nothing(
    old_and_new, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(_at(10), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        remind_open_reports()
        assert remind_open_reports() == 0
    assert len(mailoutbox) == 1
    assert list(ReportDigest.objects.values_list("date", "report_count")) == [
        (datetime.date(2026, 3, 10), 1)
    ]


def test_nothing_is_sent_when_no_report_is_left_open(reviewer, mailoutbox, settings):
    settings.PORTAL_REPORT_REMINDER_DAYS = 3
    make_report(reported_at=_at(9))
    with time_machine.travel(_at(10), tick=False):
        assert remind_open_reports() == 0
    assert (mailoutbox, ReportDigest.objects.count()) == ([], 0)


def test_the_age_is_configurable(old_and_new, settings):
    settings.PORTAL_REPORT_REMINDER_DAYS = 0
    with time_machine.travel(_at(10), tick=False):
        assert SuspiciousAccountReport.objects.left_open().count() == 2
