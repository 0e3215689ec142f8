"""Collecting one channel's figures for one day: ask its provider, store the snapshot,
record the attempt, tell the owner about a permanent failure (once), or, when the
platform refuses the portal's API version, pause the platform and tell the portal
administrators instead (metrics/versions.py).

This spans the registry (``accounts.Channel``) and the metrics models, and talks to the
network, so it is a plain module rather than a model method. No database transaction is
held while the platform is asked.
"""

import logging
import random

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Channel
from core import roles
from core.notifications import notify
from metrics import verification, versions
from metrics.models import ApiVersionState, ChannelToken, CollectionAttempt, Snapshot
from metrics.providers import PROVIDERS, TOKEN_PLATFORMS, provider_for
from metrics.providers.base import AuthFailed, FetchError, TransientError, VersionRefused

logger = logging.getLogger(__name__)

COLLECTED_STATUSES = [Channel.Status.ACTIVE, Channel.Status.DORMANT]


def collectable_channels(*, platform=None):
    """Running channels whose figures a provider can collect, but not those of a
    platform paused because it refused the portal's API version (two queries)."""
    paused = versions.paused_platforms()
    channels = Channel.objects.filter(
        status__in=COLLECTED_STATUSES, platform__in=[p for p in PROVIDERS if p not in paused]
    ).select_related("api_token")
    if platform:
        channels = channels.filter(platform=platform)
    return [channel for channel in channels.order_by("pk") if provider_for(channel)]


def pending_ids(day, *, platform=None, force=False):
    """Ids of the collectable channels that have no collected snapshot for ``day``."""
    return [channel.pk for channel in pending(day, platform=platform, force=force)]


def pending(day, *, platform=None, force=False):
    """The collectable channels that have no collected snapshot for ``day``."""
    channels = collectable_channels(platform=platform)
    if force:
        return channels
    done = set(
        Snapshot.objects.filter(date=day, source=Snapshot.Source.API).values_list(
            "channel_id", flat=True
        )
    )
    return [channel for channel in channels if channel.pk not in done]


def batches(channels):
    """(singles, groups): the channels to collect one by one, and groups of those
    whose platform answers for many in one request (a provider with a BATCH_SIZE),
    each group of one platform and at most that size."""
    singles, by_platform = [], {}
    for channel in channels:
        size = getattr(PROVIDERS.get(channel.platform), "BATCH_SIZE", 1)
        if size > 1:
            by_platform.setdefault(channel.platform, []).append(channel)
        else:
            singles.append(channel)
    groups = []
    for platform, members in by_platform.items():
        size = PROVIDERS[platform].BATCH_SIZE
        groups += [members[i : i + size] for i in range(0, len(members), size)]
    return singles, groups


def already_collected(channel_id, day):
    return Snapshot.objects.filter(
        channel_id=channel_id, date=day, source=Snapshot.Source.API
    ).exists()


def collect(channel, day, *, try_number=1, can_retry=False, client=None):
    """Take ``channel``'s reading for ``day`` and record it. Never raises for anything the
    platform or the network does: every outcome is a CollectionAttempt."""
    started = timezone.now()
    provider = provider_for(channel, client=client)
    reading = error = None
    if provider is None:
        error = FetchError("The channel cannot be collected (no client, key, token or id).")
    else:
        try:
            reading = provider.fetch(channel)
        except FetchError as failure:
            error = failure
        except SoftTimeLimitExceeded:
            error = TransientError("The platform took too long to answer.")
        except Exception as failure:  # a bug or an answer shape nobody foresaw
            logger.exception("Collecting channel %s failed unexpectedly", channel.pk)
            error = FetchError(f"Unexpected error: {type(failure).__name__}: {failure}")
    return record(
        channel, day, reading, error, started=started, try_number=try_number, can_retry=can_retry
    )


def collect_batch(channels, day, *, try_number=1, can_retry=False, client=None):
    """``collect`` for channels of one platform whose provider answers for many in one
    request (``fetch_many``): one request, then one snapshot or failure recorded per
    channel. A failure of the request itself is every channel's. Never raises for
    anything the platform or the network does; returns the attempts."""
    started = timezone.now()
    provider = provider_for(channels[0], client=client)
    try:
        if provider is None:
            raise FetchError("The channel cannot be collected (no client, key, token or id).")
        outcomes = provider.fetch_many(channels)
    except FetchError as failure:
        outcomes = dict.fromkeys((channel.pk for channel in channels), failure)
    except SoftTimeLimitExceeded:
        failure = TransientError("The platform took too long to answer.")
        outcomes = dict.fromkeys((channel.pk for channel in channels), failure)
    except Exception as failure:  # a bug or an answer shape nobody foresaw
        logger.exception("Collecting a batch of %s channels failed unexpectedly", len(channels))
        error = FetchError(f"Unexpected error: {type(failure).__name__}: {failure}")
        outcomes = dict.fromkeys((channel.pk for channel in channels), error)
    attempts = []
    for channel in channels:
        outcome = outcomes[channel.pk]
        failed = isinstance(outcome, FetchError)
        attempts.append(
            record(
                channel,
                day,
                None if failed else outcome,
                outcome if failed else None,
                started=started,
                try_number=try_number,
                can_retry=can_retry,
            )
        )
    return attempts


