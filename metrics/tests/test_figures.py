"""The formulas, with None (the platform did not say) kept apart from 0."""

import datetime

import pytest

from metrics import figures
from metrics.figures import GoalStatus

TODAY = datetime.date(2026, 11, 20)


@pytest.mark.parametrize(
    "parts, total",
    [
        ((10, 2, 3), 15),
        ((10, 2, None), 12),  # Instagram: no shares
        ((None, None, None), None),  # YouTube, X: nothing
        ((0, 0, 0), 0),
        ((0, None, None), 0),
    ],
)
def test_engagement_counts_the_parts_that_are_given(parts, total):
    assert figures.engagement(*parts) == total


@pytest.mark.parametrize(
    "total, posts, followers, per_post, rate",
    [
        (150, 10, 1000, 15.0, 1.5),
        (0, 10, 1000, 0.0, 0.0),
        (None, 10, 1000, None, None),
        (150, 0, 1000, None, None),  # no posts: no rate, not a division by zero
        (150, None, 1000, None, None),
        (150, 10, 0, 15.0, None),
        (150, 10, None, 15.0, None),
    ],
)
def test_engagement_per_post_and_per_follower(total, posts, followers, per_post, rate):
    assert figures.per_post(total, posts) == per_post
    assert figures.rate_per_follower(total, posts, followers) == rate


@pytest.mark.parametrize(
    "now, before, days, expected",
    [(130, 118, 28, 3.0), (118, 118, 28, 0.0), (None, 118, 28, None), (100, 118, 28, None)],
)
def test_posts_per_week(now, before, days, expected):
    assert figures.posts_per_week(now, before, days) == expected


def progress(metric, target, target_date, current, trend=None):
    return figures.goal_progress(
        metric, target, target_date, TODAY, current=current, trend_per_week=trend
    ).status


def test_a_follower_goal_growing_fast_enough_is_on_track():
    # 1,000 now, +50 a week, 26 weeks left: 2,300 projected for a target of 2,000.
    assert progress("followers", 2000, TODAY + datetime.timedelta(weeks=26), 1000, 50) == (
        GoalStatus.ON_TRACK
    )


def test_a_follower_goal_growing_too_slowly_is_behind():
    assert progress("followers", 2000, TODAY + datetime.timedelta(weeks=26), 1000, 10) == (
        GoalStatus.BEHIND
    )


def test_the_projection_is_stated():
    result = figures.goal_progress(
        "followers",
        2000,
        TODAY + datetime.timedelta(weeks=10),
        TODAY,
        current=1000,
        trend_per_week=50,
    )
    assert (result.current, result.projected) == (1000, 1500)


def test_a_follower_goal_reached_early_is_met():
    assert progress("followers", 2000, TODAY + datetime.timedelta(days=30), 2100, -5) == (
        GoalStatus.MET
    )


def test_after_the_date_a_goal_is_met_or_missed():
    past = TODAY - datetime.timedelta(days=1)
    assert progress("followers", 2000, past, 2000) == GoalStatus.MET
    assert progress("followers", 2000, past, 1999, 500) == GoalStatus.MISSED
    assert progress("posts_per_week", 3, past, 3.5) == GoalStatus.MET
    assert progress("posts_per_week", 3, past, 1) == GoalStatus.MISSED


def test_a_rate_goal_is_judged_on_the_current_rate():
    soon = TODAY + datetime.timedelta(days=60)
    assert progress("posts_per_week", 3, soon, 3.25) == GoalStatus.ON_TRACK
    assert progress("posts_per_week", 3, soon, 1.5) == GoalStatus.BEHIND
    assert progress("engagement_rate", 2, soon, 2.5) == GoalStatus.ON_TRACK


def test_a_goal_without_data_says_so_and_response_time_is_not_measured():
    soon = TODAY + datetime.timedelta(days=60)
    assert progress("followers", 2000, soon, None) == GoalStatus.NO_DATA
    assert progress("response_time_hours", 24, soon, 5) == GoalStatus.NOT_MEASURED


def test_the_worst_status_wins():
    assert figures.worst(["met", "behind", "on_track"]) == "behind"
    assert figures.worst(["met", "missed", "behind"]) == "missed"
    assert figures.worst([]) is None
