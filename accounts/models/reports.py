"""Accounts that may be impersonating the organisation, and the office's triage of them.

A report comes from a ``source``: today the public's report form (the public directory),
later the automatic search for look-alike accounts. What a source knows beyond the
address (the reporter's words, a look-alike's score and profile) is its ``evidence``.
The communications office decides each report's ``outcome`` on the triage pages; every
decision, reopening and note is a ``ReportEvent``, never changed or deleted.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.platforms import Platform, detect_platform
from core import roles
from core.append_only import AppendOnlyModel
from core.notifications import notify


def office():
    """The communications office's active members, who triage reports."""
    return get_user_model().objects.filter(groups__name=roles.COMMUNICATIONS, is_active=True)


class SuspiciousAccountReportQuerySet(models.QuerySet):
    def submit(self, *, reported_url, description, contact_email=""):
        """Store a member of the public's report and mail the communications office's
        active members, or neither: the mail goes after commit, once the report is
        kept."""
        with transaction.atomic():
            report = self.create(
                source=SuspiciousAccountReport.Source.PUBLIC,
                reported_url=reported_url,
                detected_platform=detect_platform(reported_url) or "",
                description=description,
                contact_email=contact_email,
            )
            notify(office(), "accounts/email/suspicious_report", {"report": report})
        return report

    def found_lookalike(self, *, url, platform, evidence, key):
        """Put an account the impersonation watch found in the triage queue (source
        "look-alike"), with its ``evidence`` (the candidate's profile, the official
        channel it resembles, the score and its parts), unless a look-alike report of
        the same account (``key``: platform and the platform's id) exists, open or
        decided: (report, whether it was created). No mail: the office hears of the
        watch's finds in its weekly digest."""
        with transaction.atomic():
            existing = (
                self.select_for_update()
                .filter(source=SuspiciousAccountReport.Source.LOOKALIKE, evidence__key=key)
                .order_by("pk")
                .first()
            )
            if existing is not None:
                return existing, False
            report = self.create(
                source=SuspiciousAccountReport.Source.LOOKALIKE,
                reported_url=url[:500],
                detected_platform=platform if platform in Platform.values else "",
                evidence={**evidence, "key": key},
            )
        return report, True

    def lookalike_seen_again(self, pk, *, on):
        """The watch found a reported look-alike again on ``on`` (a date): kept in its
        evidence, so that the office sees an account it reported is still up. The
        report stays as it is, open or decided."""
        with transaction.atomic():
            report = self.select_for_update().filter(pk=pk).first()
            if report is None or not isinstance(report.evidence, dict):
                return False
            if report.evidence.get("last_seen") == on.isoformat():
                return False
            report.evidence = {**report.evidence, "last_seen": on.isoformat()}
            report.save(update_fields=["evidence"])
        return True

    def visible_to(self, user):
        """The reports ``user`` may see: all of them for the office (and the portal's
        administrators), none for anyone else."""
        return self if roles.is_reviewer(user) else self.none()

    def open(self):
        return self.filter(closed_at=None)

    def closed(self):
        return self.exclude(closed_at=None)

    def open_count(self):
        """How many reports wait for the office's decision (for the office's home)."""
        return self.open().count()

    def left_open(self, *, days=None, now=None):
        """Open reports older than ``days`` (PORTAL_REPORT_REMINDER_DAYS by default)."""
        days = settings.PORTAL_REPORT_REMINDER_DAYS if days is None else days
        now = now or timezone.now()
        return self.open().filter(reported_at__lte=now - datetime.timedelta(days=days))

    def remind_office(self, *, now=None):
        """Mail the office one digest of the reports left open too long; how many it
        lists (0: nothing sent). At most one digest a day: a task run twice the same
        day (a redelivery) sends nothing the second time."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        with transaction.atomic():
            waiting = list(self.left_open(now=now).order_by("reported_at", "pk"))
            if not waiting:
                return 0
            _digest, created = ReportDigest.objects.get_or_create(
                date=today, defaults={"report_count": len(waiting)}
            )
            if not created:
                return 0
            notify(
                office(),
                "accounts/email/reports_left_open",
                {"reports": waiting, "days": settings.PORTAL_REPORT_REMINDER_DAYS},
            )
        return len(waiting)


class SuspiciousAccountReport(models.Model):
    """An account that may be impersonating the organisation, waiting for (or given)
    the communications office's decision."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("Reported by the public")
        LOOKALIKE = "lookalike", _("Found as a look-alike")

    class Outcome(models.TextChoices):
        IMPOSTOR = "impostor", _("Impostor, reported to the platform")
        OURS = "ours", _("Ours: to be registered")
        # For a look-alike: an unrelated account that merely has a similar name.
        UNFOUNDED = "unfounded", _("Unfounded or unrelated")

    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.PUBLIC
    )
    reported_url = models.CharField(_("reported account"), max_length=500)
    detected_platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, blank=True
    )
    description = models.TextField(_("what looks wrong"), max_length=2000, blank=True)
    contact_email = models.EmailField(_("reporter's e-mail"), blank=True)
    # What the source found beyond the address, for example a look-alike's profile, the
    # official channel it resembles and its score. Shown to the office as it is.
    evidence = models.JSONField(_("evidence"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # Empty while the report waits for a decision. Reports marked "handled" before the
    # triage pages existed are closed without an outcome.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_to_platform_on = models.DateField(
        _("reported to the platform on"), null=True, blank=True
    )

    objects = SuspiciousAccountReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("suspicious account report")
        verbose_name_plural = _("suspicious account reports")
        indexes = [
            # The open reports, oldest first (the queue, its count on the office's home
            # and the reminders): WHERE closed_at IS NULL ORDER BY reported_at.
            models.Index(
                fields=["reported_at"],
                condition=models.Q(closed_at=None),
                name="report_open_idx",
            ),
        ]

    def __str__(self):
        return self.reported_url

    def get_absolute_url(self):
        return reverse("accounts:report_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_at is None

    def can_triage(self, user):
        return roles.is_reviewer(user)

    def _lock(self):
        return type(self).objects.select_for_update().get(pk=self.pk)

    def _log(self, by, action, comment="", **payload):
        ReportEvent.objects.create(
            report=self, actor=by, action=action, comment=comment, payload=payload
        )

    def decide(self, *, by, outcome, reported_on=None, note=""):
        """Close the report with ``outcome`` (or change the outcome of a closed one).
        An impostor is one the office has reported to the platform, on ``reported_on``.
        Returns False, and changes nothing, when the report already has this outcome
        (a second click)."""
        if outcome not in self.Outcome.values:
            raise ValidationError({"outcome": _("Choose one of the outcomes.")})
        if outcome == self.Outcome.IMPOSTOR:
            if reported_on is None:
                raise ValidationError(
                    {"reported_on": _("Give the date you reported the account to the platform.")}
                )
            if reported_on > timezone.localdate():
                raise ValidationError({"reported_on": _("The date cannot be in the future.")})
        else:
            reported_on = None
        with transaction.atomic():
            report = self._lock()
            if not report.can_triage(by):
                raise PermissionDenied(_("You may not triage reports."))
            if (
                report.outcome == outcome
                and report.reported_to_platform_on == reported_on
                and not report.is_open
            ):
                return False
            previous = report.outcome
            report.outcome = outcome
            report.reported_to_platform_on = reported_on
            report.closed_at = timezone.now()
            report.closed_by = by
            report.save(
                update_fields=["outcome", "reported_to_platform_on", "closed_at", "closed_by"]
            )
            report._log(
                by,
                ReportEvent.Action.DECIDED,
                note,
                outcome=outcome,
                previous=previous,
                reported_on=reported_on,
            )
        self.refresh_from_db()
        return True

    def reopen(self, *, by, note=""):
        """Put a closed report back in the queue; False when it is open already."""
        with transaction.atomic():
            report = self._lock()
            if not report.can_triage(by):
                raise PermissionDenied(_("You may not triage reports."))
            if report.is_open:
                return False
            previous = report.outcome
            report.outcome = ""
            report.reported_to_platform_on = None
            report.closed_at = None
            report.closed_by = None
            report.save(
                update_fields=["outcome", "reported_to_platform_on", "closed_at", "closed_by"]
            )
            report._log(by, ReportEvent.Action.REOPENED, note, previous=previous)
        self.refresh_from_db()
        return True

    def add_note(self, *, by, text):
        """Add the office's note; False when it repeats the last note (a second click)."""
        text = text.strip()
        if not text:
            raise ValidationError({"text": _("Write the note first.")})
        with transaction.atomic():
            report = self._lock()
            if not report.can_triage(by):
                raise PermissionDenied(_("You may not triage reports."))
            last = report.events.order_by("-at", "-pk").first()
            if (
                last is not None
                and last.action == ReportEvent.Action.NOTED
                and last.actor_id == by.pk
                and last.comment == text
            ):
                return False
            report._log(by, ReportEvent.Action.NOTED, text)
        return True


class ReportEvent(AppendOnlyModel):
    """The history of a report: who decided, reopened or noted what, and when."""

    class Action(models.TextChoices):
        DECIDED = "report.decided", _("Outcome set")
        REOPENED = "report.reopened", _("Reopened")
        NOTED = "report.noted", _("Note")

    report = models.ForeignKey(
        SuspiciousAccountReport,
        verbose_name=_("report"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        indexes = [
            # A report's history, newest first: WHERE report_id = ... ORDER BY at DESC.
            models.Index(fields=["report", "-at"], name="reportevent_history_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.report} · {self.at:%Y-%m-%d}"

    @property
    def outcome_label(self):
        outcome = self.payload.get("outcome")
        return SuspiciousAccountReport.Outcome(outcome).label if outcome else ""


class ReportDigest(models.Model):
    """One row per day the office was reminded of reports left open: the reminder
    task's idempotency key."""

    date = models.DateField(_("date"), unique=True)
    report_count = models.PositiveIntegerField(_("reports listed"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")

    def __str__(self):
        return f"{self.date}: {self.report_count}"
