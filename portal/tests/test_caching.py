"""Every cached value reads only what it declares, and every declared input drops it.

Each app declares what it caches in its caching.py (core.caching.DECLARED): each value
with the models it is computed from. Here the pages that use them are asked with an
empty cache, as the people who see them, over the demo's university, and every SQL
query made while a value was computed is recorded: a table read that is not one of the
value's inputs fails (a page that starts to read a new model without declaring it would
show stale data after that model changes). Then every input is changed and the value's
version must move, or, for an input that concerns one person, that person's entry must
go."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_delete, post_save

from accounts.models import Channel, Unit
from checklist.models import Proposal
from core import caching
from core.append_only import AppendOnlyModel

_TABLES = re.compile(r'(?:FROM|JOIN)\s+"([^"]+)"')


@pytest.fixture
def university(db, settings):
    settings.DEBUG = True  # the demo is for DEBUG on
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    return get_user_model().objects


def pages(people):
    """(who, address) for every page that computes a cached value."""
    channel = Channel.objects.filter(status=Channel.Status.ACTIVE).order_by("pk").first()
    proposals = Proposal.objects.exclude(state=Proposal.State.DRAFT).order_by("pk")
    unit = Unit.objects.filter(head=people.get(username="demo-head")).first()
    office, staff, head = "demo-comms", "demo-staff3", "demo-head"
    return [
        (None, "/directory/"),
        (None, "/directory/?q=library"),
        (None, f"/directory/verify/?url={channel.profile_url}"),
        (None, f"/api/verify?url={channel.profile_url}"),
        (staff, "/"),
        (staff, "/registry/"),
        (staff, "/registry/?q=news"),
        (staff, "/metrics/"),
        (office, "/"),
        (office, "/metrics/"),
        (office, "/review/"),
        (head, "/review/"),
        (staff, "/proposals/"),
        (office, "/proposals/?state=in_review"),
        (head, f"/metrics/units/{unit.pk}/report/"),
        *[(office, proposal.get_absolute_url()) for proposal in proposals],
        *[(proposal.submitter.username, proposal.get_absolute_url()) for proposal in proposals],
    ]


def test_every_cached_value_reads_only_its_declared_inputs(university, client):
    read = {name: set() for name in caching.DECLARED}

    def record(execute, sql, params, many, context):
        for cached in caching.computing():
            read[cached.name] |= set(_TABLES.findall(sql))
        return execute(sql, params, many, context)

    for username, address in pages(university):
        cache.clear()
        client.logout()
        if username:
            client.force_login(university.get(username=username))
        with connection.execute_wrapper(record):
            response = client.get(address)
        assert response.status_code == 200, address

    undeclared = {
        name: sorted(tables - caching.DECLARED[name].tables())
        for name, tables in read.items()
        if tables - caching.DECLARED[name].tables()
    }
    assert undeclared == {}, "cached values read tables they do not declare as inputs"
    # Every declared value was computed by one of the pages (none is left unchecked).
    assert sorted(name for name, tables in read.items() if not tables) == []


def _instance(input_):
    model = input_.model_class()
    for instance in model.objects.order_by("pk")[:500]:
        if input_.when is None or input_.when(instance):
            return instance
    if input_.when is None:
        return model()  # none in the demo (a reviewer's comment): one not saved yet
    raise AssertionError(f"the demo has no {input_.model} to change for {input_}")


def _saved(instance, **kwargs):
    """Save ``instance`` as the portal would: append-only rows are only ever added, so
    for them (and for a row not saved yet) the signal of an addition is sent."""
    if isinstance(instance, AppendOnlyModel) or instance.pk is None:
        post_save.send(type(instance), instance=instance, created=True, update_fields=None)
    else:
        instance.save(**kwargs)


def _drops(cached, input_, people):
    """Whether a change of ``input_`` drops ``cached``'s values (the reason if not)."""
    if input_.m2m:
        group = Group.objects.create(name=f"Cache test {cached.name}")
        before = cached.current()
        getattr(people.get(username="demo-staff"), input_.m2m).add(group)
        return cached.current() > before or "adding to it did not bump the version"
    instance = _instance(input_)
    if input_.per_person:
        key = cached.key(getattr(instance, input_.per_person))
        cache.set(key, "stale")
        _saved(instance)
        return cache.get(key) is None or "saving one did not drop the person's entry"
    before = cached.current()
    if input_.fields is not None:
        # A save of another field (a person's sign-in, a channel's details) leaves it.
        other = next(
            field.name
            for field in type(instance)._meta.concrete_fields
            if not field.primary_key and field.name not in input_.fields
        )
        instance.save(update_fields=[other])
        if cached.current() != before:
            return f"saving {other} alone bumped the version"
        instance.save(update_fields=sorted(input_.fields))
    else:
        _saved(instance)
    if cached.current() == before:
        return "saving one did not bump the version"
    if input_.receivers:
        before = cached.current()
        post_delete.send(type(instance), instance=instance)
        return cached.current() > before or "deleting one did not bump the version"
    return True


def test_a_change_of_each_input_drops_the_value(university):
    failures = {}
    for name, cached in sorted(caching.DECLARED.items()):
        for input_ in cached.inputs:
            dropped = _drops(cached, input_, university)
            if dropped is not True:
                failures[f"{name} <- {input_.model}"] = dropped
    assert failures == {}


def test_within_a_request_the_versions_are_read_once_and_again_after_a_bump(monkeypatch):
    first, second = caching.CacheVersion("test:first"), caching.CacheVersion("test:second")
    first.bump()
    asked = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: asked.append(keys) or get_many(keys))
    caching.request_started()
    try:
        assert (first.current(), second.current()) == (1, 0)
        assert (first.current(), second.current()) == (1, 0)
        assert len(asked) == 1 and {first.key, second.key} <= set(asked[0])
        cache.incr(first.key)  # another process's change: seen by the next request
        assert first.current() == 1
        second.bump()  # this request's own change: seen at once
        assert second.current() == 1
    finally:
        caching.request_finished()
    assert first.current() == 2  # outside a request, every read asks the cache


def test_the_code_fingerprint_follows_code_templates_and_catalogues_not_tests(tmp_path):
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "tests").mkdir()
    (app / "views.py").write_text("ROWS = 1\n")
    (app / "templates" / "page.html").write_text("<p>{{ rows }}</p>")
    (app / "tests" / "test_views.py").write_text("")
    first = caching.fingerprint([app])
    assert caching.fingerprint([app]) == first
    (app / "tests" / "test_views.py").write_text("assert True\n")
    (app / "notes.md").write_text("not code")
    assert caching.fingerprint([app]) == first
    (app / "templates" / "page.html").write_text("<p>{{ rows|length }}</p>")
    assert caching.fingerprint([app]) != first


def test_a_value_stored_by_other_code_is_not_read(monkeypatch, db):
    cached = caching.Cached("test:shape", inputs=[], timeout=60)
    caching.code_version.cache_clear()
    monkeypatch.setattr(caching, "fingerprint", lambda roots: "before")
    assert cached.get(["page"], lambda: {"rows": []}) == {"rows": []}
    caching.code_version.cache_clear()
    monkeypatch.setattr(caching, "fingerprint", lambda roots: "after")
    # The new code's value has a key the old one lacked; it is computed, not read.
    assert cached.get(["page"], lambda: {"rows": [], "changes": {}}) == {"rows": [], "changes": {}}
    caching.code_version.cache_clear()
    caching.DECLARED.pop("test:shape")
