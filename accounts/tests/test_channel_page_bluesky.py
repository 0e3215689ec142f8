"""What a Bluesky channel's page in the registry tells its owner about the handle check
(accounts/templatetags/atproto.py): the DNS record to add, the portal's own answer at
the well-known address, and what the latest check found, in words."""

import datetime

import pytest

from accounts.models import ChannelVerification
from portal.tests.factories import make_channel

HANDLE = "news.example.edu"
DID = "did:plc:fictuni7xq3kzm2r5v4w6yab"
OTHER_DID = "did:plc:impostor2xq3kzm2r5v4w6ya"


@pytest.fixture
def bluesky(unit, submitter, deputy, settings):
    settings.PORTAL_HANDLE_DOMAINS = ["example.edu"]
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        platform="bluesky",
        name="News on Bluesky",
        handle=HANDLE,
        profile_url=f"https://bsky.app/profile/{HANDLE}",
        platform_id=DID,
        is_public=True,
    )


def page(client, person, channel):
    client.force_login(person)
    return client.get(f"/registry/{channel.pk}/").content.decode()


def test_the_owner_is_given_the_exact_txt_record_and_told_the_portal_answers(
    client, submitter, bluesky
):
    html = page(client, submitter, bluesky)

    assert f'readonly value="_atproto.{HANDLE}" data-testid="atproto-record-name"' in html
    assert f'readonly value="did={DID}" data-testid="atproto-record-value"' in html
    assert f"The portal already answers for the handle at https://{HANDLE}/.well-known/" in html
    assert 'data-state="not_yet"' in html


def test_a_handle_outside_the_organisations_domains_is_told_to_move(client, submitter, bluesky):
    type(bluesky).objects.filter(pk=bluesky.pk).update(handle="news.bsky.social")
    html = page(client, submitter, bluesky)
    assert "a name under one of the organisation's domains (example.edu)" in html
    assert "atproto-record-name" not in html


def test_without_a_did_the_owner_is_told_the_check_will_learn_it(client, submitter, bluesky):
    type(bluesky).objects.filter(pk=bluesky.pk).update(platform_id="")
    html = page(client, submitter, bluesky)
    assert "The portal does not know the account's DID" in html
    assert "atproto-record-name" not in html


def test_without_handle_domains_the_owner_is_told_why_nothing_can_be_done(
    client, submitter, bluesky, settings
):
    settings.PORTAL_HANDLE_DOMAINS = []
    html = page(client, submitter, bluesky)
    assert "have not named those domains yet" in html


def test_the_last_checks_findings_are_shown_in_words(client, submitter, bluesky):
    ChannelVerification.record(
        bluesky,
        day=datetime.date(2026, 11, 20),
        linked=False,
        evidence={
            "method": "atproto-handle",
            "handle": HANDLE,
            "did": DID,
            "profile_handle": "news.bsky.social",
            "profile_found": True,
            "domain": "example.edu",
            "dns": {"finding": "other", "did": OTHER_DID, "record": f"_atproto.{HANDLE}"},
            "https": {
                "finding": "absent",
                "did": "",
                "url": f"https://{HANDLE}/.well-known/atproto-did",
                "status": 404,
            },
        },
    )
    html = page(client, submitter, bluesky)

    assert f"DNS record _atproto.{HANDLE}: names another account ({OTHER_DID})." in html
    assert (
        f"https://{HANDLE}/.well-known/atproto-did: no DID there (the server answered 404)." in html
    )
    assert f"Bluesky shows the account {DID} with another handle: news.bsky.social." in html
