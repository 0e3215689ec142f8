"""Every page passes axe-core's WCAG 2.1 A and AA rules in a real browser, for each
person who sees it, in English and (the main pages) in Swedish.

One dataset and one browser context per persona: each page is opened, axe-core (the
copy shipped by the axe-playwright-python package) is injected, and every violation of
every page is collected, so that one failure names them all. A serious or critical
violation of any rule fails the test, and so does any violation of a WCAG rule; axe's
best-practice advice of moderate or minor impact (headings, landmarks) is reported on
the terminal (`-s`).

Reproduce: `.venv/bin/pytest portal/tests/test_browser_accessibility.py -s`.
"""

import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Channel, SuspiciousAccountReport
from checklist.models import Proposal
from checklist.tests.factories import current_template, make_proposal
from core import roles
from guidelines.models import Guideline, SiteNotice, acknowledge
from metrics.models import ChannelSummary, Snapshot
from portal.tests.factories import make_channel, make_unit, make_user

pytestmark = pytest.mark.browser

AXE_SCRIPT = Path(axe_playwright_python.__file__).with_name("axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


# --- Running axe ------------------------------------------------------------------------


def axe_violations(tab):
    """axe-core's violations of the WCAG 2.1 A and AA rules, and of its best practices,
    on the page in ``tab``."""
    tab.add_script_tag(path=str(AXE_SCRIPT))
    results = tab.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: [...tags, "best-practice"]},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return results["violations"]


def describe(violation):
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
    return (
        f"  {violation['id']} ({violation['impact']}, {len(violation['nodes'])}x): "
        f"{violation['help']}\n    at {json.dumps(targets)}"
    )


def tally(found):
    """{rule id: (impact, pages, elements)} over every page of ``found``."""
    counts = {}
    for violations in found.values():
        for violation in violations:
            impact, pages, nodes = counts.get(violation["id"], (violation["impact"], 0, 0))
            counts[violation["id"]] = (impact, pages + 1, nodes + len(violation["nodes"]))
    return dict(sorted(counts.items()))


def report(found):
    """``found``: {page label: [violation]} -> a readable list, page by page."""
    lines = []
    for label, violations in found.items():
        lines.append(f"{label}:")
        lines.extend(describe(violation) for violation in violations)
    return "\n".join(lines)


class Persona:
    """A browser context for one person (or nobody): CSP bypassed so that axe can be
    injected (in the test only), signed in by copying a test client's session cookie,
    and failing on any 4xx/5xx answer to the pages it opens."""

    def __init__(self, browser, live_server, user=None, language="en"):
        self.context = browser.new_context(
            base_url=live_server.url, locale="en-GB", bypass_csp=True
        )
        self.failed = []
        cookies = [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
        ]
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "domain": urlsplit(live_server.url).hostname,  # host only
                    "path": "/",
                    "secure": settings.SESSION_COOKIE_SECURE,
                    "httpOnly": True,
                }
            )
        self.context.add_cookies(cookies)
        self.tab = self.context.new_page()
        self.tab.on("response", self._check)
        self.tab.on("requestfailed", lambda r: self.failed.append(f"failed {r.url}"))

    def _check(self, response):
        form_refused = response.request.method == "POST" and response.status < 500
        if response.status >= 400 and not form_refused:
            self.failed.append(f"{response.status} {response.request.method} {response.url}")

    def close(self):
        self.context.close()


@pytest.fixture
def open_as(browser, live_server):
    """open_as(user) -> a browser tab for ``user`` (None: nobody signed in); the test
    fails if any page it opened answered 4xx/5xx (except a refused form post)."""
    personas = []

    def open_tab(user, language="en"):
        personas.append(Persona(browser, live_server, user, language))
        return personas[-1].tab

    yield open_tab
    for persona in personas:
        persona.close()
    assert [f for persona in personas for f in persona.failed] == [], "requests failed"


