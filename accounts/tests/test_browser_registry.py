"""Journeys through the registry in a real browser, on the demo data."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Channel
from portal.tests.browser import fill_sign_in

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/login/")
    fill_sign_in(page, username)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_the_office_finds_an_orphaned_channel_and_hands_it_over(page, demo_data):
    orphans = Channel.objects.orphaned().count()
    sign_in(page, "demo-comms")

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Registry"
    ).click()
    page.get_by_label("Orphaned").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("result-count")).to_have_text(f"{orphans} channels")

    first = page.locator("tbody").get_by_role("link").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("alert").filter(has_text="no responsible owner")).to_be_visible()

    page.get_by_role("link", name="Hand over").click()
    page.get_by_label("New responsible owner").fill("demo-former")
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_text("Frida Former no longer has an active account.")).to_be_visible()

    page.get_by_label("New responsible owner").fill("demo-staff3")
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_text("Sara Social is now the responsible owner.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="no responsible owner")).to_have_count(0)
    assert Channel.objects.orphaned().count() == orphans - 1


def test_a_visitor_checks_whether_an_account_is_official(page, demo_data):
    channel = Channel.objects.public().filter(platform="instagram").first()
    page.goto("/directory/verify/")
    # As people paste it: another spelling of the address.
    page.get_by_label("Profile address or handle").fill(
        channel.profile_url.replace("https://www.", "http://").upper().rstrip("/")
    )
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("official")).to_contain_text(
        f"Official, run by {channel.unit.name}."
    )
