"""The daily check that a Mastodon account links back to its channel's public page:
against recorded lookup answers (docs.joinmastodon.org entities/Account, its
``fields[]`` with ``verified_at``), and against the local stand-in server for answers
that are no account at all."""

import copy
import datetime

import httpx
import pytest

from accounts.models import ChannelVerification, VerificationCheck, page_url
from metrics import tasks, verification
from portal.celery import app as celery_app

from .recorded import Replay, load

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

DAY = datetime.date(2026, 11, 20)
State = ChannelVerification.State


def lookup_answer(fields):
    """The recorded webfinger and lookup exchanges of ``ok``, the account's profile
    fields replaced by ``fields``."""
    recording = copy.deepcopy(load("mastodon", "ok"))
    recording["exchanges"] = recording["exchanges"][:2]
    recording["exchanges"][1]["response"]["json"]["fields"] = fields
    transport = Replay(recording, "mastodon")
    return httpx.Client(transport=httpx.MockTransport(transport))


def field(page, *, verified_at):
    """A profile field linking to ``page``, its value as Mastodon renders a link."""
    scheme, _sep, rest = page.partition("://")
    return {
        "name": "Official",
        "value": (
            f'<a href="{page}" target="_blank" rel="nofollow noopener me" translate="no">'
            f'<span class="invisible">{scheme}://</span><span class="">{rest}</span>'
            '<span class="invisible"></span></a>'
        ),
        "verified_at": verified_at,
    }


def check(channel, fields, day=DAY):
    return verification.verify(channel, day, client=lookup_answer(fields))


def test_an_account_whose_field_the_server_verified_is_verified(mastodon_channel):
    page = page_url(mastodon_channel)
    assert check(mastodon_channel, [field(page, verified_at="2026-11-19T22:03:11.000Z")]) == (
        State.VERIFIED
    )
    evidence = VerificationCheck.objects.get(channel=mastodon_channel).evidence
    assert evidence == {
        "method": "rel-me",
        "lookup": "https://mastodon.example/api/v1/accounts/lookup?acct=fictionaluni",
        "page": page,
        "account_url": "https://mastodon.example/@fictionaluni",
        "field": "Official",
        "verified_at": "2026-11-19T22:03:11.000Z",
    }


def test_an_account_that_never_linked_back_is_not_yet_verified(mastodon_channel):
    fields = [
        {
            "name": "Web",
            "value": '<a href="https://example.org/">example.org</a>',
            "verified_at": None,
        }
    ]
    assert check(mastodon_channel, fields) == State.NOT_YET
    assert VerificationCheck.objects.get().evidence["field"] == ""


def test_a_field_the_server_has_not_verified_does_not_count(mastodon_channel):
    fields = [field(page_url(mastodon_channel), verified_at=None)]
    assert check(mastodon_channel, fields) == State.NOT_YET
    assert VerificationCheck.objects.get().evidence["field"] == "Official"


def test_a_field_whose_text_is_the_pages_address_counts(mastodon_channel):
    fields = [
        {
            "name": "Official",
            "value": page_url(mastodon_channel),
            "verified_at": "2026-11-19T22:03:11.000Z",
        }
    ]
    assert check(mastodon_channel, fields) == State.VERIFIED


def test_a_link_to_another_channels_page_does_not_count(mastodon_channel):
    other = page_url(mastodon_channel).replace(f"/c/{mastodon_channel.pk}/", "/c/999999/")
    assert check(mastodon_channel, [field(other, verified_at="2026-11-19T22:03:11Z")]) == (
        State.NOT_YET
    )


def test_a_profile_edit_that_removes_the_link_breaks_the_verification(
    mastodon_channel, mailoutbox, django_capture_on_commit_callbacks
):
    page = page_url(mastodon_channel)
    check(mastodon_channel, [field(page, verified_at="2026-11-19T22:03:11.000Z")])
    with django_capture_on_commit_callbacks(execute=True):
        state = check(mastodon_channel, [], day=DAY + datetime.timedelta(days=1))
        check(mastodon_channel, [], day=DAY + datetime.timedelta(days=2))

    assert state == State.BROKEN
    assert len(mailoutbox) == 2  # the owner and the deputy, once
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.verification.state == State.BROKEN


