"""In a browser: the owner copies the field the channel page asks for into the profile
(the stand-in Mastodon server), the daily check runs against that server, and the
public directory then says that the account links back. The same for a YouTube channel,
whose description the daily collection reads."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics import tasks
from portal.tests.browser import fill_sign_in
from portal.tests.factories import PASSWORD, make_channel, make_unit, make_user

pytestmark = pytest.mark.browser


def test_the_owner_adds_the_field_and_the_directory_shows_the_account_verified(
    page, fake_api, transactional_db, settings
):
    settings.PORTAL_ORGANISATION_NAME = "Fictional University"
    owner = make_user(username="owner")
    unit = make_unit(name="School of Engineering")
    channel = make_channel(
        unit=unit,
        owner=owner,
        name="Engineering on Mastodon",
        platform="mastodon",
        profile_url="https://mastodon.example/@engineering",
    )

    page.goto("/login/")
    fill_sign_in(page, "owner", PASSWORD)
    page.goto(f"/registry/{channel.pk}/")
    section = page.get_by_test_id("links-back")
    expect(section).to_contain_text("does not link back to this page yet")
    label = section.get_by_label("Label").input_value()
    address = section.get_by_label("Content").input_value()
    assert (label, address) == (
        "Fictional University",
        f"{settings.PORTAL_BASE_URL}/c/{channel.pk}/",
    )

    # The owner saves the field; the server checks the page and verifies it.
    fake_api.profile_fields["engineering"] = [
        {
            "name": label,
            "value": f'<a href="{address}" rel="nofollow noopener me">{address}</a>',
            "verified_at": "2026-12-06T03:00:00.000Z",
        }
    ]
    assert tasks.verify_all.delay().get() == 1

    page.goto("/directory/")
    entry = page.get_by_test_id("channel").filter(has_text="Engineering on Mastodon")
    entry.get_by_role("link", name="links back to us").click()
    expect(page).to_have_url(re.compile(rf"/c/{channel.pk}/$"))
    expect(page.get_by_test_id("verification-state")).to_contain_text(
        "its platform has confirmed the link"
    )


def test_the_owner_copies_the_address_into_the_youtube_description_and_it_is_verified(
    page, fake_api, transactional_db, settings
):
    settings.YOUTUBE_API_KEY = "test-youtube-key"
    owner = make_user(username="owner")
    channel = make_channel(
        unit=make_unit(name="School of Engineering"),
        owner=owner,
        name="Engineering on YouTube",
        platform="youtube",
        handle="engineering",
        profile_url="https://www.youtube.com/@engineering",
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.goto("/login/")
    fill_sign_in(page, "owner", PASSWORD)
    page.goto(f"/registry/{channel.pk}/")
    section = page.get_by_test_id("links-back")
    expect(section).to_contain_text("channel's description")
    section.get_by_role("button", name="Copy").click()
    expect(section.get_by_role("button", name="Copied")).to_be_visible()
    address = page.evaluate("navigator.clipboard.readText()")
    assert address == f"{settings.PORTAL_BASE_URL}/c/{channel.pk}/"

    # The owner pastes it into the channel's description; the next collection reads it.
    fake_api.youtube_descriptions["engineering"] = f"Engineering news. Official: {address}"
    day = timezone.localdate().isoformat()
    assert tasks.collect_channel.delay(channel.pk, day).get() == "ok"

    page.reload()
    expect(page.get_by_test_id("verification-state")).to_contain_text(
        "profile gives the address of this page"
    )
    expect(section).to_contain_text("the profile’s bio or description links to this channel’s page")
