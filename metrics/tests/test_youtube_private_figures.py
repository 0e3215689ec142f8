"""A YouTube channel connected by its owner, collected against the local platform server
(metrics/fake_api.py): the 30-day figures come from the Analytics API with the owner's
token; when Google refuses the token the public figures are still kept and the owner is
asked, once, to connect again; a channel without a token is collected as before."""

import datetime

import pytest

from metrics import collector
from metrics.fake_api import expected_analytics, expected_followers, figure
from metrics.models import ChannelSummary, ChannelToken, CollectionAttempt, Snapshot
from metrics.oauth import Grant
from metrics.providers.base import AuthFailed
from metrics.providers.youtube import YouTubeProvider
from metrics.tasks import collect_channel
from portal.celery import app as celery_app
from portal.tests.factories import make_channel

from .recorded import reload

DAY = datetime.date(2026, 11, 20)
CHANNEL_ID = "UCfictionalUniversity000"
TOKEN = "ya29.fake-api-google-token"


@pytest.fixture(autouse=True)
def _settings(settings, fake_api):
    celery_app.conf.task_eager_propagates = False
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}
    settings.METRICS_MAX_RETRIES = 0
    settings.YOUTUBE_API_KEY = "test-youtube-key"


@pytest.fixture
def channel(unit, submitter, colleague):
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=colleague,
        platform="youtube",
        name="Fictional University on YouTube",
        profile_url=f"https://www.youtube.com/channel/{CHANNEL_ID}",
        platform_id=CHANNEL_ID,
    )


def connect(channel, owner):
    ChannelToken.connect(
        channel=channel,
        grant=Grant(
            access_token=TOKEN,
            refresh_token="1//google-refresh-token",
            expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1),
            connected_as="comms@fictional.example",
        ),
        by=owner,
    )
    return reload(channel)


def collect(channel):
    return collect_channel.delay(channel.pk, DAY.isoformat()).get()


def snapshot(channel):
    return Snapshot.objects.get(channel=channel, date=DAY)


def analytics_requests(fake_api):
    return [entry for entry in fake_api.requests("youtube") if entry[2] == "/v2/reports"]


def test_a_connected_channel_gets_its_30_day_figures_from_the_analytics_api(
    channel, submitter, fake_api
):
    channel = connect(channel, submitter)

    assert collect(channel) == "ok"

    private = expected_analytics(TOKEN)
    row = snapshot(channel)
    assert row.followers == expected_followers("youtube", CHANNEL_ID)
    assert row.posts == figure(CHANNEL_ID, 500)
    assert (row.views, row.likes, row.comments, row.shares) == (
        private["views"],
        private["likes"],
        private["comments"],
        private["shares"],
    )
    assert row.engagement_posts is None
    summary = ChannelSummary.objects.get(channel=channel)
    assert summary.engagement_30d == private["likes"] + private["comments"] + private["shares"]
    assert len(analytics_requests(fake_api)) == 1


def test_a_channel_without_a_token_is_collected_as_before(channel, fake_api):
    assert collect(channel) == "ok"

    row = snapshot(channel)
    assert row.views == figure(CHANNEL_ID, 10**6)  # the lifetime count
    assert (row.likes, row.comments, row.shares) == (None, None, None)
    assert analytics_requests(fake_api) == []


def test_a_refused_token_keeps_the_public_figures_and_asks_the_owner_once_to_reconnect(
    channel,
    submitter,
    colleague,
    fake_api,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    channel = connect(channel, submitter)
    fake_api.script("/v2/reports", "401")

    with django_capture_on_commit_callbacks(execute=True):
        assert collect(channel) == "ok"

    row = snapshot(channel)
    assert row.followers == expected_followers("youtube", CHANNEL_ID)
    assert row.views == figure(CHANNEL_ID, 10**6)
    assert row.likes is None
    attempt = CollectionAttempt.objects.get(channel=channel)
    assert attempt.outcome == CollectionAttempt.Outcome.OK
    token = ChannelToken.objects.get(channel=channel)
    assert token.rejected_at is not None
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [submitter.email, colleague.email]
    )
    assert mailoutbox[0].subject == f"Connect {channel.name} again"
    assert "only its public figures are collected" in mailoutbox[0].body

    # The next day: the refused token is left alone, nobody is told again, and the
    # public figures collected without it do not clear the refusal.
    with django_capture_on_commit_callbacks(execute=True):
        assert collect_channel.delay(channel.pk, "2026-11-21").get() == "ok"
    assert len(analytics_requests(fake_api)) == 1
    assert len(mailoutbox) == 2
    token.refresh_from_db()
    assert token.rejected_at is not None


def test_reconnecting_brings_the_private_figures_back(channel, submitter, fake_api):
    channel = connect(channel, submitter)
    fake_api.script("/v2/reports", "401")
    collect(channel)

    channel = connect(channel, submitter)
    assert collect_channel.delay(channel.pk, "2026-11-21").get() == "ok"

    assert (
        Snapshot.objects.get(channel=channel, date="2026-11-21").likes
        == (expected_analytics(TOKEN)["likes"])
    )
    assert ChannelToken.objects.get(channel=channel).rejected_at is None


def test_a_refused_api_key_is_not_blamed_on_the_owners_token(
    channel, submitter, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    channel = connect(channel, submitter)

    def refuse(self, channel):
        raise AuthFailed("YouTube refused the API key (keyInvalid).")

    monkeypatch.setattr(YouTubeProvider, "public_reading", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        attempt = collector.collect(channel, DAY)

    assert attempt.outcome == CollectionAttempt.Outcome.AUTH_FAILED
    assert ChannelToken.objects.get(channel=channel).rejected_at is None
    assert mailoutbox == []  # the office's business: logged as an error
