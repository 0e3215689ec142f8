""" "Collect now" on a channel's figures page: who may press it, one collection at a time
per channel, a cool-down, a fresh reading replacing today's, and what the page says
while it is queued, running and done (tasks run eagerly here; through the real broker
and a worker in test_collect_now_worker.py)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.models import OutboxMessage
from metrics import tasks  # noqa: F401  # the outbox hands its tasks over by name
from metrics.fake_api import expected_followers
from metrics.models import ChannelSummary, CollectionAttempt, CollectionRequest, Snapshot
from metrics.views.collect import result, status
from portal.celery import app as celery_app
from portal.tests.factories import make_channel

NOW = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Stockholm
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def channel(unit, submitter, colleague, settings, fake_api):
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}
    settings.METRICS_COLLECT_NOW_COOLDOWN = 600
    settings.METRICS_RETRY_BASE_SECONDS = 1
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=colleague,
        platform="mastodon",
        name="Computer Science",
        profile_url="https://mastodon.example/@cs",
    )


FOLLOWERS = expected_followers("mastodon", "cs")  # 11,445


def press(client, channel):
    return client.post(reverse("metrics:collect", args=[channel.pk]))


def said(response):
    """The last message the response left for the next page."""
    return [str(m) for m in response.wsgi_request._messages][-1]


def page(client, channel):
    return client.get(reverse("metrics:channel", args=[channel.pk]))


# --- Who may press it -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("submitter", True),  # the owner
        ("colleague", True),  # the deputy
        ("reviewer", True),  # the office
        ("portal_admin", True),
        ("unit_head", False),  # sees the figures, does not run the channel
        ("outsider", False),
    ],
)
def test_owner_deputy_and_office_may_collect_now_and_nobody_else(
    client, request, channel, mailoutbox, django_capture_on_commit_callbacks, persona, allowed
):
    client.force_login(request.getfixturevalue(persona))

    with django_capture_on_commit_callbacks(execute=True):
        response = press(client, channel)
    fragment = client.get(reverse("metrics:collect", args=[channel.pk]))

    if allowed:
        assert response.status_code == 302
        assert response.url == reverse("metrics:channel", args=[channel.pk])
        assert fragment.status_code == 200
        assert CollectionRequest.objects.get().requested_by.username == persona.replace(
            "portal_admin", "portal-admin"
        )
    else:
        assert (response.status_code, fragment.status_code) == (403, 403)
        assert CollectionRequest.objects.count() == 0
        assert OutboxMessage.objects.count() == 0
        assert Snapshot.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, channel):
    response = press(client, channel)
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert CollectionRequest.objects.count() == 0


def test_the_button_shows_only_to_those_who_may_press_it(client, channel, submitter, unit_head):
    client.force_login(submitter)
    assert 'data-testid="collect-now-button"' in page(client, channel).content.decode()
    client.force_login(unit_head)
    response = page(client, channel)
    assert response.status_code == 200
    assert "collect-now" not in response.content.decode()


def test_a_channel_the_portal_does_not_collect_offers_no_button(
    client, unit, submitter, django_capture_on_commit_callbacks
):
    newsletter = make_channel(
        unit=unit,
        owner=submitter,
        platform="other",
        name="Letters",
        profile_url="https://news.example.org/letters",
    )
    client.force_login(submitter)

    text = page(client, newsletter).content.decode()
    assert "does not collect this channel" in text
    assert 'data-testid="collect-now-button"' not in text

    with django_capture_on_commit_callbacks(execute=True):
        response = press(client, newsletter)
    assert response.status_code == 302
    assert CollectionRequest.objects.count() == 0
    assert said(response) == "The portal does not collect this channel's figures automatically."


def test_a_get_changes_nothing_and_other_methods_are_refused(client, channel, submitter):
    client.force_login(submitter)
    assert client.get(reverse("metrics:collect", args=[channel.pk])).status_code == 200
    assert client.put(reverse("metrics:collect", args=[channel.pk])).status_code == 405
    assert CollectionRequest.objects.count() == 0


# --- What it does ---------------------------------------------------------------------


def test_pressing_collects_at_once_and_the_page_says_so_in_words(
    client, channel, submitter, fake_api, django_capture_on_commit_callbacks
):
    client.force_login(submitter)
    with django_capture_on_commit_callbacks(execute=True):
        response = press(client, channel)

    follow = client.get(response.url)
    text = follow.content.decode()
    assert "The figures are being collected" in text
    asked = CollectionRequest.objects.get()
    assert (asked.state, asked.day, asked.followers) == ("done", TODAY, FOLLOWERS)
    assert follow.context["collect_now"]["status"] == {
        "state": "done",
        "text": "Collected: 11,445 followers.",
        "open": False,
    }
    assert "Collected: 11,445 followers." in text
    assert follow.context["summary"].followers == FOLLOWERS  # the figures show it at once
    assert len(fake_api.requests()) == 3  # WebFinger, the account, its posts


def test_a_fresh_reading_replaces_todays_figures(
    client, channel, submitter, django_capture_on_commit_callbacks
):
    Snapshot.objects.create(channel=channel, date=TODAY, followers=1900, source="api")
    client.force_login(submitter)

    with django_capture_on_commit_callbacks(execute=True):
        press(client, channel)

    assert list(Snapshot.objects.values_list("date", "followers")) == [(TODAY, FOLLOWERS)]
    assert ChannelSummary.objects.get(channel=channel).followers == FOLLOWERS


def test_a_second_press_while_queued_says_so_and_enqueues_nothing(
    client, channel, submitter, colleague, django_capture_on_commit_callbacks
):
    client.force_login(submitter)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not begun
        press(client, channel)
    client.force_login(colleague)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = press(client, channel)

    assert callbacks == []
    assert said(response) == "A collection of these figures is already queued or running."
    assert CollectionRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert page(client, channel).context["collect_now"]["status"] == {
        "state": "queued",
        "text": "Queued: waiting for a worker.",
        "open": True,
    }


def test_a_second_press_while_running_is_refused_too(channel, submitter):
    asked = CollectionRequest.ask(channel, by=submitter)
    assert asked.start()

    with pytest.raises(Exception, match="already queued or running"):
        CollectionRequest.ask(channel, by=submitter)
    assert status(asked)["text"] == "Collecting now…"


def test_the_cooldown_refuses_a_press_until_it_has_passed(
    client, channel, submitter, django_capture_on_commit_callbacks, _clock
):
    client.force_login(submitter)
    with django_capture_on_commit_callbacks(execute=True):
        press(client, channel)

    with django_capture_on_commit_callbacks(execute=True):
        refused = press(client, channel)
    assert said(refused) == (
        "These figures were asked for a moment ago; you can ask again from 10:10."
    )
    assert CollectionRequest.objects.count() == 1

    _clock.shift(datetime.timedelta(minutes=10, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        press(client, channel)
    assert list(CollectionRequest.objects.values_list("state", flat=True)) == ["done", "done"]


def test_a_press_nobody_took_up_is_given_up_and_does_not_block_the_next(channel, submitter, _clock):
    stuck = CollectionRequest.ask(channel, by=submitter)  # its task was lost
    _clock.shift(CollectionRequest.ABANDONED_AFTER + datetime.timedelta(seconds=1))

    again = CollectionRequest.ask(channel, by=submitter)

    stuck.refresh_from_db()
    assert (stuck.state, again.state) == ("done", "queued")
    assert result(stuck) == ("It did not finish in time: nothing was collected. You can ask again.")
    assert stuck.start() is False  # its task, delivered late, does nothing


def test_a_rate_limited_press_is_retried_through_the_shared_limiter(
    client, channel, submitter, fake_api, django_capture_on_commit_callbacks
):
    celery_app.conf.task_eager_propagates = False  # eager retries run at once
    fake_api.script("/lookup", "429:1")
    client.force_login(submitter)

    with django_capture_on_commit_callbacks(execute=True):
        press(client, channel)

    assert list(
        CollectionAttempt.objects.order_by("started_at", "pk").values_list("outcome", "try_number")
    ) == [("rate_limited", 1), ("ok", 2)]
    asked = CollectionRequest.objects.get()
    assert (asked.state, asked.followers, asked.retry_at) == ("done", FOLLOWERS, None)


def attempt(channel, outcome):
    return CollectionAttempt.objects.create(
        channel=channel,
        date=TODAY,
        started_at=NOW,
        finished_at=NOW,
        outcome=outcome,
    )


def test_while_waiting_for_a_retry_the_page_says_when(channel, submitter):
    asked = CollectionRequest.ask(channel, by=submitter)
    asked.start()
    asked.wait_for_retry(attempt(channel, "rate_limited"), seconds=125)

    assert status(asked) == {
        "state": "queued",
        "text": "Rate limited by the platform, will retry at 10:02.",
        "open": True,
    }


@pytest.mark.parametrize(
    ("platform", "outcome", "text"),
    [
        (
            "facebook",
            "auth_failed",
            "The platform refused the token: reconnect the account or save a new token.",
        ),
        (
            "youtube",
            "auth_failed",
            "The platform refused the portal's key: the portal's administrators must renew it.",
        ),
        (
            "mastodon",
            "unavailable",
            "The platform says the account does not exist or is not public: check its address.",
        ),
        (
            "mastodon",
            "rate_limited",
            "Rate limited by the platform, and out of retries: try again later.",
        ),
        (
            "mastodon",
            "error",
            "The platform did not answer properly, and out of retries: try again later.",
        ),
    ],
)
def test_each_failure_is_said_in_plain_words(unit, submitter, platform, outcome, text):
    channel = make_channel(unit=unit, owner=submitter, platform=platform)
    asked = CollectionRequest.objects.create(
        channel=channel, day=TODAY, expires_at=NOW, requested_by=submitter
    )
    asked.finish(attempt(channel, outcome))

    assert status(asked) == {"state": "done", "text": text, "open": False}


def test_the_fragment_polls_only_while_queued_or_running(
    client, channel, submitter, django_capture_on_commit_callbacks
):
    client.force_login(submitter)
    url = reverse("metrics:collect", args=[channel.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        press(client, channel)

    queued = client.get(url).content.decode()
    assert f'hx-get="{url}"' in queued and 'hx-trigger="every 3s"' in queued
    assert "<script" not in queued

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    done = client.get(url).content.decode()
    assert "hx-get" not in done
    assert "Collected: 11,445 followers." in done


def test_the_figures_page_costs_the_same_queries_however_often_pressed(
    client, channel, submitter, settings, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(submitter)
    CollectionRequest.ask(channel, by=submitter).finish(None)
    page(client, channel)  # the reader's cached facts
    with CaptureQueriesContext(connection) as once:
        page(client, channel)

    settings.METRICS_COLLECT_NOW_COOLDOWN = 0
    for _n in range(5):
        CollectionRequest.ask(channel, by=submitter).finish(attempt(channel, "ok"))
    with django_assert_num_queries(len(once.captured_queries)):
        page(client, channel)
