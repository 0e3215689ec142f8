"""Collecting against the local platform server (tasks run eagerly here; the real
broker and worker are in test_collection_worker.py): one snapshot per channel and day,
transient failures retried, permanent ones recorded and reported once, the rate limit
held."""

import datetime
import time

import pytest

from metrics import collector, limiter
from metrics.fake_api import expected_followers, per_platform_rates
from metrics.models import CollectionAttempt, CollectionRun, Snapshot
from metrics.tasks import collect_all, collect_channel
from portal.celery import app as celery_app
from portal.tests.factories import make_channel

DAY = "2026-11-20"


@pytest.fixture(autouse=True)
def _settings(settings, fake_api):
    # Eager retries run at once, inside apply(), only when exceptions are not propagated
    # (EagerResult.get() still raises a task's real exception).
    celery_app.conf.task_eager_propagates = False
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}
    settings.METRICS_MAX_RETRIES = 3
    settings.METRICS_RETRY_BASE_SECONDS = 1


def mastodon(unit, owner, name, **fields):
    return make_channel(
        unit=unit,
        owner=owner,
        platform="mastodon",
        profile_url=f"https://mastodon.example/@{name}",
        **fields,
    )


@pytest.fixture
def channels(unit, submitter, colleague):
    return [mastodon(unit, submitter, f"uni{i}", deputy=colleague) for i in range(3)]


def run(channel_id, day, force=False):
    """The task as the worker runs it (eagerly here): retries happen at once."""
    return collect_channel.delay(channel_id, day, force).get()


def attempts(channel):
    return list(
        CollectionAttempt.objects.filter(channel=channel)
        .order_by("started_at", "pk")
        .values_list("try_number", "outcome", "http_status", "will_retry")
    )


def test_collect_all_writes_one_snapshot_per_collectable_channel(
    channels, unit, submitter, fake_api
):
    make_channel(unit=unit, owner=submitter, platform="tiktok")  # entered by hand
    mastodon(unit, submitter, "planned", status="planned")
    mastodon(unit, submitter, "closed", status="closed")

    assert collect_all(DAY) == 3

    snapshots = Snapshot.objects.filter(date=DAY).order_by("channel")
    assert [(s.channel, s.followers, s.source) for s in snapshots] == [
        (c, expected_followers("mastodon", c.handle.split("@")[0]), "api") for c in channels
    ]
    assert [s.likes for s in snapshots] == [45, 45, 45]  # 3 * (1 + ... + 5)
    assert len(fake_api.requests()) == 9  # WebFinger, account and posts of each
    assert CollectionRun.objects.get(date=DAY).enqueued == 3


def test_a_second_collect_all_the_same_day_does_nothing(channels, fake_api):
    collect_all(DAY)
    asked = len(fake_api.requests())

    assert collect_all(DAY) == 0
    assert len(fake_api.requests()) == asked
    assert Snapshot.objects.count() == 3


def test_a_forced_run_asks_again_and_updates_the_same_rows(channels, fake_api):
    collect_all(DAY)
    first = {s.pk: s.collected_at for s in Snapshot.objects.all()}

    assert collect_all(DAY, force=True) == 3

    assert len(fake_api.requests()) == 18
    again = {s.pk: s.collected_at for s in Snapshot.objects.all()}
    assert again.keys() == first.keys()
    assert all(again[pk] > first[pk] for pk in first)


def test_a_run_claimed_by_another_collect_all_is_left_alone(channels, fake_api):
    run = CollectionRun.objects.create(date=DAY)
    assert run.claim()

    assert collect_all(DAY) == 0
    assert fake_api.requests() == []


