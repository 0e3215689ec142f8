"""The Bluesky client against recorded answers of the public AppView's shape."""

import copy
import datetime

import httpx
import pytest

from metrics.providers import provider_for
from metrics.providers.base import (
    BadResponse,
    FetchError,
    RateLimited,
    TransientError,
    Unavailable,
)
from metrics.providers.bluesky import BlueskyProvider

from .recorded import Replay, fetch_recorded, load, replay

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

DID = "did:plc:fictuni7xq3kzm2r5v4w6yab"


@pytest.fixture
def bluesky_channel(recorded_channel):
    return recorded_channel(
        "bluesky",
        name="Fictional University on Bluesky",
        profile_url="https://bsky.app/profile/fictionaluni.bsky.social",
        handle="fictionaluni.bsky.social",
    )


def fetch(channel, recording):
    return fetch_recorded(BlueskyProvider, channel, recording)


def test_a_reading_has_the_accounts_figures_and_engagement_of_the_last_30_days(
    bluesky_channel,
):
    reading = fetch(bluesky_channel, "ok")

    assert reading.followers == 5312
    assert reading.posts == 1204
    # Three own posts since 21 October: the repost of another account's post, the
    # pinned post shown at the top, and the posts of September do not count.
    assert (reading.likes, reading.shares, reading.comments) == (76, 15, 10)
    assert reading.engagement_posts == 3
    assert reading.views is None
    assert reading.last_post_at == datetime.datetime(
        2026, 11, 19, 14, 3, 21, 512000, tzinfo=datetime.UTC
    )
    assert reading.raw["profile"]["did"] == DID
    assert reading.raw["feed"] == 7


def test_the_feed_is_asked_by_the_did_of_the_profile(bluesky_channel):
    client, transport = replay("bluesky", "ok")
    BlueskyProvider(client=client).fetch(bluesky_channel)

    assert {request.url.host for request in transport.requests} == {"public.api.bsky.app"}
    assert transport.requests[0].url.params["actor"] == "fictionaluni.bsky.social"
    assert transport.requests[1].url.params["actor"] == DID


@pytest.mark.parametrize("field", ["platform_id", "handle"])
def test_a_channel_known_by_its_did_is_asked_by_it(bluesky_channel, field):
    setattr(bluesky_channel, field, DID)

    reading = fetch(bluesky_channel, "by_did")

    assert reading.followers == 5312
    assert (reading.likes, reading.engagement_posts, reading.last_post_at) == (0, 0, None)


def test_a_figure_the_appview_did_not_give_is_none_not_zero(bluesky_channel):
    reading = fetch(bluesky_channel, "missing_fields")

    assert (reading.followers, reading.posts) == (None, None)
    # The post without counts or createdAt still counts, dated by indexedAt; the one
    # without any time does not.
    assert (reading.likes, reading.shares, reading.comments) == (0, 0, 0)
    assert reading.engagement_posts == 1
    assert reading.last_post_at == datetime.datetime(2026, 11, 10, 8, 0, tzinfo=datetime.UTC)


def test_a_post_dated_in_the_future_by_its_app_counts_from_when_it_was_seen(bluesky_channel):
    reading = fetch(bluesky_channel, "future_dated")

    assert reading.last_post_at == datetime.datetime(2026, 11, 18, 7, 20, tzinfo=datetime.UTC)
    assert (reading.likes, reading.comments, reading.engagement_posts) == (3, 1, 1)


@pytest.mark.parametrize(
    "recording, error, message",
    [
        ("not_found", Unavailable, "The account was not found on Bluesky."),
        ("suspended", Unavailable, "Bluesky has suspended the account."),
        ("deactivated", Unavailable, "The account has been deactivated by its owner."),
        ("invalid_request", FetchError, "The platform answered 400."),
        ("malformed", BadResponse, "The answer was not JSON."),
        ("feed_missing", BadResponse, "The answer lacks feed."),
        ("rate_limited", RateLimited, "Too many requests."),
        ("server_error", TransientError, "The platform answered 502."),
        ("timeout", TransientError, "Timed out: ReadTimeout"),
    ],
)
def test_each_failure_is_the_right_error(bluesky_channel, recording, error, message):
    with pytest.raises(error) as raised:
        fetch(bluesky_channel, recording)
    assert type(raised.value) is error
    assert raised.value.message == message


def test_an_xrpc_error_keeps_its_body_and_status(bluesky_channel):
    with pytest.raises(Unavailable) as raised:
        fetch(bluesky_channel, "suspended")
    assert raised.value.status == 400
    assert raised.value.raw == {"error": "AccountTakedown", "message": "Account has been suspended"}


def test_a_429_waits_until_the_ratelimit_reset(bluesky_channel):
    with pytest.raises(RateLimited) as raised:
        fetch(bluesky_channel, "rate_limited")
    assert (raised.value.status, raised.value.retry_after) == (429, 300)


@pytest.mark.parametrize("handle, platform_id", [("", ""), ("", "12345")])
def test_a_channel_without_handle_or_did_is_not_collectable(bluesky_channel, handle, platform_id):
    bluesky_channel.handle, bluesky_channel.platform_id = handle, platform_id
    assert provider_for(bluesky_channel) is None


def test_a_channel_with_a_handle_is_collectable_without_a_key(bluesky_channel):
    assert isinstance(provider_for(bluesky_channel), BlueskyProvider)


def test_a_full_feed_page_within_the_window_marks_the_engagement_as_partial(bluesky_channel):
    """The feed is read one page of 100: an account that posted more within 30 days has
    its engagement summed over those 100 only, and the reading says so."""
    recording = copy.deepcopy(load("bluesky", "ok"))
    answer = recording["exchanges"][1]["response"]["json"]
    own = next(item for item in answer["feed"] if not item.get("reason"))
    answer["feed"] = []
    for n in range(100):
        item = copy.deepcopy(own)
        item["post"]["uri"] = f"{own['post']['uri']}-{n}"
        item["post"]["record"]["createdAt"] = own["post"]["record"]["createdAt"]
        answer["feed"].append(item)
    client = httpx.Client(transport=httpx.MockTransport(Replay(recording, "bluesky")))

    reading = BlueskyProvider(client=client).fetch(bluesky_channel)

    assert reading.engagement_posts == 100
    assert reading.engagement_partial is True


def test_a_feed_that_reaches_past_the_window_is_complete(bluesky_channel):
    assert fetch(bluesky_channel, "ok").engagement_partial is False
