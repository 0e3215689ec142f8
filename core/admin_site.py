from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import is_portal_admin


class PortalAdminSite(admin.AdminSite):
    """The Django admin, open to portal administrators only.

    It has no login form of its own: visitors are sent to the portal's login page,
    so that there is one place to sign in (and later one place to harden).
    """

    site_header = _("Social media portal administration")
    site_title = _("Portal administration")
    index_title = _("Administration")

    def has_permission(self, request):
        return is_portal_admin(request.user)

    @login_not_required
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class ReadOnlyMixin:
    """For a ModelAdmin or inline whose rows the portal writes itself (audit trails,
    records of operations): viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
