"""Mastodon's account search: against recorded answers in the shape of the published
schema (Mastodon.py's ``search_v2`` method and ``SearchV2``/``Account`` entities), and
against a local server for paging, errors, 429 and the shared rate limiter."""

import copy
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from lookalikes.search.mastodon import KNOWN_ACCOUNTS_ONLY, MastodonSearch, html_to_text
from metrics import limiter
from metrics.providers import base as providers_base
from metrics.providers.base import AuthFailed, BadResponse, RateLimited, TransientError
from metrics.tests import contracts
from metrics.tests.conftest import FakeClock
from metrics.tests.recorded import Replay

from .local_search_server import LocalSearchServer, mastodon_account

RECORDED = Path(__file__).parent / "recorded" / "mastodon"
TOKEN = "test-mastodon-token"


@pytest.fixture(autouse=True)
def _clean_limiter():
    limiter.backend().reset()
    yield
    limiter.backend().reset()


@pytest.fixture
def unlimited(settings):
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}


@pytest.fixture
def server(settings):
    with LocalSearchServer() as server:
        settings.METRICS_API_BASE_URL = server.url
        settings.LOOKALIKES_MASTODON_SERVERS = {"mastodon.example": server.mastodon_token}
        yield server


def recording(name):
    return json.loads((RECORDED / f"{name}.json").read_text())


def replayed(name):
    """(search of mastodon.example, the replay) answering from a recording."""
    transport = Replay(recording(name), "mastodon")
    client = httpx.Client(transport=httpx.MockTransport(transport))
    return MastodonSearch("mastodon.example", TOKEN, client=client), transport


# --- Configuration ---------------------------------------------------------------------


def test_without_servers_mastodon_is_not_searched(settings):
    settings.LOOKALIKES_MASTODON_SERVERS = {}
    assert MastodonSearch.configured() == []


def test_each_configured_server_is_one_search_with_its_token(settings):
    settings.LOOKALIKES_MASTODON_SERVERS = {"a.example": "token-a", "b.example": "token-b"}
    searches = MastodonSearch.configured()
    assert [(one.name, one.token) for one in searches] == [
        ("mastodon:a.example", "token-a"),
        ("mastodon:b.example", "token-b"),
    ]
    assert [one.limiter_key(None) for one in searches] == [
        "search:mastodon:a.example",
        "search:mastodon:b.example",
    ]


def settings_with(servers):
    """(exit status, output) of loading the settings with LOOKALIKES_MASTODON_SERVERS."""
    program = (
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.LOOKALIKES_MASTODON_SERVERS))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "LOOKALIKES_MASTODON_SERVERS": servers,
    }
    done = subprocess.run(
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True
    )
    return done.returncode, done.stdout + done.stderr


def test_the_servers_setting_is_server_token_pairs():
    status, output = settings_with(" Mastodon.Example=abc123 , social.example=def=456")
    assert status == 0, output
    assert json.loads(output) == {"mastodon.example": "abc123", "social.example": "def=456"}


@pytest.mark.parametrize("servers", ["mastodon.example", "https://mastodon.example/=abc"])
def test_a_server_without_a_token_or_with_an_address_is_refused(servers):
    status, output = settings_with(servers)
    assert status != 0
    assert "LOOKALIKES_MASTODON_SERVERS: each entry is SERVER=TOKEN" in output


def test_the_page_can_say_that_only_known_accounts_are_found():
    assert "already knows" in str(KNOWN_ACCOUNTS_ONLY)


# --- Recorded answers ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(RECORDED.glob("*.json")), ids=lambda path: path.stem)
def test_every_recording_matches_the_published_schema(path):
    assert contracts.check_recording("mastodon", json.loads(path.read_text())) == []


def test_a_recording_off_the_schema_fails_the_check():
    broken = copy.deepcopy(recording("accounts"))
    answer = broken["exchanges"][0]["response"]["json"]
    answer["accounts"][0]["follower_count"] = 3
    del answer["hashtags"]
    problems = contracts.check_recording("mastodon", broken)
    assert any("follower_count: Account has no such field" in line for line in problems)
    assert any("hashtags: required" in line for line in problems)


def test_found_accounts_are_mapped_from_the_answer():
    search, transport = replayed("accounts")
    page = search.search("Fictional University")

    assert transport.exchanges == []
    own, lookalike, split = page.found
    assert own.key == "mastodon:https://mastodon.example/users/fictionaluni"
    assert (own.handle, own.display_name, own.followers) == (
        "fictionaluni@mastodon.example",
        "Fictional University",
        2481,
    )
    assert own.bio == "News from Fictional University."
    assert own.url == "https://mastodon.example/@fictionaluni"
    assert own.created_at == datetime.datetime(2022, 11, 8, tzinfo=datetime.UTC)

    assert lookalike.platform == "mastodon"
    assert lookalike.account_id == "https://elsewhere.example/users/fictional_uni"
    assert lookalike.handle == "fictional_uni@elsewhere.example"
    assert lookalike.display_name == "Fictional Universlty \u2705"
    assert lookalike.bio == (
        "Official account of Fictional University & its students.\n"
        "DM for giveaways!\n\nNot affiliated? Never."
    )
    assert lookalike.avatar_url.endswith("/113/488/original/2.png")
    assert lookalike.followers == 4
    assert lookalike.raw["id"] == "113488210937744512"

    # A remote account's handle is its own server's, whatever address it is served from.
    assert split.handle == "fictionaluniversity@split.example"
    assert split.account_id == "https://social.split.example/users/fictionaluniversity"
    assert (split.display_name, split.bio) == ("", "")


