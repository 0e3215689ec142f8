"""Reports from the public of accounts that may be impersonating the organisation."""

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.platforms import Platform, detect_platform
from core import roles
from core.notifications import notify


class SuspiciousAccountReportQuerySet(models.QuerySet):
    def submit(self, *, reported_url, description, contact_email=""):
        """Store a member of the public's report and mail the communications office's
        active members, or neither: the mail goes after commit, once the report is
        kept."""
        office = get_user_model().objects.filter(groups__name=roles.COMMUNICATIONS, is_active=True)
        with transaction.atomic():
            report = self.create(
                reported_url=reported_url,
                detected_platform=detect_platform(reported_url) or "",
                description=description,
                contact_email=contact_email,
            )
            notify(office, "accounts/email/suspicious_report", {"report": report})
        return report


class SuspiciousAccountReport(models.Model):
    """A member of the public's report of an account that may be impersonating the
    organisation, sent from the public directory's check page."""

    reported_url = models.CharField(_("reported account"), max_length=500)
    detected_platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, blank=True
    )
    description = models.TextField(_("what looks wrong"), max_length=2000)
    contact_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    handled = models.BooleanField(_("handled"), default=False)

    objects = SuspiciousAccountReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("suspicious account report")
        verbose_name_plural = _("suspicious account reports")

    def __str__(self):
        return self.reported_url
