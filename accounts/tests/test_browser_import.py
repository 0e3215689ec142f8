"""The office brings its spreadsheet into the registry in a real browser, on the demo
data: upload, preview, confirm; and takes the registry out again as XLSX. The new pages
pass axe-core."""

import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import Channel, Unit
from guidelines.models import has_acknowledged_owner_guidelines
from portal.tests.browser import fill_sign_in
from portal.tests.test_browser_accessibility import WCAG_TAGS, axe_violations, describe

pytestmark = pytest.mark.browser


def sign_in(page, username):
    page.goto("/login/")
    fill_sign_in(page, username)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def assert_accessible(page):
    violations = [
        violation
        for violation in axe_violations(page)
        if violation["impact"] in {"serious", "critical"} or set(violation["tags"]) & set(WCAG_TAGS)
    ]
    assert violations == [], "\n".join(describe(violation) for violation in violations)


def spreadsheet(tmp_path):
    """Three new channels, one already in the registry, one unknown person."""
    from django.contrib.auth import get_user_model

    owner = next(
        person
        for person in get_user_model().objects.filter(is_active=True).order_by("username")
        if has_acknowledged_owner_guidelines(person)
    )
    unit = Unit.objects.order_by("name").first().name
    known = Channel.objects.exclude(profile_url="").exclude(status="closed").order_by("pk").first()
    rows = [
        ["Name", "Platform", "Address", "Unit", "Responsible owner", "Owner's e-mail"],
        ["Imported One", "Mastodon", "@importedone@mastodon.social", unit, owner.username, ""],
        ["Imported Two", "Instagram", "instagram.com/importedtwo", unit, "", owner.email.upper()],
        ["Imported Three", "", "https://x.com/importedthree", unit, owner.username, ""],
        [
            known.name,
            known.get_platform_display(),
            known.profile_url,
            known.unit.name,
            "",
            known.owner.email if known.owner else owner.email,
        ],  # fmt: skip
        ["Nobody's", "Instagram", "@nobodys", unit, "", "nobody@example.org"],
    ]
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows(rows)
    path = tmp_path / "our-channels.csv"
    path.write_bytes(("\ufeff" + text.getvalue()).encode())
    return path


@pytest.fixture
def page(browser, live_server):
    """A tab whose pages axe-core may be injected into (the portal's CSP forbids it)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_office_imports_its_spreadsheet_and_exports_the_registry(page, demo_data, tmp_path):
    channels = Channel.objects.count()
    path = spreadsheet(tmp_path)
    sign_in(page, "demo-comms")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Registry"
    ).click()
    page.get_by_role("link", name="Import a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import a registry from a spreadsheet"
    )
    assert_accessible(page)

    # A wrong kind of file first: a clear message, nothing kept.
    wrong = tmp_path / "notes.txt"
    wrong.write_text("hello")
    page.get_by_label("Spreadsheet").set_input_files(wrong)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Upload an XLSX or CSV file")).to_be_visible()

    page.get_by_label("Spreadsheet").set_input_files(path)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Preview of the import of our-channels.csv"
    )
    expect(page.get_by_test_id("count-create")).to_have_text("3")
    expect(page.get_by_test_id("count-error")).to_have_text("1")
    expect(page.locator("tr[data-row='6']")).to_contain_text(
        "Nobody with the user name or e-mail address “nobody@example.org”."
    )
    assert Channel.objects.count() == channels  # nothing saved yet
    assert_accessible(page)

    page.get_by_role("button", name="Import 3 channels").click()
    expect(page.get_by_text(re.compile(r"3 channels registered"))).to_be_visible()
    expect(page.get_by_text("1 row with errors was left out")).to_be_visible()
    assert Channel.objects.count() == channels + 3
    assert Channel.objects.get(name="Imported Three").platform == "x"

    # The registry, searched and taken out as XLSX: dates are dates.
    page.get_by_role("searchbox", name="Search").fill("Imported")
    page.get_by_role("button", name="Search").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export for Excel (XLSX)").click()
    assert download.value.suggested_filename.startswith("registry-")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert sorted(rows) == ["Imported One", "Imported Three", "Imported Two"]
    due = rows["Imported One"][header.index("Recertification due")]
    assert due.is_date and isinstance(due.value, datetime.datetime)
