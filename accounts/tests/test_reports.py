"""SuspiciousAccountReport.objects.submit(): a report stored and the office told."""

from accounts.models import SuspiciousAccountReport
from core import roles
from portal.tests.factories import make_user, work_after_commit


def test_a_submitted_report_is_stored_with_its_platform_and_mails_the_active_office(
    reviewer, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    make_user(username="away", groups=[roles.COMMUNICATIONS], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        report = SuspiciousAccountReport.objects.submit(
            reported_url="https://www.instagram.com/eng_news_official/",
            description="Uses our logo.",
            contact_email="worried@example.com",
        )
    assert list(
        SuspiciousAccountReport.objects.values_list(
            "pk", "reported_url", "detected_platform", "description", "contact_email", "source"
        )
    ) == [
        (
            report.pk,
            "https://www.instagram.com/eng_news_official/",
            "instagram",
            "Uses our logo.",
            "worried@example.com",
            "public",
        )
    ]
    assert [message.to for message in mailoutbox] == [["reviewer@example.org"]]


def test_a_report_of_a_bare_handle_has_no_platform_and_sends_nothing_before_commit(
    reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = SuspiciousAccountReport.objects.submit(
            reported_url="eng_news_official", description="Odd."
        )
    assert (report.detected_platform, report.contact_email) == ("", "")
    assert mailoutbox == []
    assert len(work_after_commit(callbacks)) == 1
