"""In a browser: the owner copies the field the channel page asks for into the profile
(the stand-in Mastodon server), the daily check runs against that server, and the
public directory then says that the account links back."""

import re

import pytest
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
