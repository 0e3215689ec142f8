"""The checklist and the proposals in the Django admin, for portal administrators.

A proposal is pinned to the checklist template version it was written against, so a
template that proposals use is never changed here: its page and its items are read
only, with a button "Create a new version to edit" that copies it
(``ChecklistTemplate.new_version()``) and opens the copy, which is edited instead.
(Rather than turning a save of an in-use template into a new version behind the
editor's back: the editor sees which version they change, and a half-applied edit
cannot happen.) A template no proposal uses yet is edited in place.

Proposals and their history are only shown: they change through the portal's
operations, which check who acts and record each step.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from checklist.models import ChecklistItem, ChecklistTemplate, ItemComment, Proposal, Transition
from core.admin_site import ReadOnlyMixin

NEW_VERSION_BUTTON = "_new_version"


# --- Checklist templates -------------------------------------------------------------


def _in_use(template):
    return template is not None and template.pk is not None and template.is_in_use


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["ordering", "key", "title", "help_text", "required", "guideline_slug"]
    extra = 0

    # ``obj`` is the template: the items of one that proposals use are read only.
    def has_add_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_delete_permission(request, obj)


class ChecklistTemplateForm(forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["version", "name"]

    def clean(self):
        # A proposal may have been started against this template since the page was
        # opened: then its items must not change after all.
        if _in_use(self.instance):
            raise ValidationError(
                _(
                    "Proposals now use this checklist, so it can no longer be changed. "
                    "Create a new version to edit instead."
                )
            )
        return super().clean()


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    form = ChecklistTemplateForm
    list_display = ["name", "version", "created_at", "proposal_count"]
    fields = ["version", "name", "created_at", "new_version_button"]
    readonly_fields = ["created_at", "new_version_button"]
    inlines = [ChecklistItemInline]
    actions = ["create_new_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(proposal_total=Count("proposals"))

    @admin.display(description=_("proposals"), ordering="proposal_total")
    def proposal_count(self, obj):
        return obj.proposal_total

    @admin.display(description=_("editing"))
    def new_version_button(self, obj):
        if not _in_use(obj):
            return _("No proposal uses this version yet: it can be edited here.")
        # A submit button of the admin's own form (with its CSRF token), sent to
        # change_view below.
        return format_html(
            '<p>{}</p><button type="submit" name="{}" value="1" class="button">{}</button>',
            _(
                "Proposals were written against this version, so it stays as it is. "
                "To change the checklist, create a new version and edit that."
            ),
            NEW_VERSION_BUTTON,
            _("Create a new version to edit"),
        )

    def has_change_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _in_use(obj) and super().has_delete_permission(request, obj)

    def _new_version(self, request, template):
        # Adding a template is what a new version is.
        if not self.has_add_permission(request):
            raise PermissionDenied
        copy = template.new_version()
        self.message_user(
            request,
            _("Version %(version)s is a copy of version %(old)s: edit it here.")
            % {"version": copy.version, "old": template.version},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:checklist_checklisttemplate_change", args=[copy.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and NEW_VERSION_BUTTON in request.POST:
            template = get_object_or_404(ChecklistTemplate, pk=object_id)
            if not self.has_view_permission(request, template):
                raise PermissionDenied
            return self._new_version(request, template)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Create a new version to edit"))
    def create_new_version(self, request, queryset):
        templates = list(queryset)
        if len(templates) != 1:
            self.message_user(
                request,
                ngettext(
                    "Choose one checklist to copy (%(count)s is chosen).",
                    "Choose one checklist to copy (%(count)s are chosen).",
                    len(templates),
                )
                % {"count": len(templates)},
                messages.WARNING,
            )
            return None
        return self._new_version(request, templates[0])


# --- Proposals -----------------------------------------------------------------------


class TransitionInline(ReadOnlyMixin, admin.TabularInline):
    model = Transition
    fields = readonly_fields = ["at", "actor", "from_state", "to_state", "action", "comment"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "state", "platform", "unit", "submitter", "updated_at"]
    list_filter = ["state", "platform", "unit"]
    list_select_related = ["unit", "submitter"]
    search_fields = ["name", "profile", "submitter__username", "submitter__last_name"]
    date_hierarchy = "updated_at"
    inlines = [TransitionInline]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["proposal", "from_state", "to_state", "action", "actor", "at"]
    list_filter = ["to_state", "action"]
    list_select_related = ["proposal", "actor"]
    search_fields = ["proposal__name", "comment"]
    date_hierarchy = "at"


@admin.register(ItemComment)
class ItemCommentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Review comments are part of the audit trail: shown, never changed."""

    list_display = ["at", "proposal", "item", "author"]
    list_select_related = ["proposal", "item", "author"]
    search_fields = ["proposal__name", "text", "author__username"]
