"""In a browser: the daily watch runs against a local stand-in of Bluesky's AppView that
knows a look-alike of a registered channel; the office finds the candidate in its
triage queue with the evidence, marks it an impostor reported to the platform, and the
next day's run does not bring it back."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import SuspiciousAccountReport
from lookalikes import tasks
from metrics.tests import contracts
from portal.tests.browser import fill_sign_in
from portal.tests.factories import PASSWORD, make_channel, make_persona, make_unit

from .standin import StandInAppView

pytestmark = pytest.mark.browser

OFFICIAL_DID = "did:plc:fictuni7xq3kzm2r5v4w6yab"
IMPOSTOR_DID = "did:plc:fakeuni2abcdefghijklmnop"


def profile_view(did, handle, name, description, labels=()):
    return {
        "did": did,
        "handle": handle,
        "displayName": name,
        "description": description,
        "indexedAt": "2026-11-18T09:00:00.000Z",
        "createdAt": "2026-11-15T08:00:00.000Z",
        "labels": [
            {
                "src": "did:plc:ar7c4by46qjdydhdevvrndac",
                "uri": did,
                "val": value,
                "cts": "2026-11-19T12:00:00.000Z",
            }
            for value in labels
        ],
    }


@pytest.fixture
def appview(settings, use_searches):
    use_searches("lookalikes.search.bluesky.BlueskySearch")
    actors = [
        profile_view(OFFICIAL_DID, "fictionaluni.bsky.social", "Fictional University", "News."),
        # A homoglyph in the name and "-official" in the handle.
        profile_view(
            IMPOSTOR_DID,
            "fictionaluni-official.bsky.social",
            "Fictional Universíty",
            "Official account. DM us for admissions.",
            labels=("impersonation",),
        ),
    ]
    with StandInAppView(actors) as server:
        settings.METRICS_API_BASE_URL = server.url
        yield server
    # What the stand-in answered is what the lexicon defines.
    for path, query, status, body in server.answers:
        assert contracts.platforms()["bluesky"].request("GET", path, query) == []
        assert contracts.platforms()["bluesky"].answer("GET", path, status, body, query) == []


def test_the_office_triages_a_lookalike_and_it_does_not_come_back(
    page, appview, transactional_db, settings
):
    settings.PORTAL_ORGANISATION_NAME = "Fictional University"
    settings.PORTAL_ORGANISATION_ALIASES = []
    office = make_persona("reviewer")
    unit = make_unit(name="School of Engineering")
    make_channel(
        unit=unit,
        name="Fictional University",
        platform="bluesky",
        handle="fictionaluni.bsky.social",
        platform_id=OFFICIAL_DID,
        profile_url="https://bsky.app/profile/fictionaluni.bsky.social",
    )
    today = datetime.date.today()
    assert tasks.watch_all.delay(today.isoformat()).get() == 3
    assert len(appview.requests) == 3

    page.goto("/login/")
    fill_sign_in(page, office.username, PASSWORD)
    page.goto("/reports/?source=lookalike")
    row = page.get_by_role("row").filter(has_text="fictionaluni-official.bsky.social")
    expect(row.get_by_test_id("lookalike-summary")).to_contain_text("like Fictional University")
    expect(row.get_by_test_id("lookalike-summary")).to_contain_text("impersonation")
    row.get_by_role("link").click()

    evidence = page.get_by_test_id("lookalike-evidence")
    expect(evidence.get_by_test_id("lookalike-score")).to_contain_text("% like an official account")
    expect(evidence.get_by_test_id("lookalike-candidate")).to_contain_text("Fictional Universíty")
    expect(evidence.get_by_test_id("lookalike-candidate")).to_contain_text(
        "Official account. DM us for admissions."
    )
    expect(evidence.get_by_test_id("lookalike-label")).to_have_text("impersonation")
    expect(evidence.get_by_test_id("lookalike-official")).to_contain_text("Fictional University")
    expect(evidence.get_by_test_id("lookalike-official")).to_contain_text("School of Engineering")
    expect(evidence.get_by_test_id("lookalike-parts")).to_contain_text("Display name like")

    page.get_by_label("Impostor, reported to the platform").check()
    page.get_by_label("Reported to the platform on").fill(today.isoformat())
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_test_id("report-state")).to_contain_text(
        "Impostor, reported to the platform"
    )

    # The next day the account is still there: no new report, and the office sees it is.
    tomorrow = today + datetime.timedelta(days=1)
    assert tasks.watch_all.delay(tomorrow.isoformat()).get() == 3
    assert len(appview.requests) == 6
    reports = SuspiciousAccountReport.objects.filter(source="lookalike")
    assert reports.count() == 1 and not reports.get().is_open
    page.goto("/reports/?source=lookalike")
    expect(page.get_by_test_id("report-count")).to_have_text("0 reports")
    page.goto("/reports/?source=lookalike&state=all")
    expect(page.get_by_test_id("report-count")).to_have_text("1 report")
    page.get_by_role(
        "link", name="https://bsky.app/profile/fictionaluni-official.bsky.social"
    ).click()
    expect(page.get_by_test_id("lookalike-last-seen")).to_contain_text("Still found on")
