"""Who reviews proposals: one definition for the review queue, the navigation, the home
page, the proposals list and the e-mail that says a proposal is waiting.

- The communications office and the portal administrators review every platform's
  proposals, except a platform that PORTAL_REVIEWER_GROUPS gives to a group of its own
  (LinkedIn's working group, say), which reviews that platform's instead of the office.
- A unit head endorses (or not) the proposals of their units first.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.access import is_unit_head
from core import roles


def platform_reviewer_group(platform):
    """The group that decides ``platform``'s proposals: its own, or the office."""
    return settings.PORTAL_REVIEWER_GROUPS.get(platform, roles.COMMUNICATIONS)


def reviews_platform(user, platform):
    """Whether ``user`` belongs to the group that decides ``platform``'s proposals."""
    return roles.is_staff_member(user) and platform_reviewer_group(platform) in roles.group_names(
        user
    )


def reviewer_groups():
    """The groups that review proposals: the office and each platform's own group."""
    return {roles.COMMUNICATIONS, *settings.PORTAL_REVIEWER_GROUPS.values()}


def in_a_reviewer_group(user):
    """Whether ``user`` reviews some platform's proposals (office or platform group)."""
    return roles.is_staff_member(user) and bool(reviewer_groups() & roles.group_names(user))


def reviews_proposals(user):
    """Has a review queue: unit heads, the office, portal admins, and members of a
    platform's own reviewer group."""
    return roles.is_reviewer(user) or is_unit_head(user) or in_a_reviewer_group(user)


def people_who_review():
    """Everyone who may have proposals waiting for them (reviews_proposals, as a
    query): unit heads, the reviewer groups and portal admins."""
    groups = {*reviewer_groups(), roles.PORTAL_ADMINS}
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(headed_units__isnull=False) | Q(groups__name__in=groups) | Q(is_superuser=True))
        .distinct()
    )
