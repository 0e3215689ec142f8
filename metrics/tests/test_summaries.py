"""The per-channel rollup that the portfolio, the unit report and dormancy read."""

import datetime

import pytest

from checklist.models import Goal
from checklist.tests.factories import make_proposal
from metrics.models import ChannelSummary, Snapshot
from portal.tests.factories import make_channel

TODAY = datetime.date(2026, 11, 20)


def day(n):
    """``n`` days before TODAY."""
    return TODAY - datetime.timedelta(days=n)


def snap(channel, n, **figures):
    return Snapshot.objects.create(channel=channel, date=day(n), source="api", **figures)


def refresh(*channels):
    from accounts.models import Channel

    ChannelSummary.objects.refresh(
        Channel.objects.filter(pk__in=[c.pk for c in channels]), today=TODAY
    )
    return [ChannelSummary.objects.get(channel=c) for c in channels]


def test_the_summary_holds_the_latest_figures_and_the_growth_over_30_days(mastodon_channel):
    snap(mastodon_channel, 31, followers=900, posts=100)
    snap(mastodon_channel, 30, followers=1000, posts=110)
    snap(mastodon_channel, 1, followers=1180, posts=120)
    snap(
        mastodon_channel,
        0,
        followers=1200,
        posts=122,
        likes=40,
        comments=5,
        shares=15,
        engagement_posts=12,
        last_post_at=datetime.datetime(2026, 11, 19, 9, 0, tzinfo=datetime.UTC),
    )

    (summary,) = refresh(mastodon_channel)

    assert (summary.followers, summary.followers_growth_30d) == (1200, 200)
    assert summary.posts_per_week == pytest.approx(12 * 7 / 30)
    assert (summary.engagement_30d, summary.engagement_posts) == (60, 12)
    assert summary.engagement_rate == pytest.approx(60 / 12 / 1200 * 100)
    assert summary.last_post_on == datetime.date(2026, 11, 19)
    assert (summary.last_snapshot_on, summary.source) == (TODAY, "api")


def test_a_gap_stays_a_gap_in_the_sparkline_and_unknown_figures_stay_none(mastodon_channel):
    snap(mastodon_channel, 77, followers=500)
    snap(mastodon_channel, 7, followers=None, posts=None)  # the platform hid the count
    snap(mastodon_channel, 0, followers=640)

    (summary,) = refresh(mastodon_channel)

    assert summary.sparkline == [500] + [None] * 9 + [None, 640]
    assert summary.followers_growth_30d is None  # nothing about 30 days ago
    assert (summary.engagement_30d, summary.engagement_rate, summary.posts_per_week) == (
        None,
        None,
        None,
    )


def test_without_a_post_time_the_last_post_is_the_day_the_count_last_rose(mastodon_channel):
    snap(mastodon_channel, 40, posts=50)
    snap(mastodon_channel, 25, posts=51)
    snap(mastodon_channel, 24, posts=52)
    snap(mastodon_channel, 10, posts=52)
    snap(mastodon_channel, 0, posts=52)

    (summary,) = refresh(mastodon_channel)
    assert summary.last_post_on == summary.quiet_since == day(24)


def test_a_count_unchanged_since_the_first_snapshot_says_nothing_about_the_last_post(
    mastodon_channel,
):
    snap(mastodon_channel, 40, posts=52)
    snap(mastodon_channel, 0, posts=52)

    (summary,) = refresh(mastodon_channel)
    assert summary.last_post_on is None
    assert summary.quiet_since == day(40)  # but not since the count was first seen


def test_a_channel_without_snapshots_has_an_empty_summary(mastodon_channel):
    (summary,) = refresh(mastodon_channel)
    assert (summary.followers, summary.last_snapshot_on, summary.goal_status) == (None, None, "")
    assert summary.sparkline == [None] * 12


@pytest.fixture
def planned(unit, submitter):
    proposal = make_proposal(submitter=submitter, unit=unit)
    for metric, target in [("followers", 2000), ("posts_per_week", 3)]:
        Goal.objects.create(
            proposal=proposal,
            metric=metric,
            target_value=target,
            target_date=TODAY + datetime.timedelta(weeks=26),
        )
    return make_channel(unit=unit, owner=submitter, platform="mastodon", origin_proposal=proposal)


def test_goal_status_is_the_worst_of_the_proposals_goals(planned):
    snap(planned, 30, followers=1000, posts=100)
    # +300 in 30 days: 70 a week, 1,300 + 26 x 70 = 3,120 by the date: on track; but
    # 3 posts in 30 days is 0.7 a week for a promised 3: behind.
    snap(planned, 0, followers=1300, posts=103)

    (summary,) = refresh(planned)
    assert summary.goal_status == "behind"


def test_three_silent_weeks_put_a_channel_that_promised_three_posts_a_week_behind_its_plan(
    planned,
):
    snap(planned, 60, posts=10)
    snap(planned, 21, posts=11)
    snap(planned, 0, posts=11)
    (summary,) = refresh(planned)
    assert summary.behind_plan is True

    Snapshot.objects.filter(channel=planned, date=TODAY).update(posts=12)
    (summary,) = refresh(planned)
    assert summary.behind_plan is False


def test_refreshing_costs_the_same_queries_for_3_or_30_channels(
    unit, submitter, django_assert_num_queries
):
    from accounts.models import Channel

    channels = [make_channel(unit=unit, owner=submitter, platform="mastodon") for _ in range(30)]
    for each in channels:
        snap(each, 30, followers=10, posts=1)
        snap(each, 0, followers=20, posts=2)

    with django_assert_num_queries(6) as few:
        ChannelSummary.objects.refresh(
            Channel.objects.filter(pk__in=[c.pk for c in channels[:3]]), today=TODAY
        )
    with django_assert_num_queries(len(few.captured_queries)):
        ChannelSummary.objects.refresh(
            Channel.objects.filter(pk__in=[c.pk for c in channels]), today=TODAY
        )
    assert ChannelSummary.objects.filter(followers=20, followers_growth_30d=10).count() == 30
