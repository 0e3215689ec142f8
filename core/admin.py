"""The outbox of e-mails and follow-up tasks in the admin (core/models.py)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_site import ReadOnlyMixin
from core.models import OutboxMessage


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", _("waiting")), ("failed", _("given up")), ("delivered", _("delivered"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.pending()
        if self.value() == "failed":
            return queryset.exclude(failed_at=None).filter(delivered_at=None)
        if self.value() == "delivered":
            return queryset.exclude(delivered_at=None)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """What the portal has sent or still has to send. Written by the portal, delivered
    by the workers; an administrator can only ask for a waiting or given-up message to
    be sent again at once."""

    list_display = ["created_at", "kind", "__str__", "state", "attempts", "delivered_at"]
    list_filter = [OutboxStateFilter, "kind", "created_at"]
    date_hierarchy = "created_at"
    search_fields = ["payload__to", "payload__subject", "payload__task"]
    fields = readonly_fields = [
        "kind",
        "payload",
        "created_at",
        "due_at",
        "leased_until",
        "attempts",
        "last_error",
        "delivered_at",
        "failed_at",
    ]
    actions = ["send_again"]

    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.state

    @admin.action(description=_("Send again now"))
    def send_again(self, request, queryset):
        count = queryset.retry_now()
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent at the next sweep (within a minute).",
                "%(count)d messages will be sent at the next sweep (within a minute).",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