def record(channel, day, reading, error, *, started, try_number, can_retry):
    """Store ``channel``'s ``reading`` for ``day``, or its ``error``: one attempt."""
    if reading is not None:
        # One transaction: a worker killed between the snapshot and its attempt would
        # leave a snapshot that no attempt accounts for (the redelivered task then sees
        # the day collected and records nothing).
        with transaction.atomic():
            # The channel's summary is refreshed with its snapshot: the figures pages
            # read the summary and the registry's card the latest snapshot, and both
            # must show the same figure from the moment it is collected (not only
            # after the nightly review_activity).
            Snapshot.objects.record(channel, day, reading, source=Snapshot.Source.API)
            if reading.token_accepted or (
                reading.token_accepted is None and channel.platform in TOKEN_PLATFORMS
            ):
                _clear_token_rejection(channel)
            elif reading.token_accepted is False:
                _token_refused(channel)
            attempt = CollectionAttempt.objects.create(
                channel=channel,
                date=day,
                try_number=try_number,
                started_at=started,
                finished_at=timezone.now(),
                outcome=CollectionAttempt.Outcome.OK,
                http_status=200,
                raw=reading.raw or None,
            )
        _check_profile(channel, day, reading)
        return attempt

    previous = CollectionAttempt.objects.latest_for(channel)
    attempt = CollectionAttempt.objects.create(
        channel=channel,
        date=day,
        try_number=try_number,
        started_at=started,
        finished_at=timezone.now(),
        outcome=error.outcome,
        http_status=error.status,
        message=error.message[:2000],
        will_retry=error.transient and can_retry,
        raw=error.raw if isinstance(error.raw, (dict, list)) else None,
    )
    attempt.retry_after = error.retry_after
    if not error.transient:
        _report_failure(channel, attempt, error, previous)
    return attempt


def _check_profile(channel, day, reading):
    """The daily profile check, from what the reading's answer said of the profile
    (metrics/verification.py). The figures are stored by now: a bug here is logged and
    costs the day's check, never the collection."""
    try:
        verification.check_profile(channel, day, reading.profile)
    except Exception:
        logger.exception("The profile check of channel %s failed unexpectedly", channel.pk)


def retry_delay(retries, retry_after=None):
    """Seconds before the next try: the server's word if it gave one, else exponential
    backoff (base * 2**retries) with full jitter on the upper half; at most an hour."""
    if retry_after:
        return min(3600, max(1, int(retry_after)) + random.randint(0, 5))  # nosec B311  # jitter
    backoff = settings.METRICS_RETRY_BASE_SECONDS * 2**retries
    return min(3600.0, round(backoff / 2 + random.uniform(0, backoff / 2), 2))  # nosec B311


def _clear_token_rejection(channel):
    """A good collection clears an earlier refusal (a query only where there was one;
    the token comes with the channel)."""
    try:
        token = channel.api_token
    except ChannelToken.DoesNotExist:
        return
    if token.rejected_at is not None:
        ChannelToken.objects.filter(pk=token.pk).update(rejected_at=None)


def _token_refused(channel):
    """The platform refused the owner's token, but the figures that need none were
    collected (YouTube): the owner is asked once to connect again, as when a refresh
    is refused."""
    token = ChannelToken.stored_for(channel)
    if token is not None:
        token.refused(public_figures_kept=True)


def _report_failure(channel, attempt, error, previous):
    """Tell the owner and deputy once per change of state, not every day; a refused API
    version is the administrators' to fix, not theirs."""
    if isinstance(error, VersionRefused):
        _pause_platform(channel, error)
        return
    if isinstance(error, AuthFailed):
        # Only the platforms that collect with the owner's token refuse it here; on the
        # others (YouTube, X) the refusal is the portal's key, even where the owner
        # connected the channel for private figures.
        token = (
            ChannelToken.objects.filter(channel=channel).first()
            if channel.platform in TOKEN_PLATFORMS
            else None
        )
        if token is not None:
            first_time = token.mark_rejected()
        else:  # a platform-wide key (YouTube, X): the office's business, see the log
            logger.error("The %s API refused the portal's key: %s", channel.platform, error)
            first_time = False
    else:
        first_time = previous is None or previous.outcome != attempt.outcome
    if first_time:
        notify(
            [channel.owner, channel.deputy],
            "metrics/email/collection_failed",
            {"channel": channel, "attempt": attempt},
        )


def _pause_platform(channel, error):
    """Pause collection of the refused API's platforms and tell the portal
    administrators, once per API and version however many channels meet it."""
    logger.error("The %s API refused version %s: %s", error.api, error.version, error)
    if ApiVersionState.record_refusal(error.api, error.version, error.message):
        notify(
            roles.portal_admins(),
            "metrics/email/api_version_refused",
            {
                "api": versions.APIS[error.api],
                "version": error.version,
                "channel": channel,
                "message": error.message,
            },
        )
