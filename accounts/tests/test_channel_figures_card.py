"""The "Figures" card of the channel page: how the figures are gathered, the latest
ones, the latest try to collect them; in the same number of queries whatever there is."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metrics.models import ChannelToken, CollectionAttempt, Snapshot
from metrics.providers.base import Reading
from portal.tests.factories import make_channel

TOKEN = "EAAGm0PX4ZCpsBAFictionalTokenValue1234567890abcdef"


@pytest.fixture
def mastodon(unit, submitter):
    return make_channel(
        unit=unit,
        owner=submitter,
        platform="mastodon",
        profile_url="https://mastodon.example/@fictionaluni",
    )


@pytest.fixture
def instagram(unit, submitter):
    return make_channel(unit=unit, owner=submitter, platform="instagram")


@pytest.fixture
def newsletter(unit, submitter):
    return make_channel(
        unit=unit, owner=submitter, platform="other", profile_url="https://news.example.org/"
    )


def card(client, channel):
    page = html.unescape(client.get(f"/registry/{channel.pk}/").content.decode())
    return page.split('data-testid="figures"', 1)[1].split("</section>", 1)[0]


def attempt(channel, outcome, message="", *, minutes_ago=0):
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return CollectionAttempt.objects.create(
        channel=channel,
        date=at.date(),
        started_at=at,
        finished_at=at,
        outcome=outcome,
        message=message,
    )


def test_a_collected_channel_says_where_its_figures_come_from(client, submitter, mastodon):
    client.force_login(submitter)
    shown = card(client, mastodon)
    assert "Collected automatically from Mastodon every night." in shown
    assert "/figures/" not in shown
    assert "/token/" not in shown
    assert "No figures yet." in shown


def test_a_channel_without_its_token_says_so_with_links_for_its_owner(client, submitter, instagram):
    client.force_login(submitter)
    shown = card(client, instagram)
    assert "Needs a token: figures can be collected automatically from Instagram" in shown
    assert f'href="/metrics/channels/{instagram.pk}/token/">Save a token</a>' in shown
    assert f'href="/metrics/channels/{instagram.pk}/figures/">Enter figures</a>' in shown


def test_where_the_portal_can_sign_in_to_the_platform_the_owner_is_asked_to_connect(
    client, submitter, instagram, settings
):
    settings.METRICS_OAUTH_CLIENTS = {**settings.METRICS_OAUTH_CLIENTS, "meta": ("app", "secret")}
    client.force_login(submitter)
    shown = card(client, instagram)
    assert f'href="/metrics/channels/{instagram.pk}/token/">Connect the account</a>' in shown
    assert "Save a token" not in shown


def test_others_see_how_figures_are_gathered_but_no_links(client, outsider, instagram):
    client.force_login(outsider)
    shown = card(client, instagram)
    assert "Needs a token" in shown
    assert "/metrics/" not in shown


def test_a_refused_token_is_told_and_can_be_replaced(client, submitter, instagram):
    token = ChannelToken.store(channel=instagram, value=TOKEN, expires_on=None, by=submitter)
    token.mark_rejected()
    client.force_login(submitter)
    shown = card(client, instagram)
    today = timezone.localdate().isoformat()
    assert f"The platform refused the stored token on {today}." in shown
    assert "Replace the token</a>" in shown
    assert TOKEN not in shown


def test_a_channel_with_its_token_and_id_is_collected_and_its_token_can_be_replaced(
    client, submitter, instagram
):
    instagram.platform_id = "17841400000000001"
    instagram.save(update_fields=["platform_id"])
    ChannelToken.store(channel=instagram, value=TOKEN, expires_on=None, by=submitter)
    client.force_login(submitter)
    shown = card(client, instagram)
    assert "Collected automatically from Instagram every night." in shown
    assert f'href="/metrics/channels/{instagram.pk}/token/">Replace the token</a>' in shown
    assert "Enter figures" not in shown


def test_a_channel_that_lacks_more_than_a_token_says_what_it_needs(client, submitter, instagram):
    ChannelToken.store(channel=instagram, value=TOKEN, expires_on=None, by=submitter)
    client.force_login(submitter)
    shown = card(client, instagram)
    assert "Entered by hand once a month." in shown
    assert "To collect them automatically the portal needs: The Instagram professional" in shown


def test_a_channel_entered_by_hand_shows_its_latest_figures(client, submitter, newsletter):
    for day, followers in [(datetime.date(2026, 9, 1), 980), (datetime.date(2026, 10, 1), 1010)]:
        Snapshot.objects.record(
            newsletter,
            day,
            Reading(followers=followers),
            source=Snapshot.Source.MANUAL,
            entered_by=submitter,
        )
    client.force_login(submitter)
    shown = card(client, newsletter)
    assert "Entered by hand once a month." in shown
    assert f'href="/metrics/channels/{newsletter.pk}/figures/">Enter figures</a>' in shown
    assert "Latest figures, 2026-10-01" in shown
    for term, value in [("Followers", "1,010"), ("Posts", "—"), ("Source", "Entered by hand")]:
        assert f'<dt class="col-sm-5">{term}</dt><dd class="col-sm-7">{value}</dd>' in shown


def test_a_failed_collection_shows_its_outcome_and_message(client, unit_head, mastodon):
    attempt(mastodon, CollectionAttempt.Outcome.OK, minutes_ago=60 * 24)
    attempt(mastodon, CollectionAttempt.Outcome.UNAVAILABLE, "The account is suspended.")
    client.force_login(unit_head)
    shown = card(client, mastodon)
    assert "Account unavailable" in shown
    assert "The account is suspended." in shown


def test_a_successful_collection_shows_no_message(client, reviewer, mastodon):
    attempt(mastodon, CollectionAttempt.Outcome.OK, "fetched 40 statuses")
    client.force_login(reviewer)
    shown = card(client, mastodon)
    assert "Collected" in shown
    assert "fetched 40 statuses" not in shown


def test_staff_who_may_not_see_the_figures_see_how_they_are_gathered_only(
    client, outsider, newsletter
):
    Snapshot.objects.create(channel=newsletter, date="2026-11-01", source="manual", followers=4321)
    attempt(newsletter, CollectionAttempt.Outcome.UNAVAILABLE, "The account is suspended.")
    client.force_login(outsider)
    shown = card(client, newsletter)
    assert "4321" not in shown and "suspended" not in shown
    assert "The figures are shown to the channel's owner and deputy" in shown


@pytest.mark.parametrize("platform", ["mastodon", "instagram", "newsletter"])
def test_the_channel_page_makes_the_same_queries_with_or_without_figures(
    client, request, reviewer, submitter, platform
):
    channel = request.getfixturevalue(platform)
    client.force_login(reviewer)
    client.get(f"/registry/{channel.pk}/")
    with CaptureQueriesContext(connection) as bare:
        client.get(f"/registry/{channel.pk}/")
    for month in range(1, 13):
        Snapshot.objects.record(
            channel,
            datetime.date(2026, month, 1),
            Reading(followers=month),
            source=Snapshot.Source.MANUAL,
            entered_by=submitter,
        )
        attempt(channel, CollectionAttempt.Outcome.ERROR, "The platform answered 502.")
    ChannelToken.store(channel=channel, value=TOKEN, expires_on=None, by=submitter)
    client.get(f"/registry/{channel.pk}/")  # warm: the reader's facts are cached
    with CaptureQueriesContext(connection) as full:
        client.get(f"/registry/{channel.pk}/")
    # user (session, roles and banners from the cache), the channel with its unit and
    # token, its people (owner and deputy among them), its history; and the card's two:
    # the latest snapshot, the latest attempt
    assert (len(bare), len(full)) == (6, 6)
