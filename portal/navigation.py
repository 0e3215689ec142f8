"""The main navigation: each role sees the links to what it may do."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import is_unit_head
from checklist.access import reviews_proposals
from core import roles


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    allowed: Callable


ITEMS = [
    NavItem(_("Home"), "home", roles.is_staff_member),
    NavItem(_("Proposals"), "checklist:list", roles.is_staff_member),
    NavItem(_("Review"), "checklist:review", reviews_proposals),
    NavItem(_("Registry"), "accounts:registry", roles.is_staff_member),
    NavItem(_("Figures"), "metrics:portfolio", roles.is_staff_member),
    NavItem(_("Guidelines"), "guidelines:list", roles.is_staff_member),
    NavItem(_("Notices"), "guidelines:notices", roles.is_reviewer),
    NavItem(_("Suspicious accounts"), "accounts:reports", roles.is_reviewer),
    NavItem(_("Public directory"), "accounts:directory", roles.is_staff_member),
    NavItem(_("Administration"), "admin:index", roles.is_portal_admin),
]


def nav_for(request):
    """The items ``request.user`` may see, each with its URL and whether it is current."""
    items = []
    for item in ITEMS:
        if item.allowed(request.user):
            url = reverse(item.url_name)
            current = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": item.label, "url": url, "current": current})
    return items


def role_labels(user):
    """The names of the roles ``user`` holds, for showing who they act as."""
    labels = []
    if is_unit_head(user):
        labels.append(_("Unit head"))
    groups = roles.group_names(user)
    labels.extend(label for group, label in roles.ROLE_GROUPS.items() if group in groups)
    if user.is_superuser and roles.PORTAL_ADMINS not in groups:
        labels.append(roles.ROLE_GROUPS[roles.PORTAL_ADMINS])
    return labels
