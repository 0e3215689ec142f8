"""What every signed-in page asks about its reader, one cache entry per person.

Every page shows a signed-in person the navigation of their roles and, above its
content, the notices in force they have not dismissed and the guidelines they must
acknowledge as the owner or deputy of a channel. Asked of the database, that is five
queries a page: about a third of a simple page's time (bench/README.md, "Load"). So a
person's facts are computed together and kept as one cache entry:

- ``groups`` (the names of their Django groups) is computed here;
- each app adds the facts it owns with ``contribute(name, compute, inputs)`` in its
  ``AppConfig.ready`` (accounts: ``is_unit_head``, ``pending_guidelines``; guidelines:
  ``dismissed_notices``), with the models they are computed from (core.caching.Input),
  declared in the app's ``caching.py``. This module imports no app.

The entries are one ``Cached`` value (``PEOPLE``): a change of an input that many
people's facts depend on bumps its version; an input marked ``per_person`` (what one
person does for themselves: acknowledging a guideline, dismissing a notice) drops only
that person's entry. An entry is kept ``TIMEOUT`` seconds at most: the bound on how long
a change that bypasses the signals takes to show, or, with a per-process cache (no
CACHE_URL), how long a role taken away in one process still counts in another.

**The signed-in person** is kept in their entry too (``signed_in_user``, called by the
authentication backend, portal/auth.py), when the cache is shared by every process
(Redis): loading them was a query on every signed-in request, 0.55 to 0.65 ms of CPU
(bench/README.md, "Load"). Any save or delete of the person drops their entry, now and
after commit, so that a password changed or an account deactivated ends the person's
other sessions at their next request, as Django's session check does without the cache;
a change that bypasses the signals (SQL) takes up to ``TIMEOUT`` seconds. With a
per-process cache the person is loaded on every request, as before: a password changed
in one process would not end a session that another process keeps serving.
"""

import functools

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from core import caching
from core.caching import Cached, Input
from core.redis_cache import RedisCache

TIMEOUT = 60
_ATTRIBUTE = "_portal_person_facts"
_CONTRIBUTED = {}  # name -> compute(user)
_READ_ALONG = []  # Cached values every signed-in page reads, with no parts (read_along)


def drop_facts(user_pk):
    PEOPLE.drop(user_pk)


PEOPLE = Cached(
    "portal:person",
    # A person's groups, and the person (signed_in_user); the apps add the inputs of the
    # facts they contribute.
    inputs=[
        Input("auth.Group"),
        Input(settings.AUTH_USER_MODEL, m2m="groups"),
        Input(settings.AUTH_USER_MODEL, per_person="pk"),
    ],
    timeout=TIMEOUT,
    drop_person=drop_facts,
)


def contribute(name, compute, inputs=()):
    """Add the fact ``name``, computed by ``compute(user)`` from ``inputs`` (called in
    AppConfig.ready)."""
    _CONTRIBUTED[name] = compute
    PEOPLE.add_inputs(*inputs)


def read_along(cached):
    """Read ``cached``'s value (one for everyone: no parts) in the same round trip as
    the signed-in person's entry, since every signed-in page reads it too (called in
    AppConfig.ready)."""
    _READ_ALONG.append(cached)


def facts(user):
    """A signed-in ``user``'s facts: a dict with ``groups`` and every contributed fact.
    Kept on the user object for the request."""
    known = getattr(user, _ATTRIBUTE, None)
    if known is None:
        known = PEOPLE.get([user.pk], lambda: _compute(user))
        setattr(user, _ATTRIBUTE, known)
    return known


def signed_in_user(user_id, load):
    """The person a session is signed in as: ``load()`` (the authentication backend's
    own look-up, None when they may not sign in), kept with their facts while the cache
    is shared by every process, and their facts attached for the request."""
    if not isinstance(caches["default"], RedisCache):
        return load()

    def compute():
        user = load()
        return None if user is None else {**_compute(user), "user": user}

    caching.prefetch([PEOPLE.key(user_id), *(cached.key() for cached in _READ_ALONG)])
    # An entry computed for someone who was not signing in (facts()) has no "user".
    known = PEOPLE.get([user_id], compute, fresh=lambda entry: "user" in entry)
    if known is None:
        return None
    user = known["user"]
    setattr(user, _ATTRIBUTE, known)  # as facts() keeps them (after the entry was stored)
    return user


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