def check_pages(browser, live_server, pages, language="en"):
    """Open every (persona, url) of ``pages`` ({persona label: (user, [urls])}) and
    return ({page label: [violation]} of the pages with any, failed requests, {page
    label: how many charts it drew} of the pages with charts). A url
    may be (url, button): the page as it is after pressing that button (a refused
    form, with its messages)."""
    found, failed, charts = {}, [], {}
    for label, (user, urls) in pages.items():
        persona = Persona(browser, live_server, user, language)
        try:
            for url in urls:
                url, button = url if isinstance(url, tuple) else (url, None)
                persona.tab.goto(url)
                if button:
                    persona.tab.get_by_role("button", name=button, exact=True).first.click()
                    persona.tab.wait_for_load_state()
                    url = f"{url} after {button}"
                # The page really is in the language asked for (and not an error page).
                assert persona.tab.locator("html").get_attribute("lang") == language, url
                violations = axe_violations(persona.tab)
                if violations:
                    found[f"{url} as {label} ({language})"] = violations
                if drawn := persona.tab.locator("svg[role=img]").count():
                    charts[f"{url} as {label}"] = drawn
        finally:
            persona.close()
        failed += persona.failed
    return found, failed, charts


# --- The data ---------------------------------------------------------------------------

TODAY = datetime.date.today()


def snapshots(channel, *, days, followers, growth, posts=40):
    """Daily figures for ``days`` days, with a gap of a week in the middle, so that the
    charts draw lines, gaps, bars and goals."""
    rows = []
    for age in range(days, -1, -1):
        if days // 2 - 3 <= age <= days // 2 + 3:
            continue
        day_number = days - age
        rows.append(
            Snapshot(
                channel=channel,
                date=TODAY - datetime.timedelta(days=age),
                followers=followers + growth * day_number,
                posts=posts + day_number // 3,
                likes=20 + day_number % 7,
                comments=3,
                shares=2,
                engagement_posts=5,
                source="api",
            )
        )
    Snapshot.objects.bulk_create(rows)


class World:
    """A small, realistic portal: two units, channels with owners and figures,
    proposals in each state, and a guideline with two versions."""

    def __init__(self):
        template = current_template()
        self.head = make_user(username="head", first_name="Hedda", last_name="Head")
        self.owner = make_user(username="owner", first_name="Siri", last_name="Submitter")
        self.deputy = make_user(username="deputy", first_name="Dag", last_name="Deputy")
        self.staff = make_user(username="staff", first_name="Stina", last_name="Staff")
        self.office = make_user(
            username="office", first_name="Cleo", last_name="Comms", groups=[roles.COMMUNICATIONS]
        )
        self.unit = make_unit(name="School of Engineering", head=self.head)
        music = make_unit(name="School of Music", head=make_user(username="music-head"))

        Guideline.objects.create(slug="tone-of-voice").publish(
            by=self.office,
            title="Tone of voice",
            summary="How we sound.",
            body="## Be kind\n\nAnswer within a day.\n\n- Use plain language\n- Sign your name",
        )
        self.guideline = Guideline.objects.get(slug="tone-of-voice")
        self.guideline.publish(
            by=self.office,
            title="Tone of voice",
            summary="How we sound.",
            body="## Be kind\n\nAnswer within two hours.\n\n- Use plain language\n- Sign your name",
            change_note="Faster answers.",
        )

        def proposal(name, **fields):
            return make_proposal(
                submitter=self.owner,
                unit=self.unit,
                complete=True,
                name=name,
                proposed_deputy=self.deputy,
                languages="English, Swedish",
                **fields,
            )

        self.draft = proposal("Engineering Podcast")
        self.awaiting = proposal("Engineering on Bluesky", platform="bluesky")
        self.awaiting.submit(by=self.owner)
        self.in_review = proposal("Robotics Lab", platform="instagram")
        self.in_review.submit(by=self.owner)
        self.in_review.endorse(by=self.head, comment="The unit stands behind it.")
        self.in_review.comment_on(
            item=template.items.first(), by=self.office, text="Which channels did you look at?"
        )
        returned = proposal("Engineering Alumni", platform="linkedin")
        returned.submit(by=self.owner)
        returned.endorse(by=self.head)
        returned.request_changes(by=self.office, comment="Say who answers messages.")
        rejected = proposal("Engineering Memes", platform="tiktok")
        rejected.submit(by=self.owner)
        rejected.endorse(by=self.head)
        rejected.reject(by=self.office, comment="Not our tone.")
        approved = proposal("Engineering on Mastodon", profile="@engineering@mastodon.social")
        approved.submit(by=self.owner)
        approved.endorse(by=self.head)
        # Whoever will run the channel has acknowledged the guidelines (approval asks it).
        for person in (self.owner, self.deputy):
            acknowledge(person, [self.guideline.current_version])
        self.channel = approved.approve(by=self.office)
        Channel.objects.filter(pk=self.channel.pk).update(status="active", is_public=True)
        self.channel.refresh_from_db()
        snapshots(self.channel, days=120, followers=300, growth=2)

        others = [
            make_channel(
                unit=self.unit,
                owner=self.staff,
                name="Engineering on Instagram",
                handle="engineering",
                is_public=True,
            ),
            make_channel(
                unit=music, owner=make_user(), name="Music on YouTube", platform="youtube"
            ),
            make_channel(
                unit=music,
                name="Old Music Blog",
                platform="other",
                profile_url="https://blog.example.org/music",
                status="dormant",
            ),
        ]
        for number, other in enumerate(others):
            snapshots(other, days=60, followers=1000 * (number + 1), growth=number - 1)
        ChannelSummary.objects.refresh(Channel.objects.all(), today=TODAY)
        self.notice = SiteNotice.publish(
            by=self.office,
            level="crisis",
            title="Account takeover attempts",
            body="Check your two-factor settings today.",
        )
        SiteNotice.publish(
            by=self.office, level="info", title="New guidelines", body="Read them by Friday."
        )
        self.report = SuspiciousAccountReport.objects.create(
            reported_url="https://www.instagram.com/engineering.official/",
            detected_platform="instagram",
            description="Asks students for their passwords.",
            contact_email="student@example.org",
        )
        decided = SuspiciousAccountReport.objects.create(
            reported_url="https://x.com/engineering_fake", detected_platform="x"
        )
        decided.decide(by=self.office, outcome="impostor", reported_on=TODAY, note="Sent.")


