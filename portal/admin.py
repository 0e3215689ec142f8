"""The portal's own models in the admin: the access audit (portal/access_audit.py and
django-axes' logs) and the outbox of e-mails and follow-up tasks. The admin site itself
is core.admin_site.PortalAdminSite."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_site import ReadOnlyMixin
from core.roles import is_portal_admin
from portal.models import AccessDenial, OutboxMessage


class ReadOnlyAuditAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """An audit trail: portal administrators read it; nobody adds, changes or deletes
    rows here."""

    list_filter = ["attempt_time"]
    date_hierarchy = "attempt_time"
    search_fields = ["username", "ip_address", "path_info"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAuditAdmin):
    list_display = ["attempt_time", "logout_time", "username", "ip_address", "user_agent"]
    fields = readonly_fields = list_display + ["path_info"]


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(ReadOnlyAuditAdmin):
    list_display = ["attempt_time", "username", "ip_address", "user_agent", "locked_out"]
    list_filter = ["attempt_time", "locked_out"]
    fields = readonly_fields = list_display + ["path_info"]


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAuditAdmin):
    """The live failure counts behind the lockout. Deleting one lifts that lockout
    early: the one change allowed here."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    fields = readonly_fields = list_display + ["user_agent", "path_info"]

    def has_delete_permission(self, request, obj=None):
        return is_portal_admin(request.user)


@admin.register(AccessDenial)
class AccessDenialAdmin(ReadOnlyAuditAdmin):
    list_display = ["at", "reason", "username", "method", "path", "ip_address"]
    list_filter = ["reason", "at"]
    date_hierarchy = "at"
    search_fields = ["username", "path", "ip_address"]
    fields = readonly_fields = list_display + ["user", "user_agent"]


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
