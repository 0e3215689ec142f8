"""The Mastodon client against recorded answers of the real API's shape."""

import datetime

import pytest

from metrics.providers.base import AuthFailed, BadResponse, RateLimited, TransientError, Unavailable
from metrics.providers.mastodon import MastodonProvider

from .recorded import fetch_recorded, replay

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")


def fetch(channel, recording):
    return fetch_recorded(MastodonProvider, channel, recording)


def test_a_reading_has_the_accounts_figures_and_engagement_of_the_last_30_days(
    mastodon_channel,
):
    reading = fetch(mastodon_channel, "ok")

    assert reading.followers == 2481
    assert reading.posts == 734
    # The post of 1 September is older than 30 days and does not count.
    assert (reading.likes, reading.shares, reading.comments) == (44, 16, 6)
    assert reading.engagement_posts == 2
    assert reading.views is None
    assert reading.last_post_at == datetime.datetime(2026, 11, 19, 9, 12, 44, tzinfo=datetime.UTC)
    assert reading.raw["account"]["id"] == "109302744578223640"


def test_the_requests_ask_the_accounts_own_server(mastodon_channel):
    client, transport = replay("mastodon", "ok")
    MastodonProvider(client=client).fetch(mastodon_channel)
    assert {request.url.host for request in transport.requests} == {"mastodon.example"}


def test_the_server_is_found_with_webfinger_on_the_handles_domain(mastodon_channel):
    client, transport = replay("mastodon", "ok")
    MastodonProvider(client=client).fetch(mastodon_channel)

    first = transport.requests[0]
    assert (first.url.host, first.url.path) == ("mastodon.example", "/.well-known/webfinger")
    assert first.url.params["resource"] == "acct:fictionaluni@mastodon.example"


def test_an_account_whose_handle_domain_is_not_its_servers_is_asked_on_its_server(unit, submitter):
    from portal.tests.factories import make_channel

    channel = make_channel(
        unit=unit,
        owner=submitter,
        platform="mastodon",
        profile_url="@fictionaluni@fictional.example",
    )
    client, transport = replay("mastodon", "split_domain")
    reading = MastodonProvider(client=client).fetch(channel)

    assert transport.exchanges == []
    assert [(request.url.host, request.url.path) for request in transport.requests] == [
        ("fictional.example", "/.well-known/webfinger"),
        ("social.fictional.example", "/api/v1/accounts/lookup"),
        ("social.fictional.example", "/api/v1/accounts/109302744578223640/statuses"),
    ]
    assert reading.followers == 2481


@pytest.mark.parametrize(
    "recording, error, message",
    [
        pytest.param(
            "webfinger_not_found",
            Unavailable,
            "The account was not found (404).",
            id="no-such-account",
        ),
        pytest.param(
            "webfinger_without_self_link",
            BadResponse,
            "The WebFinger answer has no self link of type application/activity+json.",
            id="no-self-link",
        ),
        pytest.param(
            "webfinger_self_link_not_https",
            BadResponse,
            "The WebFinger answer's self link is not an https address on a host name.",
            id="not-https",
        ),
        pytest.param(
            "webfinger_self_link_with_port",
            BadResponse,
            "The WebFinger answer's self link is not an https address on a host name.",
            id="port",
        ),
    ],
)
def test_a_webfinger_answer_that_names_no_server_is_the_right_error(
    mastodon_channel, recording, error, message
):
    with pytest.raises(error) as raised:
        fetch(mastodon_channel, recording)
    assert type(raised.value) is error
    assert raised.value.message == message


def test_a_figure_the_server_did_not_give_is_none_not_zero(mastodon_channel):
    reading = fetch(mastodon_channel, "missing_fields")

    assert reading.followers is None
    assert reading.posts == 734
    assert reading.last_post_at is None
    assert (reading.likes, reading.engagement_posts) == (0, 0)


def test_an_account_without_posts_has_zero_engagement_and_no_last_post(mastodon_channel):
    reading = fetch(mastodon_channel, "no_posts")

    assert (reading.posts, reading.likes, reading.engagement_posts) == (0, 0, 0)
    assert reading.last_post_at is None


@pytest.mark.parametrize(
    "recording, error, message",
    [
        ("suspended", Unavailable, "The account is suspended by its server."),
        ("moved", Unavailable, "The account has moved to fictional@other.example."),
        ("not_found", Unavailable, "The account was not found (404)."),
        ("malformed", BadResponse, "The answer was not JSON."),
        ("html_error_page", BadResponse, "The answer was not JSON."),
        ("statuses_not_a_list", BadResponse, "The statuses answer is not a list."),
        ("rate_limited", RateLimited, "Too many requests."),
        ("server_error", TransientError, "The platform answered 503."),
        ("timeout", TransientError, "Timed out: ReadTimeout"),
    ],
)
def test_each_failure_is_the_right_error(mastodon_channel, recording, error, message):
    with pytest.raises(error) as raised:
        fetch(mastodon_channel, recording)
    assert type(raised.value) is error
    assert raised.value.message == message