def test_a_day_already_checked_is_not_asked_again(mastodon_channel):
    page = page_url(mastodon_channel)
    check(mastodon_channel, [field(page, verified_at="2026-11-19T22:03:11.000Z")])
    assert list(verification.due(DAY)) == []
    assert list(verification.due(DAY + datetime.timedelta(days=1))) == [mastodon_channel]


def test_only_public_channels_on_platforms_that_verify_are_due(
    mastodon_channel, newsletter_channel, unit
):
    from portal.tests.factories import make_channel

    make_channel(unit=unit, platform="mastodon", is_public=False)
    assert list(verification.due(DAY)) == [mastodon_channel]


# --- Against the local stand-in server ------------------------------------------------


@pytest.fixture
def stand_in(fake_api, mastodon_channel):
    """The stand-in server answering for the channel's account, with a verified field.
    Eager retries run at once only when exceptions are not propagated."""
    celery_app.conf.task_eager_propagates = False
    fake_api.profile_fields["fictionaluni"] = [
        field(page_url(mastodon_channel), verified_at="2026-11-19T22:03:11.000Z")
    ]
    return fake_api


def run(channel_id, day=DAY):
    """The task as the worker runs it (eagerly here): retries happen at once."""
    return tasks.verify_channel.delay(channel_id, day.isoformat()).get()


def test_the_task_records_a_verified_account(stand_in, mastodon_channel):
    assert run(mastodon_channel.pk) == State.VERIFIED
    assert run(mastodon_channel.pk) == "already checked"
    assert len(stand_in.requests("mastodon")) == 2  # webfinger and lookup, once


@pytest.mark.parametrize("fault", ["302", "huge", "404"])
def test_an_answer_that_is_no_account_leaves_the_state_as_it_was(stand_in, mastodon_channel, fault):
    run(mastodon_channel.pk)
    stand_in.script("/api/v1/accounts/lookup", fault)

    assert run(mastodon_channel.pk, DAY + datetime.timedelta(days=1)) == State.VERIFIED
    latest = VerificationCheck.objects.filter(channel=mastodon_channel).first()
    assert latest.linked is None
    assert latest.evidence["error"]


def test_a_server_error_is_retried_and_never_breaks_the_verification(
    stand_in, mastodon_channel, settings
):
    settings.METRICS_RETRY_BASE_SECONDS = 1
    run(mastodon_channel.pk)
    stand_in.script("/api/v1/accounts/lookup", "500", "500")

    assert run(mastodon_channel.pk, DAY + datetime.timedelta(days=1)) == State.VERIFIED
    latest = VerificationCheck.objects.filter(channel=mastodon_channel).first()
    assert latest.linked is True  # the third try answered


def test_a_server_that_keeps_failing_leaves_the_state_and_says_why(
    stand_in, mastodon_channel, settings
):
    settings.METRICS_RETRY_BASE_SECONDS = 1
    settings.METRICS_MAX_RETRIES = 1
    run(mastodon_channel.pk)
    stand_in.script("/api/v1/accounts/lookup", "500", "500")

    assert run(mastodon_channel.pk, DAY + datetime.timedelta(days=1)) == State.VERIFIED
    latest = VerificationCheck.objects.filter(channel=mastodon_channel).first()
    assert (latest.linked, latest.evidence["error"]) == (None, "The platform answered 500.")


def test_verify_all_enqueues_each_due_channel_once_a_day(stand_in, mastodon_channel):
    assert tasks.verify_all.delay(DAY.isoformat()).get() == 1
    assert tasks.verify_all.delay(DAY.isoformat()).get() == 0
    mastodon_channel.refresh_from_db()
    assert mastodon_channel.verification.state == State.VERIFIED
