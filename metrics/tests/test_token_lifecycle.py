"""The owner's token over time: warned once before it expires, told once when the
platform refuses it, never collected with once expired; and key rotation."""

import datetime

import pytest
import time_machine
from cryptography.fernet import Fernet

from metrics import collector, tokens
from metrics.models import ChannelToken, CollectionAttempt
from metrics.providers import provider_for
from metrics.providers.base import AuthFailed
from metrics.tasks import prune_attempts, warn_expiring_tokens
from portal.tests.factories import make_channel

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def tokenless_facebook_channel(recorded_channel):
    return recorded_channel(
        "facebook",
        name="Fictional University on Facebook",
        profile_url="https://www.facebook.com/fictionaluni",
        platform_id="104523881234567",
    )


def store(channel, by, expires_on=None):
    return ChannelToken.store(
        channel=channel, value="EAAB-test-token-0123456789", expires_on=expires_on, by=by
    )


@pytest.fixture
def on_today():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)):
        yield


def test_the_owner_is_warned_once_when_the_token_nears_expiry(
    tokenless_facebook_channel,
    submitter,
    colleague,
    mailoutbox,
    on_today,
    django_capture_on_commit_callbacks,
):
    store(tokenless_facebook_channel, submitter, expires_on=TODAY + datetime.timedelta(days=14))

    with django_capture_on_commit_callbacks(execute=True):
        assert warn_expiring_tokens() == 1
        assert warn_expiring_tokens() == 0

    assert len(mailoutbox) == 2  # owner and deputy, one message each
    assert {m.to[0] for m in mailoutbox} == {submitter.email, colleague.email}
    assert mailoutbox[0].subject == (
        "The API token of Fictional University on Facebook expires soon"
    )


def test_a_token_far_from_expiry_or_without_a_date_is_not_warned(
    tokenless_facebook_channel, unit, submitter, mailoutbox, on_today
):
    store(tokenless_facebook_channel, submitter, expires_on=TODAY + datetime.timedelta(days=15))
    other = make_channel(
        unit=unit,
        owner=submitter,
        platform="linkedin",
        profile_url="https://www.linkedin.com/company/fictional-university",
        platform_id="1",
    )
    store(other, submitter)

    assert warn_expiring_tokens() == 0


def test_saving_a_new_token_starts_the_warnings_afresh(
    tokenless_facebook_channel, submitter, on_today
):
    store(tokenless_facebook_channel, submitter, expires_on=TODAY + datetime.timedelta(days=3))
    warn_expiring_tokens()
    store(tokenless_facebook_channel, submitter, expires_on=TODAY + datetime.timedelta(days=5))

    assert warn_expiring_tokens() == 1


def test_an_expired_token_is_not_used(tokenless_facebook_channel, submitter, on_today):
    store(tokenless_facebook_channel, submitter, expires_on=TODAY - datetime.timedelta(days=1))
    assert provider_for(tokenless_facebook_channel) is None


def test_a_refused_token_is_reported_once_and_cleared_by_a_good_collection(
    tokenless_facebook_channel,
    submitter,
    mailoutbox,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from metrics.providers.base import Reading
    from metrics.providers.meta import FacebookProvider

    store(tokenless_facebook_channel, submitter)
    answers = iter([AuthFailed("refused"), AuthFailed("refused"), Reading(followers=5)])

    def fetch(self, channel):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(FacebookProvider, "fetch", fetch)

    with django_capture_on_commit_callbacks(execute=True):
        collector.collect(tokenless_facebook_channel, TODAY)
        collector.collect(tokenless_facebook_channel, TODAY)
    token = ChannelToken.objects.get(channel=tokenless_facebook_channel)
    assert token.rejected_at is not None
    assert len(mailoutbox) == 2  # owner and deputy, once

    # As the task does: the channel fresh from the database, with its token.
    tokenless_facebook_channel = (
        type(tokenless_facebook_channel)
        .objects.select_related("api_token")
        .get(pk=tokenless_facebook_channel.pk)
    )
    collector.collect(tokenless_facebook_channel, TODAY)
    token.refresh_from_db()
    assert token.rejected_at is None


def test_a_token_encrypted_with_an_older_key_still_opens_after_rotation(
    tokenless_facebook_channel, submitter, settings
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.METRICS_TOKEN_KEYS = [old]
    token = store(tokenless_facebook_channel, submitter)

    settings.METRICS_TOKEN_KEYS = [new, old]
    token.refresh_from_db()
    assert token.value == "EAAB-test-token-0123456789"
    assert tokens.decrypt(tokens.encrypt("x")) == "x"


def test_a_token_whose_key_is_gone_reads_as_empty_and_is_not_used(
    tokenless_facebook_channel, submitter, settings
):
    settings.METRICS_TOKEN_KEYS = [Fernet.generate_key().decode()]
    store(tokenless_facebook_channel, submitter)
    settings.METRICS_TOKEN_KEYS = [Fernet.generate_key().decode()]

    tokenless_facebook_channel.refresh_from_db()
    assert tokenless_facebook_channel.api_token.value == ""
    assert provider_for(tokenless_facebook_channel) is None


def test_old_collection_attempts_are_pruned(tokenless_facebook_channel, settings):
    settings.METRICS_ATTEMPT_RETENTION_DAYS = 90
    now = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
    for days in (91, 89):
        started = now - datetime.timedelta(days=days)
        CollectionAttempt.objects.create(
            channel=tokenless_facebook_channel,
            date=started.date(),
            started_at=started,
            finished_at=started,
            outcome="ok",
        )

    with time_machine.travel(now):
        assert prune_attempts() == 1
    assert CollectionAttempt.objects.get().date == datetime.date(2026, 8, 23)


def test_stored_for_gives_the_channels_token_or_none(channel, submitter):
    assert ChannelToken.stored_for(channel) is None
    token = ChannelToken.store(channel=channel, value="secret", expires_on=None, by=submitter)
    channel.refresh_from_db()
    assert ChannelToken.stored_for(channel) == token
