"""Review with context, in a real browser (items 3, 4 and 5): the reviewer sees the
similar registry channels, comments on an answer and asks for changes; the submitter
finds the reason on top of the edit page and the comment beside the answer, changes it
and resubmits; the reviewer sees what changed in that answer, approves, and the
registry entry shows the proposal's purpose and audience and links back to it. Every
page on the way passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from checklist.models import Answer
from checklist.tests.factories import make_proposal
from portal.tests.test_browser_accessibility import (
    BLOCKING,
    WCAG_TAGS,
    Persona,
    axe_violations,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_axe_clean(tab):
    violations = [
        (v["id"], v["impact"], [n["html"][:200] for n in v["nodes"][:3]])
        for v in axe_violations(tab)
        if v["impact"] in BLOCKING or set(v["tags"]) & set(WCAG_TAGS)
    ]
    assert violations == [], f"{tab.url}: {violations}"


@pytest.fixture
def tabs(browser, live_server):
    personas = []

    def open_tab(user):
        personas.append(Persona(browser, live_server, user))
        return personas[-1].tab

    yield open_tab
    for persona in personas:
        persona.close()
    assert [f for persona in personas for f in persona.failed] == [], "requests failed"


def test_review_with_reasons_in_sight_and_the_portfolio_at_hand(
    tabs, library, submitter, unit, unit_head, reviewer
):
    proposal = make_proposal(
        submitter=submitter,
        unit=unit,
        complete=True,
        name="Fictional Library Podcast",
        platform="instagram",
        why_new_channel="The library's account posts news; this one is for the podcast.",
    )
    Answer.objects.filter(proposal=proposal, item__key="goals").update(
        text="Grow the audience fast."
    )
    Answer.objects.filter(proposal=proposal, item__key="audience").update(
        text="Students who listen on the way to campus."
    )
    proposal.submit(by=submitter)
    proposal.endorse(by=unit_head)
    url = proposal.get_absolute_url()

    # The reviewer sees the similar channels, comments on the goals and returns it.
    office = tabs(reviewer)
    office.goto(url)
    similar = office.get_by_test_id("similar-channels")
    expect(similar.get_by_role("link", name="Fictional Library")).to_be_visible()
    assert_axe_clean(office)
    office.locator("#comment-goals").fill("Which goals, and by when?")
    office.locator("#comment-goals").locator("xpath=..").get_by_role(
        "button", name="Add comment"
    ).click()
    expect(office.get_by_text("Your comment is added.")).to_be_visible()
    office.get_by_test_id("decide-request_changes").get_by_label(
        "Comment for the submitter (required)"
    ).fill("Please make the goals measurable.")
    office.get_by_role("button", name="Request changes").click()
    expect(office.get_by_text("The proposal is returned to the submitter.")).to_be_visible()

    # The submitter finds the reason on top and the comment beside the goals answer.
    author = tabs(submitter)
    author.goto(f"{url}edit/")
    request = author.get_by_test_id("review-request")
    expect(request).to_contain_text("Please make the goals measurable.")
    goals_section = author.locator("#section-goals")
    expect(goals_section.get_by_test_id("answer-review-comment")).to_contain_text(
        "Which goals, and by when?"
    )
    assert_axe_clean(author)
    author.locator("textarea[name='answer-goals']").fill(
        "Grow the audience to 500 listeners by June."
    )
    author.get_by_role("button", name="Resubmit").click()
    expect(author.get_by_text("The proposal is resubmitted.")).to_be_visible()

    # The reviewer sees what changed in the goals answer, and only there.
    office.goto(url)
    expect(office.get_by_test_id("changes-summary")).to_be_visible()
    diffs = office.get_by_test_id("item-diff")
    expect(diffs).to_have_count(1)
    expect(diffs.locator("ins")).to_contain_text("to 500 listeners by June.")
    expect(diffs.locator("del")).to_contain_text("fast.")
    assert_axe_clean(office)

    # Approved: the registry entry shows purpose and audience and links back.
    office.get_by_role("button", name="Approve").click()
    office.get_by_role("link", name="See the planned channel in the registry.").click()
    expect(office).to_have_url(re.compile(r"/registry/\d+/$"))
    expect(office.get_by_text("Grow the audience to 500 listeners by June.")).to_be_visible()
    expect(office.get_by_text("Students who listen on the way to campus.")).to_be_visible()
    assert_axe_clean(office)
    office.get_by_test_id("origin-proposal").get_by_role("link").click()
    expect(office).to_have_url(re.compile(rf"{url}$"))
    expect(office.get_by_test_id("proposal-channel").get_by_role("link")).to_be_visible()
