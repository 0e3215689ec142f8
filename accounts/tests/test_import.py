"""Importing an existing registry: a messy 200-row spreadsheet, as CSV (semicolons and
Swedish headers, commas and English ones, both UTF-8 with a byte order mark) and as
XLSX; its preview, cancel, confirm, and a second import that changes nothing."""

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from accounts import imports
from accounts.models import Channel, ChannelEvent, ChannelRole, RegistryImport
from accounts.spreadsheets import read_csv
from portal.tests.factories import make_channel, make_unit

HEADER = [
    "Name",
    "Platform",
    "Handle",
    "Address",
    "Unit",
    "Status",
    "Responsible owner",
    "Owner's e-mail",
    "Deputy",
    "Deputy's e-mail",
    "Recertification due",
    "Last recertified",
    "In the public directory",
]
SWEDISH_NOTE = "Anteckning"  # a column of the office's own: not read

# Each platform's address, written three ways (the forms people paste).
FORMS = [
    ("Instagram", lambda n: f"@eng{n}", lambda n: f"https://www.instagram.com/eng{n}/"),
    ("Instagram", lambda n: f"instagram.com/eng{n}", lambda n: f"@eng{n}"),
    ("X", lambda n: f"twitter.com/eng{n}", lambda n: f"https://x.com/eng{n}"),
    (
        "Mastodon",
        lambda n: f"@eng{n}@mastodon.social",
        lambda n: f"https://mastodon.social/@eng{n}",
    ),
    ("YouTube", lambda n: f"https://youtube.com/@eng{n}", lambda n: f"youtube.com/@eng{n}"),
    (
        "LinkedIn",
        lambda n: f"linkedin.com/company/eng{n}",
        lambda n: f"https://www.linkedin.com/company/eng{n}/",
    ),
]


def row(name, platform, address, *, unit="School of Engineering", owner_email="",
        owner="", status="", due="", deputy_email=""):  # fmt: skip
    return [name, platform, "", address, unit, status, owner, owner_email, "", deputy_email,
            due, "", ""]  # fmt: skip


def messy_rows():
    """200 rows: 155 new, 3 changed, 5 unchanged, 1 empty and 36 with errors."""
    rows = []
    owners = [
        dict(owner_email="submitter@example.org"),
        dict(owner="submitter"),
        dict(owner_email="COLLEAGUE@Example.org"),
    ]
    for n in range(150):  # rows 2-151: new channels, addresses in mixed forms
        platform, first, _other = FORMS[n % len(FORMS)]
        owner = owners[n % 3]
        deputy = {"deputy_email": "deputy@example.org"} if n % 4 == 0 else {}
        rows.append(row(f"Engineering {n}", platform, first(n), **owner, **deputy))
    for n in range(150, 160):  # unknown people
        rows.append(
            row(f"Unknown {n}", "Instagram", f"@eng{n}", owner_email=f"nobody{n}@example.org")
        )
    for n in range(5):  # the channels of rows 2-6 again, their addresses written otherwise
        platform, _first, other = FORMS[n % len(FORMS)]
        rows.append(row(f"Again {n}", platform, other(n), owner_email="submitter@example.org"))
    for n in range(5):  # already in the registry, as it is
        rows.append(
            row(
                f"Old {n}",
                "Instagram",
                f"https://www.instagram.com/old{n}",
                owner_email="submitter@example.org",
            )
        )
    for n in range(5, 8):  # already in the registry, renamed
        rows.append(
            row(
                f"Old {n} renamed",
                "Instagram",
                f"instagram.com/old{n}",
                owner_email="submitter@example.org",
            )
        )
    rows.append([""] * len(HEADER))  # an empty row
    rows.append(
        row(
            '=HYPERLINK("http://evil.example")',
            "Instagram",
            "@formula",
            owner_email="submitter@example.org",
        )
    )
    for n in range(5):
        rows.append(
            row(f"Lost {n}", "Instagram", f"@lost{n}", unit="Faculty of Nowhere", owner="submitter")
        )
    for n in range(5):
        rows.append(
            row(f"Dated {n}", "Instagram", f"@dated{n}", owner="submitter", due="31/02/2027")
        )
    for n in range(5):
        rows.append(row(f"Myspace {n}", "Myspace", f"myspace.com/x{n}", owner="submitter"))
    for n in range(5):
        rows.append(
            row(
                f"Wrong place {n}", "Instagram", f"https://facebook.com/wrong{n}", owner="submitter"
            )
        )
    for n in range(5):  # planned, in Swedish, with a due date
        rows.append(
            row(
                f"Planned {n}",
                "Bluesky",
                f"@planned{n}.bsky.social",
                owner="colleague",
                status="Planerad",
                due="2027-06-30",
            )
        )
    assert len(rows) == 200
    return rows


EXPECTED = {"create": 155, "update": 3, "unchanged": 5, "error": 36, "empty": 1}


