"""In a real browser: a member of the public finds the front page, searches the
directory, checks an account and reports a fake; the communications office finds the
report in its queue with what the registry knows, marks it as an impostor reported to
the platform, and registers another reported account that turns out to be theirs.
axe-core checks each new page on the way."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import SuspiciousAccountReport
from core import roles
from portal.tests.factories import make_channel, make_unit, make_user
from portal.tests.test_browser_accessibility import BLOCKING, Persona, axe_violations, report

pytestmark = pytest.mark.browser

FAKE = "https://www.instagram.com/engineering/"


def assert_axe_clean(tab):
    violations = [
        v
        for v in axe_violations(tab)
        if v["impact"] in BLOCKING or "wcag2a" in v["tags"] or "wcag2aa" in v["tags"]
    ]
    assert violations == [], report({tab.url: violations})


@pytest.fixture
def registry(transactional_db):
    cache.clear()  # the report form's rate limit and the directory count
    owner = make_user(username="owner", first_name="Siri")
    office = make_user(
        username="office", first_name="Cleo", last_name="Comms", groups=[roles.COMMUNICATIONS]
    )
    unit = make_unit(name="School of Engineering")
    make_channel(
        unit=unit,
        owner=owner,
        name="Engineering",
        platform="x",
        handle="engineering",
        profile_url="https://x.com/engineering",
        is_public=True,
    )
    return office


@pytest.fixture
def personas(browser, live_server):
    opened = []

    def open_as(user):
        opened.append(Persona(browser, live_server, user))
        return opened[-1].tab

    yield open_as
    for persona in opened:
        persona.close()
    assert [f for persona in opened for f in persona.failed] == [], "requests failed"


def test_the_public_reports_a_fake_and_the_office_triages_it(registry, personas):
    visitor = personas(None)
    visitor.goto("/")
    expect(visitor.get_by_role("link", name="Staff: sign in")).to_be_visible()
    assert_axe_clean(visitor)

    # --- The visitor searches the directory from the front page -------------------------
    visitor.get_by_label("Name, handle, address or unit").fill("Engineering")
    visitor.get_by_role("button", name="Search the directory").click()
    expect(visitor).to_have_url(re.compile(r"/directory/\?q=Engineering$"))
    expect(visitor.get_by_text("https://x.com/engineering").first).to_be_visible()

    # --- checks an Instagram account that claims to be the school's --------------------
    visitor.goto("/")
    visitor.get_by_label("Profile address or handle").fill(FAKE)
    visitor.get_by_role("button", name="Check", exact=True).click()
    expect(visitor.get_by_test_id("not-found")).to_be_visible()

    # --- and reports it ----------------------------------------------------------------
    visitor.get_by_role("link", name="report this account").click()
    expect(visitor.get_by_label("The account you are reporting (address or handle)")).to_have_value(
        FAKE
    )
    visitor.get_by_label("What looks wrong?").fill("It asks students to log in on a strange page.")
    visitor.get_by_label("Your e-mail address (optional)").fill("student@example.org")
    visitor.get_by_role("button", name="Send the report").click()
    expect(visitor.get_by_text("Thank you: your report has reached")).to_be_visible()

    # --- The office opens its queue ------------------------------------------------------
    office = personas(registry)
    office.goto("/")
    office.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Suspicious accounts"
    ).click()
    expect(office.get_by_test_id("report-count")).to_have_text("1 report")
    assert_axe_clean(office)
    office.get_by_role("link", name=FAKE).click()

    # --- sees the report with what the registry knows ---------------------------------
    expect(office.get_by_test_id("not-registered")).to_be_visible()
    expect(office.get_by_test_id("similar")).to_contain_text("Engineering")
    expect(office.get_by_test_id("similar")).to_contain_text("X")
    expect(office.get_by_test_id("description")).to_have_text(
        "It asks students to log in on a strange page."
    )
    expect(office.get_by_role("link", name="student@example.org")).to_be_visible()
    expect(office.get_by_test_id("platform-form")).to_have_attribute(
        "href", "https://help.instagram.com/contact/636276399721841"
    )
    assert_axe_clean(office)

    # --- and marks it an impostor, reported to Instagram today ------------------------------
    today = timezone.localdate()
    office.get_by_label("Impostor, reported to the platform").check()
    office.get_by_label("Reported to the platform on").fill(today.isoformat())
    office.get_by_label("Note (optional)").fill("Sent Instagram's impersonation form.")
    office.get_by_role("button", name="Save the outcome").click()
    expect(office.get_by_text("The report's outcome is saved.")).to_be_visible()
    expect(office.get_by_test_id("report-state")).to_contain_text(
        "Impostor, reported to the platform"
    )
    expect(office.get_by_test_id("history")).to_contain_text("Cleo Comms")
    expect(office.get_by_test_id("history")).to_contain_text("Sent Instagram's impersonation form.")
    report_row = SuspiciousAccountReport.objects.get()
    assert (report_row.outcome, report_row.reported_to_platform_on) == ("impostor", today)

    # --- Another report is the school's own new account: register it ----------------------
    ours = SuspiciousAccountReport.objects.create(
        reported_url="https://www.tiktok.com/@engineering.lab",
        detected_platform="tiktok",
        description="Is this really the lab?",
        reported_at=timezone.now() - datetime.timedelta(days=1),
    )
    office.goto(ours.get_absolute_url())
    office.get_by_label("Ours: to be registered").check()
    office.get_by_role("button", name="Save the outcome").click()
    expect(office).to_have_url(re.compile(r"/registry/new/\?"))
    expect(office.get_by_label("Profile address")).to_have_value(
        "https://www.tiktok.com/@engineering.lab"
    )
    expect(office.get_by_label("Platform")).to_have_value("tiktok")
    expect(office.locator("#id_name")).to_have_value("engineering.lab")
    assert_axe_clean(office)
    ours.refresh_from_db()
    assert (ours.outcome, ours.is_open) == ("ours", False)
