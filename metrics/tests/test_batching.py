"""X channels collected a hundred to a request, and busy Mastodon accounts read page by
page, against the local platform server (tasks run eagerly, as in test_collection.py)."""

import pytest

from metrics import collector
from metrics.fake_api import expected_followers
from metrics.models import CollectionAttempt, Snapshot
from metrics.tasks import collect_all, collect_batch, collect_channel
from portal.celery import app as celery_app
from portal.tests.factories import make_channel

DAY = "2026-11-20"


@pytest.fixture(autouse=True)
def _settings(settings, fake_api):
    celery_app.conf.task_eager_propagates = False
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}
    settings.METRICS_MAX_RETRIES = 3
    settings.METRICS_RETRY_BASE_SECONDS = 1
    settings.X_BEARER_TOKEN = "test-token"


def x(unit, owner, name, **fields):
    return make_channel(
        unit=unit, owner=owner, platform="x", profile_url=f"https://x.com/{name}", **fields
    )


def outcomes(channels):
    return [
        list(
            CollectionAttempt.objects.filter(channel=channel)
            .order_by("started_at", "pk")
            .values_list("try_number", "outcome", "http_status", "will_retry")
        )
        for channel in channels
    ]


def test_collect_all_asks_x_once_for_up_to_a_hundred_channels(
    unit, submitter, colleague, fake_api, settings, mailoutbox, django_capture_on_commit_callbacks
):
    channels = [x(unit, submitter, f"uni{i}") for i in range(3)]
    gone = x(unit, submitter, "goneaway", deputy=colleague)
    mastodon = make_channel(
        unit=unit, owner=submitter, platform="mastodon", profile_url="https://m.example/@uni"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert collect_all(DAY) == 5

    assert len(fake_api.requests("x")) == 1
    assert len(fake_api.requests("mastodon")) == 3
    assert [
        (s.channel, s.followers)
        for s in Snapshot.objects.filter(channel__platform="x").order_by("channel")
    ] == [(c, expected_followers("x", c.handle)) for c in channels]
    assert Snapshot.objects.filter(channel=mastodon).exists()
    # The user X does not know is that channel's failure, reported to its people once.
    assert outcomes([gone]) == [[(1, "unavailable", 200, False)]]
    assert CollectionAttempt.objects.get(channel=gone).message == (
        "Could not find user with usernames: [goneaway]."
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([submitter.email, colleague.email])


def test_more_than_a_hundred_x_channels_are_asked_for_in_batches(unit, submitter, fake_api):
    for i in range(150):
        x(unit, submitter, f"uni{i}")
    singles, groups = collector.batches(collector.pending(DAY))

    assert (singles, [len(group) for group in groups]) == ([], [100, 50])
    assert collect_all(DAY) == 150
    assert len(fake_api.requests("x")) == 2
    assert Snapshot.objects.filter(date=DAY).count() == 150


def test_a_failed_batch_request_is_every_channels_attempt_and_retried_as_a_batch(
    unit, submitter, fake_api
):
    channels = [x(unit, submitter, f"uni{i}") for i in range(3)]
    fake_api.script("/2/users/by", "503")

    ids = [channel.pk for channel in channels]
    assert collect_batch.delay(ids, DAY).get() == {"ok": 3}

    assert len(fake_api.requests("x")) == 2
    assert outcomes(channels) == [[(1, "error", 503, True), (2, "ok", 200, False)]] * 3


def test_a_batch_leaves_out_the_channels_already_collected(unit, submitter, fake_api):
    first, second = x(unit, submitter, "uni1"), x(unit, submitter, "uni2")
    assert collect_channel.delay(first.pk, DAY).get() == "ok"

    assert collect_batch.delay([first.pk, second.pk], DAY).get() == {"ok": 1}
    assert collect_batch.delay([first.pk, second.pk], DAY).get() == {}

    assert Snapshot.objects.filter(date=DAY).count() == 2
    assert len(fake_api.requests("x")) == 2  # one for each channel, none for the repeat


def test_a_single_x_channel_is_still_collected_on_its_own(unit, submitter, fake_api):
    channel = x(unit, submitter, "uni")

    assert collect_channel.delay(channel.pk, DAY).get() == "ok"
    assert Snapshot.objects.get(channel=channel).followers == expected_followers("x", "uni")
    assert fake_api.requests("x")[0][2] == "/2/users/by"


def test_a_busy_mastodon_account_is_read_up_to_the_bound_and_marked(
    unit, submitter, fake_api, settings
):
    channel = make_channel(
        unit=unit, owner=submitter, platform="mastodon", profile_url="https://m.example/@busy"
    )
    assert collect_channel.delay(channel.pk, DAY).get() == "ok"

    # WebFinger, the account and five pages of 40 posts, though there were more.
    assert len(fake_api.requests("mastodon")) == 7
    snapshot = Snapshot.objects.get(channel=channel)
    assert (snapshot.engagement_posts, snapshot.likes, snapshot.engagement_partial) == (
        200,
        200,
        True,
    )


def test_a_mastodon_account_read_to_the_end_of_its_30_days_is_not_marked(
    unit, submitter, fake_api, settings
):
    settings.METRICS_MASTODON_MAX_PAGES = 8
    channel = make_channel(
        unit=unit, owner=submitter, platform="mastodon", profile_url="https://m.example/@busy"
    )
    assert collect_channel.delay(channel.pk, DAY).get() == "ok"

    # 300 posts: seven full pages and a last of 20, with no next page.
    assert len(fake_api.requests("mastodon")) == 2 + 8
    snapshot = Snapshot.objects.get(channel=channel)
    assert (snapshot.engagement_posts, snapshot.engagement_partial) == (300, False)
