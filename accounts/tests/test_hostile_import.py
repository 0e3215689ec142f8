"""Hostile cells in an imported spreadsheet: every one is a message on its row (or the
file is refused as a whole), the preview shows them as text, and confirming imports the
rows that are fine without a 500."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Channel, RegistryImport
from portal.tests.payloads import (
    ATTRIBUTE,
    BEYOND_BIGINT,
    HOSTILE_ADDRESSES,
    NON_ASCII_DIGITS,
    NUL,
    OVERLONG,
    SCRIPT,
    assert_escaped,
)

HEADER = ["Name", "Platform", "Address", "Unit", "Owner's e-mail", "Recertification due"]
PAYLOADS = [OVERLONG, SCRIPT, ATTRIBUTE, BEYOND_BIGINT]


def hostile_rows():
    good = ["Fine", "Instagram", "@fine.channel", "School of Engineering", "submitter", ""]
    rows = [good]
    for payload in PAYLOADS:
        for column in range(len(HEADER)):
            row = list(good)
            row[2] = f"@hostile{len(rows)}"
            row[column] = payload
            rows.append(row)
    for address in [*HOSTILE_ADDRESSES, *NON_ASCII_DIGITS]:
        rows.append(["Address", "Facebook", address, "School of Engineering", "submitter", ""])
    return rows


def as_csv(rows):
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    return text.getvalue().encode()


@pytest.fixture
def office(client, reviewer, unit, submitter):
    client.force_login(reviewer)
    return client


def test_hostile_cells_are_row_messages_and_the_fine_row_is_imported(office):
    response = office.post(
        reverse("accounts:import"),
        {"file": SimpleUploadedFile("hostile.csv", as_csv(hostile_rows()))},
    )
    assert response.status_code == 302
    preview = office.get(response.url)
    assert preview.status_code == 200
    assert_escaped(preview.content.decode(), SCRIPT)
    counts = preview.context["counts"]
    assert counts["create"] >= 1
    assert counts["create"] + counts["error"] == len(hostile_rows())
    confirmed = office.post(
        reverse("accounts:import_confirm", args=[RegistryImport.objects.get().pk])
    )
    assert confirmed.status_code == 302
    assert Channel.objects.filter(handle="fine.channel").count() == 1
    assert not Channel.objects.filter(name=OVERLONG).exists()


def test_a_null_character_refuses_the_file(office):
    content = as_csv([["Fine", "Instagram", NUL, "School of Engineering", "submitter", ""]])
    response = office.post(
        reverse("accounts:import"), {"file": SimpleUploadedFile("nul.csv", content)}
    )
    assert response.status_code == 400
    assert not RegistryImport.objects.exists()
