"""Bluesky's account search against recorded answers of app.bsky.actor.searchActors,
which must match the atproto lexicons (metrics/tests/contracts.py), as must every
request it sends."""

import copy
import datetime
import json
from pathlib import Path

import httpx
import pytest

from lookalikes.search.base import Page
from lookalikes.search.bluesky import BlueskySearch
from metrics.providers.base import FetchError, RateLimited
from metrics.tests import contracts
from metrics.tests.recorded import Replay

RECORDED = Path(__file__).parent / "recorded"
RECORDINGS = sorted(RECORDED.rglob("*.json"))


def load(name):
    return json.loads((RECORDED / "bluesky" / f"{name}.json").read_text())


def replayed(name):
    transport = Replay(load(name), "bluesky")
    return BlueskySearch(client=httpx.Client(transport=httpx.MockTransport(transport))), transport


@pytest.mark.parametrize("path", RECORDINGS, ids=[path.name for path in RECORDINGS])
def test_every_recording_matches_the_lexicons(path):
    assert contracts.check_recording(path.parent.name, json.loads(path.read_text())) == []


def test_a_recording_off_the_lexicon_fails_the_check():
    broken = load("search_ok")
    actor = broken["exchanges"][0]["response"]["json"]["actors"][0]
    actor["followerCount"] = 3
    actor["did"] = "not-a-did"
    problems = contracts.check_recording("bluesky", broken)
    assert any("Invalid DID" in problem or "did" in problem for problem in problems), problems
    unknown = copy.deepcopy(load("search_ok"))
    unknown["exchanges"][0]["request"]["query"]["max"] = "3"
    assert any("no parameter 'max'" in p for p in contracts.check_recording("bluesky", unknown))


def test_two_pages_of_accounts_become_found_records(db):
    search, transport = replayed("search_ok")
    first = search.search("Fictional University")
    assert isinstance(first, Page) and first.cursor == "25" and first.cost == 1
    assert [found.handle for found in first.found] == [
        "fictionaluni.bsky.social",
        "fictionaluni-official.bsky.social",
    ]
    lookalike = first.found[1]
    assert lookalike.key == "bluesky:did:plc:fakeuni2abcdefghijklmnop"
    assert lookalike.display_name == "Fictional Universíty"
    assert lookalike.url == "https://bsky.app/profile/fictionaluni-official.bsky.social"
    assert lookalike.bio == "Official account. DM us for admissions."
    assert lookalike.labels == ("impersonation",)
    assert lookalike.created_at == datetime.datetime(2026, 11, 15, 8, 0, tzinfo=datetime.UTC)
    assert lookalike.avatar_url.startswith("https://cdn.bsky.app/img/avatar/")
    second = search.search("Fictional University", cursor=first.cursor)
    assert second.cursor is None and [f.handle for f in second.found] == ["gardening.bsky.social"]
    assert transport.exchanges == []
    assert transport.requests[0].url.params["limit"] == "25"


def test_a_429_is_a_rate_limit_with_the_reset_time(db):
    search, _transport = replayed("search_rate_limited")
    with pytest.raises(RateLimited) as caught:
        search.search("Fictional University")
    assert caught.value.transient and caught.value.status == 429


def test_an_xrpc_error_is_a_permanent_failure(db):
    search, _transport = replayed("search_invalid")
    with pytest.raises(FetchError) as caught:
        search.search("Fictional University")
    assert not caught.value.transient and caught.value.status == 400
    assert caught.value.raw == {"error": "InvalidRequest", "message": "Error: q must be a string"}


def test_the_search_goes_to_the_test_server_when_told(db, settings):
    settings.METRICS_API_BASE_URL = "http://127.0.0.1:9/"
    seen = []

    def answer(request):
        seen.append(str(request.url))
        return httpx.Response(200, json={"actors": []})

    search = BlueskySearch(client=httpx.Client(transport=httpx.MockTransport(answer)))
    assert search.search("x y", cursor="abc").found == []
    assert seen == ["http://127.0.0.1:9/xrpc/app.bsky.actor.searchActors?q=x+y&limit=25&cursor=abc"]
