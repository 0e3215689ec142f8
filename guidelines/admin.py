"""The guidelines in the Django admin, for portal administrators.

A guideline's text is changed only by publishing a new version in the portal
(/guidelines/<slug>/edit/), which keeps the history and asks owners again: here the
versions and acknowledgements are only shown. Principles are edited here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_site import ReadOnlyMixin
from guidelines.models import Acknowledgement, Guideline, GuidelineVersion, Principle


class GuidelineFilter(admin.SimpleListFilter):
    """By guideline, named by its current title (fetched in one query)."""

    title = _("guideline")
    parameter_name = "guideline"
    path = "guideline"

    def lookups(self, request, model_admin):
        return [(g.pk, str(g)) for g in Guideline.objects.select_related("current_version")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.path}__pk": self.value()})
        return queryset


class AcknowledgedGuidelineFilter(GuidelineFilter):
    path = "version__guideline"


class GuidelineVersionInline(ReadOnlyMixin, admin.TabularInline):
    model = GuidelineVersion
    verbose_name_plural = _("published versions (publish a new one in the portal)")
    fields = readonly_fields = [
        "number",
        "title_en",
        "title_sv",
        "published_at",
        "published_by",
        "change_note",
    ]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("published_by")


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin):
    list_display = ["slug", "current_title", "ordering", "applies_to_owners"]
    list_select_related = ["current_version"]
    search_fields = ["slug", "current_version__title_en", "current_version__title_sv"]
    fields = ["slug", "ordering", "applies_to_owners", "current_version", "created_at"]
    readonly_fields = ["current_version", "created_at"]
    inlines = [GuidelineVersionInline]

    @admin.display(description=_("current title"), ordering="current_version__title_en")
    def current_title(self, obj):
        return obj.current_version.title if obj.current_version else "—"

    def has_delete_permission(self, request, obj=None):
        # A published guideline keeps its versions and who acknowledged them.
        if obj is not None and obj.current_version_id is not None:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(GuidelineVersion)
class GuidelineVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "guideline", "number", "published_at", "published_by"]
    list_filter = [GuidelineFilter]
    list_select_related = ["guideline__current_version", "published_by"]
    search_fields = [
        "title_en",
        "summary_en",
        "body_en",
        "title_sv",
        "summary_sv",
        "body_sv",
        "change_note",
    ]


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    list_display = ["text", "guideline", "ordering"]
    list_editable = ["ordering"]
    list_select_related = ["guideline__current_version"]
    search_fields = ["text", "explanation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "guideline":
            # The choices are named by each guideline's current title.
            kwargs["queryset"] = Guideline.objects.select_related("current_version")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "version", "acknowledged_at"]
    list_filter = [AcknowledgedGuidelineFilter, "acknowledged_at"]
    list_select_related = ["user", "version"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    date_hierarchy = "acknowledged_at"
    show_full_result_count = False


# The site notices' admin lives in its own module.
from guidelines import admin_notices  # noqa: E402, F401
