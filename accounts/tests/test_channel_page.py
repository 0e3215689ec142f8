"""A public channel's page (/c/<id>/): the address its account links to, built so that
Mastodon's link check (verify_link_service.rb) finds the account on it."""

import datetime
import re
from html.parser import HTMLParser

import pytest

from accounts.models import ChannelVerification, page_url
from portal.tests.factories import make_channel

PROFILE = "https://mastodon.example/@engineering"


class RelMe(HTMLParser):
    """The links Mastodon reads on a page, as served (it runs no script): every <a> or
    <link> whose rel, split on white space, contains "me" (its XPath:
    contains(concat(" ", normalize-space(@rel), " "), " me "))."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and "me" in (attrs.get("rel") or "").split():
            self.links.append(attrs.get("href"))

    handle_startendtag = handle_starttag


def parsed(response):
    parser = RelMe()
    parser.feed(response.content.decode())
    parser.close()
    return parser


@pytest.fixture
def mastodon(unit, submitter, deputy):
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        name="Engineering on Mastodon",
        platform="mastodon",
        profile_url=PROFILE,
    )


def test_the_page_has_exactly_one_rel_me_link_and_it_is_the_accounts_address(client, mastodon):
    response = client.get(f"/c/{mastodon.pk}/")

    assert response.status_code == 200
    page = parsed(response)
    assert page.links == [PROFILE]
    # Mastodon reads at most 1 MB of the page.
    assert len(response.content) < 1024 * 1024
    assert "Content-Security-Policy" in response
    assert f'data-testid="account-link">{PROFILE}</a>' in response.content.decode()


def test_the_pages_address_is_absolute_and_stable(settings, mastodon):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    assert page_url(mastodon) == f"https://portal.example.org/c/{mastodon.pk}/"


@pytest.mark.parametrize(
    "fields", [{"status": "closed"}, {"status": "planned"}, {"is_public": False}]
)
def test_a_channel_not_in_the_directory_has_no_page(client, unit, fields):
    channel = make_channel(unit=unit, platform="mastodon", profile_url=PROFILE, **fields)
    assert client.get(f"/c/{channel.pk}/").status_code == 404


def test_the_page_says_whether_the_account_links_back(client, mastodon):
    html = client.get(f"/c/{mastodon.pk}/").content.decode()
    assert 'data-state="not_yet"' in html

    ChannelVerification.record(mastodon, day=datetime.date(2026, 11, 20), linked=True, evidence={})
    html = client.get(f"/c/{mastodon.pk}/").content.decode()
    assert 'data-state="verified"' in html


def test_a_platform_without_link_checks_says_so(client, unit):
    channel = make_channel(
        unit=unit, platform="tiktok", handle="eng", profile_url="https://www.tiktok.com/@eng"
    )
    html = client.get(f"/c/{channel.pk}/").content.decode()
    assert 'data-state="not_possible"' in html
    assert parsed(client.get(f"/c/{channel.pk}/")).links == [channel.profile_url]


def test_the_directory_says_which_accounts_link_back(client, mastodon, unit):
    other = make_channel(unit=unit, platform="mastodon", name="Quiet one")
    day = datetime.date(2026, 11, 20)
    ChannelVerification.record(mastodon, day=day, linked=True, evidence={})
    ChannelVerification.record(other, day=day, linked=None, evidence={})

    html = client.get("/directory/").content.decode()

    assert html.count('data-testid="links-back"') == 1
    assert f'<a href="/c/{mastodon.pk}/" data-testid="links-back">links back to us</a>' in html


def test_the_directory_still_makes_two_queries_with_verification_states(
    client, mastodon, unit, django_assert_num_queries
):
    for number in range(5):
        channel = make_channel(unit=unit, platform="mastodon", name=f"M {number}")
        ChannelVerification.record(
            channel, day=datetime.date(2026, 11, 20), linked=True, evidence={}
        )
    with django_assert_num_queries(2):
        client.get("/directory/")


def test_the_registry_page_tells_the_owner_what_to_put_in_the_profile(
    client, submitter, mastodon, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    settings.PORTAL_ORGANISATION_NAME = "Fictional University"
    client.force_login(submitter)

    html = client.get(f"/registry/{mastodon.pk}/").content.decode()

    assert 'id="links-back-label" type="text" readonly value="Fictional University"' in html
    assert f'readonly value="https://portal.example.org/c/{mastodon.pk}/"' in html
    assert 'data-state="not_yet"' in html


def test_the_registry_page_shows_the_last_checks_evidence(client, submitter, mastodon):
    ChannelVerification.record(
        mastodon,
        day=datetime.date(2026, 11, 20),
        linked=False,
        evidence={"field": "Official", "verified_at": ""},
    )
    client.force_login(submitter)
    html = client.get(f"/registry/{mastodon.pk}/").content.decode()
    assert "the field “Official” links to this channel's page, but the server" in html


def test_the_office_lists_the_channels_that_no_longer_link_back(client, reviewer, unit, mastodon):
    still = make_channel(unit=unit, platform="mastodon", name="Still linked")
    day = datetime.date(2026, 11, 20)
    for channel in (mastodon, still):
        ChannelVerification.record(channel, day=day, linked=True, evidence={})
    ChannelVerification.record(
        mastodon, day=day + datetime.timedelta(days=1), linked=False, evidence={}
    )
    client.force_login(reviewer)

    html = client.get("/registry/?link_broken=true").content.decode()

    assert "Engineering on Mastodon" in html
    assert "Still linked" not in html
    assert 'id="flag-link_broken" checked' in html


def test_the_registry_says_in_words_whether_each_account_links_back(
    client, reviewer, unit, mastodon
):
    make_channel(unit=unit, platform="mastodon", name="Never checked")
    make_channel(unit=unit, platform="tiktok", name="On TikTok")
    linked = make_channel(unit=unit, platform="mastodon", name="Linked")
    day = datetime.date(2026, 11, 20)
    for channel in (mastodon, linked):
        ChannelVerification.record(channel, day=day, linked=True, evidence={})
    ChannelVerification.record(
        mastodon, day=day + datetime.timedelta(days=1), linked=False, evidence={}
    )
    client.force_login(reviewer)

    page = client.get("/registry/").content.decode()

    assert '<th scope="col">Links back</th>' in page
    cells = dict(
        re.findall(r'>([^<>]+)</a><br>.*?data-testid="verification"[^>]*>([^<]+)<', page, re.S)
    )
    assert cells == {
        "Engineering on Mastodon": "Verification broken",
        "Linked": "Verified",
        "Never checked": "Not yet verified",
        "On TikTok": "Not possible on this platform",
    }


@pytest.mark.parametrize(
    "platform, handle, words",
    [
        ("youtube", "", "profile gives the address of this page"),
        (
            "bluesky",
            "news.fictional.example",
            "handle is a name under the organisation’s own domain",
        ),
        ("mastodon", "", "its platform has confirmed the link"),
    ],
)
def test_the_public_page_says_how_a_verified_account_links_back(
    client, unit, platform, handle, words
):
    extra = {"handle": handle} if handle else {}
    channel = make_channel(unit=unit, platform=platform, name=f"On {platform}", **extra)
    ChannelVerification.record(channel, day=datetime.date(2026, 11, 20), linked=True, evidence={})
    page = client.get(f"/c/{channel.pk}/").content.decode()
    assert words in page
