"""Cached pages and figures that change as soon as their data does.

Each app declares what it caches in its ``caching.py``: one ``Cached`` per kind of
data, with the models (and fields) it is computed from (``inputs``) and how long it is
kept. The app's ``AppConfig.ready`` calls ``connect()`` on each, which is the only
place where a change of an input drops the cached values: every save and delete of an
input, wherever it happens (an operation, the admin, the shell), bumps the version.
Every cache site reads through ``Cached.get``; portal/tests/test_caching.py computes
each cached value and fails when it reads a table that is not among its inputs, or
when a change of an input does not bump its version.

A cached value's key holds a version number kept in the cache itself; whatever changes
the data bumps the version, and every process's next request computes the value again
under the new key (the old one expires). One integer per kind of data, whatever the
number of cached values; nothing to find and delete.

A change bumps the version twice: at once, so that the request that made it sees it,
and after its transaction commits, in case another request cached the old data in
between (``CacheVersion.changed``). Each kind of data also keeps its values a limited
time, which bounds how stale a value can be after a change that bypasses the signals
(a bulk update, SQL), or, with a per-process cache (no CACHE_URL), after a change made
in another process.

When the cache's Redis fails, ``current()`` is 0 and ``bump()`` does nothing (its
``incr`` raises ValueError and its ``add`` is skipped); core/redis_cache.py bumps
the versions it could not once Redis answers again.
"""

import functools
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

# Within a request, the versions are read once, all together (one round trip to the
# cache instead of one per cached value), and kept for the rest of the request; a bump
# in this request reads that version again. Outside a request (a task, the shell) each
# read asks the cache. core.apps connects request_started and request_finished.
#
# Each round trip to Redis costs some 35 µs of CPU, so a request reads what it knows it
# will need together: the session with the versions (get_with_versions), a signed-in
# person's facts with the values every signed-in page reads (prefetch, then
# Cached.get takes them from _request.prefetched, each once).
_request = threading.local()
_VERSIONS = []  # every CacheVersion, in the order they were made


def request_started(**kwargs):
    _request.versions = {}
    _request.prefetched = {}


def request_finished(**kwargs):
    _request.versions = None
    _request.prefetched = None


def _read_versions(known, *also):
    """Fill this request's ``known`` versions with one round trip, reading the keys
    ``also`` in it too; their values (missing ones left out)."""
    keys = [version.key for version in _VERSIONS]
    found = cache.get_many([*also, *keys])
    known.update({key: found.get(key, 0) for key in keys})
    return {key: found[key] for key in also if key in found}


def get_with_versions(key):
    """``cache.get(key)``, and, in a request that has not read the cache versions yet,
    them with it in the same round trip (the session store's read)."""
    known = getattr(_request, "versions", None)
    if known is None or known:
        return cache.get(key)
    return _read_versions(known, key).get(key)


def prefetch(keys):
    """Read ``keys`` in one round trip, for this request's next ``Cached.get`` of each
    (outside a request: nothing)."""
    prefetched = getattr(_request, "prefetched", None)
    if prefetched is None:
        return
    found = cache.get_many(keys)
    prefetched.update({key: found.get(key) for key in keys})


class CacheVersion:
    def __init__(self, key):
        self.key = key
        _VERSIONS.append(self)

    def __repr__(self):
        return f"CacheVersion({self.key!r})"

    def current(self):
        known = getattr(_request, "versions", None)
        if known is None:
            return cache.get(self.key, 0)
        if not known:
            _read_versions(known)
        if self.key not in known:
            known[self.key] = cache.get(self.key, 0)
        return known[self.key]

    def bump(self):
        try:
            cache.incr(self.key)
        except ValueError:  # not in the cache (yet, or any more)
            cache.add(self.key, 1, timeout=None)
        known = getattr(_request, "versions", None)
        if known:
            known.pop(self.key, None)  # read it again
        prefetched = getattr(_request, "prefetched", None)
        if prefetched:
            prefetched.clear()  # read before the change

    def changed(self, **kwargs):
        """Bump now and after commit. Also a receiver of post_save and post_delete."""
        self.bump()
        transaction.on_commit(self.bump)


