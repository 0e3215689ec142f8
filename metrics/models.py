"""Figures of the official channels: one snapshot per channel and day, every try to
collect them, the owners' API tokens, and one row per daily collection run."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.caching import rows_changed
from core.models import OutboxMessage
from core.notifications import notify
from metrics import access, tokens
from metrics.providers.base import Reading


class SnapshotQuerySet(models.QuerySet):
    def record(self, channel, day, reading, *, source, entered_by=None, refresh=True):
        """Store ``reading`` as ``channel``'s figures for ``day``: one row per channel and
        day, whoever writes it and however often (an upsert on the unique key, so that
        two workers racing, or a task delivered twice, still leave one row).

        ``refresh`` brings the channel's summary up to date at once, in the caller's
        transaction, so that the pages reading the summary and those reading the
        latest snapshot never disagree. Only a caller that refreshes the summaries of
        all the channels it wrote right after may pass False."""
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
            ChannelSummary.objects.refresh_ids([channel.pk])
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
        VERSION_REFUSED = "version_refused", _("API version refused by the platform")
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


class CollectionRequestQuerySet(models.QuerySet):
    def latest_for(self, channel):
        return self.filter(channel=channel).order_by("-requested_at", "-pk").first()


class CollectionRequest(models.Model):
    """A press of "collect now": the owner, deputy or the office asked for one
    channel's figures at once (metrics.tasks.collect_now). One at a time per channel
    (a constraint, and ``ask`` under the channel's lock), and not again within
    METRICS_COLLECT_NOW_COOLDOWN seconds of the last press.

    It collects today's figures even when they were collected already: a fresh reading
    replaces today's snapshot (the upsert on channel and day), and the channel's
    summary follows at once. Kept for diagnosis like the attempts, and pruned with them.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    # An unfinished request with no news for this long (workers down, a message lost) is
    # given up: the next press may go ahead.
    ABANDONED_AFTER = timedelta(hours=1)
    # A running request whose worker died is taken over by the redelivered task after the
    # task's hard time limit.
    RUNNING_AT_MOST = timedelta(seconds=90)

    channel = models.ForeignKey(
        "accounts.Channel",
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="collection_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    day = models.DateField(_("for the day"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set while a transient failure waits for its retry.
    retry_at = models.DateTimeField(_("retried at"), null=True, blank=True)
    # The latest try's attempt (its outcome and message are the result), and the
    # followers it collected.
    attempt = models.ForeignKey(
        CollectionAttempt,
        verbose_name=_("attempt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    followers = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    expires_at = models.DateTimeField(_("given up after"))

    objects = CollectionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("collection request")
        verbose_name_plural = _("collection requests")
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=~Q(state="done"),
                name="collection_request_one_open_per_channel",
            ),
        ]
        indexes = [
            # CollectionRequestQuerySet.latest_for: a channel's latest press.
            models.Index(fields=["channel", "-requested_at"], name="request_channel_idx"),
        ]

    def __str__(self):
        return f"{self.channel} {self.requested_at:%Y-%m-%d %H:%M}: {self.state}"

    @property
    def is_open(self):
        """Queued or running, and not given up."""
        return self.state != self.State.DONE and self.expires_at > timezone.now()

    @classmethod
    def ask(cls, channel, *, by):
        """Queue a collection of ``channel``'s figures for today, asked by ``by``.
        Refused (ValidationError, in words for ``by``) while one is queued or running,
        and within the cool-down after the last press; PermissionDenied for those who
        may not ask. The task is handed over when the transaction commits (the outbox:
        a broker that is down delays it, the press is not lost)."""
        if not access.can_collect_now(by, channel):
            raise PermissionDenied
        if not access.offers_collect_now(channel):
            raise ValidationError(
                _("The portal does not collect this channel's figures automatically."),
                code="not_collected",
            )
        now = timezone.now()
        with transaction.atomic():
            # One press at a time per channel: a second one waits here, then sees the first.
            type(channel).objects.select_for_update().filter(pk=channel.pk).first()
            latest = cls.objects.latest_for(channel)
            if latest is not None and latest.is_open:
                raise ValidationError(
                    _("A collection of these figures is already queued or running."),
                    code="open",
                )
            if latest is not None and latest.state != cls.State.DONE:
                latest._give_up()
            cooldown = timedelta(seconds=settings.METRICS_COLLECT_NOW_COOLDOWN)
            if latest is not None and latest.requested_at + cooldown > now:
                again = timezone.localtime(latest.requested_at + cooldown)
                raise ValidationError(
                    _("These figures were asked for a moment ago; you can ask again from %(time)s.")
                    % {"time": date_format(again, "TIME_FORMAT")},
                    code="cooldown",
                )
            request = cls.objects.create(
                channel=channel,
                requested_by=by,
                requested_at=now,
                day=timezone.localdate(now),
                expires_at=now + cls.ABANDONED_AFTER,
            )
            OutboxMessage.objects.add_task("metrics.tasks.collect_now", request.pk)
        return request

    def start(self):
        """Compare-and-set: queued (or running on a worker that died) to running. False
        when it is not this worker's to run (done, given up, or running elsewhere)."""
        now = timezone.now()
        started = (
            CollectionRequest.objects.filter(pk=self.pk, expires_at__gt=now)
            .filter(
                Q(state=self.State.QUEUED)
                | Q(state=self.State.RUNNING, started_at__lt=now - self.RUNNING_AT_MOST)
            )
            .update(state=self.State.RUNNING, started_at=now, retry_at=None)
        )
        if started:
            self.state, self.started_at, self.retry_at = self.State.RUNNING, now, None
        return started == 1

    def wait_for_retry(self, attempt, *, seconds):
        """A transient failure: queued again until the retry, ``seconds`` from now."""
        retry_at = timezone.now() + timedelta(seconds=seconds)
        self._set(
            state=self.State.QUEUED,
            attempt=attempt,
            retry_at=retry_at,
            expires_at=retry_at + self.ABANDONED_AFTER,
        )

    def finish(self, attempt):
        """Done, with ``attempt`` (None: nothing could be tried) as its result."""
        followers = None
        if attempt is not None and attempt.outcome == CollectionAttempt.Outcome.OK:
            followers = (
                Snapshot.objects.filter(channel_id=self.channel_id, date=self.day)
                .values_list("followers", flat=True)
                .first()
            )
        self._set(
            state=self.State.DONE,
            attempt=attempt,
            followers=followers,
            retry_at=None,
            finished_at=timezone.now(),
        )

    def _give_up(self):
        """Done without finishing (no ``finished_at``): nobody collected it in time."""
        self._set(state=self.State.DONE, retry_at=None)

    def _set(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=list(fields))


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


class ApiVersionStateQuerySet(models.QuerySet):
    def refused(self):
        return self.filter(refused_at__isnull=False)


class ApiVersionState(models.Model):
    """What happened to one version of a platform API (metrics/versions.py): whether the
    platform refused it, which pauses collection while it is the configured version,
    and whether the administrators were warned of its end. One row per API and
    version, so that both happen once and survive restarts."""

    api = models.CharField(_("API"), max_length=20)
    version = models.CharField(_("version"), max_length=20)
    refused_at = models.DateTimeField(_("refused by the platform at"), null=True, blank=True)
    refusal = models.TextField(_("the platform's answer"), blank=True)
    end_warned_at = models.DateTimeField(_("end of support announced at"), null=True, blank=True)

    objects = ApiVersionStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("API version")
        verbose_name_plural = _("API versions")
        constraints = [
            models.UniqueConstraint(fields=["api", "version"], name="api_version_once"),
        ]

    def __str__(self):
        return f"{self.api} {self.version}"

    @classmethod
    def record_refusal(cls, api, version, refusal):
        """Record that the platform refused ``version``; True the first time only (a
        compare-and-set), so that the administrators are told once however many
        channels and days meet the refusal."""
        state, _created = cls.objects.get_or_create(api=api, version=version)
        return (
            cls.objects.filter(pk=state.pk, refused_at__isnull=True).update(
                refused_at=timezone.now(), refusal=refusal[:2000]
            )
            == 1
        )

    @classmethod
    def clear_refusals(cls, states):
        """Forget the refusals of ``states`` (a queryset): collection of their platforms
        resumes at the next run, and a new refusal alerts the administrators again. For
        a refusal that was the platform's passing mistake. The number cleared."""
        return states.filter(refused_at__isnull=False).update(refused_at=None, refusal="")

    @classmethod
    def mark_end_warned(cls, api, version):
        """True the first time the end of ``version`` is announced, False after."""
        state, _created = cls.objects.get_or_create(api=api, version=version)
        return (
            cls.objects.filter(pk=state.pk, end_warned_at__isnull=True).update(
                end_warned_at=timezone.now()
            )
            == 1
        )


class ChannelTokenQuerySet(models.QuerySet):
    def due_for_refresh(self, now=None):
        """Connected tokens that the platform lets the portal renew and that expire within
        METRICS_TOKEN_REFRESH_HOURS (a refused one waits for its owner to reconnect)."""
        now = now or timezone.now()
        return self.filter(
            method=ChannelToken.Method.CONNECTED,
            rejected_at__isnull=True,
            expires_at__isnull=False,
            expires_at__lte=now + timedelta(hours=settings.METRICS_TOKEN_REFRESH_HOURS),
        ).exclude(encrypted_refresh=b"")

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
    """An owner's API token for one channel (Facebook, Instagram, LinkedIn, YouTube),
    encrypted at rest with a key from the environment and never shown again.

    It comes one of two ways: the owner *connects* the channel by signing in to the
    platform (metrics.oauth; the portal then renews it with the refresh token before it
    expires), or an administrator *pastes* one (renewed by hand)."""

    class Method(models.TextChoices):
        CONNECTED = "connected", _("signed in to the platform")
        PASTED = "pasted", _("pasted")

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
    method = models.CharField(
        _("how it came"), max_length=16, choices=Method.choices, default=Method.PASTED
    )
    encrypted_refresh = models.BinaryField(editable=False, default=b"", blank=True)
    # The access token's exact end (connected tokens); ``expires_on`` is the day the
    # owner is warned about, set only where the portal cannot renew the token itself.
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    connected_as = models.CharField(_("connected as"), max_length=200, blank=True)
    scopes = models.CharField(_("permissions"), max_length=500, blank=True)
    # The platform's id of the account the token is for, where the sign-in found it
    # (an Instagram account linked to the Page); the channel's own id comes first.
    account_id = models.CharField(_("account id"), max_length=64, blank=True)

    objects = ChannelTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return str(self.channel)

    @property
    def value(self):
        return tokens.decrypt(bytes(self.encrypted))

    @property
    def refresh_value(self):
        return tokens.decrypt(bytes(self.encrypted_refresh)) if self.encrypted_refresh else ""

    @property
    def is_connected(self):
        return self.method == self.Method.CONNECTED

    def is_expired(self, today=None):
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return True
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
                "method": cls.Method.PASTED,
                "encrypted_refresh": b"",
                "expires_at": None,
                "connected_as": "",
                "scopes": "",
                "account_id": "",
            },
        )
        return token

    @classmethod
    def connect(cls, *, channel, grant, by):
        """Save (or replace) ``channel``'s token from a sign-in to the platform
        (a metrics.oauth.Grant); warnings and an earlier refusal start afresh."""
        token, _created = cls.objects.update_or_create(
            channel=channel,
            defaults={
                "encrypted": tokens.encrypt(grant.access_token),
                "encrypted_refresh": tokens.encrypt(grant.refresh_token)
                if grant.refresh_token
                else b"",
                "expires_at": grant.expires_at,
                "expires_on": _warning_day(grant),
                "connected_as": grant.connected_as[:200],
                "scopes": grant.scopes[:500],
                "account_id": grant.account_id,
                "method": cls.Method.CONNECTED,
                "saved_by": by,
                "saved_at": timezone.now(),
                "expiry_warned_at": None,
                "rejected_at": None,
            },
        )
        return token

    def refresh(self):
        """Renew the access token with the refresh token (a network call: never inside a
        transaction). True if renewed; False if the platform refused the refresh token
        (expired or revoked): the token is then marked refused, and the owner told the
        first time. A platform that does not answer raises metrics.oauth.Unreachable."""
        from metrics import oauth  # the platforms' sign-in, which knows nothing of models

        try:
            grant = oauth.refresh(self.channel.platform, self.refresh_value)
        except oauth.Refused:
            self.refused()
            return False
        updated = ChannelToken.objects.filter(
            pk=self.pk, encrypted=self.encrypted, rejected_at__isnull=True
        ).update(
            encrypted=tokens.encrypt(grant.access_token),
            encrypted_refresh=tokens.encrypt(grant.refresh_token or self.refresh_value),
            expires_at=grant.expires_at,
            expires_on=None,
            expiry_warned_at=None,
        )
        return updated == 1

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

    def refused(self, *, public_figures_kept=False):
        """The platform refused the token: mark it so, and ask the owner and deputy to
        connect the channel again, the first time only. ``public_figures_kept``: the
        figures that need no token are still collected (YouTube), and the message says
        so. True if this was the first refusal."""
        if not self.mark_rejected():
            return False
        notify(
            [self.channel.owner, self.channel.deputy],
            "metrics/email/token_refused",
            {"channel": self.channel, "token": self, "public_figures_kept": public_figures_kept},
        )
        return True

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


def _warning_day(grant):
    """The day to warn the owner about: the expiry of a token the portal cannot renew."""
    if grant.refresh_token or grant.expires_at is None:
        return None
    return timezone.localdate(grant.expires_at)


class ChannelSummaryQuerySet(models.QuerySet):
    def refresh(self, channels, today=None):
        """Recompute the summaries of ``channels`` (a Channel queryset) from their
        snapshots and goals, in a fixed number of queries per batch of channels."""
        return self.refresh_ids(list(channels.values_list("pk", flat=True).order_by("pk")), today)

    def refresh_ids(self, ids, today=None):
        """``refresh`` for the channels of ``ids`` (one query fewer for one channel)."""
        from metrics.summaries import compute  # a cycle: summaries reads this module's models

        today = today or timezone.localdate()
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
