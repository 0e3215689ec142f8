"""The figures page and the registry's channel page show the same latest figures, as
soon as they are collected (not only after the nightly review), and "unavailable since"
never names a day after today, whatever the time of day."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Channel
from metrics.fake_api import expected_followers
from metrics.models import ChannelSummary, CollectionAttempt, Snapshot
from metrics.tasks import collect_channel
from portal.tests.factories import make_channel

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def channel(unit, submitter, colleague, settings, fake_api):
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=colleague,
        platform="mastodon",
        name="Computer Science",
        profile_url="https://mastodon.example/@cs",
    )


def snap(channel, day, followers, source="demo"):
    Snapshot.objects.create(
        channel=channel, date=day, followers=followers, posts=100, source=source
    )


def shown_followers(client, channel):
    """(the figures page's followers, the registry page's latest followers)."""
    figures_page = client.get(reverse("metrics:channel", args=[channel.pk]))
    registry_page = client.get(reverse("accounts:detail", args=[channel.pk]))
    card = registry_page.content.decode().split('data-testid="figures"')[1]
    followers = card.split("Followers</dt><dd")[1].split(">", 1)[1].split("<", 1)[0]
    return figures_page.context["summary"].followers, followers


@pytest.mark.usefixtures("frozen_now")
def test_a_collected_figure_shows_at_once_on_the_figures_page_and_in_the_registry(
    client, submitter, channel
):
    snap(channel, TODAY - datetime.timedelta(days=1), 1900)
    ChannelSummary.objects.refresh(Channel.objects.all(), today=TODAY)
    client.force_login(submitter)
    assert shown_followers(client, channel) == (1900, "1,900")

    assert collect_channel.delay(channel.pk, TODAY.isoformat()).get() == "ok"

    followers = expected_followers("mastodon", "cs")
    assert followers != 1900
    assert shown_followers(client, channel) == (followers, f"{followers:,}")
    summary = ChannelSummary.objects.get(channel=channel)
    assert (summary.last_snapshot_on, summary.source) == (TODAY, "api")


@pytest.mark.usefixtures("frozen_now")
def test_figures_dated_after_today_show_on_neither_page(client, submitter, channel):
    snap(channel, TODAY, 1900)
    snap(channel, TODAY + datetime.timedelta(days=1), 11445)
    ChannelSummary.objects.refresh(Channel.objects.all(), today=TODAY)
    client.force_login(submitter)

    assert shown_followers(client, channel) == (1900, "1,900")


def failed_attempt(channel, day, at, outcome="unavailable"):
    return CollectionAttempt.objects.create(
        channel=channel,
        date=day,
        started_at=at,
        finished_at=at,
        outcome=outcome,
        http_status=404,
    )


# 10:00 in Stockholm, and 00:30 the next day there (still the 20th in UTC).
@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 11, 20, 23, 30, tzinfo=datetime.UTC),
    ],
)
def test_unavailable_since_is_never_after_today(client, reviewer, channel, now):
    with time_machine.travel(now, tick=False):
        from django.utils import timezone

        today = timezone.localdate()
        snap(channel, today, 1900, source="api")
        # A later try the same day failed (someone pressed "collect now", or a retry).
        failed_attempt(channel, today, now - datetime.timedelta(minutes=5))
        ChannelSummary.objects.refresh(Channel.objects.all())
        client.force_login(reviewer)

        freshness = client.get(reverse("metrics:channel", args=[channel.pk])).context["freshness"]

    assert "Unavailable since" not in freshness["text"]
    assert freshness["state"] == "fresh"
    assert freshness["text"] == ("Collected today. The latest try failed: Account unavailable")


@pytest.mark.usefixtures("frozen_now")
def test_an_attempt_for_a_later_day_says_unavailable_since_today_at_the_latest(
    client, reviewer, channel
):
    snap(channel, TODAY - datetime.timedelta(days=3), 1900, source="api")
    failed_attempt(
        channel,
        TODAY + datetime.timedelta(days=2),  # collect_metrics --date, by hand
        datetime.datetime(2026, 11, 20, 5, 0, tzinfo=datetime.UTC),
    )
    ChannelSummary.objects.refresh(Channel.objects.all(), today=TODAY)
    client.force_login(reviewer)

    freshness = client.get(reverse("metrics:channel", args=[channel.pk])).context["freshness"]

    assert freshness["text"] == "Unavailable since 2026-11-18: Account unavailable"


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.parametrize("days_ago", [0, 1, 5])
def test_a_failed_try_on_a_day_that_has_its_figures_keeps_them_and_names_no_later_day(
    client, reviewer, channel, days_ago
):
    """Issue 18, B2: the nightly collection wrote the day's snapshot, then a retry (or
    "collect now") for the same day failed. The figures stand; nothing is "unavailable",
    least of all since the next day."""
    today = TODAY
    day = today - datetime.timedelta(days=days_ago)
    snap(channel, day, 1900, source="api")
    failed_attempt(
        channel, day, datetime.datetime.combine(day, datetime.time(22, 50), datetime.UTC)
    )
    ChannelSummary.objects.refresh(Channel.objects.all(), today=today)
    client.force_login(reviewer)

    freshness = client.get(reverse("metrics:channel", args=[channel.pk])).context["freshness"]

    collected = "Collected today." if days_ago == 0 else f"Last collected on {day.isoformat()}."
    assert freshness["text"] == f"{collected} The latest try failed: Account unavailable"
    assert freshness["state"] == ("fresh" if days_ago == 0 else "stale")
