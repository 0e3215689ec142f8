"""YouTube's channel search: against recorded answers in the shape of the published
schema (the youtube.v3 discovery document's ``youtube.search.list`` and
``SearchListResponse``), and against a local server for paging, errors, 429 and the
watch's daily budget of quota units."""

import copy
import datetime
import json
import os
import threading
from pathlib import Path

import httpx
import pytest
import time_machine

from lookalikes.search import youtube
from lookalikes.search.base import QuotaExhausted
from lookalikes.search.youtube import COST, Budget, YouTubeSearch, quota_day
from metrics import limiter
from metrics.providers.base import AuthFailed, BadResponse, RateLimited, TransientError
from metrics.tests import contracts
from metrics.tests.recorded import Replay

from .local_search_server import LocalSearchServer, youtube_channel

RECORDED = Path(__file__).parent / "recorded" / "youtube"
KEY = "test-youtube-key"
# 23:30 on 19 November in Pacific time (UTC-8): half an hour before YouTube's quota day
# ends.
LATE_EVENING = datetime.datetime(2026, 11, 20, 7, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clean_limiter_and_budget():
    limiter.backend().reset()
    Budget.reset()
    yield
    limiter.backend().reset()
    Budget.reset()


@pytest.fixture(autouse=True)
def _configured(settings):
    settings.YOUTUBE_API_KEY = KEY
    settings.LOOKALIKES_YOUTUBE_DAILY_UNITS = 1000
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}


@pytest.fixture
def server(settings):
    with LocalSearchServer() as server:
        settings.METRICS_API_BASE_URL = server.url
        settings.YOUTUBE_API_KEY = server.youtube_key
        yield server


def recording(name):
    return json.loads((RECORDED / f"{name}.json").read_text())


def replayed(name):
    transport = Replay(recording(name), "youtube")
    client = httpx.Client(transport=httpx.MockTransport(transport))
    return YouTubeSearch(client=client), transport


# --- Configuration ---------------------------------------------------------------------


def test_without_a_key_youtube_is_not_searched(settings):
    settings.YOUTUBE_API_KEY = ""
    assert YouTubeSearch.configured() == []


def test_a_budget_of_zero_turns_the_search_off(settings):
    settings.LOOKALIKES_YOUTUBE_DAILY_UNITS = 0
    assert YouTubeSearch.configured() == []


def test_with_a_key_and_a_budget_there_is_one_search():
    (search,) = YouTubeSearch.configured()
    assert (search.name, search.limiter_key(None)) == ("youtube", "search:youtube")


# --- Recorded answers ------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(RECORDED.glob("*.json")), ids=lambda path: path.stem)
def test_every_recording_matches_the_published_schema(path):
    assert contracts.check_recording("youtube", json.loads(path.read_text())) == []


def test_a_recording_off_the_schema_fails_the_check():
    broken = copy.deepcopy(recording("channels"))
    exchange = broken["exchanges"][0]
    exchange["request"]["query"]["maxResults"] = "100"
    problems = contracts.check_recording("youtube", broken)
    assert any("maxResults='100' is above 50" in line for line in problems)

    broken = copy.deepcopy(recording("channels"))
    item = broken["exchanges"][0]["response"]["json"]["items"][0]
    item["snippet"]["customUrl"] = "@fictional"
    problems = contracts.check_recording("youtube", broken)
    assert any("customUrl: not in SearchResultSnippet" in line for line in problems)