def test_a_short_page_is_the_last():
    search, _transport = replayed("accounts")
    page = search.search("Fictional University")
    assert page.cursor is None
    assert page.cost == 1


def test_the_request_is_the_servers_account_search_with_the_token():
    search, transport = replayed("accounts")
    search.search("Fictional University")

    (request,) = transport.requests
    assert (request.url.scheme, request.url.host, request.url.path) == (
        "https",
        "mastodon.example",
        "/api/v2/search",
    )
    assert dict(request.url.params) == {
        "q": "Fictional University",
        "type": "accounts",
        "limit": "40",
    }
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_the_cursor_is_the_offset_of_the_next_page():
    search, transport = replayed("second_page")
    page = search.search("Fictional University", cursor="40")
    assert transport.requests[0].url.params["offset"] == "40"
    assert (page.found, page.cursor) == ([], None)


def test_a_refused_token_is_an_auth_failure():
    search, _transport = replayed("token_invalid")
    with pytest.raises(AuthFailed) as caught:
        search.search("Fictional University")
    assert caught.value.status == 401
    assert TOKEN not in json.dumps(caught.value.raw)


def test_a_note_is_read_as_text():
    assert html_to_text('<p>A &amp; B<br />C</p><p><a href="https://x.example">#d</a></p>') == (
        "A & B\nC\n\n#d"
    )
    assert html_to_text(None) == ""


# --- A local server --------------------------------------------------------------------


@pytest.mark.usefixtures("unlimited")
def test_pages_are_read_until_a_short_one(server):
    server.mastodon_accounts = [
        mastodon_account(number, "Fictional University", domain="elsewhere.example")
        for number in range(90)
    ] + [mastodon_account(500, "Someone Else")]
    (search,) = MastodonSearch.configured()

    pages, cursor = [], None
    while True:
        page = search.search("fictional", cursor=cursor)
        pages.append(page)
        cursor = page.cursor
        if cursor is None:
            break

    assert [len(page.found) for page in pages] == [40, 40, 10]
    assert [page.cursor for page in pages] == ["40", "80", None]
    found = [one for page in pages for one in page.found]
    assert len({one.key for one in found}) == 90
    assert all(one.handle.endswith("@elsewhere.example") for one in found)
    offsets = [query.get("offset") for _path, query, _headers in server.requests()]
    assert offsets == [None, "40", "80"]


@pytest.mark.usefixtures("unlimited")
def test_a_wrong_token_is_refused(server, settings):
    settings.LOOKALIKES_MASTODON_SERVERS = {"mastodon.example": "revoked"}
    (search,) = MastodonSearch.configured()
    with pytest.raises(AuthFailed):
        search.search("fictional")
    with pytest.raises(AuthFailed):
        search.search("fictional", cursor="40")


@pytest.mark.usefixtures("unlimited")
@pytest.mark.parametrize(
    "fault, error",
    [("500", TransientError), ("malformed", BadResponse), ("401", AuthFailed)],
)
def test_server_failures_are_the_collectors_errors(server, fault, error):
    server.script("/api/v2/search", fault)
    (search,) = MastodonSearch.configured()
    with pytest.raises(error):
        search.search("fictional")
    # The next request is answered again.
    assert search.search("fictional").found == []


def test_a_429_pauses_every_search_of_that_server(server):
    server.mastodon_accounts = [mastodon_account(1, "Fictional University")]
    server.script("/api/v2/search", "429:30")
    (search,) = MastodonSearch.configured()

    with pytest.raises(RateLimited) as caught:
        search.search("fictional")
    assert (caught.value.status, caught.value.retry_after) == (429, 30)

    # Another worker's search of the same server is held back by the limiter, and sends
    # nothing: the pause is longer than a search may wait for its slot.
    again = MastodonSearch.configured()[0]
    with pytest.raises(RateLimited) as held:
        again.search("fictional")
    assert held.value.status is None
    assert 20 < held.value.retry_after <= 30
    assert len(server.requests()) == 1


def test_searches_are_spaced_by_the_shared_limiter(server, settings, monkeypatch):
    """On the in-process limiter and a clock that moves only when it sleeps: the second
    search waits for its slot, at Mastodon's rate, under the server's search key."""
    settings.METRICS_LIMITER_URL = ""
    settings.METRICS_RATE_LIMITS = {"default": 50.0, "mastodon": 0.9}
    clock = FakeClock()
    monkeypatch.setattr(limiter, "time", clock)
    monkeypatch.setattr(providers_base, "time", clock)
    start = clock.now
    (search,) = MastodonSearch.configured()

    search.search("fictional")
    assert clock.now == start
    search.search("fictional")
    assert clock.now - start == pytest.approx(limiter.interval_for("mastodon"))
    assert "search:mastodon:mastodon.example" in limiter.backend().next_slot
    assert len(server.requests()) == 2
