"""The organisation's units (schools, departments, offices), which own the proposals
and the channels."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import roles


class UnitQuerySet(models.QuerySet):
    def headed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(head=user)


class Unit(models.Model):
    """A part of the organisation (school, department, office) that owns proposals and
    channels. Its head endorses the unit's proposals."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def can_read_report(self, user):
        """The unit's monthly figures report: its head and the office (metrics)."""
        return roles.is_staff_member(user) and (roles.is_reviewer(user) or self.head_id == user.pk)

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or one of its sub-units.")}
                )
            ancestor = ancestor.parent
