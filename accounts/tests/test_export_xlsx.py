"""The registry's XLSX export: what the CSV holds, with real dates, a bold frozen
header, and texts that start like formulas kept as text."""

import datetime
import io

from openpyxl import load_workbook

from portal.tests.factories import make_channel


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_registry_exports_dates_as_dates_and_formulas_as_text(
    client, reviewer, unit, submitter
):
    make_channel(
        unit=unit,
        owner=submitter,
        name='=HYPERLINK("http://evil")',
        handle="evil1",
        recertification_due_on=datetime.date(2027, 3, 31),
    )
    make_channel(unit=unit, owner=submitter, name="Plain", handle="plain1")
    make_channel(unit=unit, owner=submitter, name="Elsewhere", platform="x", handle="other1")
    client.force_login(reviewer)
    response = client.get("/registry/export.xlsx", {"platform": "instagram"})
    assert 'filename="registry-' in response["Content-Disposition"]
    sheet = workbook(response).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Name", "Platform", "Handle"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 44
    evil, plain = list(sheet.iter_rows(min_row=2))
    assert evil[0].value == '=HYPERLINK("http://evil")'
    assert evil[0].data_type == "s"  # text, never a formula
    due = evil[header.index("Recertification due")]
    assert due.value == datetime.datetime(2027, 3, 31)
    assert due.is_date
    assert plain[0].value == "Plain"
    assert plain[header.index("Last recertified")].value is None


def test_only_the_office_exports_credentials_in_the_xlsx(client, submitter, reviewer, channel):
    client.force_login(submitter)
    staff = workbook(client.get("/registry/export.xlsx")).active
    assert "Credentials kept in" not in [cell.value for cell in staff[1]]
    client.force_login(reviewer)
    office = workbook(client.get("/registry/export.xlsx")).active
    header = [cell.value for cell in office[1]]
    assert office.cell(2, header.index("Credentials kept in") + 1).value == (
        "Vault: Social/Instagram/Engineering"
    )
