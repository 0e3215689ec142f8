"""Who may do what in the registry: the roles that depend on units and channels.

Unit heads are whoever is ``head`` of a unit. With the group roles (core.roles), this is
what the registry's querysets and predicates (``Unit.objects.headed_by``,
``Channel.may_edit``, …) and every other app ask. The facts it adds to a person's
cached facts (core.person_facts) are computed here and dropped when a unit, a channel
or its roles change (AccountsConfig.ready).
"""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from accounts.models import Channel, ChannelRole, Unit
from core import person_facts, roles
from guidelines import audience
from guidelines.bilingual import LocalisedLink
from guidelines.models import pending_owner_guidelines as pending

# The channels whose owners and deputies each of the guidelines' audiences holds
# (guidelines.audience, provided by AccountsConfig.ready).
_AUDIENCE_STATUSES = {
    audience.RUNNING: [Channel.Status.PLANNED, Channel.Status.ACTIVE, Channel.Status.DORMANT],
    audience.LIVE: [Channel.Status.ACTIVE, Channel.Status.DORMANT],
}


def is_unit_head(user):
    return roles.is_staff_member(user) and person_facts.facts(user)["is_unit_head"]


def heads_a_unit(user):
    """Uncached: whether ``user`` is the head of a unit (a person's fact)."""
    return Unit.objects.headed_by(user).exists()


def pending_owner_guidelines(user):
    """Uncached: the guidelines ``user`` must acknowledge because they run a channel,
    as [LocalisedLink] (title and url) (a person's fact, shown above every page)."""
    # From the person's roles (an index on user), not from the channels: for the many
    # who run none, PostgreSQL otherwise read every current role (4 ms on 100,000).
    runs_a_channel = _responsible_roles(audience.RUNNING).filter(user=user).exists()
    if not runs_a_channel:
        return []
    # Cached for the person, shown in whichever language they read the page in.
    return [
        LocalisedLink(
            titles={code: version.text("title", code) for code in version.languages},
            url=version.guideline.get_absolute_url(),
        )
        for version in pending(user).filter(guideline__applies_to_owners=True)
    ]


def _responsible_roles(audience_name=None):
    """The current owner and deputy roles, of ``audience_name``'s channels if given."""
    roles_now = ChannelRole.objects.current().filter(
        kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY]
    )
    if audience_name is not None:
        roles_now = roles_now.filter(channel__status__in=_AUDIENCE_STATUSES[audience_name])
    return roles_now


def guideline_audience(audience_name):
    """The active people of one of the guidelines' audiences (guidelines.audience)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=_responsible_roles(audience_name).values("user_id"))
        .order_by("pk")
    )


def with_channels(people, audience_name=None):
    """``people``, each with ``channel_roles_now`` (guidelines.audience.with_channels)."""
    roles_now = (
        _responsible_roles(audience_name)
        .select_related("channel")
        .order_by("channel__name", "kind")
    )
    return people.prefetch_related(
        Prefetch("channel_roles", queryset=roles_now, to_attr="channel_roles_now")
    )


def may_import_registry(user):
    """The communications office (and portal admins) import an existing registry:
    every created channel is a registration, which is theirs (Channel.register)."""
    return roles.is_reviewer(user)
