"""Reports from the public of accounts that may be impersonating the organisation."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.platforms import Platform


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

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("suspicious account report")
        verbose_name_plural = _("suspicious account reports")

    def __str__(self):
        return self.reported_url
