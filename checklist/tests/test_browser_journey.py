"""The whole product in a real browser, the way people use it: from a staff member's
proposal to an official account that anyone can verify.

Each person signs in through the login form in a browser of their own. At each step
the test checks what the person sees, and at the key steps what the database holds.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Channel, ChannelRole, recertification_due
from checklist.models import ItemComment, Proposal, Transition
from checklist.tests.factories import current_template
from core import roles
from portal.tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.browser

NAME = "Engineering on Mastodon"
ADDRESS = "https://mastodon.social/@fictional_engineering"


@pytest.fixture
def people(transactional_db):
    """The people of the journey, and the default checklist (a transactional test's
    flush removed what the data migration made)."""
    current_template()
    head = make_user(username="hedda", first_name="Hedda", last_name="Head")
    make_unit(name="School of Engineering", head=head)
    return {
        "siri": make_user(username="siri", first_name="Siri", last_name="Staff"),
        "dan": make_user(username="dan", first_name="Dan", last_name="Deputy"),
        "hedda": head,
        "rita": make_user(
            username="rita", first_name="Rita", last_name="Review", groups=[roles.COMMUNICATIONS]
        ),
    }


def sign_in(page, username, first_name):
    page.goto("/login/")
    page.get_by_label(re.compile(r"user ?name", re.IGNORECASE)).fill(username)
    page.get_by_label(re.compile("password", re.IGNORECASE)).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {first_name}")


def answer(page, title, text):
    page.get_by_role("textbox", name=title, exact=True).fill(text)


def badge(page):
    """The state badge next to a proposal's or channel's name."""
    return page.locator("main .badge.fs-6")


def transitions(proposal):
    return list(
        Transition.objects.filter(proposal=proposal)
        .order_by("at", "pk")
        .values_list("actor__username", "from_state", "to_state")
    )


def test_a_proposal_becomes_an_official_account_that_anyone_can_verify(
    new_page, screenshots, people
):
    template = current_template()
    titles = {item.key: item.title for item in template.items.all()}

    # --- Siri, a staff member, writes a proposal and saves a draft --------------------
    siri = new_page()
    sign_in(siri, "siri", "Siri")
    screenshots(siri, "siri-home")
    siri.get_by_role("link", name="Propose a new account").first.click()
    expect(siri.get_by_role("heading", level=1)).to_have_text("Propose a new account")
    siri.get_by_label("Unit").select_option(label="School of Engineering")
    siri.get_by_label("Platform").select_option(label="Mastodon")
    siri.get_by_label("Proposed name").fill(NAME)
    siri.get_by_label("Handle or address").fill("@fictional_engineering@mastodon.social")
    siri.get_by_label("Proposed responsible owner").fill("siri")
    siri.get_by_label("Proposed deputy").fill("dan")
    siri.get_by_label("Languages").fill("English, Swedish")
    # The first half of the checklist today, the rest when she comes back.
    first_half = ["need", "background", "goals", "audience", "resources"]
    for key in first_half:
        answer(siri, titles[key], f"Our answer on {titles[key].lower()}.")
    siri.get_by_label("Measure", exact=True).select_option(label="Followers")
    siri.get_by_label("Target", exact=True).fill("1500")
    siri.get_by_label("By", exact=True).fill(
        (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
    )
    siri.get_by_role("button", name="Save draft").last.click()

    expect(siri.get_by_text("The draft is saved.")).to_be_visible()
    expect(siri.get_by_role("heading", level=1)).to_have_text("Edit proposal")
    expect(siri.get_by_text("5 of 10 required items answered")).to_be_visible()
    expect(siri.get_by_text("1 measurable goal", exact=True)).to_be_visible()
    screenshots(siri, "siri-draft-saved")
    proposal = Proposal.objects.get(name=NAME)
    assert (proposal.state, proposal.submitter.username, proposal.goals.count()) == (
        "draft",
        "siri",
        1,
    )
    assert transitions(proposal) == []

    # --- She comes back to it later, finishes it and submits -------------------------
    siri.goto("/")
    siri.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Proposals"
    ).click()
    row = siri.get_by_test_id("own-proposals").get_by_role("row", name=re.compile(NAME))
    expect(row).to_contain_text("Draft")
    row.get_by_role("link", name=NAME).click()
    expect(siri.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(badge(siri)).to_have_text("Draft")
    siri.get_by_role("link", name="Edit", exact=True).click()
    expect(siri.get_by_role("textbox", name=titles["background"], exact=True)).to_have_value(
        "Our answer on background."
    )
    for key in set(titles) - set(first_half):
        answer(siri, titles[key], f"Our answer on {titles[key].lower()}.")
    answer(siri, titles["moderation"], "We will see.")
    siri.get_by_role("button", name="Submit for endorsement").click()

    expect(siri.get_by_text("The proposal is sent to Hedda Head for endorsement.")).to_be_visible()
    expect(siri.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(badge(siri)).to_have_text("Awaiting the unit head")
    screenshots(siri, "siri-submitted")
    proposal.refresh_from_db()
    assert proposal.state == "awaiting_unit_head"
    assert transitions(proposal) == [("siri", "draft", "awaiting_unit_head")]

    # --- Hedda, the unit head, endorses it -----------------------------------------------
    hedda = new_page()
    sign_in(hedda, "hedda", "Hedda")
    hedda.get_by_role("link", name=NAME).first.click()
    expect(badge(hedda)).to_have_text("Awaiting the unit head")
    hedda.get_by_label("Comment (optional)").fill("The school stands behind it.")
    hedda.get_by_role("button", name="Endorse").click()

    expect(
        hedda.get_by_text("The proposal is endorsed and sent to the reviewers (1 person told).")
    ).to_be_visible()
    expect(badge(hedda)).to_have_text("In review")
    screenshots(hedda, "hedda-endorsed")
    assert transitions(proposal)[1:] == [("hedda", "awaiting_unit_head", "in_review")]

    # --- Rita, of the communications office, comments on one item, asks for changes --
    rita = new_page()
    sign_in(rita, "rita", "Rita")
    rita.get_by_role("link", name="Open the review queue").click()
    expect(rita.get_by_role("heading", level=1)).to_have_text("Review queue")
    rita.get_by_role("link", name=NAME).click()
    expect(badge(rita)).to_have_text("In review")
    moderation = rita.get_by_test_id("item").filter(
        has=rita.get_by_role("heading", name=f"6. {titles['moderation']}")
    )
    moderation.get_by_label("Comment on answer 6").fill(
        "Say who answers comments at weekends, and link the terms of use."
    )
    moderation.get_by_role("button", name="Add comment").click()
    expect(rita.get_by_text("Your comment is added.")).to_be_visible()
    rita.get_by_label("Comment for the submitter (required)").first.fill(
        "Please complete the moderation plan."
    )
    rita.get_by_role("button", name="Request changes").click()

    expect(rita.get_by_text("The proposal is returned to the submitter.")).to_be_visible()
    expect(badge(rita)).to_have_text("Changes requested")
    screenshots(rita, "rita-requested-changes")
    assert list(ItemComment.objects.values_list("item__key", "author__username")) == [
        ("moderation", "rita")
    ]
    assert transitions(proposal)[2:] == [("rita", "in_review", "changes_requested")]

    # --- Siri sees the comment, fixes the answer and resubmits --------------------------
    siri.goto(f"/proposals/{proposal.pk}/")
    expect(badge(siri)).to_have_text("Changes requested")
    expect(siri.get_by_test_id("item-comment")).to_contain_text(
        "Say who answers comments at weekends, and link the terms of use."
    )
    expect(siri.get_by_test_id("transition").last).to_contain_text(
        "Please complete the moderation plan."
    )
    screenshots(siri, "siri-sees-the-comment")
    siri.get_by_role("link", name="Edit the proposal").click()
    answer(
        siri,
        titles["moderation"],
        "Dan answers comments on weekdays and Siri at weekends, within a day, following "
        "the terms of use for the organisation's accounts.",
    )
    siri.get_by_role("button", name="Resubmit").click()

    expect(siri.get_by_text("The proposal is resubmitted.")).to_be_visible()
    expect(badge(siri)).to_have_text("In review")
    screenshots(siri, "siri-resubmitted")
    assert transitions(proposal)[3:] == [("siri", "changes_requested", "in_review")]
    assert proposal.answers.get(item__key="moderation").text.startswith("Dan answers comments")

    # --- Rita approves: the channel enters the registry, planned ---------------------
    rita.reload()
    expect(rita.get_by_text("Dan answers comments on weekdays")).to_be_visible()
    rita.get_by_role("button", name="Approve").click()

    expect(rita.get_by_text("The proposal is approved.")).to_be_visible()
    expect(badge(rita)).to_have_text("Approved")
    screenshots(rita, "rita-approved")
    proposal.refresh_from_db()
    assert proposal.state == "approved"
    assert [to for _actor, _from, to in transitions(proposal)] == [
        "awaiting_unit_head",
        "in_review",
        "changes_requested",
        "in_review",
        "approved",
    ]
    channel = Channel.objects.get(origin_proposal=proposal)
    assert (channel.status, channel.is_public, channel.profile_url) == ("planned", True, ADDRESS)
    assert sorted(channel.roles.current().values_list("user__username", "kind")) == [
        ("dan", ChannelRole.Kind.DEPUTY),
        ("siri", ChannelRole.Kind.OWNER),
    ]

    rita.get_by_role("link", name="See the planned channel in the registry.").click()
    expect(rita.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(badge(rita)).to_have_text("Planned")
    expect(rita.get_by_text("Responsible owner: Siri Staff")).to_be_visible()
    expect(rita.get_by_text("Deputy: Dan Deputy")).to_be_visible()

    # --- The registry lists it with its owner and deputy --------------------------------
    siri.goto("/")
    siri.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Registry"
    ).click()
    siri.get_by_role("searchbox", name="Search").fill("Engineering")
    siri.get_by_role("button", name="Search").click()
    row = siri.get_by_role("row", name=re.compile(NAME))
    expect(row.get_by_role("cell")).to_have_text(
        [
            re.compile(NAME),
            "Mastodon",
            "School of Engineering",
            "Planned",
            "Siri Staff",
            "Dan Deputy",
            "—",  # recertification is due only once it runs
            "Not yet verified",  # its account does not link back to its page yet
        ]
    )
    screenshots(siri, "siri-registry")

    # --- Not public while planned ------------------------------------------------------
    visitor = new_page()
    visitor.goto("/directory/")
    expect(visitor.get_by_test_id("channel")).to_have_count(0)

    # --- Siri, the owner, marks it as opened: active, and listed -----------------------
    row.get_by_role("link", name=NAME).click()
    expect(siri.locator("dt:text-is('Public directory') + dd")).to_have_text("Listed")
    siri.get_by_role("link", name="Mark as opened").click()
    expect(siri.get_by_role("heading", level=1)).to_have_text("Mark the channel as opened")
    siri.get_by_role("button", name="Mark as opened").click()

    expect(
        siri.get_by_text(f"{NAME} is now active and listed in the public directory.")
    ).to_be_visible()
    expect(badge(siri)).to_have_text("Active")
    screenshots(siri, "siri-opened")
    channel.refresh_from_db()
    today = timezone.localdate()
    assert (channel.status, channel.opened_on, channel.recertification_due_on) == (
        "active",
        today,
        recertification_due(today),
    )
    assert list(channel.events.values_list("action", "actor__username")) == [
        ("channel.status_changed", "siri"),
        ("channel.created", "rita"),
    ]

    # --- The public finds it in the directory, and the check says official ------------
    visitor.goto("/directory/")
    expect(visitor.get_by_role("heading", level=2)).to_have_text(["School of Engineering"])
    expect(visitor.get_by_test_id("channel")).to_contain_text([NAME])
    screenshots(visitor, "visitor-directory")

    visitor.get_by_role("link", name="Check an account").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Is this account official?")
    visitor.get_by_label("Profile address or handle").fill("@Fictional_Engineering@mastodon.social")
    visitor.get_by_role("button", name="Check").click()
    expect(visitor.get_by_test_id("official")).to_contain_text(
        "Official, run by School of Engineering."
    )
    expect(visitor.get_by_test_id("official")).to_contain_text(ADDRESS)
    screenshots(visitor, "visitor-official")

    visitor.get_by_label("Profile address or handle").fill(
        "https://mastodon.social/@fictional_engineerinq"
    )
    visitor.get_by_role("button", name="Check").click()
    expect(visitor.get_by_test_id("not-found")).to_contain_text(
        "is not in our registry of official accounts."
    )
    expect(visitor.get_by_test_id("official")).to_have_count(0)
    screenshots(visitor, "visitor-not-official")
