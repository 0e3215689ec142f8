"""The collection jobs. Thin: they take ids and a day, call the collector, and decide
about retrying. Both run on the ``metrics`` queue (settings.CELERY_TASK_ROUTES).

Idempotent by construction: a channel's figures for a day are one row keyed by
(channel, date), written by upsert; a task that finds the day already collected does
nothing, so a redelivered or duplicated task changes nothing.
"""

import logging
from collections import Counter
from datetime import date as date_cls
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.models import Channel
from core import roles
from core.notifications import notify
from metrics import collector, oauth, verification, versions
from metrics.models import (
    ApiVersionState,
    ChannelSummary,
    ChannelToken,
    CollectionAttempt,
    CollectionRequest,
    CollectionRun,
    Snapshot,
)
from metrics.providers.base import FetchError

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def collect_all(day=None, force=False):
    """Enqueue one ``collect_channel`` per collectable channel without figures for the
    day, and one ``collect_batch`` per group of channels whose platform answers for many
    in one request (X: up to 100). One run per day: a second beat, or a redelivered run,
    finds the day claimed or done; a run killed half-way is taken over once its lock
    expires (10 minutes)."""
    day = date_cls.fromisoformat(day) if day else timezone.localdate()
    run, _created = CollectionRun.objects.get_or_create(date=day)
    if run.enqueued_at is not None and not force:
        logger.info("Metrics for %s were already enqueued; nothing to do.", day)
        return 0
    if not run.claim():
        logger.info("Another collect_all for %s is running; leaving it the work.", day)
        return 0
    channels = collector.pending(day, force=force)
    singles, groups = collector.batches(channels)
    for channel in singles:
        collect_channel.apply_async(args=[channel.pk, day.isoformat(), force])
    for group in groups:
        collect_batch.apply_async(args=[[channel.pk for channel in group], day.isoformat(), force])
    run.finish(len(channels))
    logger.info("Enqueued %s channels for %s (%s in batches).", len(channels), day, len(groups))
    return len(channels)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,  # counted against METRICS_MAX_RETRIES below
    soft_time_limit=60,
    time_limit=90,
)
def collect_channel(self, channel_id, day, force=False):
    """Collect one channel's figures for ``day`` (ISO date). Transient failures are
    retried with backoff; permanent ones are recorded and reported, not retried."""
    day = date_cls.fromisoformat(day)
    if not force and collector.already_collected(channel_id, day):
        return "already collected"
    channel = Channel.objects.select_related("api_token").filter(pk=channel_id).first()
    if channel is None:
        return "no such channel"
    if channel.status not in collector.COLLECTED_STATUSES:
        return "not collected"  # closed since the run was enqueued
    if channel.platform in versions.paused_platforms():
        return "paused"  # another channel met the refusal since the run was enqueued
    retries = self.request.retries
    can_retry = retries < settings.METRICS_MAX_RETRIES
    attempt = collector.collect(channel, day, try_number=retries + 1, can_retry=can_retry)
    if attempt.will_retry:
        raise self.retry(countdown=collector.retry_delay(retries, attempt.retry_after))
    return attempt.outcome


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,  # counted against METRICS_MAX_RETRIES below
    soft_time_limit=60,
    time_limit=90,  # CollectionRequest.RUNNING_AT_MOST
)
def collect_now(self, request_id):
    """Collect the channel of a "collect now" press (a CollectionRequest) for its day,
    whether or not that day was collected already: a fresh reading replaces it. Through
    the collector, so through the shared rate limiter; transient failures are retried
    as the nightly collection's, the request queued again until then."""
    request = (
        CollectionRequest.objects.select_related("channel__api_token", "channel__unit")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not request.start():
        return "not queued"  # done, given up, or running on another worker
    channel = request.channel
    if channel.status not in collector.COLLECTED_STATUSES:
        request.finish(None)  # closed since the press
        return "not collected"
    retries = self.request.retries
    can_retry = retries < settings.METRICS_MAX_RETRIES
    attempt = collector.collect(channel, request.day, try_number=retries + 1, can_retry=can_retry)
    if attempt.will_retry:
        delay = collector.retry_delay(retries, attempt.retry_after)
        request.wait_for_retry(attempt, seconds=delay)
        raise self.retry(countdown=delay)
    request.finish(attempt)
    return attempt.outcome


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,  # counted against METRICS_MAX_RETRIES below
    soft_time_limit=60,
    time_limit=90,
)
def collect_batch(self, channel_ids, day, force=False):
    """Collect the figures of channels of one platform in one request (``collect_channel``
    for many). Idempotent per channel like it: channels already collected for ``day``,
    gone or closed are left out. When the request failed transiently, the channels it
    failed for are retried together, with backoff."""
    day = date_cls.fromisoformat(day)
    channels = Channel.objects.select_related("api_token").filter(
        pk__in=channel_ids, status__in=collector.COLLECTED_STATUSES
    )
    if not force:
        channels = channels.exclude(
            pk__in=Snapshot.objects.filter(
                date=day, source=Snapshot.Source.API, channel_id__in=channel_ids
            ).values("channel_id")
        )
    channels = list(channels.order_by("pk"))
    if not channels:
        return {}
    retries = self.request.retries
    can_retry = retries < settings.METRICS_MAX_RETRIES
    attempts = collector.collect_batch(channels, day, try_number=retries + 1, can_retry=can_retry)
    again = [attempt for attempt in attempts if attempt.will_retry]
    if again:
        wait = max((attempt.retry_after or 0 for attempt in again), default=0)
        raise self.retry(
            args=[[attempt.channel_id for attempt in again], day.isoformat(), force],
            countdown=collector.retry_delay(retries, wait or None),
        )
    return dict(Counter(attempt.outcome for attempt in attempts))


