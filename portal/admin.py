"""The portal's own models in the admin: the access audit (portal/access_audit.py and
django-axes' logs). The admin site itself is core.admin_site.PortalAdminSite; the outbox
is in core/admin.py."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from core.admin_site import ReadOnlyMixin
from core.roles import is_portal_admin
from portal.models import AccessDenial


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
