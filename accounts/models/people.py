"""The people who run a channel (``ChannelRole``: its responsible owner, deputy and
editors, from and until), and the check that someone may be one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.names import person_name
from guidelines.models import has_acknowledged_owner_guidelines


def responsibility_problem(user, who, pending=None):
    """Why ``user`` may not become a channel's responsible owner or deputy, or None.

    The one rule for every way of becoming one (registering, handing over, naming a
    deputy, the deputy taking over, opening a planned channel, approving a proposal):
    an active account, and the current owner guidelines acknowledged. ``who`` names
    the role in the message ("The new responsible owner"). ``pending``: the pks of the
    people known not to have acknowledged them (pending_owner_guidelines_of()), when
    several people are checked at once; None asks the database."""
    if user is None or not user.is_active:
        return _("%(who)s must be a person with an active account.") % {"who": who}
    if user.pk in pending if pending is not None else not has_acknowledged_owner_guidelines(user):
        return _(
            "%(name)s has not acknowledged the current social media guidelines. They must "
            "read and acknowledge them in the portal (Guidelines) before they can be "
            "responsible for a channel."
        ) % {"name": person_name(user)}
    return None


def check_responsible(user, who, field=None):
    """responsibility_problem() as a refusal: a ValidationError (on ``field``)."""
    problem = responsibility_problem(user, who)
    if problem is not None:
        raise ValidationError({field: problem} if field else problem)


class ChannelRoleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class ChannelRole(models.Model):
    class Kind(models.TextChoices):
        OWNER = "owner", _("Responsible owner")
        DEPUTY = "deputy", _("Deputy")
        EDITOR = "editor", _("Editor")

    channel = models.ForeignKey(
        "accounts.Channel",
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="roles",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="channel_roles",
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    objects = ChannelRoleQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "kind", "-started_at"]
        verbose_name = _("channel role")
        verbose_name_plural = _("channel roles")
        constraints = [
            # At most one current owner and one current deputy per channel; that an
            # active channel has one owner is kept by Channel's operations.
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(kind="owner", ended_at__isnull=True),
                name="channelrole_one_current_owner",
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(kind="deputy", ended_at__isnull=True),
                name="channelrole_one_current_deputy",
            ),
            models.UniqueConstraint(
                fields=["channel", "user", "kind"],
                condition=Q(ended_at__isnull=True),
                name="channelrole_no_duplicate_current_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="channelrole_ends_after_start",
            ),
        ]
        indexes = [
            # "My channels" and orphan checks: WHERE user_id = ... AND ended_at IS NULL.
            models.Index(
                fields=["user", "kind"],
                condition=Q(ended_at__isnull=True),
                name="channelrole_current_user_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} ({self.channel})"

    @property
    def is_current(self):
        return self.ended_at is None

    def end(self, when):
        self.ended_at = when
        self.save(update_fields=["ended_at"])
