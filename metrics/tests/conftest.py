"""Fixtures of the metrics tests: a fixed clock (recordings carry dates), a clean rate
limiter and a clock for it, and channels on each platform."""

import datetime

import pytest
import time_machine

from metrics import limiter
from metrics.models import ChannelToken
from portal.tests.factories import make_channel

from .recorded import reload

# The recordings were made as if on this morning.
NOW = datetime.datetime(2026, 11, 20, 6, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=True):
        yield NOW


@pytest.fixture(autouse=True)
def _clean_limiter(settings):
    """Each test starts with no booked request slots (the limiter outlives tests)."""
    limiter.backend().reset()
    yield
    limiter.backend().reset()


class FakeClock:
    """Stands in for the limiter's ``time`` module: time moves only when it sleeps, by
    the seconds asked plus any overrun queued in ``overruns`` (a late wake-up)."""

    def __init__(self):
        self.now = 1_000_000.0
        self.overruns = []

    def time(self):
        return self.now

    monotonic = time

    def sleep(self, seconds):
        self.now += seconds + (self.overruns.pop(0) if self.overruns else 0)


@pytest.fixture
def limiter_clock(monkeypatch):
    """The limiter on a clock that no busy machine can make late."""
    fake = FakeClock()
    monkeypatch.setattr(limiter, "time", fake)
    return fake


@pytest.fixture
def unlimited(settings):
    """Rate limits too high to matter, for tests about something else."""
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}


# The expiry of the tokens stored for the recordings' channels.
TOKEN_EXPIRES = datetime.date(2027, 1, 15)


@pytest.fixture
def recorded_channel(unit, submitter, colleague):
    """Makes the channel a platform's recordings were made for, on ``platform``:
    ``submitter`` owns it, ``colleague`` deputises, with its API ``token`` stored when
    given (until TOKEN_EXPIRES). Returned as the collector loads it."""

    def make(platform, *, name, profile_url, token=None, **fields):
        channel = make_channel(
            unit=unit,
            owner=submitter,
            deputy=colleague,
            platform=platform,
            name=name,
            profile_url=profile_url,
            **fields,
        )
        if token is not None:
            ChannelToken.store(channel=channel, value=token, expires_on=TOKEN_EXPIRES, by=submitter)
        return reload(channel)

    return make


@pytest.fixture
def mastodon_channel(recorded_channel):
    return recorded_channel(
        "mastodon",
        name="Fictional University on Mastodon",
        profile_url="https://mastodon.example/@fictionaluni",
    )


@pytest.fixture
def newsletter_channel(unit, submitter, deputy):
    """A channel on no platform with an API: its figures are entered by hand."""
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        name="Engineering newsletter",
        platform="other",
        profile_url="https://news.example.org/engineering",
        opened_on=datetime.date(2026, 3, 1),
    )


@pytest.fixture
def fake_api(settings):
    """The local platform API server, with the providers pointed at it."""
    from metrics.fake_api import FakePlatformServer

    with FakePlatformServer() as server:
        settings.METRICS_API_BASE_URL = server.url
        yield server
