"""Contract tests: the recorded answers and the requests the providers send, against the
platforms' published schemas as the development dependencies ship them (contracts.py
says which package gives which schema, and what is written out where none does).

Every file under recorded/ is validated, including ones added later: a recording of a
platform without a contract, an answer off the schema that does not say why, or a
recording that does not name the documentation and version it follows fails. The
requests the providers send are checked as they are sent, by the replay transport
(recorded.py), in every provider test.
"""

import copy
import json
from importlib.metadata import version

import httpx
import pytest

from . import contracts
from .recorded import RECORDED, Replay, load

RECORDINGS = sorted(RECORDED.rglob("*.json"))


def platform_of(path):
    return path.parent.name


@pytest.mark.parametrize(
    "path", RECORDINGS, ids=[str(path.relative_to(RECORDED)) for path in RECORDINGS]
)
def test_every_recording_matches_the_published_schema(path):
    recording = json.loads(path.read_text())
    assert contracts.check_recording(platform_of(path), recording) == []


def test_every_platform_with_recordings_has_a_contract():
    platforms = {platform_of(path) for path in RECORDINGS}
    assert platforms == set(contracts.platforms())


def test_the_schemas_come_from_the_installed_packages():
    sources = {name: contract.source for name, contract in contracts.platforms().items()}
    assert f"atproto {version('atproto')}" in sources["bluesky"]
    assert f"google-api-python-client {version('google-api-python-client')}" in sources["youtube"]
    assert "revision 2026" in sources["youtube"]
    assert "youtubeAnalytics.v2.json, revision 2024" in sources["youtube"]
    assert f"facebook-business {version('facebook-business')}" in sources["facebook"]
    assert f"xdk {version('xdk')}" in sources["x"]
    assert f"Mastodon.py {version('Mastodon.py')}" in sources["mastodon"]


# --- A broken copy fails -----------------------------------------------------------


def _answer(recording, number=1):
    return recording["exchanges"][number - 1]["response"]["json"]


def _set_followers(value):
    def change(recording):
        _answer(recording)["followersCount"] = value

    return change