@dataclass(frozen=True)
class Input:
    """A model a cached value is computed from ("app_label.ModelName").

    ``fields``: only a save that may change one of these fields counts (a creation, or
    an update with ``update_fields`` None or among them); ``on_create=False``: a new row
    does not count (a new person is in no list yet). ``m2m``: the additions to and
    removals from this many-to-many field of the model count, not its saves.
    ``when(instance)``: only the saves and deletes of the rows it is true of count.
    ``per_person``: the change drops only the cached value of the person in this field
    (the person's facts), not every one's. ``receivers=False``: no signal receivers
    (they would slow the model's bulk deletes); its save() and delete() call
    ``rows_changed`` themselves. A delete always counts."""

    model: str
    fields: frozenset = None
    m2m: str = None
    when: object = None
    per_person: str = None
    receivers: bool = True
    on_create: bool = True

    def model_class(self):
        return apps.get_model(self.model)

    def sender(self):
        model = self.model_class()
        return getattr(model, self.m2m).through if self.m2m else model

    def counts(self, instance, created=False, update_fields=None):
        if self.when is not None and not self.when(instance):
            return False
        if created:
            return self.on_create
        if self.fields is None or update_fields is None:
            return True
        return bool(self.fields & set(update_fields))


_computing = threading.local()

# What a cached value's shape and rendering come from besides its data: the code, the
# templates and the translations. Not the tests and migrations.
_CODE_SUFFIXES = (".py", ".html", ".txt", ".mo")
_NOT_CODE = {"tests", "migrations", "__pycache__"}


