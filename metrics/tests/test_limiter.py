"""The request-slot limiter: spacing held across processes (two Redis clients stand for
two workers), pauses seen by all, long waits refused."""

import os
import threading
import time

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


@pytest.fixture(params=["redis", "local"])
def make_backend(request):
    """A factory of limiter backends that share their slots, as workers do."""
    if request.param == "local":
        shared = limiter.LocalLimiter()
        yield lambda: shared
        return
    redis_or_skip()
    made = []

    def make():
        made.append(limiter.RedisLimiter(REDIS_URL))
        return made[-1]

    yield make
    if made:
        made[0].reset()


def test_slots_of_one_key_are_spaced_whoever_asks(make_backend):
    first, second = make_backend(), make_backend()
    waits = [backend.take("p", 0.1, 10)[1] for backend in (first, second, first, second)]

    assert waits[0] == pytest.approx(0, abs=0.01)
    assert waits[1] == pytest.approx(0.1, abs=0.01)
    assert waits[2] == pytest.approx(0.2, abs=0.01)
    assert waits[3] == pytest.approx(0.3, abs=0.01)


def test_keys_do_not_share_slots(make_backend):
    backend = make_backend()
    backend.take("a", 1, 10)
    assert backend.take("b", 1, 10)[:2] == (True, pytest.approx(0, abs=0.01))


def test_a_slot_further_than_the_maximum_wait_is_refused_and_not_booked(make_backend):
    backend = make_backend()
    backend.take("p", 5, 10)
    backend.take("p", 5, 10)  # booked for 5 s from now

    reserved, wait, _slot = backend.take("p", 5, 3)
    assert (reserved, wait) == (False, pytest.approx(10, abs=0.05))
    # The refusal booked nothing: the next slot is still 10 s away, not 15.
    assert backend.take("p", 5, 60)[1] == pytest.approx(10, abs=0.05)


def test_a_pause_holds_every_client_until_the_given_time(make_backend):
    first, second = make_backend(), make_backend()
    first.pause("p", time.time() + 2)

    assert second.take("p", 0.1, 10)[1] == pytest.approx(2, abs=0.05)


def test_a_pause_never_brings_a_later_slot_forward(make_backend):
    backend = make_backend()
    backend.take("p", 3, 10)
    backend.pause("p", time.time() + 1)
    assert backend.take("p", 3, 10)[1] == pytest.approx(3, abs=0.05)


def test_concurrent_takers_never_get_slots_closer_than_the_interval(make_backend):
    slots = []
    lock = threading.Lock()

    def worker():
        backend = make_backend()
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


def test_acquire_refuses_with_the_wait_when_the_budget_is_booked(settings):
    settings.METRICS_LIMITER_URL = ""
    settings.METRICS_RATE_LIMITS = {"default": 0.1}  # one request per 11 s with headroom
    settings.METRICS_RATE_LIMIT_MAX_WAIT = 5
    limiter.acquire("k", "slow-platform")

    with pytest.raises(limiter.RateLimitWait) as refused:
        limiter.acquire("k", "slow-platform")
    assert refused.value.wait == 12


def test_a_request_that_wakes_up_late_books_a_new_slot_instead_of_crowding(settings, monkeypatch):
    settings.METRICS_LIMITER_URL = ""
    settings.METRICS_RATE_LIMITS = {"default": 100.0}
    taken = []
    real_take = limiter.LocalLimiter.take

    def take(self, *args):
        result = real_take(self, *args)
        taken.append(result.slot)
        return result

    monkeypatch.setattr(limiter.LocalLimiter, "take", take)
    sleeps = iter([0.2])  # the first sleep overruns by 200 ms, the next ones do not
    real_sleep = time.sleep

    def sleep(seconds):
        real_sleep(seconds + next(sleeps, 0))

    monkeypatch.setattr(limiter.time, "sleep", sleep)
    limiter.acquire("k", "p")  # a slot now: no sleep
    limiter.acquire("k", "p")  # sleeps to its slot, wakes 200 ms late, books again

    assert len(taken) == 3
