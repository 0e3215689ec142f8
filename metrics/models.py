"""Figures of the official channels: one snapshot per channel and day, every try to
collect them, the owners' API tokens, and one row per daily collection run."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.caching import rows_changed
from metrics import tokens
from metrics.providers.base import Reading


class SnapshotQuerySet(models.QuerySet):
    def record(self, channel, day, reading, *, source, entered_by=None, refresh=True):
        """Store ``reading`` as ``channel``'s figures for ``day``: one row per channel and
        day, whoever writes it and however often (an upsert on the unique key, so that
        two workers racing, or a task delivered twice, still leave one row).

        ``refresh`` brings the channel's summary up to date at once (a manual entry).
        The nightly collection passes False: ``review_activity`` refreshes every
        channel's summary after it, and six queries per channel were a tenth of the
        collector's time (bench/collect.py)."""
        snapshot = Snapshot(
            channel=channel,
            date=day,
            source=source,
            entered_by=entered_by,
            collected_at=timezone.now(),
            engagement_partial=reading.engagement_partial,
            **reading.figures(),
        )
        self.bulk_create(
            [snapshot],
            update_conflicts=True,
            unique_fields=["channel", "date"],
            update_fields=[
                *Snapshot.FIGURES,
                "engagement_partial",
                "source",
                "entered_by",
                "collected_at",
            ],
        )
        if refresh:
            ChannelSummary.objects.refresh(type(channel).objects.filter(pk=channel.pk))
        return snapshot  # its pk set by the upsert (PostgreSQL, SQLite 3.35+)


class Snapshot(models.Model):
    """A channel's figures on one day. A figure that was not available is NULL, not 0."""

    class Source(models.TextChoices):
        API = "api", _("Collected from the platform")
        MANUAL = "manual", _("Entered by hand")
        DEMO = "demo", _("Demo data")

    FIGURES = Reading.FIGURES  # the figures a reading carries, each a column here

    channel = models.ForeignKey(
        "accounts.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="snapshots",
        # The unique (channel, date) index serves every lookup by channel; a second
        # index on channel alone cost 150 MB per 7 million rows for nothing.
        db_index=False,
    )
    date = models.DateField(_("date"))
    followers = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    posts = models.PositiveBigIntegerField(_("posts"), null=True, blank=True)
    likes = models.PositiveBigIntegerField(_("likes"), null=True, blank=True)
    comments = models.PositiveBigIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveBigIntegerField(_("shares"), null=True, blank=True)
    views = models.PositiveBigIntegerField(_("views"), null=True, blank=True)
    engagement_posts = models.PositiveIntegerField(
        _("posts counted for engagement"), null=True, blank=True
    )
    last_post_at = models.DateTimeField(_("latest post"), null=True, blank=True)
    # The platform had more posts in the engagement window than the collector reads
    # (METRICS_MASTODON_MAX_PAGES): the engagement figures cover the latest posts only.
    engagement_partial = models.BooleanField(
        _("engagement over the latest posts only"), default=False
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    collected_at = models.DateTimeField(_("collected at"), default=timezone.now)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "date"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(fields=["channel", "date"], name="snapshot_one_per_day"),
        ]

    def __str__(self):
        return f"{self.channel} {self.date}"

    # A snapshot saved or deleted one by one (a correction in the admin) changes what
    # the unit report shows: it reads the month's figures from snapshots. Here rather
    # than in signal receivers (metrics/caching.py says why).
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        rows_changed(Snapshot)

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        rows_changed(Snapshot)
        return deleted


class CollectionAttemptQuerySet(models.QuerySet):
    def latest_for(self, channel):
        return self.filter(channel=channel).order_by("-started_at", "-pk").first()


class CollectionAttempt(models.Model):
    """One try to collect one channel's figures: kept for diagnosis, pruned after
    METRICS_ATTEMPT_RETENTION_DAYS."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Collected")
        UNAVAILABLE = "unavailable", _("Account unavailable")
        AUTH_FAILED = "auth_failed", _("Credentials refused")
        RATE_LIMITED = "rate_limited", _("Rate limited")
        ERROR = "error", _("Error")

    channel = models.ForeignKey(
        "accounts.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="collection_attempts",
    )
    date = models.DateField(_("for the day"))
    try_number = models.PositiveSmallIntegerField(_("try"), default=1)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    will_retry = models.BooleanField(_("will be retried"), default=False)
    raw = models.JSONField(_("response"), null=True, blank=True)

    objects = CollectionAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("collection attempt")
        verbose_name_plural = _("collection attempts")
        indexes = [
            models.Index(fields=["channel", "-started_at"], name="attempt_channel_idx"),
            models.Index(fields=["started_at"], name="attempt_started_idx"),
        ]

    def __str__(self):
        return f"{self.channel} {self.date} #{self.try_number}: {self.outcome}"


class CollectionRun(models.Model):
    """The daily ``collect_all``: one row per day, so that a second beat by mistake, or
    a redelivered run, does not enqueue the day's work twice."""

    date = models.DateField(_("day"), unique=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    enqueued_at = models.DateTimeField(_("all tasks enqueued"), null=True, blank=True)
    enqueued = models.PositiveIntegerField(_("tasks enqueued"), default=0)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("collection run")
        verbose_name_plural = _("collection runs")

    def __str__(self):
        return str(self.date)

    def claim(self, *, minutes=10):
        """Take this run's lock (compare-and-set); False if another holds it."""
        now = timezone.now()
        claimed = (
            CollectionRun.objects.filter(pk=self.pk)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .update(locked_until=now + timedelta(minutes=minutes), started_at=now)
        )
        return claimed == 1

    def finish(self, enqueued):
        CollectionRun.objects.filter(pk=self.pk).update(
            locked_until=None, enqueued_at=timezone.now(), enqueued=enqueued
        )


class ChannelTokenQuerySet(models.QuerySet):
    def expiring(self, today=None):
        """Tokens that expire within METRICS_TOKEN_WARNING_DAYS and whose owner has not
        been told yet."""
        today = today or timezone.localdate()
        return self.filter(
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=settings.METRICS_TOKEN_WARNING_DAYS),
            expiry_warned_at__isnull=True,
        )


