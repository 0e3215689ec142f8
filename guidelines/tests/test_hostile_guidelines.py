"""Hostile input on the guideline and notice pages: publishing a guideline or a
version, publishing a notice, a notice's rate and the versions compared.

Every answer is a 4xx with the message next to the field (what was typed kept,
escaped) or the page itself: never a 500, nothing stored half (no guideline, version,
notice, recipient or e-mail). Run on PostgreSQL (``.helper-env``).
"""

import pytest
from django.utils.html import escape

from guidelines.models import Guideline, GuidelineVersion, NoticeRecipient, SiteNotice
from portal.tests.payloads import BEYOND_BIGINT, NUL, OVERLONG, SCRIPT
from portal.tests.responses import html


def stored():
    return {
        "guidelines": Guideline.objects.count(),
        "versions": GuidelineVersion.objects.count(),
        "notices": SiteNotice.objects.count(),
        "recipients": NoticeRecipient.objects.count(),
    }


NEW_GUIDELINE = {
    "slug": "privacy",
    "ordering": "1",
    "title": "Privacy",
    "summary": "S",
    "body": "B",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", NUL, "Enter a valid “slug”"),
        ("slug", SCRIPT, "Enter a valid “slug”"),
        ("ordering", BEYOND_BIGINT, "Ensure this value is less than or equal to"),
        ("ordering", "-1", "Ensure this value is greater than or equal to 0."),
        ("ordering", "abc", "Enter a whole number."),
        ("title", NUL, "Null characters are not allowed."),
        ("title", OVERLONG, "Ensure this value has at most 200 characters (it has 10000)."),
        ("summary", OVERLONG, "Ensure this value has at most 1000 characters (it has 10000)."),
        ("body", NUL, "Null characters are not allowed."),
    ],
)
def test_a_hostile_new_guideline_is_refused_next_to_its_field_and_nothing_is_stored(
    client, reviewer, mailoutbox, field, value, message
):
    client.force_login(reviewer)
    response = client.post("/guidelines/new/", {**NEW_GUIDELINE, field: value})
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert SCRIPT not in page
    assert stored() == dict.fromkeys(stored(), 0)
    assert mailoutbox == []


@pytest.mark.parametrize("field", ["title", "summary", "body", "change_note"])
def test_a_new_version_with_a_null_character_is_refused_and_nothing_is_published(
    client, reviewer, guideline, field
):
    client.force_login(reviewer)
    data = {"title": "Tone", "summary": "Kind.", "body": "New text.", "change_note": "Shorter."}
    before = stored()
    response = client.post("/guidelines/tone-of-voice/edit/", {**data, field: NUL})
    assert response.status_code == 400
    assert "Null characters are not allowed." in html(response)
    assert stored() == before


def test_a_guideline_body_with_markup_is_published_as_typed_and_shown_escaped(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/guidelines/new/", {**NEW_GUIDELINE, "title": SCRIPT, "body": SCRIPT})
    assert response.status_code == 302
    assert GuidelineVersion.objects.get().title == SCRIPT
    page = html(client.get(response.url))
    assert SCRIPT not in page
    assert escape(SCRIPT) in page


NOTICE = {"level": "info", "title": "Maintenance", "body": "Tonight.", "starts_at": ""}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starts_at", "0001-01-01T00:00", "Enter a date between the years 1900 and 2999."),
        ("ends_at", "9999-12-31T23:59", "Enter a date between the years 1900 and 2999."),
        ("starts_at", "2026-13-01T10:00", "Enter a valid date/time."),
        ("ends_at", NUL, "Enter a valid date/time."),
        ("level", "panic", "Select a valid choice. panic is not one of the available choices."),
        ("title", NUL, "Null characters are not allowed."),
        ("title", OVERLONG, "Ensure this value has at most 200 characters (it has 10000)."),
        ("body", NUL, "Null characters are not allowed."),
    ],
)
def test_a_hostile_notice_is_refused_next_to_its_field_and_nothing_is_published(
    client, reviewer, mailoutbox, field, value, message
):
    client.force_login(reviewer)
    response = client.post("/notices/new/", {**NOTICE, field: value})
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert stored() == dict.fromkeys(stored(), 0)
    assert mailoutbox == []


@pytest.mark.parametrize("seen", [NUL, OVERLONG, SCRIPT, BEYOND_BIGINT])
def test_a_notice_rate_with_any_seen_value_answers_with_the_rate(client, reviewer, seen):
    notice = SiteNotice.publish(by=reviewer, level="crisis", title="Outage", body="Down.")
    client.force_login(reviewer)
    response = client.get(f"/notices/{notice.pk}/rate/", {"seen": seen})
    assert response.status_code == 200
    assert SCRIPT not in html(response)


@pytest.mark.parametrize(
    "path",
    [
        "/guidelines/tone-of-voice/diff/1/2/",
        "/guidelines/tone-of-voice/diff/2/1/",
        f"/guidelines/tone-of-voice/diff/{BEYOND_BIGINT}/1/",
        "/guidelines/tone-of-voice/diff/0/1/",
        "/guidelines/no-such/diff/1/1/",
    ],
)
def test_comparing_versions_that_do_not_exist_is_not_found(client, submitter, guideline, path):
    client.force_login(submitter)
    assert client.get(path).status_code == 404
