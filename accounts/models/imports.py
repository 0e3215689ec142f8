"""An uploaded spreadsheet waiting for the office to confirm its import
(accounts/imports.py): kept on the server between the preview and the confirmation, so
that what is confirmed is what was previewed, and deleted once confirmed or cancelled."""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class RegistryImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An upload is its uploader's only."""
        return self.filter(uploaded_by=user) if user.is_authenticated else self.none()

    def keep(self, *, by, filename, rows):
        """Keep ``by``'s upload until they confirm or cancel it. One waits per person:
        an earlier, abandoned one goes."""
        with transaction.atomic():
            self.filter(uploaded_by=by).delete()
            return self.create(uploaded_by=by, filename=filename[:255], rows=rows)

    def take(self, upload):
        """Remove ``upload`` to confirm or cancel it: False when a second click (or a
        second tab) already did, which then does nothing."""
        return bool(self.filter(pk=upload.pk).delete()[0])


class RegistryImport(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    # The file's rows as text, the header first; a formula cell is {"formula": "=..."}.
    rows = models.JSONField(default=list)

    objects = RegistryImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")

    def __str__(self):
        return self.filename