def test_a_429_carries_the_servers_retry_after(mastodon_channel):
    with pytest.raises(RateLimited) as raised:
        fetch(mastodon_channel, "rate_limited")
    assert (raised.value.status, raised.value.retry_after) == (429, 120)


def test_a_channel_without_a_server_in_its_handle_is_not_collectable(unit, submitter):
    from metrics.providers import provider_for
    from portal.tests.factories import make_channel

    channel = make_channel(unit=unit, owner=submitter, platform="mastodon")
    channel.handle = "nohost"
    assert provider_for(channel) is None


@pytest.mark.parametrize(
    "handle",
    [
        "fictionaluni@[x]",  # a bracketed host: no address can be made of it
        "fictionaluni@[::1]",
        "fictionaluni@[",
        "fictionaluni@mastodon.example:8443",
        "fictionaluni@user:secret@mastodon.example",  # the server would get a password
        "fictionaluni@mastodon.example/path",
        f"fictionaluni@{'a.' * 130}example",
        "fiction al@mastodon.example",
        "@mastodon.example",
    ],
)
def test_a_channel_whose_handle_names_no_server_is_not_collectable(unit, submitter, handle):
    from metrics.providers import provider_for
    from metrics.providers.base import NotCollectable
    from portal.tests.factories import make_channel

    channel = make_channel(unit=unit, owner=submitter, platform="mastodon")
    channel.handle = handle  # as stored before handles were read, or by the admin
    assert provider_for(channel) is None
    with pytest.raises(NotCollectable):
        MastodonProvider().fetch(channel)


def test_a_handle_is_split_into_the_user_and_the_server_in_lower_case(mastodon_channel):
    from metrics.providers.mastodon import split_handle

    mastodon_channel.handle = "@FictionalUni@Mastodon.Example"
    assert split_handle(mastodon_channel) == ("fictionaluni", "mastodon.example")


def test_auth_failed_is_not_transient():
    assert AuthFailed("x").transient is False


def test_the_next_page_is_read_until_one_reaches_past_30_days(mastodon_channel):
    client, transport = replay("mastodon", "paginated")
    reading = MastodonProvider(client=client).fetch(mastodon_channel)

    assert transport.exchanges == []
    first, second = transport.requests[2:]
    assert "max_id" not in first.url.params
    # The next page is the address the Link header gave, max_id and all.
    assert second.url.params["max_id"] == "113500000000000161"
    assert second.url.params["exclude_reblogs"] == "true"
    # 40 posts of the first page and the 20 of the second within 30 days.
    assert reading.engagement_posts == 60
    assert (reading.likes, reading.shares, reading.comments) == (178, 60, 30)
    assert reading.engagement_partial is False


def test_an_account_posting_more_than_the_pages_read_is_marked_partial(mastodon_channel, settings):
    settings.METRICS_MASTODON_MAX_PAGES = 2
    client, transport = replay("mastodon", "bound_reached")
    reading = MastodonProvider(client=client).fetch(mastodon_channel)

    # Two pages, and no third although the second names one.
    assert transport.exchanges == []
    assert len(transport.requests) == 4
    assert reading.engagement_posts == 80
    assert (reading.likes, reading.shares, reading.comments) == (240, 81, 40)
    assert reading.engagement_partial is True
    assert reading.raw["engagement_partial"] is True


def test_a_next_page_on_another_host_is_never_asked_for(mastodon_channel, caplog):
    client, transport = replay("mastodon", "next_page_elsewhere")
    reading = MastodonProvider(client=client).fetch(mastodon_channel)

    assert transport.exchanges == []
    assert {request.url.host for request in transport.requests} == {"mastodon.example"}
    assert reading.engagement_posts == 40
    assert reading.engagement_partial is True
    assert "elsewhere.example" in caplog.text


def test_an_account_with_one_page_of_posts_is_read_in_one_request(mastodon_channel):
    client, transport = replay("mastodon", "ok")
    reading = MastodonProvider(client=client).fetch(mastodon_channel)

    assert [r.url.path for r in transport.requests].count(
        "/api/v1/accounts/109302744578223640/statuses"
    ) == 1
    assert reading.engagement_partial is False