@shared_task(acks_late=True)
def verify_all(day=None):
    """Daily: enqueue one ``verify_channel`` per public channel, on a platform that
    verifies links, not yet checked for the day. A second run the same day enqueues only
    what is still unchecked, and each check is idempotent per channel and day."""
    day = date_cls.fromisoformat(day) if day else timezone.localdate()
    channel_ids = list(verification.due(day).values_list("pk", flat=True))
    for channel_id in channel_ids:
        verify_channel.apply_async(args=[channel_id, day.isoformat()])
    return len(channel_ids)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,  # counted against METRICS_MAX_RETRIES below
    soft_time_limit=60,
    time_limit=90,
)
def verify_channel(self, channel_id, day):
    """Check that one channel's account links back to its public page, for ``day``
    (metrics/verification.py). Transient failures are retried with the collectors'
    backoff; after the last try the day is recorded as not checked, the state kept."""
    day = date_cls.fromisoformat(day)
    channel = Channel.objects.public().filter(pk=channel_id).first()
    if channel is None:
        return "not public"
    retries = self.request.retries
    can_retry = retries < settings.METRICS_MAX_RETRIES
    try:
        state = verification.verify(channel, day, can_retry=can_retry)
    except FetchError as error:  # transient, and tries are left
        retry_after = error.retry_after
    else:
        return state or "already checked"
    raise self.retry(countdown=collector.retry_delay(retries, retry_after))


@shared_task
def warn_expiring_tokens():
    """Tell owners once that their channel's API token is about to expire."""
    warned = 0
    for token in ChannelToken.objects.expiring().select_related("channel"):
        if token.mark_expiry_warned():
            channel = token.channel
            notify(
                [channel.owner, channel.deputy],
                "metrics/email/token_expiring",
                {"channel": channel, "token": token},
            )
            warned += 1
    return warned


@shared_task(soft_time_limit=600, time_limit=660)
def refresh_tokens():
    """Renew the connected tokens that expire soon (hourly). A refused refresh token
    (expired, revoked) marks the token refused and tells the owner once; a platform
    that does not answer is tried again at the next run."""
    renewed = 0
    for token in ChannelToken.objects.due_for_refresh().select_related("channel"):
        try:
            renewed += token.refresh()
        except oauth.Unreachable:
            logger.warning("Could not renew the token of channel %s: no answer.", token.channel_id)
    return renewed


@shared_task
def warn_ending_api_versions(day=None):
    """Tell the portal administrators once per API and version that the version the
    portal asks for ends within METRICS_API_VERSION_WARNING_DAYS."""
    today = date_cls.fromisoformat(day) if day else timezone.localdate()
    warned = 0
    for status in versions.overview(today):
        if not status.ending_soon:
            continue
        if ApiVersionState.mark_end_warned(status.api.key, status.version):
            notify(roles.portal_admins(), "metrics/email/api_version_ending", {"status": status})
            warned += 1
    return warned


@shared_task
def prune_attempts():
    """Forget collection attempts, and "collect now" presses, older than
    METRICS_ATTEMPT_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.METRICS_ATTEMPT_RETENTION_DAYS)
    deleted, _by_model = CollectionAttempt.objects.filter(started_at__lt=cutoff).delete()
    CollectionRequest.objects.filter(requested_at__lt=cutoff).delete()
    return deleted


@shared_task
def review_activity(day=None):
    """Nightly: refresh every running channel's summary, then mark active channels
    that have gone quiet for METRICS_DORMANT_DAYS dormant, and dormant ones that posted
    again active. Each change is a ChannelEvent and one e-mail to owner and deputy."""
    today = date_cls.fromisoformat(day) if day else timezone.localdate()
    ChannelSummary.objects.refresh(Channel.objects.running(), today=today)
    limit = today - timedelta(days=settings.METRICS_DORMANT_DAYS)
    went_quiet = Channel.objects.filter(
        status=Channel.Status.ACTIVE, summary__quiet_since__lt=limit
    ).select_related("summary")
    posting_again = Channel.objects.filter(
        status=Channel.Status.DORMANT, summary__last_post_on__gte=limit
    ).select_related("summary")
    changed = 0
    for channel in went_quiet:
        changed += channel.mark_dormant(
            quiet_since=channel.summary.quiet_since, days=settings.METRICS_DORMANT_DAYS
        )
    for channel in posting_again:
        changed += channel.mark_active_again(last_post_on=channel.summary.last_post_on)
    return changed
