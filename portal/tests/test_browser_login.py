"""The first journey in a real browser: a staff member signs in and sees home."""

import re

import pytest
from playwright.sync_api import expect

from portal.tests.browser import fill_sign_in

pytestmark = pytest.mark.browser

BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


def test_staff_member_signs_in_through_the_login_form_and_sees_home(page, demo_data):
    page.goto("/")
    page.get_by_role("link", name="Staff: sign in").click()
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))

    fill_sign_in(page, "demo-staff")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Welcome, Siri")).to_be_visible()
    expect(page.get_by_role("heading", name="My proposals")).to_be_visible()
    expect(page.get_by_role("heading", name="My channels")).to_be_visible()
    expect(page.get_by_role("heading", name="Awaiting my review")).to_have_count(0)
    # The vendored Bootstrap is served and applied (no CDN involved).
    navbar = page.get_by_role("navigation", name="Main navigation")
    expect(navbar).to_have_css("background-color", BOOTSTRAP_PRIMARY)


def test_a_wrong_password_keeps_the_visitor_on_the_form_with_a_message(page, demo_data):
    page.goto("/login/")
    fill_sign_in(page, "demo-staff", "not the password")

    expect(
        page.get_by_text("The username and/or password you specified are not correct.")
    ).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("demo-staff")


def test_the_language_switcher_changes_the_page_language(page, demo_data):
    page.goto("/login/")
    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_five_wrong_passwords_pause_the_sign_in_and_keep_the_username(page, demo_data):
    page.goto("/login/")
    for _ in range(5):
        fill_sign_in(page, "demo-staff", "not the password")

    expect(page.get_by_test_id("lockout")).to_contain_text(
        "Too many failed sign-ins with this username from your address."
    )
    expect(page.get_by_label("Username")).to_have_value("demo-staff")

    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("lockout")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/$"))
