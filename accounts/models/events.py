"""The history of a channel, append-only."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.append_only import AppendOnlyModel


class ChannelEvent(AppendOnlyModel):
    """Append-only history of a channel: never updated, never deleted by the portal."""

    class Action(models.TextChoices):
        CREATED = "channel.created", _("Registered")
        EDITED = "channel.edited", _("Details changed")
        HANDED_OVER = "channel.handed_over", _("Responsibility handed over")
        TAKEN_OVER = "channel.taken_over", _("Taken over by the deputy")
        DEPUTY_CHANGED = "channel.deputy_changed", _("Deputy changed")
        RECERTIFIED = "channel.recertified", _("Recertified")
        REMINDED = "channel.recertification_reminded", _("Recertification reminder sent")
        ORPHANED = "channel.orphaned", _("Owner left: channel orphaned")
        STATUS_CHANGED = "channel.status_changed", _("Status changed")
        WENT_DORMANT = "channel.went_dormant", _("No recent posts: marked dormant")
        REACTIVATED = "channel.reactivated", _("Posting again: active")
        CLOSED = "channel.closed", _("Closed")
        HANDLE_CHANGED = "channel.handle_changed", _("Handle changed on the platform")
        NAME_CHANGED = "channel.name_changed", _("Display name changed on the platform")

    channel = models.ForeignKey(
        "accounts.Channel",
        verbose_name=_("channel"),
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
        help_text=_("Empty when the portal itself acted (a scheduled job)."),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("channel event")
        verbose_name_plural = _("channel events")
        indexes = [
            # A channel's history, newest first: WHERE channel_id = ... ORDER BY at DESC.
            models.Index(fields=["channel", "-at"], name="channelevent_history_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.channel} · {self.at:%Y-%m-%d}"