def test_found_channels_are_mapped_from_the_answer():
    search, transport = replayed("channels")
    page = search.search("Fictional University")

    assert transport.exchanges == []
    own, lookalike = page.found
    assert own.key == "youtube:UCfictionalUniversity000"
    assert own.url == "https://www.youtube.com/channel/UCfictionalUniversity000"
    assert own.created_at == datetime.datetime(2012, 3, 14, 9, 30, tzinfo=datetime.UTC)
    assert lookalike.platform == "youtube"
    assert lookalike.account_id == "UCf1ctionalUnlversity0Xy"
    assert lookalike.display_name == "Fictional Universlty Official"
    assert lookalike.bio == "Free scholarships!!! Send us a message."
    assert lookalike.avatar_url.startswith("https://yt3.ggpht.example/lookalike=s88")
    # Search results carry no @handle (that needs channels.list, another call).
    assert lookalike.handle == ""
    assert lookalike.followers is None
    assert lookalike.raw["snippet"]["channelId"] == "UCf1ctionalUnlversity0Xy"


def test_a_page_costs_100_units_and_names_the_next():
    search, _transport = replayed("channels")
    page = search.search("Fictional University")
    assert (page.cost, page.cursor) == (100, "CDIQAA")
    assert Budget(1000).spent() == 100


def test_the_request_is_search_list_for_channels_with_the_key_in_a_header():
    search, transport = replayed("channels")
    search.search("Fictional University")

    (request,) = transport.requests
    assert (request.url.host, request.url.path) == ("www.googleapis.com", "/youtube/v3/search")
    assert dict(request.url.params) == {
        "part": "snippet",
        "type": "channel",
        "q": "Fictional University",
        "maxResults": "50",
    }
    assert request.headers["x-goog-api-key"] == KEY
    assert KEY not in str(request.url)


def test_googles_quota_error_stops_the_search_for_the_day():
    search, transport = replayed("quota_exceeded")
    with pytest.raises(QuotaExhausted) as caught:
        search.search("Fictional University")
    assert caught.value.status == 403
    assert 0 < caught.value.retry_after <= 24 * 3600

    # The rest of the day's budget is spent: no worker asks again today (the replay has
    # no second answer, so a request would fail the test).
    assert Budget(1000).spent() == 1000
    with pytest.raises(QuotaExhausted):
        YouTubeSearch(client=search.client).search("Fictional University")
    assert len(transport.requests) == 1


# --- The day's budget ------------------------------------------------------------------


def test_no_request_is_made_once_the_budget_is_spent(server, settings):
    settings.LOOKALIKES_YOUTUBE_DAILY_UNITS = 250
    (search,) = YouTubeSearch.configured()
    search.search("fictional")
    search.search("fictional")
    with pytest.raises(QuotaExhausted) as caught:
        search.search("fictional")
    assert "250 YouTube units" in caught.value.message
    assert len(server.requests()) == 2
    assert Budget(250).spent() == 2 * COST


def test_the_budget_renews_at_midnight_pacific_time(server, settings):
    settings.LOOKALIKES_YOUTUBE_DAILY_UNITS = 100
    (search,) = YouTubeSearch.configured()
    with time_machine.travel(LATE_EVENING, tick=False):
        assert quota_day() == "2026-11-19"
        search.search("fictional")
        with pytest.raises(QuotaExhausted) as caught:
            search.search("fictional")
        assert caught.value.retry_after == 30 * 60
    with time_machine.travel(LATE_EVENING + datetime.timedelta(minutes=30), tick=False):
        assert quota_day() == "2026-11-20"
        search.search("fictional")
    assert len(server.requests()) == 2


def test_a_search_the_limiter_holds_back_gives_its_units_back(server, settings):
    settings.METRICS_RATE_LIMIT_MAX_WAIT = 0
    (search,) = YouTubeSearch.configured()
    limiter.pause("search:youtube", datetime.datetime.now().timestamp() + 60)
    with pytest.raises(RateLimited) as caught:
        search.search("fictional")
    assert caught.value.status is None
    assert Budget(1000).spent() == 0
    assert server.requests() == []