class ChannelToken(models.Model):
    """An owner's API token for one channel (Facebook, Instagram, LinkedIn), encrypted
    at rest with a key from the environment and never shown again after saving."""

    channel = models.OneToOneField(
        "accounts.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="api_token",
    )
    encrypted = models.BinaryField(editable=False)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    expiry_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    rejected_at = models.DateTimeField(_("refused by the platform at"), null=True, blank=True)

    objects = ChannelTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return str(self.channel)

    @property
    def value(self):
        return tokens.decrypt(bytes(self.encrypted))

    def is_expired(self, today=None):
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    @classmethod
    def store(cls, *, channel, value, expires_on, by):
        """Save (or replace) ``channel``'s token; warnings start afresh."""
        token, _created = cls.objects.update_or_create(
            channel=channel,
            defaults={
                "encrypted": tokens.encrypt(value),
                "expires_on": expires_on,
                "saved_by": by,
                "saved_at": timezone.now(),
                "expiry_warned_at": None,
                "rejected_at": None,
            },
        )
        return token

    @staticmethod
    def stored_for(channel):
        """``channel``'s token (fetched with the channel: no query then), or None."""
        try:
            return channel.api_token
        except ChannelToken.DoesNotExist:
            return None

    @classmethod
    def remove(cls, channel):
        """Forget ``channel``'s token; False if there was none."""
        deleted, _by_model = cls.objects.filter(channel=channel).delete()
        return deleted > 0

    def mark_rejected(self):
        """Record that the platform refused the token; True the first time only, so that
        the owner is told once, not every day."""
        return (
            ChannelToken.objects.filter(pk=self.pk, rejected_at__isnull=True).update(
                rejected_at=timezone.now()
            )
            == 1
        )

    def mark_expiry_warned(self):
        return (
            ChannelToken.objects.filter(pk=self.pk, expiry_warned_at__isnull=True).update(
                expiry_warned_at=timezone.now()
            )
            == 1
        )


class ChannelSummaryQuerySet(models.QuerySet):
    def refresh(self, channels, today=None):
        """Recompute the summaries of ``channels`` (a Channel queryset) from their
        snapshots and goals, in a fixed number of queries per batch of channels."""
        from metrics.summaries import compute  # a cycle: summaries reads this module's models

        today = today or timezone.localdate()
        ids = list(channels.values_list("pk", flat=True).order_by("pk"))
        for start in range(0, len(ids), 2000):
            rows = compute(ids[start : start + 2000], today)
            ChannelSummary.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["channel"],
                update_fields=[f.name for f in ChannelSummary._meta.concrete_fields[1:]],
            )
        rows_changed(ChannelSummary)  # bulk_create sends no signal
        return len(ids)


class ChannelSummary(models.Model):
    """Each channel's figures at a glance: the rollup that the portfolio, the unit
    report and dormancy read, so that none of them aggregates years of snapshots per
    request. Refreshed after every collection or manual entry of the channel, and for
    all channels nightly (growth over 30 days moves even when nothing is collected)."""

    channel = models.OneToOneField(
        "accounts.Channel",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="summary",
    )
    as_of = models.DateField()
    last_snapshot_on = models.DateField(null=True)
    source = models.CharField(max_length=10, blank=True)
    followers = models.PositiveBigIntegerField(null=True)
    followers_growth_30d = models.BigIntegerField(null=True)
    posts_per_week = models.FloatField(null=True)
    engagement_30d = models.PositiveBigIntegerField(null=True)
    engagement_posts = models.PositiveIntegerField(null=True)
    engagement_rate = models.FloatField(null=True)  # % of followers, per post
    last_post_on = models.DateField(null=True)
    # Known not to have posted since: the last post, or, where its day is unknown, the
    # first snapshot if the post count has not moved since. Dormancy reads this.
    quiet_since = models.DateField(null=True)
    sparkline = models.JSONField(default=list)  # followers weekly over 12 weeks, None = gap
    goal_status = models.CharField(max_length=20, blank=True)
    behind_plan = models.BooleanField(default=False)
    # When this row was last computed: pages that cache what they show from summaries
    # (the unit report) key their cache on it.
    refreshed_at = models.DateTimeField(default=timezone.now)

    objects = ChannelSummaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel summary")
        verbose_name_plural = _("channel summaries")
        indexes = [
            models.Index(fields=["followers"], name="summary_followers_idx"),
            models.Index(fields=["last_post_on"], name="summary_last_post_idx"),
        ]

    def __str__(self):
        return f"{self.channel_id} as of {self.as_of}"
