"""Figures entered by hand, for channels whose figures the portal cannot collect: who
may enter them, bad input, replacing a day, blanks, and the page's query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metrics.models import ChannelToken, Snapshot
from metrics.providers.base import Reading
from portal.tests.factories import make_channel
from portal.tests.responses import text

TOKEN = "EAAGm0PX4ZCpsBAFictionalTokenValue1234567890abcdef"


def url(channel):
    return f"/metrics/channels/{channel.pk}/figures/"


def figures(**changes):
    data = {
        "date": "2026-11-01",
        "followers": "1200",
        "posts": "45",
        "likes": "",
        "comments": "",
        "shares": "",
        "views": "",
    }
    data.update(changes)
    return data


def stored():
    return list(
        Snapshot.objects.values_list(
            "date", "followers", "posts", "likes", "comments", "shares", "views", "source"
        )
    )


def enter(channel, day, followers, *, by, source=Snapshot.Source.MANUAL):
    Snapshot.objects.record(
        channel, day, Reading(followers=followers), source=source, entered_by=by
    )


# --- Who -----------------------------------------------------------------------------

ROLES = [
    ("submitter", 302),  # the responsible owner
    ("deputy", 302),
    ("reviewer", 302),  # the communications office
    ("portal_admin", 302),
    ("colleague", 403),
    ("outsider", 403),
    ("unit_head", 403),
]


@pytest.mark.parametrize(("persona", "status"), ROLES)
def test_who_may_enter_figures(client, request, frozen_now, newsletter_channel, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(url(newsletter_channel), figures())
    assert response.status_code == status
    expected = [(datetime.date(2026, 11, 1), 1200, 45, None, None, None, None, "manual")]
    assert stored() == (expected if status == 302 else [])


@pytest.mark.parametrize(("persona", "status"), [(p, 200 if s == 302 else s) for p, s in ROLES])
def test_who_may_open_the_figures_form(client, request, newsletter_channel, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(newsletter_channel)).status_code == status


def test_an_anonymous_visitor_is_sent_to_login_and_nothing_is_saved(client, newsletter_channel):
    response = client.post(url(newsletter_channel), figures())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert stored() == []


def test_nobody_enters_figures_for_a_closed_channel(client, reviewer, unit, submitter):
    closed = make_channel(
        unit=unit, owner=submitter, platform="other", profile_url="https://old.example.org/"
    )
    closed.status, closed.closed_on = "closed", datetime.date(2026, 6, 30)
    closed.save()
    client.force_login(reviewer)
    assert client.get(url(closed)).status_code == 403
    assert client.post(url(closed), figures()).status_code == 403
    assert stored() == []


def test_an_unknown_channel_answers_404(client, submitter):
    client.force_login(submitter)
    assert client.get("/metrics/channels/999999/figures/").status_code == 404


def test_the_figures_form_refuses_other_methods(client, submitter, newsletter_channel):
    client.force_login(submitter)
    assert client.put(url(newsletter_channel)).status_code == 405


# --- Entering ------------------------------------------------------------------------


def test_the_owner_enters_a_days_figures_and_blanks_stay_unknown(
    client, frozen_now, submitter, newsletter_channel
):
    client.force_login(submitter)
    response = client.post(url(newsletter_channel), figures(likes="310", views="0"), follow=True)
    assert response.redirect_chain == [(url(newsletter_channel), 302)]
    assert "The figures of 2026-11-01 are saved." in text(response)
    assert stored() == [(datetime.date(2026, 11, 1), 1200, 45, 310, None, None, 0, "manual")]
    assert Snapshot.objects.get().entered_by == submitter


def test_entering_the_same_day_again_replaces_its_figures(
    client, frozen_now, submitter, deputy, newsletter_channel
):
    client.force_login(submitter)
    client.post(url(newsletter_channel), figures(likes="310"))
    client.force_login(deputy)
    response = client.post(
        url(newsletter_channel), figures(followers="1250", posts=""), follow=True
    )
    assert "The figures of 2026-11-01 are replaced by the ones you entered." in text(response)
    assert stored() == [(datetime.date(2026, 11, 1), 1250, None, None, None, None, None, "manual")]
    assert Snapshot.objects.get().entered_by == deputy


def test_the_date_is_today_unless_changed(client, frozen_now, submitter, newsletter_channel):
    client.force_login(submitter)
    assert 'name="date" value="2026-11-20"' in text(client.get(url(newsletter_channel)))


def test_the_form_says_that_blank_is_not_zero(client, submitter, newsletter_channel):
    client.force_login(submitter)
    assert "Leave any other figure blank if you do not know it: blank is not zero." in text(
        client.get(url(newsletter_channel))
    )


def test_a_figure_as_large_as_a_trillion_is_accepted(
    client, frozen_now, submitter, newsletter_channel
):
    client.force_login(submitter)
    client.post(url(newsletter_channel), figures(views=str(10**12)))
    assert Snapshot.objects.get().views == 10**12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"followers": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"posts": "many"}, "Enter a whole number."),
        ({"shares": "12.5"}, "Enter a whole number."),
        ({"followers": ""}, "This field is required."),
        ({"views": str(10**12 + 1)}, "Ensure this value is less than or equal to 1000000000000."),
        ({"date": "2026-11-21"}, "Figures cannot be entered for a future day."),
        (
            {"date": "2026-02-28"},
            "The channel started on 2026-03-01: choose that day or a later one.",
        ),
        ({"date": "the first"}, "Enter a valid date."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_typed_values_kept(
    client, frozen_now, submitter, newsletter_channel, changes, message
):
    client.force_login(submitter)
    data = figures(comments="77", **changes)
    response = client.post(url(newsletter_channel), data)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'name="comments" value="77"' in page
    assert f'name="date" value="{data["date"]}"' in page
    assert stored() == []


def test_the_approval_date_bounds_the_date_when_the_opening_date_is_unknown(
    client, frozen_now, submitter, unit
):
    approved = make_channel(
        unit=unit,
        owner=submitter,
        platform="other",
        profile_url="https://blog.example.org/",
        approved_on=datetime.date(2026, 5, 4),
    )
    client.force_login(submitter)
    response = client.post(url(approved), figures(date="2026-05-03"))
    assert "The channel started on 2026-05-04: choose that day or a later one." in text(response)
    assert client.post(url(approved), figures(date="2026-05-04")).status_code == 302


# --- Collected channels ----------------------------------------------------------------


def test_a_collected_channel_says_so_and_takes_no_figures(client, submitter, mastodon_channel):
    client.force_login(submitter)
    response = client.get(url(mastodon_channel))
    assert response.status_code == 200
    assert "collected automatically from Mastodon every night" in text(response)
    assert 'name="followers"' not in text(response)
    assert client.post(url(mastodon_channel), figures()).status_code == 403
    assert stored() == []


def test_a_channel_collected_with_its_token_takes_no_figures(client, submitter, unit):
    instagram = make_channel(unit=unit, owner=submitter, platform_id="17841400000000001")
    ChannelToken.store(channel=instagram, value=TOKEN, expires_on=None, by=submitter)
    client.force_login(submitter)
    assert "collected automatically from Instagram" in text(client.get(url(instagram)))
    assert client.post(url(instagram), figures()).status_code == 403
    assert stored() == []


def test_a_channel_on_a_token_platform_without_its_token_takes_figures_by_hand(
    client, frozen_now, submitter, unit
):
    instagram = make_channel(unit=unit, owner=submitter, platform_id="17841400000000001")
    client.force_login(submitter)
    assert client.post(url(instagram), figures()).status_code == 302
    assert stored() == [(datetime.date(2026, 11, 1), 1200, 45, None, None, None, None, "manual")]


# --- The latest entries ------------------------------------------------------------------


def test_the_page_lists_the_latest_twelve_entries_by_hand_newest_first(
    client, submitter, deputy, newsletter_channel
):
    days = [datetime.date(2026, 1, 5) + datetime.timedelta(weeks=n) for n in range(14)]
    for n, day in enumerate(days):
        enter(newsletter_channel, day, 1000 + n, by=submitter)
    enter(newsletter_channel, datetime.date(2026, 5, 1), 9999, by=None, source=Snapshot.Source.API)
    client.force_login(deputy)
    recent = client.get(url(newsletter_channel)).context["recent"]
    assert [(s.date, s.followers) for s in recent] == [
        (days[n], 1000 + n) for n in range(13, 1, -1)
    ]


def test_the_page_makes_the_same_queries_for_one_or_thirteen_earlier_entries(
    client, submitter, newsletter_channel, django_assert_num_queries
):
    enter(newsletter_channel, datetime.date(2026, 10, 1), 1000, by=submitter)
    client.force_login(submitter)
    client.get(url(newsletter_channel))
    # user (session, roles and banners from the cache), the channel with its token,
    # whether I run it, the entries
    with django_assert_num_queries(4):
        client.get(url(newsletter_channel))
    for month in range(1, 13):
        enter(newsletter_channel, datetime.date(2025, month, 1), 1000 + month, by=submitter)
    with CaptureQueriesContext(connection) as with_13:
        response = client.get(url(newsletter_channel))
    assert (len(response.context["recent"]), len(with_13)) == (12, 4)


def test_figures_entered_by_hand_give_an_engagement_rate_when_the_posts_are_given(
    client, frozen_now, submitter, newsletter_channel
):
    from metrics.models import ChannelSummary

    client.force_login(submitter)
    client.post(
        url(newsletter_channel),
        figures(date="2026-11-20", likes="90", comments="6", shares="4", engagement_posts="10"),
    )

    summary = ChannelSummary.objects.get(channel=newsletter_channel)
    assert (summary.engagement_30d, summary.engagement_posts) == (100, 10)
    assert summary.engagement_rate == 100 / 10 / 1200 * 100


def test_without_the_number_of_posts_the_rate_stays_unknown(
    client, frozen_now, submitter, newsletter_channel
):
    from metrics.models import ChannelSummary

    client.force_login(submitter)
    client.post(url(newsletter_channel), figures(date="2026-11-20", likes="90"))

    summary = ChannelSummary.objects.get(channel=newsletter_channel)
    assert (summary.engagement_30d, summary.engagement_rate) == (90, None)
