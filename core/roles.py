"""The roles that are Django groups, and staff.

Staff are all active users. Two roles are Django groups, created by the migration
portal/migrations/0001_role_groups.py: the communications office (which reviews
proposals) and the portal administrators. The answers come from the person's cached
facts (core.person_facts): one cache read a request. Roles that depend on the domain
live with it: a unit head in accounts/access.py, who has a review queue in
checklist/access.py.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import person_facts

COMMUNICATIONS = "communications"
PORTAL_ADMINS = "portal-admins"

ROLE_GROUPS = {
    COMMUNICATIONS: _("Communications office"),
    PORTAL_ADMINS: _("Portal administrators"),
}


def group_names(user):
    """The names of ``user``'s groups (a frozenset); none for anonymous visitors."""
    if not user.is_authenticated:
        return frozenset()
    return person_facts.facts(user)["groups"]


def is_staff_member(user):
    """Any active person who has logged in: may propose accounts."""
    return user.is_authenticated and user.is_active


def is_communications(user):
    return is_staff_member(user) and COMMUNICATIONS in group_names(user)


def is_portal_admin(user):
    return is_staff_member(user) and (user.is_superuser or PORTAL_ADMINS in group_names(user))


def portal_admins():
    """The active portal administrators (the group, and superusers), as a query: who
    hears of what only an operator can fix."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=PORTAL_ADMINS) | Q(is_superuser=True))
        .distinct()
    )


def is_reviewer(user):
    """May comment on, request changes to, approve and reject proposals, and register
    and edit every channel: the communications office and the portal administrators."""
    return is_communications(user) or is_portal_admin(user)
