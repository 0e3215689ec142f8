"""Issue 18, item 2, in a real browser on the demo data: an orphaned channel is no dead
end. The head of its unit hands it over, and its deputy takes it over with one button;
both pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from accounts.models import Channel, ChannelEvent
from portal.tests.test_browser_accessibility import Persona, assert_accessible, axe_violations

pytestmark = pytest.mark.browser


def orphaned(name, platform):
    return Channel.objects.orphaned().get(name=name, platform=platform)


@pytest.fixture
def open_as(browser, live_server):
    """A signed-in tab for a person (CSP bypassed so that axe can be injected); the test
    fails on any request that failed."""
    personas = []

    def open_tab(user):
        personas.append(Persona(browser, live_server, user))
        return personas[-1].tab

    yield open_tab, personas
    for persona in personas:
        persona.close()


def test_the_unit_head_hands_over_and_the_deputy_takes_over(demo_data, open_as, screenshots):
    open_tab, personas = open_as
    found = {}

    # --- Rut, the rector, heads the university: the Alumni page on Facebook is hers ----
    alumni = orphaned("Fictional University Alumni", "facebook")
    rut = open_tab(alumni.unit.head)
    rut.goto(alumni.get_absolute_url())
    expect(rut.get_by_role("alert").filter(has_text="no responsible owner")).to_be_visible()
    rut.get_by_role("link", name="Hand over").click()
    expect(rut.get_by_role("heading", level=1)).to_have_text("Hand over responsibility")
    expect(rut.get_by_text("The responsible owner, Frida Former, no longer has")).to_be_visible()
    found["hand-over as unit head"] = axe_violations(rut)
    rut.get_by_label("New responsible owner").fill("demo-staff3")
    rut.get_by_role("button", name="Hand over").click()
    expect(rut.get_by_text("Sara Social is now the responsible owner.")).to_be_visible()
    expect(rut.get_by_role("alert").filter(has_text="no responsible owner")).to_have_count(0)
    screenshots(rut, "rector-handed-over")
    assert alumni.owner.username == "demo-staff3"

    # --- Stig, the deputy of the Robotics Lab's channel, takes it over -------------------
    robotics = orphaned("Robotics Lab", "youtube")
    stig = open_tab(robotics.deputy)
    stig.goto(robotics.get_absolute_url())
    take_over = stig.get_by_test_id("take-over")
    expect(take_over.get_by_role("heading")).to_have_text("Take over as responsible owner")
    found["channel page as deputy"] = axe_violations(stig)
    take_over.get_by_role("button", name="Take over").click()
    done = "You are now the responsible owner. Name a new deputy."
    expect(stig.get_by_text(done)).to_be_visible()
    expect(stig.get_by_text("Responsible owner: Stig Colleague")).to_be_visible()
    expect(stig.get_by_test_id("take-over")).to_have_count(0)
    expect(stig.get_by_role("alert").filter(has_text="no deputy")).to_be_visible()
    found["channel page after taking over"] = axe_violations(stig)
    screenshots(stig, "deputy-took-over")
    assert (robotics.owner.username, robotics.deputy) == ("demo-staff2", None)
    assert robotics.events.first().action == ChannelEvent.Action.TAKEN_OVER

    failed = [f for persona in personas for f in persona.failed]
    assert_accessible({k: v for k, v in found.items() if v}, failed, len(found))
