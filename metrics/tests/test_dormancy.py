"""Dormancy: a channel quiet for METRICS_DORMANT_DAYS becomes dormant, and active again
by itself when it posts; each change is one event and one e-mail."""

import datetime

import pytest

from accounts.models import ChannelEvent
from metrics.models import Snapshot
from metrics.tasks import review_activity
from portal.tests.factories import make_channel

TODAY = datetime.date(2026, 11, 20)


def posted(channel, days_ago, *, on=0):
    Snapshot.objects.create(
        channel=channel,
        date=TODAY - datetime.timedelta(days=on),
        source="api",
        posts=10,
        last_post_at=datetime.datetime.combine(
            TODAY - datetime.timedelta(days=days_ago), datetime.time(12), tzinfo=datetime.UTC
        ),
    )


def run(capture):
    with capture(execute=True):
        return review_activity(TODAY.isoformat())


def events(channel):
    return list(channel.events.values_list("action", "payload"))


def test_a_channel_quiet_for_61_days_becomes_dormant_and_its_people_are_told_once(
    mastodon_channel, submitter, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    posted(mastodon_channel, 61)

    assert run(django_capture_on_commit_callbacks) == 1
    assert run(django_capture_on_commit_callbacks) == 0

    mastodon_channel.refresh_from_db()
    assert mastodon_channel.status == "dormant"
    assert events(mastodon_channel) == [
        (ChannelEvent.Action.WENT_DORMANT, {"quiet_since": "2026-09-20", "days": 60})
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([submitter.email, colleague.email])
    assert mailoutbox[0].subject == f"{mastodon_channel.name} is now marked dormant"
    assert "has not posted since" in mailoutbox[0].body


def test_a_channel_that_posted_59_days_ago_stays_active(
    mastodon_channel, mailoutbox, django_capture_on_commit_callbacks
):
    posted(mastodon_channel, 59)
    assert run(django_capture_on_commit_callbacks) == 0
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.status == "active"
    assert mailoutbox == []


def test_the_number_of_days_is_a_setting(
    mastodon_channel, settings, django_capture_on_commit_callbacks
):
    settings.METRICS_DORMANT_DAYS = 30
    posted(mastodon_channel, 31)
    assert run(django_capture_on_commit_callbacks) == 1


def test_a_dormant_channel_that_posts_again_is_active_again_by_itself(
    mastodon_channel, mailoutbox, django_capture_on_commit_callbacks
):
    mastodon_channel.status = "dormant"
    mastodon_channel.save()
    posted(mastodon_channel, 2)

    assert run(django_capture_on_commit_callbacks) == 1

    mastodon_channel.refresh_from_db()
    assert mastodon_channel.status == "active"
    assert events(mastodon_channel) == [
        (ChannelEvent.Action.REACTIVATED, {"last_post_on": "2026-11-18"})
    ]
    assert mailoutbox[0].subject == f"{mastodon_channel.name} is active again"


def test_a_channel_without_figures_is_not_judged(
    mastodon_channel, django_capture_on_commit_callbacks
):
    assert run(django_capture_on_commit_callbacks) == 0
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.status == "active"


def test_a_post_count_that_never_moved_in_61_days_counts_as_quiet(
    mastodon_channel, django_capture_on_commit_callbacks
):
    for days in (61, 30, 0):
        Snapshot.objects.create(
            channel=mastodon_channel,
            date=TODAY - datetime.timedelta(days=days),
            source="api",
            posts=7,
        )
    assert run(django_capture_on_commit_callbacks) == 1


@pytest.mark.parametrize("status", ["planned", "closed"])
def test_planned_and_closed_channels_are_left_alone(
    unit, submitter, status, django_capture_on_commit_callbacks
):
    extra = {"closed_on": datetime.date(2026, 1, 1)} if status == "closed" else {}
    channel = make_channel(unit=unit, owner=submitter, platform="mastodon", status=status, **extra)
    posted(channel, 200)
    assert run(django_capture_on_commit_callbacks) == 0
    channel.refresh_from_db()
    assert channel.status == status
