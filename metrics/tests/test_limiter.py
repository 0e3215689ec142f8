"""The request-slot limiter: spacing held across processes (two Redis clients stand for
two workers), pauses seen by all, long waits refused.

No test here reads the wall clock to measure: the in-process backend runs on a clock
that moves only when the limiter sleeps, and Redis keeps its own clock, so its tests
assert on the booked slots and check each wait against Redis's time before and after
the call. A busy machine makes nothing here fail."""

import os
import threading

import pytest

from metrics import limiter

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("PORTAL_CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")


class LocalClients:
    """Clients of one in-process limiter, on the fake clock."""

    def __init__(self, clock):
        self.clock = clock
        self.shared = limiter.LocalLimiter()

    def make(self):
        return self.shared

    def now(self):
        return self.clock.time()


class RedisClients:
    """Separate Redis connections sharing their slots, as workers do; ``now`` is Redis's
    own clock, the one the limiter's scripts read."""

    def __init__(self):
        import redis

        self.redis = redis.Redis.from_url(REDIS_URL)
        self.made = []

    def make(self):
        self.made.append(limiter.RedisLimiter(REDIS_URL))
        return self.made[-1]

    def now(self):
        seconds, microseconds = self.redis.time()
        return seconds + microseconds / 1e6


@pytest.fixture(params=["redis", "local"])
def clients(request):
    """A factory of limiter backends that share their slots, and the clock they read."""
    if request.param == "local":
        yield LocalClients(request.getfixturevalue("limiter_clock"))
        return
    redis_or_skip()
    made = RedisClients()
    yield made
    made.make().reset()


def slot(seconds):
    """A slot as the backends report it (Redis counts in whole microseconds)."""
    return pytest.approx(seconds, abs=1e-6)


def assert_waits_until_its_slot(taken, before, after):
    """``taken.wait`` runs from the moment the backend was asked to ``taken.slot``; that
    moment lies between the clock readings ``before`` and ``after`` (equal on the fake
    clock, which makes the wait exact there)."""
    assert before <= taken.slot - taken.wait <= after


def test_slots_of_one_key_are_spaced_whoever_asks(clients):
    first, second = clients.make(), clients.make()
    before = clients.now()
    taken = [backend.take("p", 0.1, 10) for backend in (first, second, first, second)]
    after = clients.now()

    start = taken[0].slot
    assert taken[0].wait == 0
    assert [t.slot for t in taken] == [slot(start + 0.1 * i) for i in range(4)]
    for t in taken:
        assert_waits_until_its_slot(t, before, after)


def test_each_wait_is_the_time_to_its_slot(limiter_clock):
    backend = limiter.LocalLimiter()
    waits = [backend.take("p", 0.1, 10).wait for _ in range(4)]

    assert waits == [0, pytest.approx(0.1), pytest.approx(0.2), pytest.approx(0.3)]


def test_keys_do_not_share_slots(clients):
    backend = clients.make()
    backend.take("a", 1, 10)
    assert backend.take("b", 1, 10)[:2] == (True, 0)


def test_a_slot_further_than_the_maximum_wait_is_refused_and_not_booked(clients):
    backend = clients.make()
    start = backend.take("p", 5, 10).slot
    backend.take("p", 5, 10)  # booked for 5 s from the start

    before = clients.now()
    refused = backend.take("p", 5, 3)
    after = clients.now()
    assert (refused.reserved, refused.slot) == (False, slot(start + 10))
    assert_waits_until_its_slot(refused, before, after)
    # The refusal booked nothing: the next slot is still 10 s after the start, not 15.
    assert backend.take("p", 5, 60).slot == slot(start + 10)


def test_a_pause_holds_every_client_until_the_given_time(clients):
    first, second = clients.make(), clients.make()
    until = clients.now() + 2
    first.pause("p", until)

    before = clients.now()
    taken = second.take("p", 0.1, 10)
    after = clients.now()
    assert (taken.reserved, taken.slot) == (True, slot(until))
    assert_waits_until_its_slot(taken, before, after)


def test_a_pause_never_brings_a_later_slot_forward(clients):
    backend = clients.make()
    start = backend.take("p", 3, 10).slot
    backend.pause("p", start + 1)

    before = clients.now()
    taken = backend.take("p", 3, 10)
    after = clients.now()
    assert taken.slot == slot(start + 3)
    assert_waits_until_its_slot(taken, before, after)


def test_concurrent_takers_never_get_slots_closer_than_the_interval(clients):
    slots = []
    lock = threading.Lock()

    def worker():
        backend = clients.make()
        for _ in range(10):
            taken = backend.take("p", 0.01, 10)
            assert taken.reserved
            with lock:
                slots.append(taken.slot)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    slots.sort()
    gaps = [later - earlier for earlier, later in zip(slots, slots[1:], strict=False)]
    assert len(slots) == 40
    assert min(gaps) == pytest.approx(0.01, abs=1e-6)


def test_acquire_refuses_with_the_wait_when_the_budget_is_booked(settings, limiter_clock):
    settings.METRICS_LIMITER_URL = ""
    settings.METRICS_RATE_LIMITS = {"default": 0.1}  # one request per 11 s with headroom
    settings.METRICS_RATE_LIMIT_MAX_WAIT = 5
    limiter.acquire("k", "slow-platform")

    with pytest.raises(limiter.RateLimitWait) as refused:
        limiter.acquire("k", "slow-platform")
    assert refused.value.wait == 12


def test_a_request_that_wakes_up_late_books_a_new_slot_instead_of_crowding(
    settings, monkeypatch, limiter_clock
):
    settings.METRICS_LIMITER_URL = ""
    settings.METRICS_RATE_LIMITS = {"default": 100.0}
    taken = []
    real_take = limiter.LocalLimiter.take

    def take(self, *args):
        result = real_take(self, *args)
        taken.append(result.slot)
        return result

    monkeypatch.setattr(limiter.LocalLimiter, "take", take)
    limiter_clock.overruns = [0.2]  # the first sleep overruns by 200 ms, the next ones do not
    limiter.acquire("k", "p")  # a slot now: no sleep
    limiter.acquire("k", "p")  # sleeps to its slot, wakes 200 ms late, books again

    assert len(taken) == 3
