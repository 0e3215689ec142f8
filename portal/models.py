import logging

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.append_only import AppendOnlyModel, AppendOnlyQuerySet

logger = logging.getLogger(__name__)


class AccessDenialQuerySet(AppendOnlyQuerySet):
    def prune(self, *, before):
        """The retention policy (PORTAL_ACCESS_AUDIT_RETENTION_DAYS), the only way rows
        leave: those written before ``before``. Returns how many."""
        return models.QuerySet.delete(self.filter(at__lt=before))[0]


class AccessDenial(AppendOnlyModel):
    """One refused request: a 403 answer, or a sign-in refused by the login lockout.
    Written once by portal.access_audit.AccessDenialMiddleware, shown to portal
    administrators in the admin, never changed or deleted by the portal. Sign-ins,
    sign-outs and failed sign-ins are django-axes' access logs."""

    class Reason(models.TextChoices):
        FORBIDDEN = "forbidden", _("Forbidden (403)")
        LOCKED_OUT = "locked_out", _("Sign-in paused after failures (429)")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(
        _("username"),
        max_length=150,
        blank=True,
        help_text=_("The signed-in person's username, or the one tried at a paused sign-in."),
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=255)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    objects = AccessDenialQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("denied access")
        verbose_name_plural = _("denied accesses")

    def __str__(self):
        return f"{self.get_reason_display()} {self.method} {self.path}"


class TwoStepFailureQuerySet(models.QuerySet):
    def record(self, *, user, ip_address, window):
        """Write down one wrong code, and forget those older than ``window``: they no
        longer count for anything (the table stays as small as the limits keep it)."""
        now = timezone.now()
        self.filter(at__lte=now - window).delete()
        return self.create(user=user, ip_address=ip_address, at=now)

    def paused_until(self, *, limit, window):
        """When at least ``limit`` of these failures happened within ``window`` before
        now: the time that stops being so, when the limit-th latest leaves the window.
        Otherwise None."""
        latest = list(
            self.filter(at__gt=timezone.now() - window)
            .order_by("-at")
            .values_list("at", flat=True)[:limit]
        )
        return latest[-1] + window if len(latest) == limit else None


class TwoStepFailure(models.Model):
    """One wrong code at the second sign-in step: what the two-step limits count
    (portal/two_step.py). Kept only for the login cool-off; the access audit's record
    of it is django-axes' failure log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = TwoStepFailureQuerySet.as_manager()

    class Meta:
        verbose_name = _("wrong two-step code")
        verbose_name_plural = _("wrong two-step codes")
        indexes = [
            # One person's wrong codes within the cool-off (the limit per person).
            models.Index(fields=["user", "at"], name="two_step_failure_user"),
            # One address's wrong codes within the cool-off (the limit per address).
            models.Index(fields=["ip_address", "at"], name="two_step_failure_address"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.ip_address} {self.at:%Y-%m-%d %H:%M:%S}"
