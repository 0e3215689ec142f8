"""The Facebook and Instagram clients (Graph API) against recorded answers of the real
API's shape."""

import datetime
import json

import pytest
from cryptography.fernet import Fernet

from accounts.models import Channel
from metrics.models import ChannelToken
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
from metrics.providers.meta import FacebookProvider, InstagramProvider

from .recorded import fetch_recorded, load, reload, replay

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

# The tokens the recordings expect in the Authorization header.
FB_TOKEN = "EAAFictionalUniPageToken0x7Qm2ZC9aLk4"
IG_TOKEN = "EAAFictionalUniInstaToken0x3Rn8YD1bWp6"
PAGE_ID = "104523987654321"
IG_USER_ID = "17841400123456789"

PROVIDER = {"facebook": FacebookProvider, "instagram": InstagramProvider}


@pytest.fixture
def facebook_channel(recorded_channel):
    return recorded_channel(
        "facebook",
        name="Fictional University on Facebook",
        profile_url="https://www.facebook.com/fictionaluniversity",
        platform_id=PAGE_ID,
        token=FB_TOKEN,
    )


@pytest.fixture
def instagram_channel(recorded_channel):
    return recorded_channel(
        "instagram",
        name="Fictional University on Instagram",
        profile_url="https://www.instagram.com/fictionaluni",
        platform_id=IG_USER_ID,
        token=IG_TOKEN,
    )


@pytest.fixture
def channels(facebook_channel, instagram_channel):
    return {"facebook": facebook_channel, "instagram": instagram_channel}


def fetch(channel, recording):
    return fetch_recorded(PROVIDER[channel.platform], channel, recording)


# --- Facebook ---------------------------------------------------------------------


def test_a_facebook_reading_has_the_pages_followers_and_latest_post(facebook_channel):
    reading = fetch(facebook_channel, "ok")

    assert reading.followers == 12873
    assert reading.last_post_at == datetime.datetime(2026, 11, 19, 14, 2, 31, tzinfo=datetime.UTC)
    # Only followers and the latest post are collected for Pages.
    assert (reading.posts, reading.likes, reading.comments, reading.shares) == (None,) * 4
    assert (reading.views, reading.engagement_posts) == (None, None)
    assert reading.raw == {
        "page": {
            "followers_count": 12873,
            "fan_count": 11940,
            "name": "Fictional University",
            "username": "fictionaluniversity",
            "about": "The official Page of Fictional University.",
            "website": "https://www.fictional-university.example/",
            "id": PAGE_ID,
        },
        "followers_from": "followers_count",
        "posts": 3,
    }
    assert reading.profile == Profile(
        handle="fictionaluniversity",
        display_name="Fictional University",
        bio="The official Page of Fictional University.",
        websites=["https://www.fictional-university.example/"],
        read="Graph API: GET /{page-id}?fields=name,username,about,website",
    )


@pytest.mark.parametrize(
    "address",
    [
        f"https://www.facebook.com/pages/Fictional-University/{PAGE_ID}",
        f"https://www.facebook.com/p/Fictional-University-{PAGE_ID}/",
        f"https://www.facebook.com/profile.php?id={PAGE_ID}",
    ],
    ids=["pages", "p", "profile.php"],
)
def test_without_a_platform_id_the_page_id_in_the_address_is_asked(facebook_channel, address):
    channel = Channel.objects.get(pk=facebook_channel.pk)
    channel.platform_id = ""
    channel.profile_url = address
    channel.full_clean()  # the registry reads the address as it does when it is typed
    channel.save()

    assert fetch(reload(channel), "ok").followers == 12873


def test_a_page_without_followers_count_falls_back_to_fan_count(facebook_channel):
    reading = fetch(facebook_channel, "fan_count_only")

    assert reading.followers == 11940
    assert reading.raw["followers_from"] == "fan_count"
    assert reading.last_post_at == datetime.datetime(2026, 11, 18, 10, 15, tzinfo=datetime.UTC)


def test_a_figure_the_page_did_not_give_is_none_not_zero(facebook_channel):
    reading = fetch(facebook_channel, "missing_fields")

    assert reading.followers is None
    assert reading.last_post_at is None


def test_a_page_without_posts_has_no_last_post(facebook_channel):
    reading = fetch(facebook_channel, "no_posts")

    assert (reading.followers, reading.last_post_at) == (40, None)


