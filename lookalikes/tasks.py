"""The impersonation watch's jobs. Thin: they take ids and a day, call lookalikes/watch.py,
and decide about retrying. The searches run on the ``metrics`` queue, beside the
collection whose request budgets and limiter they share (settings.CELERY_TASK_ROUTES).

Idempotent and resumable per day, like the collection: each (day, search, query) is one
``SearchRecord``; ``watch_all`` makes the day's records and enqueues one ``watch_search``
per record still to run (waiting, or failed on something that may pass), so a second
run the same day redoes only what failed transiently. A failing or slow platform never
stops the others: each search is its own task.
"""

import datetime
import logging
from datetime import date as date_cls
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import SuspiciousAccountReport
from accounts.models.reports import office
from core.notifications import notify
from lookalikes import search as searches
from lookalikes import watch
from lookalikes.models import Candidate, SearchRecord, WatchDigest
from metrics.collector import retry_delay

logger = logging.getLogger(__name__)


def configured():
    """The searches this installation can run, by name."""
    return {search.name: search for search in searches.configured()}


@shared_task(acks_late=True)
def watch_all(day=None):
    """Make the day's search records and enqueue each one still to run; how many."""
    day = date_cls.fromisoformat(day) if day else timezone.localdate()
    available = configured()
    platforms = {search.platform for search in available.values()}
    by_platform = watch.queries(platforms)
    pairs = [
        (name, search.platform, query)
        for name, search in available.items()
        for query in by_platform.get(search.platform, [])
    ]
    todo = list(
        SearchRecord.objects.prepare(day, pairs)
        .filter(search__in=list(available))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in todo:
        watch_search.apply_async(args=[pk])
    logger.info("Enqueued %s look-alike searches for %s.", len(todo), day)
    return len(todo)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,  # counted against METRICS_MAX_RETRIES below
    soft_time_limit=120,
    time_limit=180,
)
def watch_search(self, record_id):
    """Run one search record: read, score, hand to triage. Transient failures are
    retried with the collectors' backoff; a spent quota skips the platform's other
    searches of the day; any other failure is recorded, not retried."""
    record = SearchRecord.start(record_id)
    if record is None:
        return "nothing to do"
    search = configured().get(record.search)
    if search is None:
        record.finish(
            outcome=SearchRecord.Outcome.FAILED,
            pages=0,
            results=0,
            candidates=0,
            new=0,
            cost=0,
            error="This search is no longer configured.",
        )
        return "not configured"
    outcome = watch.run(search, record)
    watch.finish(record, outcome)
    error = outcome.error
    if (
        error is not None
        and error.transient
        and self.request.retries < settings.METRICS_MAX_RETRIES
    ):
        raise self.retry(countdown=retry_delay(self.request.retries, error.retry_after))
    return record.outcome


@shared_task
def send_weekly_digest(day=None):
    """Mail the office once a week the accounts the watch found that week and the
    look-alike reports still open; how many new ones it listed (-1: nothing sent)."""
    today = date_cls.fromisoformat(day) if day else timezone.localdate()
    week = WatchDigest.week_of(today)
    since = _start_of(today - timedelta(days=7))
    with transaction.atomic():
        if WatchDigest.objects.filter(week=week).exists():
            return -1
        new = list(
            Candidate.objects.new_since(since)
            .select_related("report", "official")
            .order_by("-score", "pk")[:100]
        )
        open_reports = SuspiciousAccountReport.objects.open().filter(
            source=SuspiciousAccountReport.Source.LOOKALIKE
        )
        open_count = open_reports.count()
        if not new and not open_count:
            return -1
        _digest, created = WatchDigest.objects.get_or_create(
            week=week, defaults={"candidate_count": len(new), "open_count": open_count}
        )
        if not created:
            return -1
        notify(
            office(),
            "lookalikes/email/weekly_digest",
            {"candidates": new, "open_count": open_count},
        )
    return len(new)


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
