"""The X client against recorded answers of the API v2's shape: one user, and a batch
of users in one request."""

import httpx
import pytest

from metrics.providers import provider_for
from metrics.providers.base import (
    AuthFailed,
    BadResponse,
    Profile,
    RateLimited,
    TransientError,
    Unavailable,
)
from metrics.providers.x import XProvider, user_error

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


def test_the_profile_comes_with_the_figures_its_links_expanded(x_channel):
    reading = fetch(x_channel, "ok")

    assert reading.profile == Profile(
        handle="fictionaluni",
        display_name="Fictional University",
        bio=(
            "News from Fictional University. Questions? "
            "https://www.fictional-university.example/contact"
        ),
        websites=["https://www.fictional-university.example/"],
        read="X API v2: GET /2/users/by?user.fields=description,url,entities",
    )


def test_the_request_carries_the_bearer_token(x_channel):
    client, transport = replay("x", "ok")
    XProvider(client=client).fetch(x_channel)

    (request,) = transport.requests
    assert (request.url.host, request.url.path) == ("api.x.com", "/2/users/by")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(request.url)


def test_a_figure_x_did_not_give_is_none_not_zero(x_channel):
    reading = fetch(x_channel, "missing_fields")

    assert (reading.followers, reading.posts) == (None, None)


@pytest.mark.parametrize(
    "recording, error, message",
    [
        ("not_found", Unavailable, "Could not find user with usernames: [fictionaluni]."),
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


@pytest.fixture
def x_batch(recorded_channel):
    """The four channels of the batch recording, in the order asked."""
    return [
        recorded_channel("x", name=f"X {name}", profile_url=f"https://x.com/{name}", handle=name)
        for name in ("fictionaluni", "fictionallib", "fictionalgone", "fictionalbanned")
    ]


def test_one_request_reads_a_whole_batch_each_channel_its_own_outcome(x_batch):
    uni, lib, gone, banned = x_batch
    client, transport = replay("x", "batch")

    outcomes = XProvider(client=client).fetch_many(x_batch)

    assert len(transport.requests) == 1
    assert transport.requests[0].url.params["usernames"] == (
        "fictionaluni,fictionallib,fictionalgone,fictionalbanned"
    )
    assert (outcomes[uni.pk].followers, outcomes[uni.pk].posts) == (8731, 4402)
    # X answers "FictionalLib" for "fictionallib": user names match in any case.
    assert (outcomes[lib.pk].followers, outcomes[lib.pk].posts) == (1204, 951)
    assert type(outcomes[gone.pk]) is Unavailable
    assert outcomes[gone.pk].message == "Could not find user with usernames: [fictionalgone]."
    assert type(outcomes[banned.pk]) is Unavailable
    assert outcomes[banned.pk].message == "User has been suspended: [fictionalbanned]."
    assert outcomes[banned.pk].raw["errors"][0]["value"] == "fictionalbanned"


def test_a_user_x_does_not_mention_is_that_channels_bad_response(x_channel, recorded_channel):
    other = recorded_channel(
        "x", name="Other", profile_url="https://x.com/fictionalother", handle="fictionalother"
    )
    client = httpx.Client(
        transport=httpx.MockTransport(
            lambda request: httpx.Response(
                200, json={"data": [{"id": "1", "username": "fictionaluni", "name": "U"}]}
            )
        )
    )
    outcomes = XProvider(client=client).fetch_many([x_channel, other])

    assert outcomes[x_channel.pk].followers is None
    assert type(outcomes[other.pk]) is BadResponse
    assert outcomes[other.pk].message == "X's answer does not mention this account."


@pytest.mark.parametrize("host", ["api.x.com", "api.twitter.com"])
def test_a_problem_type_is_recognised_on_either_host(host):
    entry = {
        "value": "someone",
        "detail": "Gone.",
        "title": "Some new title",
        "type": f"https://{host}/2/problems/resource-not-found",
    }
    assert type(user_error(entry)) is Unavailable


def test_an_error_of_another_kind_is_a_bad_response():
    entry = {
        "value": "someone",
        "title": "Invalid Request",
        "detail": "Something else.",
        "type": "https://api.x.com/2/problems/invalid-request",
    }
    error = user_error(entry)
    assert (type(error), error.message) == (BadResponse, "X answered an error: Something else.")


def test_a_batch_is_at_most_a_hundred_users(x_channel):
    with pytest.raises(ValueError):
        XProvider(client=httpx.Client()).fetch_many([x_channel] * 101)


def test_a_handle_x_would_refuse_is_not_collectable_so_it_cannot_spoil_a_batch(x_channel):
    x_channel.handle = "not-a-name"
    assert provider_for(x_channel) is None
