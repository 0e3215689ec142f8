"""A staff member writes a proposal in a real browser and sends it to the unit head."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from checklist.models import ChecklistTemplate, Proposal
from portal.tests.browser import fill_sign_in

pytestmark = pytest.mark.browser


def test_staff_member_writes_and_submits_a_complete_proposal(page, demo_data):
    page.goto("/login/")
    fill_sign_in(page, "demo-staff")

    page.get_by_role("link", name="Propose a new account").first.click()
    page.get_by_label("Unit").select_option(label="School of Humanities")
    page.get_by_label("Platform").select_option(label="Bluesky")
    page.get_by_label("Proposed name").fill("Humanities Podcast Notes")
    page.get_by_label("Proposed responsible owner").fill("demo-staff")
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.get_by_text("0 of 10 required items answered")).to_be_visible()

    for item in ChecklistTemplate.objects.current().items.all():
        page.locator(f"textarea[name='answer-{item.key}']").fill(f"Our answer about {item.title}.")
    page.locator("[name='goals-0-metric']").select_option("followers")
    page.locator("[name='goals-0-target_value']").fill("800")
    page.locator("[name='goals-0-target_date']").fill(
        (datetime.date.today() + datetime.timedelta(days=300)).isoformat()
    )
    page.get_by_role("button", name="Submit for endorsement").click()

    # Wait for the read view before asking the database: the click returns at once.
    expect(page).to_have_url(re.compile(r"/proposals/\d+/$"))
    expect(page.get_by_text("Awaiting the unit head").first).to_be_visible()
    proposal = Proposal.objects.get(name="Humanities Podcast Notes")
    assert (page.url.rsplit("/proposals/", 1)[1], proposal.state) == (
        f"{proposal.pk}/",
        "awaiting_unit_head",
    )
