"""The registry's listing is rendered once per query and registry version, and every
change to what it shows shows at once (accounts.caching.REGISTRY)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.caching import REGISTRY
from accounts.models import Channel
from portal.tests.factories import make_channel

URL = "/registry/"


@pytest.fixture
def aurora_lab_channel(unit, submitter, deputy):
    return make_channel(
        unit=unit, owner=submitter, deputy=deputy, name="Aurora Lab", handle="aurora_lab"
    )


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_listing_again_makes_no_query_of_its_own(client, outsider, aurora_lab_channel):
    client.force_login(outsider)
    with CaptureQueriesContext(connection) as first:
        first_html = page(client, q="aurora")
    with CaptureQueriesContext(connection) as again:
        again_html = page(client, q="aurora")
    # The listing's four (units, count, channels, people) and the warning counts.
    assert len(first) - len(again) >= 5
    assert len(again) == 1  # the user
    assert not [q for q in again if "accounts_channel" in q["sql"] and "COUNT" in q["sql"]]
    assert listing(again_html) == listing(first_html)
    assert "Aurora Lab" in listing(again_html)


def table(html):
    return html[html.index("<tbody>") : html.index("</tbody>")]


def listing(html):
    return html[html.index('<form method="get"') : html.index("</main>")]


def test_each_query_and_page_has_its_own_listing(client, outsider, unit, submitter):
    for number in range(55):
        make_channel(unit=unit, owner=submitter, name=f"Zeta {number:02}")
    make_channel(unit=unit, owner=submitter, name="Aurora Lab")
    client.force_login(outsider)
    assert "Aurora Lab" in page(client)
    assert "Aurora Lab" not in page(client, page=2)
    assert "Zeta 54" in page(client, page=2)
    searched = page(client, q="aurora")
    assert "1 channel" in searched and "Zeta" not in searched


def test_the_listing_is_in_the_readers_language(client, outsider, aurora_lab_channel):
    client.force_login(outsider)
    assert "1 channel" in page(client)
    swedish = client.get(URL, headers={"accept-language": "sv"}).content.decode()
    assert "1 kanal" in swedish


def test_the_register_button_is_the_readers_own_under_a_cached_listing(
    client, reviewer, outsider, aurora_lab_channel
):
    client.force_login(reviewer)
    assert "Register a channel" in page(client)
    client.force_login(outsider)
    shared = page(client)
    assert "Register a channel" not in shared and "Aurora Lab" in shared
    client.force_login(reviewer)
    assert "Register a channel" in page(client)


def rename_owner(channel, submitter, **_):
    submitter.first_name = "Solveig"
    submitter.save()
    return "Solveig"


def hand_over(channel, colleague, reviewer, **_):
    colleague.first_name = "Cora"
    colleague.save(update_fields=["first_name"])
    page_before = "Cora"  # the new owner's name
    channel.hand_over(to=colleague, by=reviewer)
    return page_before


def remove_deputy(channel, reviewer, **_):
    channel.set_deputy(to=None, by=reviewer)
    return "No deputy"


def deactivate_owner(channel, submitter, **_):
    submitter.is_active = False
    submitter.save()
    return "Orphaned"


def rename_channel(channel, submitter, **_):
    channel.update_details(by=submitter, name="Aurora Observatory")
    return "Aurora Observatory"


def rename_unit(channel, **_):
    channel.unit.name = "School of Aeronautics"
    channel.unit.save()
    return "School of Aeronautics"


def close(channel, reviewer, **_):
    channel.close(by=reviewer, reason="Merged into the faculty account.")
    return "Closed"


@pytest.mark.parametrize(
    "change",
    [rename_owner, hand_over, remove_deputy, deactivate_owner, rename_channel, rename_unit, close],
)
def test_a_change_to_what_a_row_shows_shows_at_once(
    client, outsider, reviewer, submitter, colleague, aurora_lab_channel, change
):
    client.force_login(outsider)
    before = table(page(client))
    shown = change(aurora_lab_channel, submitter=submitter, colleague=colleague, reviewer=reviewer)
    assert shown not in before
    assert shown in table(page(client))


def test_signing_in_does_not_drop_the_listing(aurora_lab_channel, submitter):
    version = REGISTRY.current()
    submitter.save(update_fields=["last_login"])
    assert REGISTRY.current() == version


@pytest.mark.parametrize(
    "change",
    [
        lambda channel, person: make_channel(unit=channel.unit, name="Another"),
        lambda channel, person: channel.roles.first().delete(),
        lambda channel, person: person.save(update_fields=["last_name"]),
    ],
    ids=["channel saved", "role deleted", "person renamed"],
)
def test_a_change_drops_the_listing_again_after_commit(
    aurora_lab_channel, submitter, change, django_capture_on_commit_callbacks
):
    # Another request may cache the old rows between the change and the commit.
    with django_capture_on_commit_callbacks() as callbacks:
        change(aurora_lab_channel, submitter)
    assert REGISTRY.version.bump in callbacks


def test_the_overdue_mark_appears_the_day_after_the_due_date(client, outsider, aurora_lab_channel):
    Channel.objects.filter(pk=aurora_lab_channel.pk).update(
        recertification_due_on=datetime.date(2026, 11, 20)
    )
    client.force_login(outsider)
    # 23:58 in Stockholm, then 00:01: a new day, although the listing cached two
    # minutes before would keep ten.
    evening = datetime.datetime(2026, 11, 20, 22, 58, tzinfo=datetime.UTC)
    with time_machine.travel(evening, tick=False) as clock:
        assert "Overdue</span>" not in table(page(client))
        clock.shift(180)
        assert "Overdue</span>" in table(page(client))


def test_a_change_that_bypasses_save_shows_after_a_minute_in_a_search_ten_in_the_list(
    client, outsider, aurora_lab_channel
):
    start = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(outsider)
        assert "Aurora Lab" in page(client, q="aurora")
        assert "Aurora Lab" in page(client)
        Channel.objects.filter(pk=aurora_lab_channel.pk).update(
            name="Aurora Observatory"
        )  # no signal
        clock.shift(59)
        assert "Aurora Lab" in page(client, q="aurora")
        clock.shift(2)
        assert "Aurora Observatory" in page(client, q="aurora")
        assert "Aurora Lab" in page(client)
        clock.shift(540)
        assert "Aurora Observatory" in page(client)
