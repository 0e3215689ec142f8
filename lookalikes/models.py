"""What the impersonation watch records: each search it ran (``SearchRecord``: what was
searched, when, how many results, the error), each account it put in front of the
office (``Candidate``: remembered by platform and account id, so that a decided or
dismissed one never comes back as new), and each weekly digest (``WatchDigest``).

The job writes these through the locked methods below; the admin only shows them.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Channel, SuspiciousAccountReport


class SearchRecordQuerySet(models.QuerySet):
    def prepare(self, day, pairs):
        """One record per (search name, platform, query) of ``pairs`` for ``day``, made
        where missing (a rerun the same day finds them): the records still to run,
        those pending and those that failed on a transient error."""
        self.bulk_create(
            [
                SearchRecord(date=day, search=name, platform=platform, query=query)
                for name, platform, query in pairs
            ],
            ignore_conflicts=True,
        )
        return self.filter(date=day).filter(
            models.Q(outcome=SearchRecord.Outcome.PENDING)
            | models.Q(outcome=SearchRecord.Outcome.RUNNING)
            | models.Q(outcome=SearchRecord.Outcome.FAILED, transient=True)
        )

    def failed_since(self, since):
        return self.filter(outcome=SearchRecord.Outcome.FAILED, finished_at__gte=since)


class SearchRecord(models.Model):
    """One query on one platform's search, on one day: the job's unit of work, unique
    per (day, search, query) so that the day's job is idempotent and resumable."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED_QUOTA = "skipped_quota", _("Skipped: the platform's quota was spent")

    date = models.DateField(_("day"))
    search = models.CharField(_("search"), max_length=100)
    platform = models.CharField(_("platform"), max_length=20)
    query = models.CharField(_("query"), max_length=300)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    #: Whether a failure may pass if tried again (a timeout, a 5xx, a rate limit).
    transient = models.BooleanField(_("may pass"), default=False)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages read"), default=0)
    results = models.PositiveIntegerField(_("accounts found"), default=0)
    candidates = models.PositiveIntegerField(_("accounts over the threshold"), default=0)
    new_candidates = models.PositiveIntegerField(_("new candidates"), default=0)
    cost = models.PositiveIntegerField(_("quota units"), default=0)
    error = models.TextField(_("error"), blank=True)

    objects = SearchRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "search", "query"]
        verbose_name = _("look-alike search")
        verbose_name_plural = _("look-alike searches")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "search", "query"], name="lookalike_search_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["outcome", "finished_at"], name="lookalike_search_outcome")]

    def __str__(self):
        return f"{self.date} {self.search}: {self.query}"

    @classmethod
    def start(cls, pk, *, now=None):
        """Claim the record for a try: the record, or None when there is nothing to do
        (done, skipped, failed for good, or running elsewhere within the time a try may
        take)."""
        now = now or timezone.now()
        with transaction.atomic():
            record = cls.objects.select_for_update().filter(pk=pk).first()
            if record is None:
                return None
            if record.outcome in (cls.Outcome.DONE, cls.Outcome.SKIPPED_QUOTA):
                return None
            if record.outcome == cls.Outcome.FAILED and not record.transient:
                return None
            if (
                record.outcome == cls.Outcome.RUNNING
                and record.started_at
                and record.started_at > now - settings.LOOKALIKES_RUNNING_AT_MOST
            ):
                return None
            record.outcome = cls.Outcome.RUNNING
            record.tries += 1
            record.started_at = now
            record.save(update_fields=["outcome", "tries", "started_at"])
        return record

    def finish(self, *, outcome, pages, results, candidates, new, cost, error="", transient=False):
        # Saved through the model, so that the office's overview, which counts the
        # failed searches, hears of it (portal/caching.py).
        with transaction.atomic():
            record = type(self).objects.select_for_update().get(pk=self.pk)
            changes = {
                "outcome": outcome,
                "transient": transient,
                "finished_at": timezone.now(),
                "pages": pages,
                "results": results,
                "candidates": candidates,
                "new_candidates": new,
                "cost": cost,
                "error": error[:2000],
            }
            for name, value in changes.items():
                setattr(record, name, value)
            record.save(update_fields=list(changes))
        for name, value in changes.items():
            setattr(self, name, value)

    @classmethod
    def skip_rest_of_day(cls, *, day, search, error):
        """The platform's quota is spent: its searches of ``day`` not done yet are
        skipped (tomorrow's run searches again). How many."""
        with transaction.atomic():
            return (
                cls.objects.select_for_update()
                .filter(date=day, search=search)
                .exclude(outcome=cls.Outcome.DONE)
                .update(
                    outcome=cls.Outcome.SKIPPED_QUOTA,
                    transient=False,
                    finished_at=timezone.now(),
                    error=error[:2000],
                )
            )


