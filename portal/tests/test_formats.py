"""Dates and numbers in the language of the page, and never in addresses, attributes
or exports."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import override

from accounts.models import Channel
from metrics.models import Snapshot
from portal.tests.factories import make_channel

DAY = datetime.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("language", "short", "long", "month"),
    [
        ("en", "2026-06-01", "1 June 2026", "June 2026"),
        ("sv", "2026-06-01", "1 juni 2026", "juni 2026"),
    ],
)
def test_dates_follow_the_language(language, short, long, month):
    with override(language):
        assert [
            date_format(DAY, "SHORT_DATE_FORMAT"),
            date_format(DAY, "DATE_FORMAT"),
            date_format(DAY, "YEAR_MONTH_FORMAT"),
            date_format(datetime.datetime(2026, 6, 1, 14, 5), "SHORT_DATETIME_FORMAT"),
        ] == [short, long, month, f"{short} 14:05"]


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", ["12,345", "12,345.5", "—"]), ("sv", ["12\xa0345", "12\xa0345,5", "—"])],
)
def test_figures_group_digits_as_the_language_does(language, shown):
    template = Template("{% load metrics %}{{ a|figure }}|{{ b|figure:1 }}|{{ c|figure }}")
    with override(language):
        assert template.render(Context({"a": 12345, "b": 12345.5, "c": None})).split("|") == shown


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "Page 1,001 of 2,000"), ("sv", "Sida 1\xa0001 av 2\xa0000")]
)
def test_page_numbers_in_addresses_are_never_localised(language, shown, settings):
    # Even with grouping switched on for every number, ?page=1001 stays a number.
    settings.USE_THOUSAND_SEPARATOR = True
    page = Paginator(range(200_000), 100).page(1001)
    with override(language):
        html = render_to_string("accounts/_pagination.html", {"page": page, "query": "q=x"})
    assert re.findall(r'href="([^"]+)"', html) == ["?q=x&amp;page=1000", "?q=x&amp;page=1002"]
    assert f'<span class="page-link">{shown}</span>' in html


@pytest.fixture
def channel_with_figures(unit, submitter, deputy):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        name="Engineering news",
        approved_on=DAY,
        recertification_due_on=datetime.date(2027, 6, 1),
    )
    channel.roles.update(started_at=datetime.datetime(2026, 6, 2, 9, tzinfo=datetime.UTC))
    Snapshot.objects.create(
        channel=channel,
        date=datetime.date(2026, 11, 20),
        followers=12345,
        posts=1208,
        source="manual",
    )
    return channel


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                '<dt class="col-sm-5">Approved on</dt><dd class="col-sm-7">1 June 2026</dd>',
                "(since 2026-06-02)",
                "Latest figures, 2026-11-20",
                '<dt class="col-sm-5">Followers</dt><dd class="col-sm-7">12,345</dd>',
                '<dt class="col-sm-5">Posts</dt><dd class="col-sm-7">1,208</dd>',
            ],
        ),
        (
            "sv",
            [
                '<dt class="col-sm-5">Godkänd den</dt><dd class="col-sm-7">1 juni 2026</dd>',
                "(sedan 2026-06-02)",
                "Senaste siffrorna, 2026-11-20",
                '<dt class="col-sm-5">Följare</dt><dd class="col-sm-7">12\xa0345</dd>',
                '<dt class="col-sm-5">Inlägg</dt><dd class="col-sm-7">1\xa0208</dd>',
            ],
        ),
    ],
)
def test_the_channel_page_shows_dates_and_figures_in_the_language(
    client, submitter, channel_with_figures, language, expected
):
    client.force_login(submitter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(f"/registry/{channel_with_figures.pk}/").content.decode()
    assert [text for text in expected if text not in html] == []


def test_the_registry_export_stays_machine_readable_in_swedish(
    client, reviewer, channel_with_figures
):
    client.force_login(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    rows = client.get("/registry/export.csv").getvalue().decode().splitlines()
    assert rows[1].split(",")[10:12] == ["2027-06-01", ""]


@pytest.mark.parametrize(
    ("language", "directory", "registry"),
    [
        ("en", "1,000 official accounts.", "1,000 channels"),
        ("sv", "1\xa0000 officiella konton.", "1\xa0000 kanaler"),
    ],
)
def test_the_counts_of_the_directory_and_registry_group_their_digits(
    client, unit, submitter, language, directory, registry
):
    Channel.objects.bulk_create(
        Channel(
            name=f"Channel {n}",
            platform="instagram",
            profile_url=f"https://www.instagram.com/channel{n}/",
            unit=unit,
            status="active",
        )
        for n in range(1000)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    public = client.get("/directory/").content.decode()
    client.force_login(submitter)
    internal = client.get("/registry/").content.decode()
    assert re.search(r'data-testid="result-count">\s*(.+?)\s*</p>', public)[1] == directory
    assert re.search(r'data-testid="result-count">(.+?)</p>', internal)[1] == registry