def as_csv(rows, *, delimiter, header):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def swedish_header():
    with translation.override("sv"):
        return [str(imports.COLUMNS[key]) for key in imports.COLUMNS][: len(HEADER)] + [
            SWEDISH_NOTE
        ]


def as_xlsx(rows, header):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([value or None for value in values])  # a formula string is a formula
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload_of(kind):
    rows = messy_rows()
    if kind == "csv-semicolon-swedish":
        return SimpleUploadedFile(
            "kanaler.csv", as_csv([r + ["x"] for r in rows], delimiter=";", header=swedish_header())
        )
    if kind == "csv-comma":
        return SimpleUploadedFile("channels.csv", as_csv(rows, delimiter=",", header=HEADER))
    return SimpleUploadedFile("channels.xlsx", as_xlsx(rows, HEADER))


KINDS = ["csv-semicolon-swedish", "csv-comma", "xlsx"]


@pytest.fixture
def registry(unit, submitter, colleague, deputy, reviewer):
    """Eight Instagram channels the registry already has (old0 ... old7)."""
    return [
        make_channel(unit=unit, owner=submitter, name=f"Old {n}", handle=f"old{n}")
        for n in range(8)
    ]


@pytest.fixture
def office(client, reviewer):
    client.force_login(reviewer)
    return client