def test_a_run_whose_lock_expired_is_taken_over(channels, fake_api):
    run = CollectionRun.objects.create(
        date=DAY, locked_until=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    assert collect_all(DAY) == 3
    run.refresh_from_db()
    assert run.locked_until is None and run.enqueued == 3


def test_a_task_delivered_twice_collects_once(channels, fake_api):
    channel = channels[0]
    assert run(channel.pk, DAY) == "ok"
    assert run(channel.pk, DAY) == "already collected"

    assert Snapshot.objects.filter(channel=channel).count() == 1
    assert len(fake_api.requests()) == 3  # WebFinger, the account, its posts


def test_a_429_is_retried_after_the_servers_retry_after_by_every_worker(channels, fake_api):
    fake_api.script("/lookup", "429:1")
    started = time.monotonic()

    assert run(channels[0].pk, DAY) == "ok"

    assert attempts(channels[0]) == [(1, "rate_limited", 429, True), (2, "ok", 200, False)]
    # The retry ran at once (eager), but the shared limiter held it back until the
    # server's Retry-After had passed.
    assert time.monotonic() - started >= 0.9
    assert Snapshot.objects.filter(channel=channels[0]).count() == 1


@pytest.mark.parametrize("fault", ["500", "503", "reset"])
def test_transient_failures_are_retried_until_they_pass(channels, fake_api, fault):
    fake_api.script("/lookup", fault, fault)

    assert run(channels[0].pk, DAY) == "ok"

    status = 0 if fault == "reset" else int(fault)
    assert attempts(channels[0]) == [
        (1, "error", status or None, True),
        (2, "error", status or None, True),
        (3, "ok", 200, False),
    ]


def test_a_timeout_is_retried(channels, fake_api, settings):
    settings.METRICS_HTTP_TIMEOUT = 1
    fake_api.script("/lookup", "slow:1.5")

    assert run(channels[0].pk, DAY) == "ok"
    assert [a[1] for a in attempts(channels[0])] == ["error", "ok"]
    assert CollectionAttempt.objects.filter(channel=channels[0]).last().message == (
        "Timed out: ReadTimeout"
    )


def test_retries_stop_after_the_configured_number_and_leave_a_gap(
    channels, fake_api, mailoutbox, django_capture_on_commit_callbacks
):
    fake_api.script("/lookup", *["500"] * 10)

    with django_capture_on_commit_callbacks(execute=True):
        assert run(channels[0].pk, DAY) == "error"

    assert attempts(channels[0]) == [
        (1, "error", 500, True),
        (2, "error", 500, True),
        (3, "error", 500, True),
        (4, "error", 500, False),
    ]
    assert not Snapshot.objects.filter(channel=channels[0]).exists()
    assert mailoutbox == []  # transient trouble is not the owner's business


def test_a_missing_account_is_not_retried_and_the_owner_is_told_once(
    channels, fake_api, mailoutbox, submitter, colleague, django_capture_on_commit_callbacks
):
    channel = channels[0]
    fake_api.script("/lookup", "404", "404")

    with django_capture_on_commit_callbacks(execute=True):
        assert run(channel.pk, DAY) == "unavailable"
        assert run(channel.pk, "2026-11-21") == "unavailable"

    assert attempts(channel) == [(1, "unavailable", 404, False), (1, "unavailable", 404, False)]
    assert [sorted(m.to[0] for m in mailoutbox)] == [sorted([submitter.email, colleague.email])]
    assert mailoutbox[0].subject == f"Figures of {channel.name} could not be collected"


def test_the_owner_is_told_again_when_the_account_fails_after_recovering(
    channels, fake_api, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channels[0]
    channel.roles.filter(kind="deputy").delete()
    fake_api.script("/lookup", "404", "pass", "404")

    with django_capture_on_commit_callbacks(execute=True):
        run(channel.pk, "2026-11-18")
        run(channel.pk, "2026-11-19")
        run(channel.pk, "2026-11-20")

    assert [a[1] for a in attempts(channel)] == ["unavailable", "ok", "unavailable"]
    assert len(mailoutbox) == 2


def test_the_rate_limit_holds_for_a_whole_run(
    channels, unit, submitter, fake_api, settings, monkeypatch, limiter_clock
):
    # The requests leave at the limiter's clock, which only its sleeps move: what the
    # platform would count, and no busy machine can bunch them (the server's own
    # arrival times could be, and failed this test under load).
    settings.METRICS_LIMITER_URL = ""
    settings.METRICS_RATE_LIMITS = {"default": 1000.0, "mastodon": 10.0}
    for i in range(3, 10):
        mastodon(unit, submitter, f"uni{i}")
    left = []
    acquire = limiter.acquire

    def acquire_and_leave(key, platform):
        acquire(key, platform)
        left.append((limiter_clock.time(), platform, "", 200))

    monkeypatch.setattr(limiter, "acquire", acquire_and_leave)
    started = limiter_clock.monotonic()

    collect_all(DAY)

    # 30 requests to one server (WebFinger, the account, its posts), one every 0.1 s.
    assert len(fake_api.requests("mastodon")) == 30
    assert per_platform_rates(left)["mastodon"] <= 10
    assert limiter_clock.monotonic() - started >= 2.9


def test_an_unexpected_exception_in_a_provider_is_recorded_not_raised(
    channels, fake_api, monkeypatch
):
    from metrics.providers.mastodon import MastodonProvider

    def broken(self, channel):
        raise KeyError("surprise")

    monkeypatch.setattr(MastodonProvider, "fetch", broken)

    assert run(channels[0].pk, DAY) == "error"
    attempt = CollectionAttempt.objects.get()
    assert (attempt.outcome, attempt.will_retry) == ("error", False)
    assert attempt.message == "Unexpected error: KeyError: 'surprise'"


def test_a_deleted_channel_is_skipped(db):
    assert run(987654, DAY) == "no such channel"


def test_a_channel_closed_after_the_run_was_enqueued_is_skipped(channels, fake_api):
    channels[0].status = "closed"
    channels[0].closed_on = datetime.date(2026, 11, 19)
    channels[0].save()

    assert run(channels[0].pk, DAY) == "not collected"
    assert fake_api.requests() == []


@pytest.mark.parametrize(
    "retries, low, high", [(0, 0.5, 1), (1, 1, 2), (2, 2, 4), (3, 4, 8), (20, 3600, 3600)]
)
def test_the_backoff_doubles_with_jitter_and_is_capped(settings, retries, low, high):
    settings.METRICS_RETRY_BASE_SECONDS = 1
    delays = {collector.retry_delay(retries) for _ in range(50)}
    assert all(low <= delay <= high for delay in delays)


def test_the_servers_retry_after_wins_over_the_backoff():
    assert 120 <= collector.retry_delay(0, retry_after=120) <= 125
