"""The X client against recorded answers of the API v2's shape."""

import pytest

from metrics.providers import provider_for
from metrics.providers.base import (
    AuthFailed,
    BadResponse,
    RateLimited,
    TransientError,
    Unavailable,
)
from metrics.providers.x import XProvider

from .recorded import fetch_recorded, replay

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

TOKEN = "test-x-bearer-token"


@pytest.fixture(autouse=True)
def _x_token(settings):
    settings.X_BEARER_TOKEN = TOKEN


@pytest.fixture
def x_channel(recorded_channel):
    return recorded_channel(
        "x",
        name="Fictional University on X",
        profile_url="https://x.com/fictionaluni",
        handle="fictionaluni",
    )


def fetch(channel, recording):
    return fetch_recorded(XProvider, channel, recording)


def test_a_reading_has_the_accounts_followers_and_posts(x_channel):
    reading = fetch(x_channel, "ok")

    assert reading.followers == 8731
    assert reading.posts == 4402
    # like_count is what the account liked, not likes it received.
    assert (reading.likes, reading.comments, reading.shares, reading.views) == (
        None,
        None,
        None,
        None,
    )
    assert (reading.engagement_posts, reading.last_post_at) == (None, None)
    assert reading.raw["user"]["id"] == "1523456789012345678"


def test_the_request_carries_the_bearer_token(x_channel):
    client, transport = replay("x", "ok")
    XProvider(client=client).fetch(x_channel)

    (request,) = transport.requests
    assert request.url.host == "api.x.com"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(request.url)


def test_a_figure_x_did_not_give_is_none_not_zero(x_channel):
    reading = fetch(x_channel, "missing_fields")

    assert (reading.followers, reading.posts) == (None, None)


@pytest.mark.parametrize(
    "recording, error, message",
    [
        ("not_found", Unavailable, "Could not find user with username: [fictionaluni]."),
        ("suspended", Unavailable, "User has been suspended: [fictionaluni]."),
        ("unauthorized", AuthFailed, "The platform refused the credentials (401)."),
        ("client_forbidden", AuthFailed, "The platform refused the credentials (403)."),
        ("malformed", BadResponse, "The answer was not JSON."),
        ("rate_limited", RateLimited, "Too many requests."),
        ("server_error", TransientError, "The platform answered 503."),
        ("timeout", TransientError, "Timed out: ReadTimeout"),
    ],
)
def test_each_failure_is_the_right_error(x_channel, recording, error, message):
    with pytest.raises(error) as raised:
        fetch(x_channel, recording)
    assert type(raised.value) is error
    assert raised.value.message == message


def test_a_missing_user_answered_with_200_keeps_the_errors(x_channel):
    with pytest.raises(Unavailable) as raised:
        fetch(x_channel, "not_found")
    assert raised.value.status == 200
    assert raised.value.raw["errors"][0]["title"] == "Not Found Error"


def test_a_429_waits_until_the_rate_limit_reset(x_channel):
    with pytest.raises(RateLimited) as raised:
        fetch(x_channel, "rate_limited")
    # x-rate-limit-reset is 06:15 UTC, a quarter of an hour after the frozen clock.
    assert (raised.value.status, raised.value.retry_after) == (429, 900)


def test_without_a_token_no_channel_is_collectable(x_channel, settings):
    settings.X_BEARER_TOKEN = ""
    assert provider_for(x_channel) is None


def test_a_channel_without_a_handle_is_not_collectable(x_channel):
    x_channel.handle = ""
    assert provider_for(x_channel) is None


def test_a_channel_with_a_token_and_a_handle_is_collectable(x_channel):
    assert isinstance(provider_for(x_channel), XProvider)
