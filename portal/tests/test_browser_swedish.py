"""Swedish in a real browser: a staff member switches the language with the switcher in
the page footer (a plain form, no JavaScript) and reads the portal in Swedish, with
Swedish dates and numbers."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Channel
from checklist.models import Goal
from checklist.tests.factories import current_template, make_proposal
from metrics.models import ChannelSummary, Snapshot
from portal.tests.factories import PASSWORD, make_channel, make_unit, make_user
from portal.tests.test_swedish import CHECKLIST_TITLES

pytestmark = pytest.mark.browser

NBSP = "\xa0"


@pytest.fixture
def siri(transactional_db):
    current_template()  # a transactional test's flush removed the data migration's
    siri = make_user(username="siri", first_name="Siri", last_name="Staff")
    unit = make_unit(name="School of Engineering", head=make_user(username="hedda"))
    proposal = make_proposal(submitter=siri, unit=unit, complete=True, name="Engineering Notes")
    Goal.objects.create(
        proposal=proposal,
        metric=Goal.Metric.ENGAGEMENT_RATE,
        target_value="2.5",
        target_date=datetime.date(2030, 3, 31),
    )
    proposal.goals.filter(metric=Goal.Metric.FOLLOWERS).update(
        target_value=1500, target_date=datetime.date(2030, 1, 15)
    )
    proposal.submit(by=siri)
    channel = make_channel(
        unit=unit,
        owner=siri,
        deputy=make_user(username="dan"),
        name="Engineering on Instagram",
        approved_on=datetime.date(2026, 6, 1),
    )
    today = datetime.date.today()
    Snapshot.objects.create(
        channel=channel, date=today, followers=12345, posts=1208, source=Snapshot.Source.MANUAL
    )
    ChannelSummary.objects.refresh(Channel.objects.filter(pk=channel.pk), today)
    return siri


def test_a_staff_member_switches_to_swedish_and_reads_the_portal_in_swedish(
    page, screenshots, siri
):
    page.goto("/login/")
    page.get_by_label(re.compile(r"user ?name", re.IGNORECASE)).fill("siri")
    page.get_by_label(re.compile("password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Siri")

    page.get_by_label("Language").select_option(label="svenska")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Siri")
    navigation = page.get_by_role("navigation", name="Huvudnavigering")
    expect(navigation.get_by_role("link")).to_have_text(
        [
            "Portalen för sociala medier",
            "Start",
            "Förslag",
            "Register",
            "Siffror",
            "Riktlinjer",
            "Offentlig förteckning",
        ]
    )
    # Two-step sign-in and signing out are in the person's own menu.
    navigation.get_by_role("button", name="Ditt konto: Siri").click()
    expect(navigation.get_by_role("link", name="Tvåstegsinloggning")).to_be_visible()
    expect(navigation.get_by_role("button", name="Logga ut")).to_be_visible()
    navigation.get_by_role("button", name="Ditt konto: Siri").click()
    expect(page.get_by_role("button", name="Ändra")).to_be_visible()
    screenshots(page, "home-in-swedish")

    # The proposal: its state, the default checklist's titles, dates and numbers.
    navigation.get_by_role("link", name="Förslag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dina förslag")
    page.get_by_role("link", name="Engineering Notes").click()
    expect(page.locator("main .badge.fs-6")).to_have_text("Väntar på enhetschefen")
    expect(page.get_by_test_id("item").get_by_role("heading")).to_have_text(
        [f"{number}. {title}" for number, title in enumerate(CHECKLIST_TITLES.values(), 1)]
    )
    expect(page.get_by_role("table", name="Mätbara mål").get_by_role("row")).to_have_text(
        [
            re.compile(r"Mått\s*Målvärde\s*Senast"),
            re.compile(rf"Följare\s*1{NBSP}500\s*2030-01-15"),
            re.compile(r"Engagemangsgrad \(%\)\s*2,50\s*2030-03-31"),
        ]
    )
    screenshots(page, "proposal-in-swedish")

    # The channel: a date written out the Swedish way, grouped figures.
    page.get_by_role("navigation", name="Huvudnavigering").get_by_role(
        "link", name="Register"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register över officiella kanaler")
    page.get_by_role("link", name="Engineering on Instagram").click()
    expect(page.locator("main .badge.fs-6")).to_have_text("Aktiv")
    expect(page.locator("dt:text-is('Godkänd den') + dd")).to_have_text("1 juni 2026")
    expect(page.locator("dt:text-is('Följare') + dd")).to_have_text(f"12{NBSP}345")
    expect(page.locator("dt:text-is('Inlägg') + dd")).to_have_text(f"1{NBSP}208")
    screenshots(page, "channel-in-swedish")

    page.get_by_role("link", name="Alla siffror, diagram och mål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Siffror för Engineering on Instagram"
    )
    expect(page.get_by_test_id("followers")).to_have_text(f"12{NBSP}345")
    screenshots(page, "figures-in-swedish")