@pytest.fixture
def world(transactional_db):
    return World()


def every_page(world):
    channel = world.channel.pk
    slug = world.guideline.slug
    office_pages = [
        "/",
        reverse("accounts:registry"),
        reverse("accounts:detail", args=[channel]),
        reverse("checklist:detail", args=[world.awaiting.pk]),
        reverse("checklist:review"),
        reverse("checklist:detail", args=[world.in_review.pk]),
        (reverse("checklist:detail", args=[world.in_review.pk]), "Reject"),
        reverse("guidelines:list"),
        reverse("guidelines:detail", args=[slug]),
        reverse("guidelines:diff", args=[slug, 1, 2]),
        reverse("guidelines:version", args=[slug, 1]),
        reverse("guidelines:status"),
        reverse("guidelines:notices"),
        reverse("guidelines:notice", args=[world.notice.pk]),
        reverse("accounts:register"),
        reverse("accounts:edit", args=[channel]),
        reverse("accounts:hand_over", args=[channel]),
        (reverse("accounts:hand_over", args=[channel]), "Hand over"),
        reverse("accounts:recertify", args=[channel]),
        reverse("accounts:close", args=[channel]),
        reverse("metrics:portfolio"),
        reverse("metrics:channel", args=[channel]),
        reverse("metrics:unit_report", args=[world.unit.pk]),
        reverse("accounts:reports"),
        reverse("accounts:reports") + "?state=all",
        reverse("accounts:report_detail", args=[world.report.pk]),
        (reverse("accounts:report_detail", args=[world.report.pk]), "Save the outcome"),
        reverse("accounts:register") + "?profile_url=https://x.com/eng&platform=x&name=eng",
    ]
    return {
        "anonymous": (
            None,
            [
                "/",
                reverse("accounts:directory"),
                reverse("accounts:verify") + "?url=https://mastodon.social/@engineering",
                reverse("accounts:verify") + "?url=https://example.org/@impostor",
                reverse("accounts:channel_page", args=[channel]),
                reverse("accounts:report"),
                reverse("login"),
            ],
        ),
        "staff": (world.staff, ["/", reverse("checklist:new")]),
        "unit head": (world.head, ["/", reverse("checklist:review")]),
        "communications": (world.office, office_pages),
        "owner": (
            world.owner,
            [
                "/",
                reverse("accounts:registry"),
                reverse("accounts:detail", args=[channel]),
                reverse("checklist:new"),
                (reverse("checklist:new"), "Submit for endorsement"),
                reverse("checklist:edit", args=[world.draft.pk]),
                reverse("checklist:detail", args=[world.in_review.pk]),
                reverse("checklist:list"),
                reverse("metrics:channel", args=[channel]),
                reverse("metrics:figures", args=[channel]),
            ],
        ),
    }


