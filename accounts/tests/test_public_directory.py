import re

import pytest

from portal.tests.factories import make_channel, make_unit

URL = "/directory/"


@pytest.fixture
def physics(db):
    return make_unit(name="Department of Physics")


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