# --- Instagram --------------------------------------------------------------------


def test_an_instagram_reading_has_the_accounts_figures_and_engagement_of_the_last_30_days(
    instagram_channel,
):
    reading = fetch(instagram_channel, "ok")

    assert (reading.followers, reading.posts) == (8412, 1093)
    # The post of 1 October is older than 30 days and does not count.
    assert (reading.likes, reading.comments, reading.engagement_posts) == (605, 24, 3)
    assert (reading.shares, reading.views) == (None, None)
    assert reading.last_post_at == datetime.datetime(2026, 11, 19, 16, 40, 12, tzinfo=datetime.UTC)
    assert reading.raw == {
        "account": {
            "followers_count": 8412,
            "media_count": 1093,
            "username": "fictionaluni",
            "name": "Fictional University",
            "biography": "Campus life at Fictional University.",
            "website": "https://www.fictional-university.example/",
            "id": IG_USER_ID,
        },
        "media": 4,
    }
    assert reading.profile == Profile(
        handle="fictionaluni",
        display_name="Fictional University",
        bio="Campus life at Fictional University.",
        websites=["https://www.fictional-university.example/"],
        read="Graph API: GET /{ig-user-id}?fields=username,name,biography,website",
    )


def test_like_counts_absent_from_every_media_are_none_not_zero(instagram_channel):
    reading = fetch(instagram_channel, "missing_fields")

    assert reading.followers is None
    assert reading.posts == 1093
    assert reading.likes is None
    assert (reading.comments, reading.engagement_posts) == (21, 2)
    assert reading.last_post_at == datetime.datetime(2026, 11, 19, 16, 40, 12, tzinfo=datetime.UTC)


def test_an_account_without_media_has_zero_engagement_and_no_last_post(instagram_channel):
    reading = fetch(instagram_channel, "no_media")

    assert (reading.followers, reading.posts) == (3, 0)
    assert (reading.likes, reading.comments, reading.engagement_posts) == (0, 0, 0)
    assert reading.last_post_at is None


# --- Both -------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_the_token_goes_in_the_header_and_never_in_the_address(channels, platform):
    channel = channels[platform]
    token = channel.api_token.value
    client, transport = replay(platform, "ok")
    PROVIDER[platform](client=client).fetch(channel)

    assert len(transport.requests) == 2
    for request in transport.requests:
        assert request.url.host == "graph.facebook.com"
        assert request.url.path.startswith("/v25.0/")
        assert token not in str(request.url)
        assert request.headers["authorization"] == f"Bearer {token}"


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_the_token_the_platform_sends_back_does_not_reach_the_reading(channels, platform):
    channel = channels[platform]
    token = channel.api_token.value
    # Graph's paging links carry the token (the recordings check that they do).
    assert token in json.dumps(load(platform, "ok"))

    reading = fetch(channel, "ok")

    assert token not in json.dumps(reading.raw)
    assert token not in repr(reading)