BROKEN = {
    # platform, recording: (what is broken, the change, a phrase of the expected problem)
    "bluesky/ok: a count as a string": (
        _set_followers("5312"),
        "followersCount: Input should be a valid integer",
    ),
    "bluesky/ok: a field the lexicon lacks": (
        lambda r: _answer(r).update(followerCount=5312),
        "followerCount: not in the schema",
    ),
    "bluesky/ok: a DID that is not one": (
        lambda r: _answer(r).update(did="fictionaluni"),
        "Invalid DID",
    ),
    "youtube/ok: a uint64 sent as a number": (
        lambda r: _answer(r)["items"][0]["statistics"].update(subscriberCount=12400),
        "subscriberCount: expected a string",
    ),
    "youtube/ok: a statistic the schema lacks": (
        lambda r: _answer(r)["items"][0]["statistics"].update(likeCount="3"),
        "likeCount: not in ChannelStatistics",
    ),
    "youtube/analytics_ok: a figure the report lacks a column for": (
        lambda r: _answer(r, 2)["rows"][0].append(7),
        "8 values for 7 columns",
    ),
    "youtube/analytics_ok: a count as a string": (
        lambda r: _answer(r, 2)["rows"][0].__setitem__(1, "1907"),
        "likes: expected INTEGER",
    ),
    "youtube/analytics_ok: a property QueryResponse lacks": (
        lambda r: _answer(r, 2).update(totals=[48213]),
        "totals: not in QueryResponse",
    ),
    "youtube/analytics_ok: a request without its end date": (
        lambda r: r["exchanges"][1]["request"]["query"].pop("endDate"),
        "required parameter 'endDate' missing",
    ),
    "youtube/analytics_ok: a start date in another form": (
        lambda r: r["exchanges"][1]["request"]["query"].update(startDate="21/10/2026"),
        "does not match [0-9]{4}-[0-9]{2}-[0-9]{2}",
    ),
    "facebook/ok: a field the Page does not have": (
        lambda r: _answer(r).update(follower_count=3),
        "follower_count: Page has no such field",
    ),
    "facebook/ok: a field not asked for": (
        lambda r: _answer(r).update(link="https://www.facebook.com/fictionaluniversity"),
        "link: answered without being asked for",
    ),
    "instagram/ok: a count as a string": (
        lambda r: _answer(r, 2)["data"][0].update(like_count="312"),
        "like_count: expected an integer",
    ),
    "x/ok: a field the User lacks": (
        lambda r: _answer(r)["data"][0]["public_metrics"].update(tweet_count=4402),
        "tweet_count: not in the schema",
    ),
    "x/ok: a count as a string": (
        lambda r: _answer(r)["data"][0]["public_metrics"].update(followers_count="8731"),
        "followers_count: Input should be a valid integer",
    ),
    "mastodon/ok: a field the Account lacks": (
        lambda r: _answer(r, 2).update(follower_count=2481),
        "follower_count: Account has no such field",
    ),
    "mastodon/ok: a status count as a string": (
        lambda r: _answer(r, 3)[0].update(favourites_count="14"),
        "favourites_count: expected an integer",
    ),
    "mastodon/ok: a field every server sends left out": (
        lambda r: _answer(r, 2).pop("followers_count"),
        "followers_count: required (sent since Mastodon 0.1.0)",
    ),
    "linkedin/ok: a size as a string": (
        lambda r: _answer(r).update(firstDegreeSize="21904"),
        "firstDegreeSize: expected an integer",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_copy_of_a_recording_fails(case, tmp_path):
    change, expected = BROKEN[case]
    platform, name = case.split(":")[0].split("/")
    copy_path = tmp_path / platform / f"{name}.json"
    copy_path.parent.mkdir()
    copy_path.write_text((RECORDED / platform / f"{name}.json").read_text())
    recording = json.loads(copy_path.read_text())
    assert contracts.check_recording(platform, recording) == []
    change(recording)
    copy_path.write_text(json.dumps(recording))

    problems = contracts.check_recording(platform, json.loads(copy_path.read_text()))

    assert any(expected in problem for problem in problems), problems


def test_an_off_schema_mark_on_an_answer_that_matches_fails():
    recording = load("youtube", "ok")
    recording["exchanges"][0]["response"]["off_schema"] = "said to be broken"
    assert contracts.check_recording("youtube", recording) == [
        "exchange 1: marked off_schema (said to be broken) but matches the schema"
    ]


def test_an_answer_off_the_schema_without_a_reason_fails():
    recording = load("x", "malformed")
    del recording["exchanges"][0]["response"]["off_schema"]
    assert contracts.check_recording("x", recording) == ["exchange 1 answer the answer is not JSON"]


def test_a_recording_must_name_the_documentation_and_version_it_follows():
    recording = load("bluesky", "ok")
    del recording["follows"]
    assert contracts.check_recording("bluesky", recording) == [
        "no 'follows': name the documentation pages and the version followed"
    ]


def test_the_version_named_must_be_the_one_the_requests_ask_for():
    recording = load("facebook", "ok")
    recording["follows"]["version"] = "Graph API v1.0"
    assert contracts.check_recording("facebook", recording)[0].startswith(
        "follows.version does not name v"
    )


def test_a_recording_of_a_platform_without_a_contract_fails():
    assert contracts.check_recording("threads", {"exchanges": []}) == [
        "no contract for the platform 'threads': add one to contracts.py"
    ]


# --- Requests ----------------------------------------------------------------------

REQUESTS = [
    # (platform, path, query, a phrase of the expected problem)
    ("youtube", "/youtube/v3/channels", {"part": "statistics,stats", "id": "UC1"}, "'stats'"),
    ("youtube", "/youtube/v3/channels", {"part": "statistics", "maxResults": "500"}, "above"),
    ("youtube", "/youtube/v3/channels", {"part": "statistics", "handle": "@a"}, "'handle'"),
    ("youtube", "/youtube/v3/channels", {"id": "UC1"}, "required parameter 'part'"),
    ("youtube", "/youtube/v3/channel", {"part": "statistics"}, "no such method"),
    ("bluesky", "/xrpc/app.bsky.actor.getProfiles", {"actor": "a.bsky.social"}, "'actor'"),
    (
        "bluesky",
        "/xrpc/app.bsky.feed.getAuthorFeed",
        {"actor": "did:plc:a", "limit": "1000"},
        "limit",
    ),
    ("bluesky", "/xrpc/app.bsky.actor.getProfile", {"actor": "not a handle"}, "actor"),
    ("bluesky", "/xrpc/app.bsky.actor.getPrfile", {"actor": "a.bsky.social"}, "not an XRPC query"),
    ("facebook", "/v21.0/1", {"fields": "followers_count,fans"}, "Page has no field 'fans'"),
    ("facebook", "/v21.0/1/posts", {"fields": "created_time", "limit": "a"}, "not an unsigned"),
    ("instagram", "/v21.0/1/media", {"fields": "timestamp,likes"}, "IGMedia has no field 'likes'"),
    ("instagram", "/v21.0/1/stories_feed", {}, "IGUser has no edge"),
    ("x", "/2/users/by/username/a", {"user.fields": "public_metric"}, "no value 'public_metric'"),
    ("x", "/2/users/by/username/a", {"users.fields": "public_metrics"}, "no parameter"),
    ("x", "/2/user/by/username/a", {}, "no such endpoint"),
    ("mastodon", "/api/v1/accounts/1/statuses", {"limit": "forty"}, "not an integer"),
    ("mastodon", "/api/v1/accounts/1/statuses", {"exclude_boosts": "true"}, "no parameter"),
    ("mastodon", "/.well-known/webfinger", {"resource": "a@b"}, "acct:"),
    (
        "linkedin",
        "/rest/networkSizes/urn:li:organization:1",
        {"edgeType": "CompanyFollowedByMember"},
        "edgeType",
    ),
]


@pytest.mark.parametrize(("platform", "path", "query", "expected"), REQUESTS)
def test_a_request_off_the_published_schema_is_refused(platform, path, query, expected):
    request = httpx.Request("GET", f"https://api.example{path}", params=query)
    problems = contracts.check_sent(platform, request)
    assert any(expected in problem for problem in problems), problems


def test_the_replay_refuses_a_request_the_platform_does_not_define():
    """A provider sending a part YouTube does not have fails its test, even where the
    recording does not list that parameter."""
    recording = copy.deepcopy(load("youtube", "ok"))
    replay = Replay(recording, "youtube")
    request = httpx.Request(
        "GET",
        "https://www.googleapis.com/youtube/v3/channels",
        params={"part": "statistics,subscribers", "id": "UCfictionalUniversity000"},
    )
    with pytest.raises(AssertionError, match="'subscribers' is not a part of the resource"):
        replay(request)
