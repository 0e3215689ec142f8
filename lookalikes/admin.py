"""The impersonation watch in the Django admin, for portal administrators: every search
the job ran (what was searched, when, how many results, the error) and every account it
put in front of the office, with its report. Only shown: the job writes them."""

from django.contrib import admin

from core.admin_site import ReadOnlyMixin
from lookalikes.models import Candidate, SearchRecord, WatchDigest


@admin.register(SearchRecord)
class SearchRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "date",
        "search",
        "query",
        "outcome",
        "tries",
        "pages",
        "results",
        "candidates",
        "new_candidates",
        "cost",
        "finished_at",
    ]
    list_filter = ["outcome", "platform", "search"]
    date_hierarchy = "date"
    search_fields = ["query", "error"]
    show_full_result_count = False


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "handle",
        "display_name",
        "platform",
        "score",
        "official",
        "report",
        "first_seen",
        "last_seen",
        "times_seen",
    ]
    list_filter = ["platform"]
    list_select_related = ["official", "report"]
    search_fields = ["handle", "display_name", "key"]
    show_full_result_count = False


@admin.register(WatchDigest)
class WatchDigestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["week", "candidate_count", "open_count", "sent_at"]
