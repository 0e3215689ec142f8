"""Who may do what in the registry: the roles that depend on units and channels.

Unit heads are whoever is ``head`` of a unit. With the group roles (core.roles), this is
what the registry's querysets and predicates (``Unit.objects.headed_by``,
``Channel.may_edit``, …) and every other app ask. The facts it adds to a person's
cached facts (core.person_facts) are computed here and dropped when a unit, a channel
or its roles change (AccountsConfig.ready).
"""

from accounts.models import Channel, ChannelRole, Unit
from core import person_facts, roles
from guidelines.models import pending_owner_guidelines as pending


def is_unit_head(user):
    return roles.is_staff_member(user) and person_facts.facts(user)["is_unit_head"]


def heads_a_unit(user):
    """Uncached: whether ``user`` is the head of a unit (a person's fact)."""
    return Unit.objects.headed_by(user).exists()


def pending_owner_guidelines(user):
    """Uncached: the guidelines ``user`` must acknowledge because they run a channel,
    as [{"title", "url"}] (a person's fact, shown above every page)."""
    # From the person's roles (an index on user), not from the channels: for the many
    # who run none, PostgreSQL otherwise read every current role (4 ms on 100,000).
    runs_a_channel = (
        ChannelRole.objects.current()
        .filter(user=user, kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY])
        .exclude(channel__status=Channel.Status.CLOSED)
        .exists()
    )
    if not runs_a_channel:
        return []
    return [
        {"title": version.title, "url": version.guideline.get_absolute_url()}
        for version in pending(user).filter(guideline__applies_to_owners=True)
    ]
