import datetime
import re

import pytest
import time_machine

from accounts.caching import DIRECTORY
from accounts.models import Channel
from portal.tests.factories import make_channel, make_user

URL = "/directory/"


def channel_names(response):
    return re.findall(
        r'data-testid="channel">\s*<strong>([^<]+)</strong>', response.content.decode()
    )


def test_anonymous_visitor_sees_the_directory_with_each_channels_details(client, unit):
    make_channel(unit=unit, name="Engineering News", platform="instagram", handle="eng_news")
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert channel_names(response) == ["Engineering News"]
    assert "<h2" in html and "School of Engineering</h2>" in html
    assert '<h3 class="h6 mt-3 text-body-secondary">Instagram</h3>' in html
    assert (
        '<a href="https://www.instagram.com/eng_news/" rel="noopener">'
        "https://www.instagram.com/eng_news/</a>"
    ) in html
    assert "<code>eng_news</code>" in html
    assert 'href="/directory/verify/"' in html


def test_closed_planned_and_unlisted_channels_are_not_in_the_directory(client, unit):
    make_channel(unit=unit, name="Live", handle="live_one")
    make_channel(unit=unit, name="Resting", handle="resting_one", status="dormant")
    make_channel(unit=unit, name="Gone", handle="gone_one", status="closed")
    make_channel(unit=unit, name="Coming", handle="coming_one", status="planned")
    make_channel(unit=unit, name="Internal", handle="internal_one", is_public=False)
    response = client.get(URL)
    assert channel_names(response) == ["Live", "Resting"]
    html = response.content.decode()
    for hidden in ["gone_one", "coming_one", "internal_one"]:
        assert hidden not in html


def test_channels_are_grouped_by_unit_then_platform_in_name_order(client, unit, physics):
    make_channel(unit=unit, name="B Eng X", platform="x", handle="b_eng")
    make_channel(unit=unit, name="Z Eng Insta", platform="instagram", handle="z_eng")
    make_channel(unit=unit, name="A Eng Insta", platform="instagram", handle="a_eng")
    make_channel(unit=physics, name="Physics Insta", platform="instagram", handle="phys")
    response = client.get(URL)
    assert channel_names(response) == ["Physics Insta", "A Eng Insta", "Z Eng Insta", "B Eng X"]
    headings = re.findall(r"<h([23])[^>]*>([^<]+)</h\1>", response.content.decode())
    assert headings == [
        ("2", "Department of Physics"),
        ("3", "Instagram"),
        ("2", "School of Engineering"),
        ("3", "Instagram"),
        ("3", "X"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aurora", ["Aurora Lab"]),  # name, case-insensitive
        ("LAB_", ["Aurora Lab"]),  # handle
        ("@lab_aurora", ["Aurora Lab"]),  # handle with its @
        ("instagram.com/phys", ["Physics Daily"]),  # address
        ("physics", ["Physics Daily"]),  # unit name
        ("engineering", ["Aurora Lab"]),  # unit name
    ],
)
def test_search_finds_channels_by_name_handle_address_or_unit(
    client, unit, physics, query, expected
):
    make_channel(unit=unit, name="Aurora Lab", platform="x", handle="lab_aurora")
    make_channel(unit=physics, name="Physics Daily", platform="instagram", handle="phys_daily")
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert channel_names(response) == expected
    assert f'value="{query}"' in response.content.decode()


def test_search_says_so_when_nothing_matches(client, unit):
    make_channel(unit=unit, name="Aurora Lab")
    response = client.get(URL, {"q": "nothing like it"})
    assert channel_names(response) == []
    assert "No official account matches your search." in response.content.decode()


def test_search_does_not_reveal_closed_channels(client, unit):
    make_channel(unit=unit, name="Old Aurora", status="closed")
    assert channel_names(client.get(URL, {"q": "aurora"})) == []


def test_the_directory_is_paginated_by_one_hundred(client, unit):
    for number in range(101):
        make_channel(unit=unit, name=f"Channel {number:03}", handle=f"paged_{number:03}")
    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    assert len(channel_names(first)) == 100
    assert channel_names(second) == ["Channel 100"]
    assert "Page 2 of 2" in second.content.decode()


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, unit):
    make_channel(unit=unit, name="Aurora Lab")
    response = client.get(URL, {"page": "abc"})
    assert response.status_code == 200
    assert channel_names(response) == ["Aurora Lab"]


def test_the_directory_makes_the_same_number_of_queries_however_many_channels(
    client, unit, physics, django_assert_num_queries
):
    for number in range(3):
        make_channel(unit=unit, handle=f"few_{number}")
    # the count for the paginator, then the page of channels with their units
    with django_assert_num_queries(2):
        client.get(URL)
    for number in range(150):
        make_channel(unit=unit if number % 2 else physics, handle=f"many_{number}")
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert len(channel_names(response)) == 100
    with django_assert_num_queries(2):
        client.get(URL, {"q": "many", "page": "2"})