def upload(client, kind):
    response = client.post(reverse("accounts:import"), {"file": upload_of(kind)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


@pytest.mark.parametrize("kind", KINDS)
def test_the_preview_counts_and_explains_every_row_and_saves_nothing(office, registry, kind):
    channels, events = Channel.objects.count(), ChannelEvent.objects.count()
    preview = office.get(upload(office, kind))
    assert preview.status_code == 200
    assert preview.context["counts"] == EXPECTED
    text = preview.content.decode()
    assert "Nobody with the user name or e-mail address “nobody150@example.org”." in text
    assert "The same channel as row 2: https://www.instagram.com/eng0/" in text
    assert "The column “Name” holds a formula: type the value itself." in text
    assert "The row is empty and is left out." in text
    assert "There is no unit named “Faculty of Nowhere”." in text
    assert "“31/02/2027” in “Recertification due” is not a date" in text
    assert "“Myspace” is not a platform the registry knows." in text
    assert "This address is on Facebook, but the platform chosen is Instagram." in text
    assert "Name: Old 5 → Old 5 renamed" in text
    if kind.startswith("csv-semicolon"):
        assert "These columns are not read: Anteckning" in text
    assert (Channel.objects.count(), ChannelEvent.objects.count()) == (channels, events)


def test_cancel_saves_nothing_and_forgets_the_file(office, registry):
    channels = Channel.objects.count()
    preview_url = upload(office, "xlsx")
    pk = RegistryImport.objects.get().pk
    response = office.post(reverse("accounts:import_cancel", args=[pk]))
    assert response.status_code == 302
    assert not RegistryImport.objects.exists()
    assert Channel.objects.count() == channels
    assert office.get(preview_url).status_code == 404


@pytest.mark.parametrize("kind", ["csv-semicolon-swedish", "xlsx"])
def test_confirming_registers_through_the_operation_and_a_second_import_changes_nothing(
    office, registry, reviewer, mailoutbox, kind
):
    upload(office, kind)
    pk = RegistryImport.objects.get().pk
    response = office.post(reverse("accounts:import_confirm", args=[pk]))
    assert response.status_code == 302
    assert not RegistryImport.objects.exists()
    created = ChannelEvent.objects.filter(
        action=ChannelEvent.Action.CREATED, comment="Imported from a spreadsheet."
    )
    assert created.count() == 155
    assert all(event.actor == reviewer for event in created)
    eng3 = Channel.objects.get(name="Engineering 3")
    assert (eng3.platform, eng3.profile_url, eng3.handle) == (
        "mastodon",
        "https://mastodon.social/@eng3",
        "eng3@mastodon.social",
    )
    assert eng3.owner.username == "submitter"
    assert Channel.objects.get(name="Engineering 4").deputy.username == "deputy"
    planned = Channel.objects.get(name="Planned 0")
    assert planned.status == Channel.Status.PLANNED
    assert str(planned.recertification_due_on) == "2027-06-30"
    assert planned.owner.username == "colleague"
    assert Channel.objects.filter(name__startswith="Old", name__endswith="renamed").count() == 3
    # Every new channel has exactly one owner.
    owners = ChannelRole.objects.current().filter(kind=ChannelRole.Kind.OWNER)
    assert owners.filter(channel__in=created.values("channel")).count() == 155

    channels, events = Channel.objects.count(), ChannelEvent.objects.count()
    again = office.get(upload(office, kind))
    assert again.context["counts"] == {**EXPECTED, "create": 0, "update": 0, "unchanged": 163}
    office.post(reverse("accounts:import_confirm", args=[RegistryImport.objects.get().pk]))
    assert (Channel.objects.count(), ChannelEvent.objects.count()) == (channels, events)


def test_a_double_confirm_imports_once(office, registry):
    upload(office, "csv-comma")
    pk = RegistryImport.objects.get().pk
    office.post(reverse("accounts:import_confirm", args=[pk]))
    channels = Channel.objects.count()
    assert office.post(reverse("accounts:import_confirm", args=[pk])).status_code == 404
    assert Channel.objects.count() == channels


def test_the_preview_page_costs_the_same_queries_for_any_number_of_rows(
    office, registry, django_assert_max_num_queries
):
    preview = upload(office, "xlsx")
    with django_assert_max_num_queries(14):
        assert office.get(preview).status_code == 200


def test_planning_reads_the_registry_in_a_fixed_number_of_queries(
    registry, django_assert_max_num_queries
):
    rows = read_csv(as_csv(messy_rows(), delimiter=",", header=HEADER), max_rows=300)
    with django_assert_max_num_queries(7):
        the_plan = imports.plan(rows)
    assert the_plan.counts == EXPECTED


BAD_FILES = [
    ("notes.txt", b"Name,Platform\n", "Upload an XLSX or CSV file"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "cannot be read as XLSX"),
    ("empty.csv", b"", "The submitted file is empty."),
    ("header-only.csv", b"\xef\xbb\xbfName;Unit\n", "Missing: Platform, Address, Owner's e-mail"),
    ("twice.csv", b"Name,Name,Platform,Address,Unit,Owner's e-mail\n", "appears twice"),
    ("nul.csv", b"Name,Platform\x00\n", "cannot be read as CSV"),
]


@pytest.mark.parametrize(("filename", "content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_clear_message(office, registry, filename, content, message):
    response = office.post(
        reverse("accounts:import"), {"file": SimpleUploadedFile(filename, content)}
    )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not RegistryImport.objects.exists()


def test_a_file_over_two_megabytes_is_refused(office, registry):
    big = SimpleUploadedFile("big.csv", b"Name\n" + b"x" * (2 * 1024 * 1024))
    response = office.post(reverse("accounts:import"), {"file": big})
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()


def test_more_rows_than_allowed_are_refused(office, registry):
    lines = "Name,Platform,Address,Unit,Owner's e-mail\n" + "a,Instagram,@a,U,x\n" * 5001
    response = office.post(
        reverse("accounts:import"), {"file": SimpleUploadedFile("many.csv", lines.encode())}
    )
    assert response.status_code == 400
    assert "more than 5000 rows" in response.content.decode()


@pytest.mark.parametrize("persona", ["submitter", "unit_head", "outsider"])
def test_only_the_office_imports(client, request, registry, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:import")).status_code == 403
    response = client.post(reverse("accounts:import"), {"file": upload_of("csv-comma")})
    assert response.status_code == 403
    assert not RegistryImport.objects.exists()


def test_an_upload_is_its_uploaders_only(client, registry, reviewer, portal_admin):
    client.force_login(reviewer)
    upload(client, "csv-comma")
    pk = RegistryImport.objects.get().pk
    client.force_login(portal_admin)
    assert client.get(reverse("accounts:import_preview", args=[pk])).status_code == 404
    assert client.post(reverse("accounts:import_confirm", args=[pk])).status_code == 404
    assert RegistryImport.objects.filter(pk=pk).exists()


def test_a_unit_of_another_name_is_reported_not_changed(office, registry, unit):
    make_unit(name="School of Music")
    rows = [HEADER, row("Old 0", "Instagram", "@old0", unit="School of Music",
                         owner_email="submitter@example.org")]  # fmt: skip
    (planned,) = imports.plan(rows).rows
    assert planned.action == "unchanged"
    assert planned.notes == ["Unit differs from the registry's; an import does not change it."]
    content = io.StringIO()
    csv.writer(content).writerows(rows)
    file = SimpleUploadedFile("moved.csv", content.getvalue().encode())
    preview = office.get(office.post(reverse("accounts:import"), {"file": file}).url)
    assert "Unit differs from the registry&#x27;s; an import does not change it." in (
        preview.content.decode()
    )


def test_a_new_upload_replaces_an_abandoned_preview(office, registry):
    upload(office, "csv-comma")
    upload(office, "xlsx")
    assert list(RegistryImport.objects.values_list("filename", flat=True)) == ["channels.xlsx"]


def test_each_person_gets_one_mail_listing_their_imported_channels(
    office, registry, mailoutbox, django_capture_on_commit_callbacks
):
    upload(office, "csv-comma")
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("accounts:import_confirm", args=[RegistryImport.objects.get().pk]))
    imported = [mail for mail in mailoutbox if "now in the registry" in mail.subject]
    assert sorted(mail.to[0] for mail in imported) == [
        "colleague@example.org",
        "deputy@example.org",
        "submitter@example.org",
    ]
    (colleague,) = [mail for mail in imported if mail.to == ["colleague@example.org"]]
    assert colleague.subject == "55 channels you run are now in the registry"
    assert "Engineering 5 (LinkedIn, https://" in colleague.body
    assert "Planned 4 (Bluesky" in colleague.body
    assert not [mail for mail in mailoutbox if "You are responsible" in mail.subject]
