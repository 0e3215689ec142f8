"""The YouTube client against recorded answers of the Data API v3's shape."""

import datetime
import json

import pytest

from metrics.providers import provider_for
from metrics.providers.base import (
    AuthFailed,
    BadResponse,
    FetchError,
    Profile,
    RateLimited,
    TransientError,
    Unavailable,
)
from metrics.providers.youtube import YouTubeProvider, seconds_until_quota_reset
from portal.tests.factories import make_channel

from .recorded import fetch_recorded, replay

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

KEY = "test-youtube-key"
CHANNEL_ID = "UCfictionalUniversity000"


@pytest.fixture(autouse=True)
def _youtube_key(settings):
    settings.YOUTUBE_API_KEY = KEY


@pytest.fixture
def youtube_channel(recorded_channel):
    return recorded_channel(
        "youtube",
        name="Fictional University on YouTube",
        profile_url="https://www.youtube.com/@fictionaluni",
        handle="fictionaluni",
        platform_id=CHANNEL_ID,
    )


def fetch(channel, recording):
    return fetch_recorded(YouTubeProvider, channel, recording)


def test_a_reading_has_the_channels_statistics(youtube_channel):
    reading = fetch(youtube_channel, "ok")

    assert reading.followers == 12400
    assert reading.posts == 318
    assert reading.views == 1843920
    # Engagement is per video: not read (it would cost quota).
    assert (reading.likes, reading.comments, reading.shares) == (None, None, None)
    assert (reading.engagement_posts, reading.last_post_at) == (None, None)
    # The profile comes with the same answer (part=snippet), for the profile check.
    assert reading.profile == Profile(
        handle="fictionaluni",
        display_name="Fictional University",
        bio=(
            "Lectures, campus life and research from Fictional University.\n\n"
            "Official channel: https://www.fictional-university.example/"
        ),
        websites=[],
        read="YouTube Data API: GET /youtube/v3/channels?part=snippet",
    )
    assert reading.raw["channel"]["id"] == CHANNEL_ID


def test_the_request_carries_the_key_and_the_reading_does_not(youtube_channel):
    client, transport = replay("youtube", "ok")
    reading = YouTubeProvider(client=client).fetch(youtube_channel)

    (request,) = transport.requests
    assert request.url.host == "www.googleapis.com"
    assert request.headers["x-goog-api-key"] == KEY
    assert KEY not in str(request.url)
    assert KEY not in json.dumps(reading.raw)
    assert KEY not in repr(reading)


def test_a_channel_without_an_id_is_asked_by_its_handle(youtube_channel):
    youtube_channel.platform_id = ""

    reading = fetch(youtube_channel, "by_handle")

    assert reading.followers == 12400


def test_a_non_latin_handle_is_asked_as_the_registry_read_it(unit, submitter):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        platform="youtube",
        profile_url="https://www.youtube.com/@%E6%9D%B1%E4%BA%AC%E6%9E%B6%E7%A9%BA%E5%A4%A7%E5%AD%A6",
    )
    assert channel.handle == "東京架空大学"

    assert fetch(channel, "by_non_latin_handle").followers == 12400


def test_a_channel_registered_by_its_channel_address_is_asked_by_that_id(unit, submitter):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        platform="youtube",
        profile_url=f"https://www.youtube.com/channel/{CHANNEL_ID}",
        handle="",
    )
    channel.handle = ""  # the factory makes one up

    assert fetch(channel, "ok").followers == 12400


def test_a_channel_registered_by_its_legacy_user_address_is_asked_by_that_user_name(
    unit, submitter
):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        platform="youtube",
        profile_url="https://www.youtube.com/user/fictionaluniversity",
    )
    channel.handle = ""  # the registry keeps none for a /user/ address

    reading = fetch(channel, "by_username")

    assert reading.followers == 12400
    assert reading.raw["channel"]["id"] == CHANNEL_ID


def test_a_legacy_user_name_no_channel_has_is_unavailable(unit, submitter):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        platform="youtube",
        profile_url="https://www.youtube.com/user/fictionaluniversity",
    )
    channel.handle = ""

    with pytest.raises(Unavailable) as raised:
        fetch(channel, "by_username_not_found")
    assert raised.value.message == "YouTube has no channel fictionaluniversity."


def test_a_known_channel_id_is_asked_before_the_legacy_user_name(unit, submitter):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        platform="youtube",
        profile_url="https://www.youtube.com/user/fictionaluniversity",
        platform_id=CHANNEL_ID,
    )

    assert fetch(channel, "ok").followers == 12400