def main_pages(world):
    """The pages most people see, for the Swedish run."""
    channel = world.channel.pk
    return {
        "anonymous": (
            None,
            [
                "/",
                reverse("accounts:directory"),
                reverse("accounts:verify") + "?url=https://mastodon.social/@engineering",
                reverse("login"),
            ],
        ),
        "owner": (
            world.owner,
            [
                "/",
                reverse("checklist:edit", args=[world.draft.pk]),
                reverse("metrics:channel", args=[channel]),
            ],
        ),
        "communications": (
            world.office,
            [
                reverse("accounts:registry"),
                reverse("checklist:detail", args=[world.in_review.pk]),
                reverse("metrics:portfolio"),
                reverse("accounts:report_detail", args=[world.report.pk]),
            ],
        ),
    }


# --- The tests ---------------------------------------------------------------------------


def only(found, keep):
    kept = {label: [v for v in violations if keep(v)] for label, violations in found.items()}
    return {label: violations for label, violations in kept.items() if violations}


def assert_accessible(found, failed, checked):
    """No serious or critical violation of any rule, and none at all of the WCAG
    rules; best-practice advice of moderate or minor impact is only reported."""
    print(f"\naxe-core WCAG 2.1 A/AA + best practice: {checked} pages checked")
    print(report(found) or "no violations")
    for rule, (impact, pages, nodes) in tally(found).items():
        print(f"{rule} ({impact}): {nodes} elements on {pages} pages")
    assert failed == [], "requests failed while the pages were checked"
    blocking = only(found, lambda v: v["impact"] in BLOCKING)
    assert blocking == {}, "serious or critical violations:\n" + report(blocking)
    wcag = only(found, lambda v: set(v["tags"]) & set(WCAG_TAGS))
    assert wcag == {}, "moderate or minor WCAG violations:\n" + report(wcag)


def test_every_page_passes_axe_for_every_person_and_the_main_ones_in_swedish(
    browser, live_server, world
):
    # One dataset for both languages: building and flushing it takes seconds.
    english, swedish = every_page(world), main_pages(world)
    found, failed, charts = check_pages(browser, live_server, english)
    in_swedish, failed_in_swedish, _charts = check_pages(
        browser, live_server, swedish, language="sv"
    )
    # The figures pages were checked with their charts drawn: three on a channel's
    # page, a sparkline per channel in the portfolio.
    channel = reverse("metrics:channel", args=[world.channel.pk])
    assert (charts[f"{channel} as owner"], charts["/metrics/ as communications"]) == (3, 4)
    checked = sum(len(urls) for pages in [english, swedish] for _user, urls in pages.values())
    assert_accessible(found | in_swedish, failed + failed_in_swedish, checked)


