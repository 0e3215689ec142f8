"""An owner presses "collect now" in a real browser and reads the result."""

import re

import pytest
from playwright.sync_api import expect

from metrics import tasks  # noqa: F401  # the outbox hands its tasks over by name
from metrics.fake_api import expected_followers
from portal.tests.browser import fill_sign_in
from portal.tests.factories import PASSWORD, make_channel, make_persona, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owned(settings, fake_api):
    settings.METRICS_RATE_LIMITS = {"default": 1000.0}
    owner = make_persona("submitter")
    channel = make_channel(
        unit=make_unit(name="Computer Science"),
        owner=owner,
        platform="mastodon",
        name="Computer Science",
        profile_url="https://mastodon.example/@cs",
    )
    return owner, channel


def test_an_owner_collects_now_and_reads_the_result(page, owned):
    owner, channel = owned
    page.goto("/login/")
    fill_sign_in(page, owner.username, PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    page.goto(f"/metrics/channels/{channel.pk}/")
    expect(page.get_by_test_id("followers")).to_have_text("—")
    page.get_by_role("button", name="Collect now").click()

    followers = f"{expected_followers('mastodon', 'cs'):,}"
    expect(page.get_by_text("The figures are being collected")).to_be_visible()
    expect(page.get_by_test_id("collect-now-status")).to_contain_text(
        f"Done Collected: {followers} followers."
    )
    expect(page.get_by_test_id("followers")).to_have_text(followers)
    expect(page.get_by_test_id("freshness")).to_contain_text("Collected today.")

    # Pressed again at once: refused with the time it may be asked again.
    page.get_by_role("button", name="Collect now").click()
    expect(page.get_by_text("you can ask again from")).to_be_visible()