def test_a_hidden_subscriber_count_is_none(youtube_channel):
    reading = fetch(youtube_channel, "hidden_subscribers")

    assert reading.followers is None
    assert (reading.posts, reading.views) == (41, 95210)


def test_a_figure_the_api_did_not_give_is_none_not_zero(youtube_channel):
    reading = fetch(youtube_channel, "missing_fields")

    assert (reading.followers, reading.posts, reading.views) == (None, None, 1843920)


@pytest.mark.parametrize(
    "recording, error, message",
    [
        ("not_found", Unavailable, f"YouTube has no channel {CHANNEL_ID}."),
        ("channel_not_found", Unavailable, "YouTube has no such channel."),
        ("no_statistics", BadResponse, "The answer lacks items.0.statistics."),
        (
            "quota_exceeded",
            RateLimited,
            "The YouTube API quota for today is spent; it resets at midnight Pacific time.",
        ),
        ("key_invalid", AuthFailed, "YouTube refused the API key (keyInvalid)."),
        ("key_invalid_current", AuthFailed, "YouTube refused the API key (API_KEY_INVALID)."),
        ("access_not_configured", AuthFailed, "YouTube refused the API key (accessNotConfigured)."),
        ("forbidden", AuthFailed, "YouTube refused the API key (forbidden)."),
        ("malformed", BadResponse, "The answer was not JSON."),
        ("server_error", TransientError, "The platform answered 503."),
        ("timeout", TransientError, "Timed out: ReadTimeout"),
    ],
)
def test_each_failure_is_the_right_error(youtube_channel, recording, error, message):
    with pytest.raises(error) as raised:
        fetch(youtube_channel, recording)
    assert type(raised.value) is error
    assert raised.value.message == message
    assert KEY not in json.dumps(raised.value.raw or {})


def test_a_spent_quota_waits_until_midnight_pacific_time(youtube_channel):
    with pytest.raises(RateLimited) as raised:
        fetch(youtube_channel, "quota_exceeded")
    # 06:00 UTC on 20 November is 22:00 PST on the 19th: two hours to go.
    assert (raised.value.status, raised.value.retry_after) == (403, 7200)


@pytest.mark.parametrize(
    "now, seconds",
    [
        # 00:30 PDT on 1 November; the clocks go back at 02:00, so 24.5 hours to go.
        (datetime.datetime(2026, 11, 1, 7, 30, tzinfo=datetime.UTC), 88200),
        # 12:00 PDT on 1 July.
        (datetime.datetime(2026, 7, 1, 19, 0, tzinfo=datetime.UTC), 43200),
        # Midnight PST itself: a whole day.
        (datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC), 86400),
    ],
)
def test_the_quota_resets_at_the_next_pacific_midnight(now, seconds):
    assert seconds_until_quota_reset(now) == seconds


def test_an_error_body_quoting_the_key_is_kept_without_it(youtube_channel):
    with pytest.raises(FetchError) as raised:
        fetch(youtube_channel, "error_quotes_key")
    assert type(raised.value) is FetchError
    assert raised.value.message == "The platform answered 400."
    assert raised.value.raw["error"]["message"] == "Invalid value '[key]' for key."


def test_without_a_key_no_channel_is_collectable(youtube_channel, settings):
    settings.YOUTUBE_API_KEY = ""
    assert provider_for(youtube_channel) is None


def test_a_channel_without_id_or_handle_is_not_collectable(youtube_channel):
    youtube_channel.platform_id = youtube_channel.handle = ""
    assert provider_for(youtube_channel) is None


def test_a_channel_with_a_key_and_a_handle_is_collectable(youtube_channel):
    youtube_channel.platform_id = ""
    assert isinstance(provider_for(youtube_channel), YouTubeProvider)


# --- Private figures with the owner's Google token (YouTube Analytics API v2) -----------

GOOGLE_TOKEN = "ya29.test-google-token"
ANALYTICS_SCOPES = (
    "openid email https://www.googleapis.com/auth/youtube.readonly "
    "https://www.googleapis.com/auth/yt-analytics.readonly"
)


def connect(channel, owner, *, expires_in=datetime.timedelta(hours=1), rejected=False):
    """``channel`` connected by its owner signing in to Google, as the collector loads it."""
    from metrics.models import ChannelToken
    from metrics.oauth import Grant

    from .conftest import NOW
    from .recorded import reload

    token = ChannelToken.connect(
        channel=channel,
        grant=Grant(
            access_token=GOOGLE_TOKEN,
            refresh_token="1//google-refresh-token",
            expires_at=NOW + expires_in,
            connected_as="comms@fictional.example",
            scopes=ANALYTICS_SCOPES,
        ),
        by=owner,
    )
    if rejected:
        token.mark_rejected()
    return reload(channel)


