"""The registry in the Django admin, for portal administrators.

The admin is a window on the registry, not a second way to change it: channels enter
through ``Channel.register()`` (which also records the owner and the history), an
edit goes through ``Channel.update_details()`` (which writes the ``channel.edited``
event), nothing is deleted, and roles and events are only shown.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    CHANNEL_EDITABLE_FIELDS,
    Channel,
    ChannelEvent,
    ChannelRole,
    ChannelVerification,
    ReportEvent,
    SuspiciousAccountReport,
    Unit,
    VerificationCheck,
)
from core.admin_site import ReadOnlyMixin


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "head"]
    list_select_related = ["parent", "head"]
    search_fields = ["name", "head__username", "head__first_name", "head__last_name"]
    autocomplete_fields = ["parent", "head"]


# --- Channels ------------------------------------------------------------------------


class ChannelRoleInline(ReadOnlyMixin, admin.TabularInline):
    model = ChannelRole
    verbose_name_plural = _("people (current and past)")
    fields = readonly_fields = ["kind", "user", "started_at", "ended_at"]
    extra = 0

    def get_queryset(self, request):
        # Current roles first, then the most recently ended.
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .order_by(F("ended_at").desc(nulls_first=True), "kind", "-started_at")
        )


class ChannelEventInline(ReadOnlyMixin, admin.TabularInline):
    model = ChannelEvent
    verbose_name_plural = _("history")
    fields = readonly_fields = ["at", "action", "actor", "comment", "payload"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ChannelAdminForm(forms.ModelForm):
    """The admin builds the fields (those not read-only in ChannelAdmin)."""

    def validate_unique(self):
        super().validate_unique()
        # The platform is read-only here, so ModelForm would leave the (platform,
        # profile address) constraint out of its checks; run it on what will be saved,
        # so that the error names the channel that already has this address.
        if self.has_error("profile_url"):
            return
        others = {field.name for field in Channel._meta.fields} - {"platform", "profile_url"}
        try:
            self.instance.validate_constraints(exclude=others)
        except ValidationError as error:
            self.add_error(None, error)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelAdminForm
    # Pasted addresses without a scheme are read as https:// (parse_profile does too).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "platform", "unit", "status", "recertification_due_on", "is_public"]
    list_filter = ["platform", "status", "unit", "is_public"]
    list_select_related = ["unit"]
    search_fields = ["name", "handle", "profile_url"]
    # The registry holds up to 100,000 rows: don't count them all on every page.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "platform", "profile_url", "handle", "platform_id", "unit"]}),
        (_("Description"), {"fields": ["purpose", "audience", "languages", "is_public"]}),
        (
            _("Status and recertification"),
            {
                "fields": [
                    "status",
                    "approved_on",
                    "opened_on",
                    "closed_on",
                    "close_reason",
                    "last_recertified_on",
                    "recertification_due_on",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Account security"),
            {"fields": ["credentials_location", "two_factor_enabled", "recovery_contact"]},
        ),
    ]
    # Everything shown that update_details() may not change.
    readonly_fields = [
        field
        for _title, options in fieldsets
        for field in options["fields"]
        if field not in CHANNEL_EDITABLE_FIELDS
    ]
    inlines = [ChannelRoleInline, ChannelEventInline]

    def has_add_permission(self, request):
        # Channels enter the registry through Channel.register(), with their owner.
        return False

    def has_delete_permission(self, request, obj=None):
        # A channel's history must stay; closing is the way out of the registry.
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.can_edit(request.user)

    def save_model(self, request, obj, form, change):
        # update_details() locks and re-reads the row, applies the changes, validates,
        # saves and writes one "channel.edited" event (none if nothing changed).
        changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in CHANNEL_EDITABLE_FIELDS
        }
        obj.update_details(by=request.user, **changes)


class CurrentRoleFilter(admin.SimpleListFilter):
    title = _("current or past")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Current")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ended_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(ended_at__isnull=False)
        return queryset


@admin.register(ChannelRole)
class ChannelRoleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["channel", "kind", "user", "started_at", "ended_at"]
    list_filter = [CurrentRoleFilter, "kind", "channel__platform"]
    list_select_related = ["channel", "user"]
    search_fields = [
        "channel__name",
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
    ]
    show_full_result_count = False


@admin.register(ChannelEvent)
class ChannelEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "channel", "action", "actor"]
    list_filter = ["action", "at", "channel__platform"]
    list_select_related = ["channel", "actor"]
    search_fields = ["channel__name", "actor__username", "comment"]
    show_full_result_count = False


@admin.register(ChannelVerification)
class ChannelVerificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Whether each account links back (metrics/verification.py writes it)."""

    list_display = ["channel", "state", "since", "checked_on"]
    list_filter = ["state", "channel__platform"]
    list_select_related = ["channel"]
    search_fields = ["channel__name", "channel__handle"]


@admin.register(VerificationCheck)
class VerificationCheckAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["day", "channel", "state", "linked"]
    list_filter = ["state", "day"]
    list_select_related = ["channel"]
    search_fields = ["channel__name"]
    show_full_result_count = False


# --- Reports from the public ---------------------------------------------------------


class ReportEventInline(ReadOnlyMixin, admin.TabularInline):
    model = ReportEvent
    fields = ["at", "actor", "action", "comment", "payload"]
    extra = 0


@admin.register(SuspiciousAccountReport)
class SuspiciousAccountReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read only: the office triages reports in the portal (/reports/), where every
    decision is recorded as a ReportEvent."""

    list_display = ["reported_at", "reported_url", "source", "detected_platform", "outcome"]
    list_filter = ["source", "outcome", "detected_platform"]
    search_fields = ["reported_url", "description", "contact_email"]
    inlines = [ReportEventInline]
