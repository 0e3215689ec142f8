"""In a browser: the owner of a Bluesky channel copies the DNS record its page shows
into the domain's DNS (the local stand-in server), the daily check runs, and the page
then says that the account links back, and why, in words."""

import copy

import pytest
from playwright.sync_api import expect

from metrics import tasks
from portal.tests.browser import fill_sign_in
from portal.tests.factories import PASSWORD, make_channel, make_unit, make_user

from .handle_world import DnsServer, HandleHosts
from .recorded import load

pytestmark = pytest.mark.browser

HANDLE = "news.example.edu"
DID = "did:plc:fictuni7xq3kzm2r5v4w6yab"


def test_the_owner_adds_the_txt_record_and_the_page_shows_the_handle_verified(
    page, transactional_db, settings
):
    owner = make_user(username="owner")
    channel = make_channel(
        unit=make_unit(name="Communications"),
        owner=owner,
        name="News on Bluesky",
        platform="bluesky",
        handle=HANDLE,
        profile_url=f"https://bsky.app/profile/{HANDLE}",
        platform_id=DID,
        is_public=True,
    )
    answer = copy.deepcopy(load("bluesky", "handle_profile")["exchanges"][0]["response"]["json"])
    with DnsServer() as dns_server, HandleHosts() as hosts:
        settings.PORTAL_HANDLE_DOMAINS = ["example.edu"]
        settings.METRICS_DNS_NAMESERVERS = [dns_server.address]
        settings.METRICS_HANDLE_BASE_URL = settings.METRICS_API_BASE_URL = hosts.url
        settings.METRICS_RATE_LIMITS = {"default": 1000.0}
        hosts.profile(DID, answer)

        page.goto("/login/")
        fill_sign_in(page, "owner", PASSWORD)
        page.goto(f"/registry/{channel.pk}/")
        section = page.get_by_test_id("links-back")
        expect(section).to_contain_text("does not link back to this page yet")
        name = section.get_by_label("Name").input_value()
        value = section.get_by_label("Value").input_value()
        assert (name, value) == (f"_atproto.{HANDLE}", f"did={DID}")

        dns_server.zone[name] = [value]  # the owner's IT department adds the record
        assert tasks.verify_all.delay().get() == 1
        assert hosts.problems == []

    page.reload()
    expect(page.get_by_test_id("verification-state")).to_contain_text(
        "a name under the organisation’s own domain that points to this account"
    )
    expect(page.get_by_test_id("last-check")).to_contain_text(
        f"DNS record _atproto.{HANDLE}: names this channel's account."
    )
    expect(page.get_by_test_id("last-check")).to_contain_text(
        f"Bluesky shows the account {DID} with this handle."
    )
