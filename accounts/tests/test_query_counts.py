"""The registry's list pages make the same number of queries for 10 or 10,000 channels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.caching import DIRECTORY, REGISTRY
from accounts.models import Channel, ChannelRole
from portal.tests.factories import make_unit, make_user

PAGES = [
    "/registry/",
    "/registry/?q=news&platform=instagram&sort=-due&no_deputy=true",
    "/registry/?page=3",
    "/directory/",
    "/directory/?q=news",
    "/directory.json",
    "/",
]


def add_channels(count, *, start, units, owner, deputy):
    channels = Channel.objects.bulk_create(
        Channel(
            name=f"News channel {n}",
            platform="instagram",
            profile_url=f"https://www.instagram.com/news.{n}/",
            handle=f"news.{n}",
            unit=units[n % len(units)],
            status="active",
        )
        for n in range(start, start + count)
    )
    ChannelRole.objects.bulk_create(
        ChannelRole(channel=channel, user=person, kind=kind)
        for channel in channels
        for person, kind in [(owner, "owner"), (deputy, "deputy")]
    )
    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum gives a live database; without them the
        # planner takes 10,000 fresh rows for none and picks nested loops (25 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_channel, accounts_channelrole, auth_user")


def queries(client, path):
    # The pages as computed, not as cached (bulk_create sends no signal to drop them).
    DIRECTORY.version.bump()
    REGISTRY.version.bump()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_a_list_page_makes_the_same_queries_for_10_or_10000_channels(client, reviewer, path):
    units = [make_unit() for _ in range(5)]
    owner, deputy = make_user(), make_user()
    add_channels(10, start=0, units=units, owner=owner, deputy=deputy)
    client.force_login(reviewer)
    client.get(path)  # warm the cached counts
    with_10 = queries(client, path)
    add_channels(9_990, start=10, units=units, owner=owner, deputy=deputy)
    client.get(path)
    assert queries(client, path) == with_10
