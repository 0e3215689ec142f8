"""The verify API, GET /api/verify?url=... (accounts/views/api.py): every answer, bad
input, CORS, the headers shared caches read, the rate limit and the query count."""

import datetime

import pytest
import time_machine

from accounts.models import ChannelVerification
from portal.tests.factories import make_channel

URL = "/api/verify"
NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
State = ChannelVerification.State


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PORTAL_ORGANISATION_NAME = "Fictional University"
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    settings.PORTAL_VERIFY_API_RATE = "1000/m"
    settings.PORTAL_API_CACHE_SECONDS = 300


def mastodon(unit, handle="physics", **fields):
    return make_channel(unit=unit, name="Physics", platform="mastodon", handle=handle, **fields)


def verification(channel, state, *, since=NOW, checked_at=NOW):
    return ChannelVerification.objects.create(
        channel=channel,
        state=state,
        since=since,
        checked_on=checked_at.date(),
        checked_at=checked_at,
    )


def ask(client, url, **headers):
    return client.get(URL, {"url": url}, headers=headers)


def expected_channel(channel, verification):
    return {
        "name": "Physics",
        "platform": "mastodon",
        "platform_name": "Mastodon",
        "url": "https://mastodon.social/@physics",
        "handle": "physics@mastodon.social",
        "unit": "School of Engineering",
        "page": f"https://portal.example.org/c/{channel.pk}/",
        "closed_on": None,
        "verification": verification,
    }


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (State.VERIFIED, "Verified"),
        (State.NOT_YET, "Not yet verified"),
        (State.BROKEN, "Verification broken"),
    ],
)
def test_an_official_account_is_answered_with_its_channel_and_verification(
    client, unit, state, name
):
    channel = mastodon(unit)
    verification(channel, state)
    response = ask(client, "https://mastodon.social/@physics")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "url": "https://mastodon.social/@physics",
        "status": "official",
        "organisation": "Fictional University",
        "channel": expected_channel(
            channel,
            {
                "state": state.value,
                "state_name": name,
                "since": "2026-03-02T09:30:00+00:00",
                "checked_at": "2026-03-02T09:30:00+00:00",
                "method": "rel-me",
            },
        ),
        "channels": [response.json()["channel"]],
        "report": None,
    }


def test_an_account_never_checked_is_not_yet_verified_with_no_dates(client, unit):
    mastodon(unit)
    data = ask(client, "@physics@mastodon.social").json()
    assert data["status"] == "official"
    assert data["channel"]["verification"] == {
        "state": "not_yet",
        "state_name": "Not yet verified",
        "since": None,
        "checked_at": None,
        "method": "rel-me",
    }


def test_an_account_on_a_platform_without_links_back_says_it_is_not_possible(client, unit):
    make_channel(unit=unit, name="Eng News", platform="tiktok", handle="eng_news")
    data = ask(client, "https://www.tiktok.com/@eng_news").json()
    assert data["status"] == "official"
    assert data["channel"]["platform"] == "tiktok"
    assert data["channel"]["verification"] == {
        "state": "not_possible",
        "state_name": "Not possible on this platform",
        "since": None,
        "checked_at": None,
        "method": None,
    }


def test_a_closed_account_is_formerly_official_with_no_page(client, unit):
    channel = mastodon(unit, status="closed", closed_on=datetime.date(2025, 11, 3))
    verification(channel, State.VERIFIED)
    data = ask(client, "https://mastodon.social/@physics").json()
    assert data["status"] == "formerly_official"
    assert data["channel"]["closed_on"] == "2025-11-03"
    assert data["channel"]["page"] is None
    assert data["channel"]["verification"] is None
    assert data["report"] is None


def test_an_unknown_account_is_answered_unknown_with_where_to_report_it(client, db):
    response = ask(client, "https://www.instagram.com/fake_news/")
    assert response.status_code == 200
    assert response.json() == {
        "url": "https://www.instagram.com/fake_news/",
        "status": "unknown",
        "organisation": "Fictional University",
        "channel": None,
        "channels": [],
        "report": "https://portal.example.org/directory/report/"
        "?url=https%3A%2F%2Fwww.instagram.com%2Ffake_news%2F",
    }


@pytest.mark.parametrize("kind", [{"is_public": False}, {"status": "planned"}])
def test_unlisted_and_planned_channels_are_unknown(client, unit, kind):
    mastodon(unit, **kind)
    assert ask(client, "@physics@mastodon.social").json()["status"] == "unknown"


def test_a_bare_handle_naming_several_accounts_lists_them_all_official_first(client, unit):
    make_channel(unit=unit, name="Old X", platform="x", handle="eng", status="closed")
    make_channel(unit=unit, name="Eng Photos", platform="instagram", handle="eng")
    data = ask(client, "@eng").json()
    assert data["status"] == "official"
    assert data["channel"]["name"] == "Eng Photos"
    assert [channel["name"] for channel in data["channels"]] == ["Eng Photos", "Old X"]


