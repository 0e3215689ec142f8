"""Who is who in the portal.

Staff are all active users. Two roles are Django groups, created by the migration
portal/migrations/0001_role_groups.py: the communications office (which reviews
proposals) and the portal administrators. A unit head is whoever is ``head`` of a
unit. The answers come from the person's cached facts (portal.person_cache): one cache
read a request, five queries when they are not cached.
"""

from django.utils.translation import gettext_lazy as _

from portal import person_cache

COMMUNICATIONS = "communications"
PORTAL_ADMINS = "portal-admins"

ROLE_GROUPS = {
    COMMUNICATIONS: _("Communications office"),
    PORTAL_ADMINS: _("Portal administrators"),
}


def _group_names(user):
    if not user.is_authenticated:
        return frozenset()
    return person_cache.facts(user)["groups"]


def is_staff_member(user):
    """Any active person who has logged in: may propose accounts."""
    return user.is_authenticated and user.is_active


def is_communications(user):
    return is_staff_member(user) and COMMUNICATIONS in _group_names(user)


def is_portal_admin(user):
    return is_staff_member(user) and (user.is_superuser or PORTAL_ADMINS in _group_names(user))


def is_reviewer(user):
    """May comment on, request changes to, approve and reject proposals."""
    return is_communications(user) or is_portal_admin(user)


def reviews_proposals(user):
    """Has a review queue: unit heads, the office, portal admins, and members of a
    platform's own reviewer group (PORTAL_REVIEWER_GROUPS)."""
    from django.conf import settings

    platform_groups = set(settings.PORTAL_REVIEWER_GROUPS.values())
    return (
        is_reviewer(user)
        or is_unit_head(user)
        or (is_staff_member(user) and bool(platform_groups & _group_names(user)))
    )


def is_unit_head(user):
    return is_staff_member(user) and person_cache.facts(user)["is_unit_head"]


def role_labels(user):
    """The names of the roles ``user`` holds, for showing who they act as."""
    labels = []
    if is_unit_head(user):
        labels.append(_("Unit head"))
    labels.extend(label for group, label in ROLE_GROUPS.items() if group in _group_names(user))
    if user.is_superuser and PORTAL_ADMINS not in _group_names(user):
        labels.append(ROLE_GROUPS[PORTAL_ADMINS])
    return labels
