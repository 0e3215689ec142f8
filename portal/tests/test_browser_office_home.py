"""In a real browser, at 1280 x 800: the communications office opens its home, sees each
figure of its overview and follows each one to the list of exactly what it counts;
axe-core checks the home. The navigation stays on one line for the office and for a
portal administrator, in English and Swedish, and its menus open from the keyboard."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import SuspiciousAccountReport
from checklist.models import Proposal, Transition
from checklist.tests.factories import make_proposal
from core import roles
from guidelines.models import NoticeAcknowledgement, NoticeRecipient, SiteNotice
from metrics.models import ChannelSummary
from portal.tests.factories import make_channel, make_unit, make_user
from portal.tests.test_browser_accessibility import BLOCKING, Persona, axe_violations, report

pytestmark = pytest.mark.browser

State = Proposal.State
VIEWPORT = {"width": 1280, "height": 800}


def assert_axe_clean(tab):
    violations = [
        v
        for v in axe_violations(tab)
        if v["impact"] in BLOCKING or "wcag2a" in v["tags"] or "wcag2aa" in v["tags"]
    ]
    assert violations == [], report({tab.url: violations})


@pytest.fixture
def personas(browser, live_server):
    opened = []

    def open_as(user, language="en"):
        opened.append(Persona(browser, live_server, user, language))
        opened[-1].tab.set_viewport_size(VIEWPORT)
        return opened[-1].tab

    yield open_as
    for persona in opened:
        persona.close()
    assert [f for persona in opened for f in persona.failed] == [], "requests failed"


def waiting(submitter, unit, state, *, days, name):
    proposal = make_proposal(submitter=submitter, unit=unit, state=state, name=name)
    at = timezone.now() - datetime.timedelta(days=days)
    Proposal.objects.filter(pk=proposal.pk).update(submitted_at=at)
    Transition.objects.create(
        proposal=proposal, actor=submitter, action="test", from_state="draft", to_state=state, at=at
    )


@pytest.fixture
def office(transactional_db):
    cache.clear()
    office = make_user(
        username="office", first_name="Cleo", last_name="Comms", groups=[roles.COMMUNICATIONS]
    )
    staff = make_user(username="siri", first_name="Siri", last_name="Staff")
    unit = make_unit(name="School of Engineering", head=make_user(username="head"))
    # 30 days is past a target of 10 working days whatever the weekday.
    waiting(staff, unit, State.AWAITING_UNIT_HEAD, days=30, name="Old Instagram")
    waiting(staff, unit, State.AWAITING_UNIT_HEAD, days=1, name="New TikTok")
    waiting(staff, unit, State.IN_REVIEW, days=2, name="Library YouTube")
    waiting(staff, unit, State.CHANGES_REQUESTED, days=5, name="Alumni LinkedIn")
    SuspiciousAccountReport.objects.create(reported_url="https://x.com/fake_engineering")
    quiet = make_channel(unit=unit, owner=staff, status="dormant", name="Quiet Channel")
    ChannelSummary.objects.create(channel=quiet, as_of=timezone.localdate(), behind_plan=False)
    late = make_channel(unit=unit, owner=staff, deputy=office, name="Late Channel")
    ChannelSummary.objects.create(channel=late, as_of=timezone.localdate(), behind_plan=True)
    make_channel(
        unit=unit,
        owner=make_user(username="gone", is_active=False),
        deputy=staff,
        name="Orphan Channel",
    )
    make_channel(
        unit=unit,
        owner=staff,
        deputy=office,
        name="Overdue Channel",
        recertification_due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    crisis = SiteNotice.objects.create(
        level="crisis", title_en="Network outage", body_en="Post nothing.", published_by=office
    )
    NoticeRecipient.objects.create(notice=crisis, user=staff)
    NoticeRecipient.objects.create(notice=crisis, user=office)
    NoticeAcknowledgement.objects.create(notice=crisis, user=office)
    return office


def follow(tab, testid):
    """Clicks the home's figure ``testid`` and returns the page's text."""
    tab.goto("/")
    tab.get_by_test_id(testid).click()
    tab.wait_for_load_state()
    return tab.locator("main").inner_text()


def test_the_office_follows_each_figure_of_its_home_to_what_it_counts(office, personas):
    tab = personas(office)
    tab.goto("/")
    stages = tab.get_by_test_id("proposals-by-stage")
    expect(stages.get_by_test_id("stage-awaiting_unit_head")).to_contain_text("2")
    expect(stages.get_by_test_id("stage-awaiting_unit_head")).to_contain_text("30 days")
    expect(stages.get_by_test_id("stage-in_review")).to_contain_text("1")
    expect(stages.get_by_test_id("stage-changes_requested")).to_contain_text("5 days")
    expect(stages).to_contain_text("Review target: 10 working days at each stage.")
    for testid, text in [
        ("figure-reports", "1 report to triage"),
        ("figure-orphaned", "1 orphaned channel"),
        ("figure-overdue", "1 overdue recertification"),
        ("figure-dormant", "1 dormant channel"),
        ("figure-behind-plan", "1 channel behind its plan"),
    ]:
        expect(tab.get_by_test_id(testid)).to_have_text(text)
    expect(tab.get_by_test_id("notice-rate")).to_have_text("1 of 2 people acknowledged it (50 %)")
    assert_axe_clean(tab)

    # Each figure leads to the list of what it counts.
    tab.get_by_test_id("stage-awaiting_unit_head").get_by_test_id("stage-count").click()
    expect(tab).to_have_url(re.compile(r"/proposals/\?state=awaiting_unit_head$"))
    listed = tab.locator("main").inner_text()
    assert ("Old Instagram" in listed, "New TikTok" in listed, "Library YouTube" in listed) == (
        True,
        True,
        False,
    )
    tab.goto("/")
    tab.get_by_test_id("stage-awaiting_unit_head").get_by_test_id("stage-overdue").click()
    expect(tab.get_by_label("Waiting longer than the review target")).to_be_checked()
    listed = tab.locator("main").inner_text()
    assert ("Old Instagram" in listed, "New TikTok" in listed) == (True, False)

    listed = follow(tab, "figure-reports")
    assert "https://x.com/fake_engineering" in listed
    listed = follow(tab, "figure-orphaned")
    assert ("Orphan Channel" in listed, "Late Channel" in listed) == (True, False)
    listed = follow(tab, "figure-overdue")
    assert ("Overdue Channel" in listed, "Late Channel" in listed) == (True, False)
    # The figures' table of channels (above it, the portfolio lists every channel that
    # needs attention, whatever the filter).
    table = "Figures per channel"
    tab.goto("/")
    tab.get_by_test_id("figure-dormant").click()
    rows = tab.get_by_role("table", name=table).inner_text()
    assert ("Quiet Channel" in rows, "Late Channel" in rows) == (True, False)
    tab.goto("/")
    tab.get_by_test_id("figure-behind-plan").click()
    expect(tab.get_by_label("Only channels behind their plan")).to_be_checked()
    rows = tab.get_by_role("table", name=table).inner_text()
    assert ("Late Channel" in rows, "Quiet Channel" in rows) == (True, False)
    tab.goto("/")
    tab.get_by_test_id("open-notices").get_by_role(
        "link", name=re.compile("Network outage")
    ).click()
    expect(tab.get_by_role("heading", name=re.compile("Network outage"))).to_be_visible()


def nav_rows(tab):
    """(height of the navigation's list, of the whole bar's content, of one link)."""
    return tab.evaluate(
        """() => {
            const list = document.querySelector('[data-testid="nav-list"]');
            const bar = document.querySelector('#main-nav');
            const link = list.querySelector('.nav-link');
            return [list.getBoundingClientRect().height, bar.getBoundingClientRect().height,
                    link.getBoundingClientRect().height];
        }"""
    )


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize("groups", [[roles.COMMUNICATIONS], [roles.PORTAL_ADMINS]])
def test_the_navigation_fits_on_one_line_at_1280_pixels(
    transactional_db, personas, groups, language
):
    person = make_user(
        username="someone", first_name="Alexandra", last_name="Longname", groups=groups
    )
    make_unit(name="Communications Office", head=person)  # a unit head too: every item
    tab = personas(person, language)
    tab.goto("/")
    list_height, bar_height, link_height = nav_rows(tab)
    assert list_height <= link_height + 2, (list_height, link_height)
    assert bar_height <= link_height + 2, (bar_height, link_height)


def test_the_menus_open_from_the_keyboard_and_pass_axe(transactional_db, personas):
    person = make_user(username="admin", first_name="Ada", groups=[roles.PORTAL_ADMINS])
    tab = personas(person)
    tab.goto("/")
    more = tab.get_by_role("button", name="More")
    more.focus()
    tab.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    tab.keyboard.press("ArrowDown")
    expect(tab.get_by_role("link", name="Notices", exact=True)).to_be_focused()
    assert_axe_clean(tab)
    tab.keyboard.press("Escape")
    expect(more).to_have_attribute("aria-expanded", "false")

    account = tab.get_by_role("button", name="Your account: Ada")
    account.focus()
    tab.keyboard.press("Enter")
    expect(tab.get_by_test_id("signed-in-as")).to_be_visible()
    expect(tab.get_by_test_id("signed-in-as")).to_contain_text("Signed in as Ada")
    tab.get_by_role("button", name="Sign out").click()
    expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(tab.get_by_test_id("user-menu")).to_have_count(0)
