"""The main navigation: each role sees the links to what it may do."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.autoreload import file_changed
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import is_unit_head
from checklist.access import reviews_proposals
from core import roles


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    allowed: Callable
    # Used less often: under "More" when there are two or more such items, so that the
    # bar keeps to one line at 1280 pixels for the office and the administrators.
    less_used: bool = False


ITEMS = [
    NavItem(_("Home"), "home", roles.is_staff_member),
    NavItem(_("Proposals"), "checklist:list", roles.is_staff_member),
    NavItem(_("Review"), "checklist:review", reviews_proposals),
    NavItem(_("Registry"), "accounts:registry", roles.is_staff_member),
    NavItem(_("Figures"), "metrics:portfolio", roles.is_staff_member),
    NavItem(_("Guidelines"), "guidelines:list", roles.is_staff_member),
    NavItem(_("Suspicious accounts"), "accounts:reports", roles.is_reviewer),
    NavItem(_("Notices"), "guidelines:notices", roles.is_reviewer, less_used=True),
    NavItem(_("Public directory"), "accounts:directory", roles.is_staff_member, less_used=True),
    NavItem(_("Administration"), "admin:index", roles.is_portal_admin, less_used=True),
]


@functools.cache
def _url(url_name, script_prefix, urlconf):
    """An item's address: the same for every request under one script prefix and URL
    configuration, so reversed once per process (ten reversals were 0.3 ms a page)."""
    return reverse(url_name, urlconf=urlconf)


def nav_for(request):
    """The items ``request.user`` may see, each with its URL, whether it is current and
    whether it sits in the "More" menu."""
    items = []
    prefix, urlconf = get_script_prefix(), get_urlconf()
    for item in ITEMS:
        if item.allowed(request.user):
            url = _url(item.url_name, prefix, urlconf)
            current = request.path == url if url == "/" else request.path.startswith(url)
            items.append(
                {"label": item.label, "url": url, "current": current, "more": item.less_used}
            )
    if sum(item["more"] for item in items) < 2:
        # A menu of one item is a detour: it stays on the bar.
        for item in items:
            item["more"] = False
    return items


def nav_html(items):
    """The bar's links (templates/_nav.html) for ``items`` (nav_for's) in the active
    language. They depend on nothing else, so each list of items is rendered once per
    process: every signed-in page has the bar, and rendering it was half a millisecond."""
    key = tuple((str(item["label"]), item["url"], item["current"], item["more"]) for item in items)
    return _rendered_nav(get_language(), key)


@functools.lru_cache(maxsize=1024)
def _rendered_nav(language, key):
    # Forgotten when the development server sees a file change (a template edited).
    items = [dict(zip(("label", "url", "current", "more"), item, strict=True)) for item in key]
    more = [item for item in items if item["more"]]
    return render_to_string(
        "_nav.html",
        {
            "nav_items": items,
            "nav_more": more,
            "nav_more_current": any(item["current"] for item in more),
        },
    )


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


file_changed.connect(
    lambda **kwargs: _rendered_nav.cache_clear(), weak=False, dispatch_uid="portal.nav_html"
)