GRAPH_FAILURES = [
    (
        "facebook",
        "expired_token",
        AuthFailed,
        "The access token was refused (Graph API error 190/463: Error validating access "
        "token: Session has expired on Wednesday, 18-Nov-26 09:00:00 PST. The current time "
        "is Thursday, 19-Nov-26 22:00:00 PST.).",
    ),
    (
        "facebook",
        "malformed_token",
        AuthFailed,
        "The access token was refused (Graph API error 190: Malformed access token [token]).",
    ),
    (
        "facebook",
        "permission",
        AuthFailed,
        "The token lacks a permission (Graph API error 200: (#200) Requires "
        "pages_read_engagement permission to manage the object).",
    ),
    (
        "facebook",
        "not_found",
        Unavailable,
        "The account does not exist or the token cannot see it (Graph API error 100/33: "
        "Unsupported get request. Object with ID '104523987654321' does not exist, cannot "
        "be loaded due to missing permissions, or does not support this operation. Please "
        "read the Graph API documentation at https://developers.facebook.com/docs/graph-api).",
    ),
    (
        "facebook",
        "rate_limited",
        RateLimited,
        "Rate limited (Graph API error 32: (#32) Page request limit reached).",
    ),
    (
        "facebook",
        "posts_rate_limited",
        RateLimited,
        "Rate limited (Graph API error 4: (#4) Application request limit reached).",
    ),
    (
        "facebook",
        "server_error",
        TransientError,
        "Temporary platform error (Graph API error 1: An unknown error has occurred.).",
    ),
    ("facebook", "bad_gateway", TransientError, "The platform answered 502."),
    ("facebook", "malformed", BadResponse, "The answer was not JSON."),
    ("facebook", "timeout", TransientError, "Timed out: ReadTimeout"),
    (
        "instagram",
        "expired_token",
        AuthFailed,
        "The access token was refused (Graph API error 190/463: Error validating access "
        "token: Session has expired on Wednesday, 18-Nov-26 09:00:00 PST. The current time "
        "is Thursday, 19-Nov-26 22:00:00 PST.).",
    ),
    (
        "instagram",
        "permission",
        AuthFailed,
        "The token lacks a permission (Graph API error 10: (#10) Application does not have "
        "permission for this action).",
    ),
    (
        "instagram",
        "not_found",
        Unavailable,
        "The account does not exist or the token cannot see it (Graph API error 100/33: "
        "Unsupported get request. Object with ID '17841400123456789' does not exist, cannot "
        "be loaded due to missing permissions, or does not support this operation. Please "
        "read the Graph API documentation at https://developers.facebook.com/docs/graph-api).",
    ),
    (
        "instagram",
        "rate_limited",
        RateLimited,
        "Rate limited (Graph API error 4: (#4) Application request limit reached).",
    ),
    ("instagram", "server_error", TransientError, "The platform answered 503."),
    ("instagram", "malformed", BadResponse, "The answer was not JSON."),
    ("instagram", "media_not_a_list", BadResponse, "The media answer's data is not a list."),
    ("instagram", "timeout", TransientError, "Timed out: ReadTimeout"),
]


@pytest.mark.parametrize("platform, recording, error, message", GRAPH_FAILURES)
def test_each_failure_is_the_right_error(channels, platform, recording, error, message):
    with pytest.raises(error) as raised:
        fetch(channels[platform], recording)
    assert type(raised.value) is error
    assert raised.value.message == message


@pytest.mark.parametrize("platform, recording", [f[:2] for f in GRAPH_FAILURES])
def test_no_error_carries_the_token(channels, platform, recording):
    token = channels[platform].api_token.value
    with pytest.raises(FetchError) as raised:
        fetch(channels[platform], recording)
    assert token not in str(raised.value)
    assert token not in raised.value.message
    assert token not in json.dumps(raised.value.raw)


@pytest.mark.parametrize(
    "platform, recording, status, retry_after",
    [
        # The Business Use Case header's estimate: 15 minutes.
        ("facebook", "rate_limited", 400, 900),
        # No estimate: an hour, Meta's rolling window.
        ("facebook", "posts_rate_limited", 403, 3600),
        ("instagram", "rate_limited", 403, 3600),
    ],
)
def test_a_rate_limit_carries_a_wait(channels, platform, recording, status, retry_after):
    with pytest.raises(RateLimited) as raised:
        fetch(channels[platform], recording)
    assert (raised.value.status, raised.value.retry_after) == (status, retry_after)


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_channel_with_a_usable_token_and_id_is_collectable(channels, platform):
    assert isinstance(provider_for(channels[platform]), PROVIDER[platform])


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_channel_without_a_token_is_not_collectable(channels, platform):
    ChannelToken.objects.filter(channel=channels[platform]).delete()
    assert provider_for(reload(channels[platform])) is None


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_channel_with_an_expired_token_is_not_collectable(channels, platform):
    ChannelToken.objects.filter(channel=channels[platform]).update(
        expires_on=datetime.date(2026, 11, 19)
    )
    assert provider_for(reload(channels[platform])) is None


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_token_that_no_key_opens_is_not_collectable(settings, channels, platform):
    settings.METRICS_TOKEN_KEYS = [Fernet.generate_key().decode()]
    assert provider_for(reload(channels[platform])) is None


@pytest.mark.parametrize("platform_id", ["", "  ", "fictionaluniversity"])
@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_a_channel_without_a_numeric_platform_id_is_not_collectable(
    channels, platform, platform_id
):
    Channel.objects.filter(pk=channels[platform].pk).update(platform_id=platform_id)
    assert provider_for(reload(channels[platform])) is None