def test_the_same_page_again_comes_from_the_cache_without_a_query(
    client, unit, django_assert_num_queries
):
    for number in range(3):
        make_channel(unit=unit, handle=f"again_{number}")
    first = client.get(URL, {"q": "again"})
    with django_assert_num_queries(0):
        again = client.get(URL, {"q": "again"})
    assert channel_names(again) == channel_names(first)
    assert len(channel_names(again)) == 3
    assert "3 accounts match “again”." in again.content.decode()


def test_the_cached_page_is_in_the_visitors_language(client, unit):
    make_channel(unit=unit, name="Aurora Lab")
    assert "1 official account." in client.get(URL).content.decode()
    swedish = client.get(URL, headers={"accept-language": "sv"}).content.decode()
    assert "1 officiellt konto." in swedish


def test_a_channel_renamed_by_its_owner_shows_at_once_in_search_and_order(client, unit):
    first = make_channel(unit=unit, owner=make_user(), name="Aurora One", handle="aurora_one")
    make_channel(unit=unit, name="Aurora Two", handle="aurora_two")
    assert channel_names(client.get(URL, {"q": "aurora"})) == ["Aurora One", "Aurora Two"]
    first.update_details(by=first.owner, name="Zenith Aurora")
    assert channel_names(client.get(URL, {"q": "aurora"})) == ["Aurora Two", "Zenith Aurora"]
    assert channel_names(client.get(URL, {"q": "zenith"})) == ["Zenith Aurora"]
    assert "2 official accounts." in client.get(URL).content.decode()


def test_a_closed_channel_leaves_the_directory_and_its_count_at_once(client, unit, reviewer):
    closing = make_channel(unit=unit, name="Aurora Closing", handle="aurora_closing")
    make_channel(unit=unit, name="Aurora Staying", handle="aurora_staying")
    assert "2 official accounts." in client.get(URL).content.decode()
    closing.close(by=reviewer, reason="Merged into the faculty account.")
    response = client.get(URL)
    assert channel_names(response) == ["Aurora Staying"]
    assert "1 official account." in response.content.decode()
    assert "1 account matches" in client.get(URL, {"q": "aurora"}).content.decode()


def test_a_new_unlisted_or_deleted_channel_shows_at_once(client, unit):
    listed = make_channel(unit=unit, name="Aurora Listed", handle="aurora_listed")
    assert channel_names(client.get(URL)) == ["Aurora Listed"]
    added = make_channel(unit=unit, name="Aurora Added", handle="aurora_added")
    assert channel_names(client.get(URL)) == ["Aurora Added", "Aurora Listed"]
    listed.is_public = False
    listed.save()
    assert channel_names(client.get(URL)) == ["Aurora Added"]
    added.delete()
    assert channel_names(client.get(URL)) == []


def test_a_renamed_unit_shows_at_once_in_search_and_order(client, unit, physics):
    make_channel(unit=unit, name="Engineering Feed", handle="eng_feed")
    make_channel(unit=physics, name="Physics Feed", handle="phys_feed")
    assert channel_names(client.get(URL)) == ["Physics Feed", "Engineering Feed"]
    assert channel_names(client.get(URL, {"q": "aerospace"})) == []
    unit.name = "Aerospace Engineering"
    unit.save()
    assert channel_names(client.get(URL)) == ["Engineering Feed", "Physics Feed"]
    assert channel_names(client.get(URL, {"q": "aerospace"})) == ["Engineering Feed"]


def test_a_saved_channel_drops_the_cached_pages_again_after_commit(
    unit, django_capture_on_commit_callbacks
):
    # Another request may cache the old rows between the save and the commit.
    with django_capture_on_commit_callbacks() as callbacks:
        make_channel(unit=unit, name="Aurora Late", handle="aurora_late")
    assert DIRECTORY.version.bump in callbacks


def test_a_change_that_bypasses_save_shows_after_a_minute_in_a_search_ten_in_the_list(client, unit):
    channel = make_channel(unit=unit, name="Aurora Lab", handle="aurora_lab")
    start = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert channel_names(client.get(URL, {"q": "aurora"})) == ["Aurora Lab"]
        assert channel_names(client.get(URL)) == ["Aurora Lab"]
        Channel.objects.filter(pk=channel.pk).update(name="Aurora Observatory")  # no signal
        clock.shift(59)
        assert channel_names(client.get(URL, {"q": "aurora"})) == ["Aurora Lab"]
        clock.shift(2)
        assert channel_names(client.get(URL, {"q": "aurora"})) == ["Aurora Observatory"]
        assert channel_names(client.get(URL)) == ["Aurora Lab"]
        clock.shift(540)
        assert channel_names(client.get(URL)) == ["Aurora Observatory"]
