"""An owner connects a Facebook Page in a real browser: the token page's button, the
platform's consent page (the local authorization server), and back, under the portal's
Content Security Policy."""

import copy

import pytest
from playwright.sync_api import expect

from metrics.models import ChannelToken
from portal.tests.factories import make_channel

from .oauth_server import CLIENTS, FakeAuthorizationServer

PAGE_ID = "104857600"


@pytest.mark.browser
def test_an_owner_connects_a_facebook_page_in_the_browser(
    page, client, live_server, settings, transactional_db, unit, submitter, deputy
):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        platform="facebook",
        profile_url=f"https://www.facebook.com/profile.php?id={PAGE_ID}",
        platform_id=PAGE_ID,
    )
    with FakeAuthorizationServer() as server:
        server.pages = [{"id": PAGE_ID, "name": "Engineering"}]
        settings.METRICS_OAUTH_BASE_URL = server.url
        settings.METRICS_OAUTH_CLIENTS = dict(CLIENTS)
        settings.PORTAL_BASE_URL = live_server.url
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(server.url)
        settings.CONTENT_SECURITY_POLICY = policy
        client.force_login(submitter)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

        page.goto(f"/metrics/channels/{channel.pk}/token/")
        page.get_by_role("button", name="Connect with Facebook").click()

        expect(page.get_by_text("The channel is connected as Alice Owner.")).to_be_visible()
        expect(page.get_by_test_id("connected-as")).to_contain_text(
            "Connected as Alice Owner, with no end date."
        )
        expect(page.get_by_role("button", name="Reconnect with Facebook")).to_be_visible()
    assert ChannelToken.objects.get().value.startswith(f"page-{PAGE_ID}-")