class CandidateQuerySet(models.QuerySet):
    def spot(self, found, score, record, *, now=None):
        """Remember that the watch found ``found`` (a profiles.Found) scoring ``score``
        (a scoring.Score) in ``record``'s search. An account seen before (whatever
        became of its report) is only marked seen again; a new one is put in the
        office's triage queue. True when it is new."""
        now = now or timezone.now()
        official = score.official
        evidence = {
            "key": found.key,
            "name": found.display_name,
            "candidate": {
                "account_id": found.account_id,
                "handle": found.handle,
                "display_name": found.display_name,
                "url": found.url,
                "bio": found.bio,
                "avatar_url": found.avatar_url,
                "created_at": found.created_at.isoformat() if found.created_at else "",
                "labels": list(found.labels),
                "followers": found.followers,
            },
            "official": {
                "channel_id": official.channel_id or None,
                "name": official.name,
                "handle": official.handle,
                "url": official.url,
                "unit": official.unit,
            },
            "score": round(score.total, 3),
            "parts": {name: round(value, 3) for name, value in score.parts.items()},
            "search": record.search,
            "query": record.query,
            "first_seen": now.isoformat(),
        }
        try:
            with transaction.atomic():
                if self.filter(key=found.key).exists():
                    raise _SeenBefore
                report, _created = SuspiciousAccountReport.objects.found_lookalike(
                    url=found.url, platform=found.platform, evidence=evidence, key=found.key
                )
                self.create(
                    key=found.key,
                    platform=found.platform,
                    handle=found.handle[:200],
                    display_name=found.display_name[:200],
                    url=found.url[:500],
                    score=score.total,
                    official_id=official.channel_id or None,
                    report=report,
                    first_seen=now,
                    last_seen=now,
                    search=record,
                )
            return True
        except (_SeenBefore, IntegrityError):  # seen before, or by a parallel search now
            self.filter(key=found.key).update(
                last_seen=now, times_seen=models.F("times_seen") + 1, score=score.total
            )
            report_id = self.filter(key=found.key).values_list("report_id", flat=True).first()
            if report_id is not None:
                SuspiciousAccountReport.objects.lookalike_seen_again(report_id, on=record.date)
            return False

    def new_since(self, since):
        return self.filter(first_seen__gte=since)


class _SeenBefore(Exception):
    pass


class Candidate(models.Model):
    """An account the watch put in front of the office, remembered by its platform and
    stable id (``Found.key``) with the report it created. Whatever the office decided,
    the account never comes back as new: when the watch finds it again, its
    ``last_seen`` moves on."""

    key = models.CharField(_("account"), max_length=300, unique=True)
    platform = models.CharField(_("platform"), max_length=20)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    url = models.CharField(_("address"), max_length=500)
    score = models.FloatField(_("latest score"))
    official = models.ForeignKey(
        Channel,
        verbose_name=_("resembles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.OneToOneField(
        SuspiciousAccountReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="lookalike",
    )
    search = models.ForeignKey(
        SearchRecord,
        verbose_name=_("first found by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    times_seen = models.PositiveIntegerField(_("times seen"), default=1)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen", "-pk"]
        verbose_name = _("look-alike candidate")
        verbose_name_plural = _("look-alike candidates")
        indexes = [models.Index(fields=["first_seen"], name="lookalike_candidate_first_seen")]

    def __str__(self):
        return self.handle or self.url


class WatchDigest(models.Model):
    """One row per week the office was sent the watch's digest: the digest task's
    idempotency key (the week's Monday)."""

    week = models.DateField(_("week starting"), unique=True)
    candidate_count = models.PositiveIntegerField(_("new candidates listed"))
    open_count = models.PositiveIntegerField(_("open look-alike reports"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-week"]
        verbose_name = _("look-alike digest")
        verbose_name_plural = _("look-alike digests")

    def __str__(self):
        return f"{self.week}: {self.candidate_count}"

    @staticmethod
    def week_of(day):
        return day - datetime.timedelta(days=day.weekday())
