"""Site notices in the Django admin, for portal administrators.

Notices are published in the portal (SiteNotice.publish() records a crisis notice's
recipients and e-mails them) and ended there, so the admin adds none and deletes
none; it shows them with their counts and lets a typo in the title or message, or the
end, be corrected. Recipients and acknowledgements are only shown.

guidelines/admin.py imports this module.
"""

from django.contrib import admin
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.admin_site import ReadOnlyMixin
from guidelines.models import NoticeAcknowledgement, NoticeRecipient, SiteNotice


def _count(queryset):
    counted = queryset.order_by().values("notice").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@admin.register(SiteNotice)
class SiteNoticeAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "level",
        "starts_at",
        "ends_at",
        "published_by",
        "recipient_count",
        "acknowledgement_count",
    ]
    list_filter = ["level", "starts_at"]
    list_select_related = ["published_by"]
    search_fields = ["title_en", "body_en", "title_sv", "body_sv"]
    date_hierarchy = "starts_at"
    fields = [
        "level",
        "title_en",
        "body_en",
        "title_sv",
        "body_sv",
        "starts_at",
        "ends_at",
        "published_by",
        "created_at",
        "recipient_count",
        "acknowledgement_count",
    ]
    readonly_fields = [
        "level",
        "starts_at",
        "published_by",
        "created_at",
        "recipient_count",
        "acknowledgement_count",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _recipient_count=_count(NoticeRecipient.objects.filter(notice=OuterRef("pk"))),
                _acknowledgement_count=_count(
                    NoticeAcknowledgement.objects.filter(notice=OuterRef("pk"))
                ),
            )
        )

    @admin.display(description=_("recipients"), ordering="_recipient_count")
    def recipient_count(self, notice):
        return notice._recipient_count

    @admin.display(description=_("acknowledgements"), ordering="_acknowledgement_count")
    def acknowledgement_count(self, notice):
        return notice._acknowledgement_count

    def has_add_permission(self, request):
        # Published in the portal, which records a crisis notice's recipients and
        # e-mails them.
        return False

    def has_delete_permission(self, request, obj=None):
        # Who was told what in a crisis is kept; a notice is ended, not deleted.
        return False


@admin.register(NoticeRecipient)
class NoticeRecipientAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["notice", "user", "has_acknowledged"]
    list_filter = ["notice__level"]
    list_select_related = ["notice", "user"]
    search_fields = [
        "notice__title_en",
        "notice__title_sv",
        "user__username",
        "user__email",
        "user__last_name",
    ]
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _acknowledged=Exists(
                    NoticeAcknowledgement.objects.filter(
                        notice=OuterRef("notice"), user=OuterRef("user")
                    )
                )
            )
        )

    @admin.display(description=_("acknowledged"), boolean=True, ordering="_acknowledged")
    def has_acknowledged(self, recipient):
        return recipient._acknowledged


@admin.register(NoticeAcknowledgement)
class NoticeAcknowledgementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["acknowledged_at", "notice", "user"]
    list_filter = ["notice__level", "acknowledged_at"]
    list_select_related = ["notice", "user"]
    search_fields = [
        "notice__title_en",
        "notice__title_sv",
        "user__username",
        "user__email",
        "user__last_name",
    ]
    show_full_result_count = False