def fingerprint(roots):
    """A short digest of the content of every code, template and catalogue file under
    ``roots``, in a stable order."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and not _NOT_CODE & set(path.parts) and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def code_version():
    """Part of every cached value's key: the fingerprint of the portal's own apps,
    templates and translations, read once per process (about 12 ms). A deploy that
    changes what a value holds or how it is rendered (a new key in a page's data, a
    changed template) then never reads a value the previous code stored: without it, the
    new code read the old data until it expired, and a missing key was a 500."""
    base = Path(settings.BASE_DIR)
    roots = [
        Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == base
    ]
    return fingerprint([*roots, base / "templates", base / "locale"])


class Cached:
    """One kind of cached data: its ``name`` (the keys' prefix), its ``inputs``, how
    long each value is kept (``timeout``; ``search_timeout`` for a listing's searches,
    of which anyone can ask any number), and the version that drops every value."""

    def __init__(self, name, *, inputs, timeout, search_timeout=None, drop_person=None):
        self.name = name
        self.inputs = list(inputs)
        self.timeout = timeout
        self.search_timeout = search_timeout or timeout
        self.version = CacheVersion(f"{name}:version")
        self.drop_person = drop_person  # for per_person inputs: drop_person(user_pk)
        DECLARED[name] = self

    def __repr__(self):
        return f"Cached({self.name!r})"

    def current(self):
        return self.version.current()

    def changed(self, **kwargs):
        """Drop every value now and after commit (CacheVersion.changed)."""
        self.version.changed()

    def key(self, *parts):
        return ":".join([self.name, code_version(), str(self.current()), *map(str, parts)])

    def get(self, parts, compute, *, timeout=None, fresh=None):
        """The value under ``parts`` (whatever besides the data it depends on: a pk,
        a scope, a language, a day), computed by ``compute()`` when not cached, or
        when ``fresh(value)`` says the cached one is out of date."""
        key = self.key(*parts)
        prefetched = getattr(_request, "prefetched", None)
        # Each prefetched value once: a later get in the request asks the cache.
        value = prefetched.pop(key) if prefetched and key in prefetched else cache.get(key)
        if value is None or (fresh is not None and not fresh(value)):
            stack = _computing.__dict__.setdefault("stack", [])
            stack.append(self)
            try:
                value = compute()
            finally:
                stack.pop()
            cache.set(key, value, timeout or self.timeout)
        return value

    def drop(self, *parts):
        """Delete the value under ``parts`` (one person's facts: see drop_person)."""
        key = self.key(*parts)
        cache.delete(key)
        prefetched = getattr(_request, "prefetched", None)
        if prefetched:
            prefetched.pop(key, None)

    def add_inputs(self, *inputs):
        """More inputs (an app contributing to a value declared below it); connected
        at once when the value is connected already."""
        self.inputs.extend(inputs)
        if getattr(self, "_connected", False):
            self._connect(inputs)

    def connect(self):
        """Connect every input's changes to the version (AppConfig.ready)."""
        self._connected = True
        self._connect(self.inputs)

    def _connect(self, inputs):
        for input_ in inputs:
            if not input_.receivers:
                continue
            uid = f"{self.name}:{input_!r}"  # one receiver per input, however often connected
            receiver = functools.partial(self._input_changed, input_)
            sender = input_.sender()
            if input_.m2m:
                m2m_changed.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
                continue
            post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)

    def _input_changed(self, input_, sender, instance, created=False, update_fields=None, **kw):
        if input_.m2m:
            if not kw["action"].startswith("post_"):
                return
        elif not input_.counts(instance, created, update_fields):
            return
        if input_.per_person:
            person = getattr(instance, input_.per_person)
            self.drop_person(person)  # now, and after commit (as CacheVersion.changed)
            transaction.on_commit(functools.partial(self.drop_person, person))
        else:
            self.changed()

    def tables(self):
        """The database tables of the inputs (for the test that checks them)."""
        return {input_.sender()._meta.db_table for input_ in self.inputs}


DECLARED = {}  # name -> Cached, every app's


def rows_changed(model):
    """Drop every cached value computed from ``model``, whose rows changed without a
    signal (``QuerySet.update``, ``bulk_create``): the one call such a write makes."""
    label = model._meta.label
    for cached in DECLARED.values():
        if any(input_.model == label and not input_.m2m for input_ in cached.inputs):
            cached.changed()


def computing():
    """The values being computed now in this thread, outermost first (for the test
    that records what each reads)."""
    return list(getattr(_computing, "stack", []))


def cached_listing(request, cached, render, *, scope="all"):
    """A list page's listing (its form, count, rows and pages) as ``render()`` returns
    it, computed once per version of ``cached``, ``scope`` (whose rows: everyone's,
    or one person's), query, language and day, then served from the cache: for
    ``cached.search_timeout`` seconds when the query searches or filters, its
    ``timeout`` otherwise."""
    parameters = request.GET.urlencode()
    searched = set(request.GET) - {"page"}
    return cached.get(
        [
            scope,
            get_language(),
            timezone.localdate().isoformat(),
            hashlib.sha256(parameters.encode()).hexdigest(),
        ],
        render,
        timeout=cached.search_timeout if searched else cached.timeout,
    )


# The one part of a public page that differs between two anonymous visitors: the CSRF
# token of its forms (the language switcher's). Cached with a placeholder in its place,
# and each visitor gets their own token on the way out.
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = "\x00csrf-token\x00"
_KEPT_HEADERS = ("Content-Type", "Content-Language")


class _NotCacheable(Exception):
    def __init__(self, response):
        self.response = response


def public_page(cached):
    """View decorator: an anonymous visitor's whole page (a 200 without cookies) is
    kept under ``cached``'s version, per address and language, ``cached.timeout``
    seconds (``search_timeout`` with a query string), and served from the cache to
    every other anonymous visitor, with their own CSRF token put back in. A signed-in
    reader, a request other than GET or HEAD, and a visitor with a message waiting
    (shown on the page, once) get the view itself. Only for pages whose content is the
    same for every anonymous visitor: the public directory's."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                request.method not in ("GET", "HEAD")
                or request.user.is_authenticated
                or len(get_messages(request))
            ):
                return view(request, *args, **kwargs)

            def render():
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    raise _NotCacheable(response)
                content = _CSRF_VALUE.sub(
                    rf"\g<1>{_CSRF_PLACEHOLDER}\g<2>", response.content.decode(response.charset)
                )
                headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
                return {"content": content, "headers": headers}

            address = request.get_full_path()
            try:
                page = cached.get(
                    [
                        "page",
                        view.__name__,
                        get_language(),
                        hashlib.sha256(address.encode()).hexdigest(),
                    ],
                    render,
                    timeout=cached.search_timeout if request.GET else cached.timeout,
                )
            except _NotCacheable as not_cacheable:
                return not_cacheable.response
            content = page["content"]
            if _CSRF_PLACEHOLDER in content:
                content = content.replace(_CSRF_PLACEHOLDER, get_token(request))
            return HttpResponse(content, headers=page["headers"])

        return wrapper

    return decorator
