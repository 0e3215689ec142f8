"""A channel's verification state: what each check does to it, and who is told."""

import datetime

import pytest

from accounts.models import ChannelVerification, VerificationCheck
from core.models import OutboxMessage
from portal.tests.factories import make_channel

DAY = datetime.date(2026, 11, 20)
State = ChannelVerification.State


@pytest.fixture
def mastodon(unit, submitter, deputy):
    return make_channel(unit=unit, owner=submitter, deputy=deputy, platform="mastodon")


def record(channel, day, linked):
    return ChannelVerification.record(channel, day=day, linked=linked, evidence={"day": str(day)})


def test_a_channel_never_checked_is_not_yet_verified(mastodon):
    assert mastodon.verification_state == State.NOT_YET


def test_a_channel_on_a_platform_without_link_checks_cannot_be_verified(unit):
    channel = make_channel(
        unit=unit, platform="tiktok", profile_url="https://www.tiktok.com/@fictionaluni"
    )
    assert channel.verification_state == State.NOT_POSSIBLE


@pytest.mark.parametrize(
    ("history", "state"),
    [
        ([True], State.VERIFIED),
        ([False], State.NOT_YET),
        ([None], State.NOT_YET),
        ([True, False], State.BROKEN),
        ([True, None], State.VERIFIED),  # a check that could not be made changes nothing
        ([True, False, None], State.BROKEN),
        ([True, False, True], State.VERIFIED),
        ([False, False], State.NOT_YET),
    ],
)
def test_each_check_moves_the_state(mastodon, history, state):
    for offset, linked in enumerate(history):
        record(mastodon, DAY + datetime.timedelta(days=offset), linked)
    mastodon.refresh_from_db()
    assert mastodon.verification.state == state
    assert VerificationCheck.objects.filter(channel=mastodon).count() == len(history)


def test_a_second_check_the_same_day_changes_nothing(mastodon):
    assert record(mastodon, DAY, True) == State.VERIFIED
    assert record(mastodon, DAY, False) is None
    mastodon.refresh_from_db()
    assert mastodon.verification.state == State.VERIFIED
    assert list(VerificationCheck.objects.values_list("linked", flat=True)) == [True]


def test_broken_since_is_the_time_of_the_check_that_found_it(mastodon, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 5, 15, tzinfo=datetime.UTC), tick=False)
    record(mastodon, DAY, True)
    time_machine.move_to(datetime.datetime(2026, 11, 21, 5, 15, tzinfo=datetime.UTC), tick=False)
    record(mastodon, DAY + datetime.timedelta(days=1), False)
    time_machine.move_to(datetime.datetime(2026, 11, 22, 5, 15, tzinfo=datetime.UTC), tick=False)
    record(mastodon, DAY + datetime.timedelta(days=2), False)
    mastodon.refresh_from_db()
    assert mastodon.verification.since == datetime.datetime(
        2026, 11, 21, 5, 15, tzinfo=datetime.UTC
    )


def test_a_break_tells_the_owner_and_deputy_once(
    mastodon, submitter, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(mastodon, DAY, True)
    assert mailoutbox == []

    for offset in (1, 2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            record(mastodon, DAY + datetime.timedelta(days=offset), False)

    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [submitter.email, deputy.email]
    )
    assert {message.subject for message in mailoutbox} == {
        f"{mastodon.name} no longer links back to the portal"
    }
    assert f"/registry/{mastodon.pk}/" in mailoutbox[0].body


def test_a_channel_never_verified_is_not_broken_and_nobody_is_told(mastodon):
    record(mastodon, DAY, False)
    record(mastodon, DAY + datetime.timedelta(days=1), False)
    assert not OutboxMessage.objects.exists()
