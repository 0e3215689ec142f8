"""What every signed-in page asks about its reader, cached per person.

Every page shows a signed-in person the navigation of their roles and, above its
content, the notices in force they have not dismissed and the guidelines they must
acknowledge as the owner or deputy of a channel. Asked of the database, that is five
queries a page (their groups, whether they head a unit, the notices, whether they run a
channel, the guidelines they have not acknowledged): about a third of a simple page's
time (bench/README.md, "Load"). So:

- a person's facts are one cache entry, under ``PEOPLE_VERSION``, which is bumped when
  anything they depend on changes for possibly many people (group memberships, unit
  heads, channels and their roles, guidelines and their versions; PortalConfig.ready);
  what one person does for themselves (acknowledging a guideline, dismissing a notice)
  drops only their entry (``forget_person``);
- the notices in force are one entry for everyone, under ``NOTICES_VERSION`` (bumped when
  a notice is saved, ended or deleted), kept until the next notice starts or ends.

Both are kept ``TIMEOUT`` seconds at most: the bound on how long a change that bypasses
the signals takes to show, or, with a per-process cache (no CACHE_URL), how long a
role taken away in one process still counts in another.
"""

import datetime
import functools

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.cache_versions import CacheVersion

TIMEOUT = 60
PEOPLE_VERSION = CacheVersion("portal:people:version")
NOTICES_VERSION = CacheVersion("portal:notices:version")
_ATTRIBUTE = "_portal_person_facts"


def _key(user_pk):
    return f"portal:person:{user_pk}:{PEOPLE_VERSION.current()}"


def facts(user):
    """A signed-in ``user``'s groups and banners: a dict with ``groups`` (names),
    ``is_unit_head``, ``pending_guidelines`` ([{"title", "url"}]) and
    ``dismissed_notices`` (ids). Kept on the user object for the request."""
    known = getattr(user, _ATTRIBUTE, None)
    if known is None:
        key = _key(user.pk)
        known = cache.get(key)
        if known is None:
            known = _compute(user)
            cache.set(key, known, TIMEOUT)
        setattr(user, _ATTRIBUTE, known)
    return known


def forget_person(user):
    """Drop ``user``'s facts now and after commit (see CacheVersion.changed)."""
    if hasattr(user, _ATTRIBUTE):
        delattr(user, _ATTRIBUTE)
    drop_facts(user.pk)
    transaction.on_commit(functools.partial(drop_facts, user.pk))


def drop_facts(user_pk):
    cache.delete(_key(user_pk))


def _compute(user):
    from accounts.models import Channel, ChannelRole, Unit
    from guidelines.models import NoticeAcknowledgement, pending_owner_guidelines

    # From the person's roles (an index on user), not from the channels: for the many
    # who run none, PostgreSQL otherwise read every current role (4 ms on 100,000).
    runs_a_channel = (
        ChannelRole.objects.current()
        .filter(user=user, kind__in=[ChannelRole.Kind.OWNER, ChannelRole.Kind.DEPUTY])
        .exclude(channel__status=Channel.Status.CLOSED)
        .exists()
    )
    pending = (
        pending_owner_guidelines(user).filter(guideline__applies_to_owners=True)
        if runs_a_channel
        else []
    )
    return {
        "groups": frozenset(user.groups.values_list("name", flat=True)),
        "is_unit_head": Unit.objects.headed_by(user).exists(),
        "pending_guidelines": [
            {"title": version.title, "url": version.guideline.get_absolute_url()}
            for version in pending
        ],
        "dismissed_notices": frozenset(
            NoticeAcknowledgement.objects.filter(
                user=user, notice__in=[notice.pk for notice in notices_in_force()]
            ).values_list("notice_id", flat=True)
        ),
    }


def notices_in_force():
    """The notices shown now, a crisis first, then the newest: from the cache until a
    notice changes, starts or ends."""
    now = timezone.now()
    key = f"portal:notices:{NOTICES_VERSION.current()}"
    entry = cache.get(key)
    if entry is None or entry[1] <= now:
        from guidelines.models import SiteNotice

        current = list(SiteNotice.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)))
        changes = [n.starts_at for n in current if n.starts_at > now]
        changes += [n.ends_at for n in current if n.ends_at is not None]
        until = min([*changes, now + datetime.timedelta(seconds=TIMEOUT)])
        shown = sorted(
            (notice for notice in current if notice.starts_at <= now),
            key=lambda notice: (not notice.is_crisis, -notice.starts_at.timestamp()),
        )
        entry = (shown, until)
        cache.set(key, entry, TIMEOUT)
    return entry[0]