# --- The keyboard alone ------------------------------------------------------------------

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        id: element.id,
        tag: element.tagName.toLowerCase(),
        text: element.innerText ? element.innerText.trim() : "",
        value: "value" in element ? element.value : null,
        checked: element.checked === undefined ? null : element.checked,
        ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        onScreen: (() => {
            const box = element.getBoundingClientRect();
            return box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0;
        })(),
    };
}"""


def focused(tab):
    """What has the keyboard focus, and whether its focus ring shows."""
    return tab.evaluate(FOCUSED)


def tab_to(tab, *, id=None, text=None, most=100):
    """Press Tab until the element with ``id`` (or a button or link reading ``text``)
    has the focus; every stop on the way must show its focus ring."""
    for _press in range(most):
        tab.keyboard.press("Tab")
        now = focused(tab)
        assert now["ring"], f"no visible focus ring on {now}"
        if (id is not None and now["id"] == id) or (text is not None and now["text"] == text):
            return now
    raise AssertionError(f"Tab never reached {id or text!r} (last: {now})")


def press_tab(tab, key="Tab"):
    tab.keyboard.press(key)
    now = focused(tab)
    assert now["ring"], f"no visible focus ring on {now}"
    return now


def test_a_staff_member_writes_and_submits_a_proposal_with_the_keyboard_alone(open_as):
    from playwright.sync_api import expect

    template = current_template()
    staff = make_user(username="kim", first_name="Kim", last_name="Keyboard")
    make_user(username="dana", first_name="Dana", last_name="Deputy")
    unit = make_unit(name="School of Engineering", head=make_user(username="head"))
    make_unit(name="School of Music")
    tab = open_as(staff)
    tab.goto(reverse("checklist:new"))

    # The first Tab reaches the skip link, shown on screen; Enter moves to the content.
    skip = press_tab(tab)
    assert (skip["text"], skip["onScreen"]) == ("Skip to main content", True)
    tab.keyboard.press("Enter")
    assert (focused(tab)["id"], tab.url.endswith("#main")) == ("main", True)

    # About the channel: selects by typing, text by typing, Shift+Tab goes back.
    tab_to(tab, id="id_unit")
    tab.keyboard.type("School of E")
    assert focused(tab)["value"] == str(unit.pk)
    assert press_tab(tab)["id"] == "id_platform"
    tab.keyboard.type("Mastodon")
    assert focused(tab)["value"] == "mastodon"
    assert press_tab(tab)["id"] == "id_name"
    tab.keyboard.type("Engineering Notes")
    assert press_tab(tab, "Shift+Tab")["id"] == "id_platform"
    assert press_tab(tab)["value"] == "Engineering Notes"
    for field, text in [
        ("id_profile", "@engineeringnotes@mastodon.social"),
        ("id_proposed_owner", "kim"),
        ("id_proposed_deputy", "dana"),
        ("id_languages", "English, Swedish"),
    ]:
        assert tab_to(tab, id=field)["id"] == field
        tab.keyboard.type(text)

    # The first half of the checklist, then Save draft with Enter.
    items = list(template.items.all())
    for item in items[:5]:
        tab_to(tab, id=f"id_answer-{item.key}")
        tab.keyboard.type(f"Typed: {item.title}.")
    tab_to(tab, text="Save draft")
    tab.keyboard.press("Enter")
    expect(tab.get_by_text("The draft is saved.")).to_be_visible()
    proposal = Proposal.objects.get(submitter=staff)
    assert (proposal.state, proposal.name, proposal.answers.count()) == (
        "draft",
        "Engineering Notes",
        5,
    )

    # The rest of the checklist and a measurable goal. A date field takes its parts in
    # the order of the browser's own locale (month first in Debian's Chromium, whatever
    # the page's language): a day that equals the month reads the same in both orders.
    for item in items[5:]:
        tab_to(tab, id=f"id_answer-{item.key}")
        tab.keyboard.type(f"Typed: {item.title}.")
    target = datetime.date(TODAY.year + 1, 6, 6)
    tab_to(tab, id="id_goals-0-metric")
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("ArrowDown")
    assert focused(tab)["value"] == "posts_per_week"
    assert press_tab(tab)["id"] == "id_goals-0-target_value"
    tab.keyboard.type("3")
    assert press_tab(tab)["id"] == "id_goals-0-target_date"
    tab.keyboard.type(target.strftime("%m%d%Y"))
    assert focused(tab)["value"] == target.isoformat()
    # Another goal: the button adds a row, with Space, and the focus lands on it.
    tab_to(tab, text="Add another goal")
    tab.keyboard.press("Space")
    expect(tab.get_by_role("heading", name="Goal 2")).to_be_visible()
    assert focused(tab)["id"] == "id_goals-1-metric"
    tab.keyboard.type("Followers")
    assert focused(tab)["value"] == "followers"
    press_tab(tab)
    tab.keyboard.type("800")
    press_tab(tab)
    tab.keyboard.type(target.strftime("%m%d%Y"))
    tab_to(tab, text="Save draft")
    tab.keyboard.press("Space")
    expect(tab.get_by_text("The draft is saved.")).to_be_visible()

    # Second thoughts: remove the posts goal (a checkbox, with Space), and submit.
    tab_to(tab, id="id_goals-0-DELETE")
    tab.keyboard.press("Space")
    assert focused(tab)["checked"] is True
    tab_to(tab, text="Submit for endorsement")
    tab.keyboard.press("Enter")
    expect(tab.get_by_text("The proposal is sent to head for endorsement.")).to_be_visible()

    proposal.refresh_from_db()
    answers = dict(proposal.answers.values_list("item__key", "text"))
    goals = list(proposal.goals.values_list("metric", "target_value", "target_date"))
    assert (proposal.state, proposal.platform, proposal.profile) == (
        "awaiting_unit_head",
        "mastodon",
        "@engineeringnotes@mastodon.social",
    )
    assert (proposal.proposed_owner, proposal.proposed_deputy.username, proposal.languages) == (
        staff,
        "dana",
        "English, Swedish",
    )
    assert answers == {item.key: f"Typed: {item.title}." for item in items}
    assert goals == [("followers", 800, target)]
