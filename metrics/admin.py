"""The figures in the Django admin, for portal administrators: snapshots can be
corrected (the channel's summary is then computed again, so that the portfolio and the
unit report show the correction at once); collection attempts, runs and "collect now"
presses are only shown (the collector and the presses write them); tokens are set
through the portal's form, and their value is never shown here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Channel
from core.admin_site import ReadOnlyMixin
from metrics.models import (
    ApiVersionState,
    ChannelSummary,
    ChannelToken,
    CollectionAttempt,
    CollectionRequest,
    CollectionRun,
    Snapshot,
)


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["channel", "date", "source", "followers", "posts", "entered_by"]
    list_filter = ["source", "channel__platform"]
    list_select_related = ["channel", "entered_by"]
    date_hierarchy = "date"
    raw_id_fields = ["channel", "entered_by"]
    search_fields = ["channel__name"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        channels = {obj.channel_id}
        if change and "channel" in form.changed_data:  # moved: the old channel lost it
            channels.add(form.initial["channel"])
        _refresh_summaries(channels)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _refresh_summaries({obj.channel_id})

    def delete_queryset(self, request, queryset):
        channels = set(queryset.values_list("channel_id", flat=True))
        super().delete_queryset(request, queryset)
        _refresh_summaries(channels)


def _refresh_summaries(channel_ids):
    """Bring the summaries of the channels whose snapshots changed up to date (the
    portfolio's and the unit report's figures, dormancy), as a manual entry does."""
    ChannelSummary.objects.refresh(Channel.objects.filter(pk__in=channel_ids))


@admin.register(CollectionAttempt)
class CollectionAttemptAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["started_at", "channel", "date", "try_number", "outcome", "http_status"]
    list_filter = ["outcome", "http_status", "channel__platform"]
    list_select_related = ["channel"]
    date_hierarchy = "date"
    search_fields = ["channel__name", "message"]
    show_full_result_count = False


@admin.register(CollectionRequest)
class CollectionRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The "collect now" presses (pruned with the attempts): who asked, when, and what
    came of it, for diagnosis."""

    list_display = ["requested_at", "channel", "requested_by", "state", "finished_at", "followers"]
    list_filter = ["state", "channel__platform"]
    list_select_related = ["channel", "requested_by"]
    date_hierarchy = "requested_at"
    raw_id_fields = ["channel", "requested_by", "attempt"]
    search_fields = ["channel__name"]
    show_full_result_count = False


@admin.register(CollectionRun)
class CollectionRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["date", "started_at", "enqueued_at", "enqueued"]
    date_hierarchy = "date"


@admin.register(ApiVersionState)
class ApiVersionStateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The platform API versions the portal has met (metrics/versions.py): refusals and
    end-of-support warnings, written by the collector and the daily warning. Shown
    only, with one action: resume collection after a refusal."""

    list_display = ["api", "version", "refused_at", "end_warned_at"]
    list_filter = ["api"]
    actions = ["resume_collection"]

    @admin.action(description=_("Resume collection (forget the platform's refusal)"))
    def resume_collection(self, request, queryset):
        cleared = ApiVersionState.clear_refusals(queryset)
        self.message_user(
            request,
            ngettext(
                "Collection resumes at the next run for %(count)d refused version.",
                "Collection resumes at the next run for %(count)d refused versions.",
                cleared,
            )
            % {"count": cleared},
            messages.SUCCESS,
        )


@admin.register(ChannelToken)
class ChannelTokenAdmin(admin.ModelAdmin):
    list_display = ["channel", "method", "expires_on", "expires_at", "saved_by", "rejected_at"]
    list_filter = ["channel__platform", "method"]
    list_select_related = ["channel", "saved_by"]
    search_fields = ["channel__name"]
    # Never the encrypted value: it is neither listed, shown nor editable.
    fields = readonly_fields = [
        "channel",
        "method",
        "connected_as",
        "scopes",
        "account_id",
        "expires_at",
        "expires_on",
        "saved_by",
        "saved_at",
        "rejected_at",
        "expiry_warned_at",
    ]

    def has_add_permission(self, request):
        # Owners save tokens through the portal's token form.
        return False

    def has_change_permission(self, request, obj=None):
        # Shown only; a token that must go can be deleted.
        return False
