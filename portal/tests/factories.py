"""Small keyword-only factories: each sets only what a test depends on."""

import itertools

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group

from accounts.models import Unit
from core import roles

_numbers = itertools.count(1)

PASSWORD = "correct horse battery staple"


def make_user(*, username=None, groups=(), is_active=True, is_superuser=False, **fields):
    number = next(_numbers)
    username = username or f"person{number}"
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        is_active=is_active,
        is_superuser=is_superuser,
        **fields,
    )
    if groups:
        # get_or_create: a transactional test's flush removes the groups the
        # migration made, and a later test must not silently lose its roles.
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
    return user


# The personas of shared/DESIGN.md's roles table: the one set every test uses, through
# the root conftest.py's fixtures of the same names and the permission tests' world.
PERSONAS = {
    "unit_head": dict(username="head", first_name="Hedda"),
    "submitter": dict(username="submitter", first_name="Siri"),  # a staff member
    "colleague": dict(username="colleague", first_name="Cole"),  # same unit
    "deputy": dict(username="deputy", first_name="Dana"),  # deputises for a channel
    "outsider": dict(username="outsider", first_name="Otto"),  # no relation to anything
    "reviewer": dict(username="reviewer", groups=[roles.COMMUNICATIONS]),  # the office
    "portal_admin": dict(username="portal-admin", groups=[roles.PORTAL_ADMINS]),
    "inactive_user": dict(username="former", is_active=False),  # has left
}


def make_persona(persona):
    return make_user(**PERSONAS[persona])


def make_unit(*, name=None, parent=None, head=None):
    return Unit.objects.create(name=name or f"Unit {next(_numbers)}", parent=parent, head=head)


def make_channel(
    *,
    unit,
    owner=None,
    deputy=None,
    name=None,
    platform="instagram",
    handle=None,
    status="active",
    **fields,
):
    """A channel with its current owner and deputy roles, written directly (no event,
    no e-mail): for tests about reading the registry. Tests of the operations call
    Channel.register() and friends instead."""
    from accounts.models import Channel, ChannelRole

    number = next(_numbers)
    handle = handle or f"channel{number}"
    channel = Channel(
        name=name or f"Channel {number}",
        platform=platform,
        profile_url=fields.pop(
            "profile_url", handle if platform != "mastodon" else f"@{handle}@mastodon.social"
        ),
        unit=unit,
        status=status,
        **fields,
    )
    if status == "closed" and channel.closed_on is None:
        import datetime

        channel.closed_on = datetime.date(2026, 1, 1)
    channel.full_clean()
    channel.save()
    for person, kind in [(owner, ChannelRole.Kind.OWNER), (deputy, ChannelRole.Kind.DEPUTY)]:
        if person is not None:
            ChannelRole.objects.create(channel=channel, user=person, kind=kind)
    return channel


def signed_in_user(client):
    """The user the test client's session is signed in as, or None."""
    pk = client.session.get(SESSION_KEY)
    return get_user_model().objects.get(pk=pk) if pk else None


def work_after_commit(callbacks):
    """The on-commit callbacks that do something (mail, tasks, reports), without those
    that drop cached pages and facts again after the commit (core.caching,
    core.person_facts)."""
    from core.caching import CacheVersion
    from core.person_facts import drop_facts

    def upkeep(callback):
        return (
            isinstance(getattr(callback, "__self__", None), CacheVersion)
            or getattr(callback, "func", None) is drop_facts
        )

    return [callback for callback in callbacks if not upkeep(callback)]