def test_the_api_and_the_html_check_read_an_address_the_same_way(client, unit):
    mastodon(unit)
    for typed in ["HTTPS://MASTODON.SOCIAL/@Physics/", "mastodon.social/@physics"]:
        assert ask(client, typed).json()["status"] == "official"
        page = client.get("/directory/verify/", {"url": typed}).content.decode()
        assert 'data-testid="official"' in page


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ({}, "missing_url", "Give the address or handle to check: /api/verify?url=…"),
        ({"url": ""}, "missing_url", "Give the address or handle to check: /api/verify?url=…"),
        (
            {"url": "not an address!"},
            "invalid_url",
            "“not an address!” is neither a web address nor a handle.",
        ),
        (
            {"url": "https://x.com/" + "a" * 600},
            "url_too_long",
            "Ensure this value has at most 500 characters (it has 614).",
        ),
        ({"url": "@eng\x00news"}, "null_characters", "Null characters are not allowed."),
    ],
    ids=["no-url", "empty", "malformed", "huge", "null"],
)
def test_bad_input_is_a_400_with_a_clear_message(client, db, query, code, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"error": code, "message": message}


def test_the_message_follows_the_readers_language(client, db):
    response = client.get(URL, headers={"Accept-Language": "sv"})
    assert response.status_code == 400
    assert response["Content-Language"] == "sv"
    assert "Accept-Language" in response["Vary"]
    assert response.json()["message"] != "Give the address or handle to check: /api/verify?url=…"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_refused_with_405_in_json(client, db, method):
    response = getattr(client, method)(URL + "?url=@eng")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "method_not_allowed"


def test_head_answers_like_get_without_a_body(client, unit):
    mastodon(unit)
    response = client.head(URL, {"url": "@physics@mastodon.social"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == b""


def test_any_site_may_read_the_answer_without_credentials(client, unit):
    mastodon(unit)
    response = ask(client, "@physics@mastodon.social", Origin="https://news.example.com")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Access-Control-Expose-Headers"] == "ETag, Retry-After"


def test_a_preflight_is_answered_with_the_methods_and_headers_allowed(client, db):
    response = client.options(
        URL + "?url=@eng",
        headers={
            "Origin": "https://news.example.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "If-None-Match"
    assert response["Access-Control-Max-Age"] == "86400"


def test_shared_caches_may_keep_an_answer_and_revalidate_it_with_its_etag(client, unit):
    mastodon(unit)
    first = ask(client, "@physics@mastodon.social")
    assert first["Cache-Control"] == "public, max-age=300, s-maxage=300"
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = ask(client, "@physics@mastodon.social", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"
    other = ask(client, "@physics@mastodon.social", **{"If-None-Match": '"old"'})
    assert other.status_code == 200


def test_the_etag_changes_when_the_answer_does(client, unit):
    channel = mastodon(unit)
    before = ask(client, "@physics@mastodon.social")["ETag"]
    verification(channel, State.VERIFIED)
    after = ask(client, "@physics@mastodon.social")
    assert after.json()["channel"]["verification"]["state"] == "verified"
    assert after["ETag"] != before


def test_the_cache_lifetime_is_a_setting(client, db, settings):
    settings.PORTAL_API_CACHE_SECONDS = 60
    response = ask(client, "@eng")
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"


def test_a_client_over_the_rate_is_told_to_wait(client, db, settings):
    settings.PORTAL_VERIFY_API_RATE = "3/m"
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 30, 20, tzinfo=datetime.UTC)):
        statuses = [ask(client, "@eng").status_code for _ in range(3)]
        limited = ask(client, "@eng")
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/json"
    assert limited["Cache-Control"] == "no-store"
    assert limited["Access-Control-Allow-Origin"] == "*"
    assert limited.json()["error"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60


def test_the_rate_is_counted_per_client_address(client, db, settings):
    settings.PORTAL_VERIFY_API_RATE = "1/m"
    assert client.get(URL, {"url": "@eng"}, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get(URL, {"url": "@eng"}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get(URL, {"url": "@eng"}, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_an_answer_costs_one_query_however_many_channels_match(
    client, unit, physics, django_assert_num_queries
):
    make_channel(unit=unit, platform="instagram", handle="eng")
    with django_assert_num_queries(1):
        assert ask(client, "@eng").status_code == 200
    for platform in ["x", "tiktok", "youtube", "facebook"]:
        verification(make_channel(unit=physics, platform=platform, handle="eng"), State.BROKEN)
    make_channel(unit=physics, platform="threads", handle="eng", status="closed")
    with django_assert_num_queries(1):
        data = ask(client, "@ENG").json()
    assert len(data["channels"]) == 6


def test_a_repeated_question_is_answered_from_the_cache_until_the_directory_changes(
    client, unit, django_assert_num_queries
):
    channel = mastodon(unit)
    ask(client, "@physics@mastodon.social")
    with django_assert_num_queries(0):
        ask(client, "@physics@mastodon.social")
    verification(channel, State.VERIFIED)
    data = ask(client, "@physics@mastodon.social").json()
    assert data["channel"]["verification"]["state"] == "verified"


def test_a_request_without_a_client_address_is_still_answered(client, db):
    # A WSGI server on a Unix socket may give none; the rate then counts them together.
    assert client.get(URL, {"url": "@eng"}, REMOTE_ADDR="").status_code == 200


def test_behind_a_proxy_the_rate_counts_the_address_the_proxy_names(client, db, settings):
    settings.PORTAL_VERIFY_API_RATE = "1/m"
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert client.get(URL, {"url": "@eng"}, HTTP_X_REAL_IP="192.0.2.1").status_code == 200
    assert client.get(URL, {"url": "@eng"}, HTTP_X_REAL_IP="192.0.2.2").status_code == 200
    assert client.get(URL, {"url": "@eng"}, HTTP_X_REAL_IP="192.0.2.1").status_code == 429