def test_with_a_connected_token_the_private_figures_of_30_days_are_read(youtube_channel, submitter):
    channel = connect(youtube_channel, submitter)

    reading = fetch(channel, "analytics_ok")

    # Followers and videos from the Data API, as without a token.
    assert (reading.followers, reading.posts) == (12400, 318)
    # Views, likes, comments and shares over the 30 days, not the lifetime view count.
    assert (reading.views, reading.likes, reading.comments, reading.shares) == (
        48213,
        1907,
        236,
        412,
    )
    # Counted over the channel's videos, not over posts of the window.
    assert reading.engagement_posts is None
    assert reading.token_accepted is True
    assert reading.raw["analytics"] == {
        "startDate": "2026-10-21",
        "endDate": "2026-11-19",
        "views": 48213,
        "likes": 1907,
        "comments": 236,
        "shares": 412,
        "estimatedMinutesWatched": 131870,
        "subscribersGained": 604,
        "subscribersLost": 58,
    }


def test_the_analytics_request_carries_the_owners_token_and_not_the_key(youtube_channel, submitter):
    channel = connect(youtube_channel, submitter)
    client, transport = replay("youtube", "analytics_ok")

    reading = YouTubeProvider(client=client).fetch(channel)

    public, private = transport.requests
    assert public.headers["x-goog-api-key"] == KEY
    assert "authorization" not in public.headers
    assert private.url.host == "youtubeanalytics.googleapis.com"
    assert private.headers["authorization"] == f"Bearer {GOOGLE_TOKEN}"
    assert "x-goog-api-key" not in private.headers
    for secret in (KEY, GOOGLE_TOKEN):
        assert secret not in str(private.url)
        assert secret not in json.dumps(reading.raw)


def test_without_a_token_only_the_public_figures_are_read(youtube_channel):
    reading = fetch(youtube_channel, "ok")  # one request: an unrecorded second one fails

    assert reading.views == 1843920  # the lifetime count, as before
    assert reading.token_accepted is None
    assert "analytics" not in reading.raw


@pytest.mark.parametrize(
    "how", [{"expires_in": -datetime.timedelta(minutes=1)}, {"rejected": True}]
)
def test_an_expired_or_refused_token_is_not_used(youtube_channel, submitter, how):
    channel = connect(youtube_channel, submitter, **how)

    reading = fetch(channel, "ok")

    assert (reading.followers, reading.views, reading.likes) == (12400, 1843920, None)
    assert reading.token_accepted is None


@pytest.mark.parametrize(
    "recording, reason",
    [
        ("analytics_token_revoked", "authError"),
        ("analytics_scope_missing", "insufficientPermissions"),
    ],
)
def test_a_refused_token_leaves_the_public_figures_and_says_so(
    youtube_channel, submitter, recording, reason
):
    channel = connect(youtube_channel, submitter)

    reading = fetch(channel, recording)

    assert (reading.followers, reading.posts, reading.views) == (12400, 318, 1843920)
    assert (reading.likes, reading.comments, reading.shares) == (None, None, None)
    assert reading.token_accepted is False
    assert reading.raw["analytics_refused"] == (
        f"YouTube Analytics refused the owner's token ({reason})."
    )
    assert GOOGLE_TOKEN not in json.dumps(reading.raw)


def test_an_analytics_answer_the_portal_cannot_use_leaves_the_public_figures(
    youtube_channel, submitter
):
    channel = connect(youtube_channel, submitter)

    reading = fetch(channel, "analytics_bad_request")

    assert (reading.followers, reading.views, reading.likes) == (12400, 1843920, None)
    assert reading.token_accepted is None  # not the token's fault
    assert reading.raw["analytics_failed"] == "The platform answered 400."


def test_an_analytics_answer_without_rows_leaves_the_public_figures(youtube_channel, submitter):
    channel = connect(youtube_channel, submitter)

    reading = fetch(channel, "analytics_no_rows")

    assert (reading.views, reading.likes) == (1843920, None)
    assert reading.token_accepted is True


def test_a_transient_analytics_failure_retries_the_whole_reading(youtube_channel, submitter):
    channel = connect(youtube_channel, submitter)

    with pytest.raises(TransientError) as raised:
        fetch(channel, "analytics_server_error")
    assert raised.value.message == "The platform answered 503."


def test_the_window_is_the_30_days_to_today_in_pacific_time():
    from metrics.providers.youtube import analytics_window

    # 06:00 UTC on 20 November is still the 19th in California, YouTube's reporting day.
    now = datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC)
    assert analytics_window(now) == (datetime.date(2026, 10, 21), datetime.date(2026, 11, 19))
