"""What every signed-in page asks about its reader, one cache entry per person.

Every page shows a signed-in person the navigation of their roles and, above its
content, the notices in force they have not dismissed and the guidelines they must
acknowledge as the owner or deputy of a channel. Asked of the database, that is five
queries a page: about a third of a simple page's time (bench/README.md, "Load"). So a
person's facts are computed together and kept as one cache entry:

- ``groups`` (the names of their Django groups) is computed here;
- each app adds the facts it owns with ``contribute(name, compute)`` in its
  ``AppConfig.ready`` (accounts: ``is_unit_head``, ``pending_guidelines``; guidelines:
  ``dismissed_notices``), and connects the changes of its models that alter them to
  ``PEOPLE_VERSION.changed``. This module imports no app.

The entry lives under ``PEOPLE_VERSION``, bumped when anything many people's facts
depend on changes; what one person does for themselves (acknowledging a guideline,
dismissing a notice) drops only their entry (``forget_person``). It is kept ``TIMEOUT``
seconds at most: the bound on how long a change that bypasses the signals takes to
show, or, with a per-process cache (no CACHE_URL), how long a role taken away in one
process still counts in another.
"""

import functools

from django.core.cache import cache
from django.db import transaction

from core.cache_versions import CacheVersion

TIMEOUT = 60
PEOPLE_VERSION = CacheVersion("portal:people:version")
_ATTRIBUTE = "_portal_person_facts"
_CONTRIBUTED = {}  # name -> compute(user)


def contribute(name, compute):
    """Add the fact ``name``, computed by ``compute(user)`` (called in AppConfig.ready)."""
    _CONTRIBUTED[name] = compute


def _key(user_pk):
    return f"portal:person:{user_pk}:{PEOPLE_VERSION.current()}"


def facts(user):
    """A signed-in ``user``'s facts: a dict with ``groups`` and every contributed fact.
    Kept on the user object for the request."""
    known = getattr(user, _ATTRIBUTE, None)
    if known is None:
        key = _key(user.pk)
        known = cache.get(key)
        if known is None:
            known = _compute(user)
            cache.set(key, known, TIMEOUT)
        setattr(user, _ATTRIBUTE, known)
    return known


def _compute(user):
    known = {"groups": frozenset(user.groups.values_list("name", flat=True))}
    for name, compute in _CONTRIBUTED.items():
        known[name] = compute(user)
    return known


def forget_person(user):
    """Drop ``user``'s facts now and after commit (see CacheVersion.changed)."""
    if hasattr(user, _ATTRIBUTE):
        delattr(user, _ATTRIBUTE)
    drop_facts(user.pk)
    transaction.on_commit(functools.partial(drop_facts, user.pk))


def drop_facts(user_pk):
    cache.delete(_key(user_pk))
