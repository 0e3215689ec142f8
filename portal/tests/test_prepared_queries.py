"""core.prepared: a query's SQL built once, then run with other ids, answers what Django
would have answered, in one query and without building the SQL again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Channel, ChannelEvent, ChannelRole, ChannelVerification
from core.prepared import PreparedQueries
from portal.tests.factories import make_channel, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels():
    unit = make_unit()
    owner = make_user(first_name="Olga", last_name="Owner")
    deputy = make_user(is_active=False)
    first = make_channel(unit=unit, owner=owner, deputy=deputy)
    second = make_channel(unit=unit, owner=deputy)
    ChannelVerification.objects.create(channel=first, state="verified", evidence={"field": "x"})
    for n in range(3):
        ChannelEvent.objects.create(channel=first, action="edited", actor=owner, comment=f"{n}")
    ChannelEvent.objects.create(channel=second, action="edited", comment="by the portal")
    return [first, second]


def _fields(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_model_instances_with_their_related_objects_as_django_makes_them(channels):
    queries = PreparedQueries()

    def build(pk):
        return Channel.objects.select_related("unit", "verification").filter(pk=pk).order_by()

    for channel in channels:
        expected = build(channel.pk).get()
        with CaptureQueriesContext(connection) as captured:
            [found] = queries.run("channel", build, channel.pk)
            unit = found.unit
            verification = getattr(found, "verification", None)
        assert len(captured) == 1
        assert type(found) is Channel and found._state.db == "default"
        assert not found._state.adding
        assert _fields(found) == _fields(expected)
        assert _fields(unit) == _fields(expected.unit)
        expected_verification = getattr(expected, "verification", None)
        assert (verification is None) == (expected_verification is None)
        if verification is not None:
            # A JSON field: its converter ran.
            assert verification.evidence == {"field": "x"}
            assert _fields(verification) == _fields(expected_verification)


def test_deferred_fields_and_values_lists(channels):
    queries = PreparedQueries()
    fields = ["channel_id", "kind", "started_at", "ended_at", "user", "user__username"]

    def roles(pk):
        return (
            ChannelRole.objects.filter(channel_id=pk)
            .select_related("user")
            .only(*fields)
            .order_by("kind")
        )

    def events(pk):
        return ChannelEvent.objects.filter(channel_id=pk).values_list(
            "at", "comment", "actor__first_name"
        )

    def comments(pk):
        return ChannelEvent.objects.filter(channel_id=pk).values_list("comment", flat=True)

    for channel in channels:
        found = queries.run("roles", roles, channel.pk)
        assert [(r.pk, r.kind, r.user.username) for r in found] == [
            (r.pk, r.kind, r.user.username) for r in roles(channel.pk)
        ]
        assert all(
            r.get_deferred_fields() == roles(channel.pk)[0].get_deferred_fields() for r in found
        )
        assert queries.run("events", events, channel.pk) == list(events(channel.pk))
        assert queries.run("comments", comments, channel.pk) == list(comments(channel.pk))


def test_the_sql_is_built_once_per_key(channels, monkeypatch):
    queries = PreparedQueries()
    built = []

    def build(pk):
        built.append(pk)
        return Channel.objects.filter(pk=pk).values_list("name", flat=True)

    assert queries.run("name", build, channels[0].pk) == [channels[0].name]
    assert queries.run("name", build, channels[1].pk) == [channels[1].name]
    assert queries.run("name", build, 0) == []
    assert len(built) == 1
    queries.run("other", build, channels[0].pk)
    assert len(built) == 2


def test_a_query_that_matches_nothing_runs_none(channels):
    queries = PreparedQueries()
    with CaptureQueriesContext(connection) as captured:
        for channel in channels:
            assert (
                queries.run("none", lambda pk: Channel.objects.none().filter(pk=pk), channel.pk)
                == []
            )
    assert len(captured) == 0


def test_what_it_cannot_prepare_is_refused(channels):
    queries = PreparedQueries()
    with pytest.raises(ValueError):
        # The id does not reach the SQL as a parameter.
        queries.run("sliced", lambda n: Channel.objects.all()[:n], 5)
    with pytest.raises(ValueError):
        queries.run(
            "prefetch", lambda pk: Channel.objects.prefetch_related("roles").filter(pk=pk), 1
        )
    with pytest.raises(ValueError):
        queries.run("values", lambda pk: Channel.objects.filter(pk=pk).values("name"), 1)
    with pytest.raises(ValueError):
        # Django would write "IS NULL".
        queries.run("null", lambda pk: Channel.objects.filter(origin_proposal_id=pk), None)


def test_string_values_reach_the_sql_where_django_puts_them(channels):
    queries = PreparedQueries()

    def build(platform, handle):
        matches = Channel.objects.filter(platform=platform, handle__iexact=handle)
        return (matches.filter(status="active") | matches.filter(status="closed")).order_by("pk")

    for channel in channels:
        found = queries.run("handle", build, channel.platform, channel.handle.upper())
        assert found == [channel]
    assert queries.run("handle", build, "mastodon", channels[0].handle) == []