@pytest.mark.parametrize("limiter_url", ["redis", ""], ids=["redis", "in-process"])
def test_concurrent_searches_never_spend_more_than_the_budget(settings, limiter_url):
    if limiter_url:
        import redis

        limiter_url = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        try:
            redis.Redis.from_url(limiter_url, socket_connect_timeout=1).ping()
        except redis.ConnectionError:
            pytest.skip(f"Redis is not reachable at {limiter_url}")
    settings.METRICS_LIMITER_URL = limiter_url
    Budget.reset()
    budget = Budget(500)
    granted = []
    start = threading.Barrier(12)

    def reserve():
        start.wait()
        granted.append(budget.reserve(COST))

    threads = [threading.Thread(target=reserve) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert granted.count(True) == 5
    assert budget.spent() == 500
    Budget.reset()


def test_the_budget_is_kept_where_the_limiter_keeps_its_slots(settings):
    """With Redis, in Redis (every worker sees it), under today's Pacific date."""
    redis_backend = getattr(limiter.backend(), "redis", None)
    if redis_backend is None:
        pytest.skip("the limiter has no Redis in this run")
    Budget(1000).reserve(COST)
    assert int(redis_backend.get(youtube.PREFIX + quota_day())) == COST
    assert 0 < redis_backend.ttl(youtube.PREFIX + quota_day()) <= Budget.KEEP


def test_without_the_shared_count_no_search_is_made(server, settings):
    """Redis unreachable: a transient failure (the job tries again later), no request."""
    reachable = settings.METRICS_LIMITER_URL
    settings.METRICS_LIMITER_URL = "redis://127.0.0.1:1/0"
    (search,) = YouTubeSearch.configured()
    with pytest.raises(TransientError, match="quota count is unreachable"):
        search.search("fictional")
    assert server.requests() == []
    # Back before the fixtures empty the limiter (the settings are restored after).
    settings.METRICS_LIMITER_URL = reachable


# --- A local server --------------------------------------------------------------------


def test_pages_follow_the_next_page_token(server):
    server.youtube_channels = [youtube_channel(n, "Fictional University") for n in range(120)]
    (search,) = YouTubeSearch.configured()

    pages, cursor = [], None
    while True:
        page = search.search("fictional", cursor=cursor)
        pages.append(page)
        cursor = page.cursor
        if cursor is None:
            break

    assert [len(page.found) for page in pages] == [50, 50, 20]
    assert [page.cost for page in pages] == [100, 100, 100]
    assert len({one.key for page in pages for one in page.found}) == 120
    tokens = [query.get("pageToken") for _path, query, _headers in server.requests()]
    assert tokens == [None, "PAGE50", "PAGE100"]
    assert Budget(1000).spent() == 300


@pytest.mark.parametrize(
    "fault, error",
    [
        ("500", TransientError),
        ("malformed", BadResponse),
        ("429:5", RateLimited),
        ("quota", QuotaExhausted),
    ],
)
def test_server_failures(server, fault, error):
    server.script("/youtube/v3/search", fault)
    (search,) = YouTubeSearch.configured()
    with pytest.raises(error):
        search.search("fictional")
    # A call that went out keeps its units, whatever the answer.
    assert Budget(1000).spent() == (1000 if error is QuotaExhausted else COST)


def test_a_429_pauses_the_search(server):
    server.script("/youtube/v3/search", "429:30")
    (search,) = YouTubeSearch.configured()
    with pytest.raises(RateLimited) as caught:
        search.search("fictional")
    assert caught.value.retry_after == 30
    with pytest.raises(RateLimited) as held:
        search.search("fictional")
    assert held.value.status is None
    assert len(server.requests()) == 1
    assert Budget(1000).spent() == COST


def test_a_refused_key_is_an_auth_failure_and_the_key_is_not_kept(server, settings):
    settings.YOUTUBE_API_KEY = "wrong-key"
    (search,) = YouTubeSearch.configured()
    with pytest.raises(AuthFailed) as caught:
        search.search("fictional")
    assert "wrong-key" not in json.dumps(caught.value.raw) + caught.value.message
