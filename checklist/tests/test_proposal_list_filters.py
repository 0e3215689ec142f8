"""The proposals list's filters and its CSV and XLSX exports: what the reader may see,
as the filters chose; dates as dates and days as numbers in the XLSX."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from checklist.models import Proposal
from checklist.tests.factories import make_proposal
from portal.tests.factories import make_unit, make_user

SUBMITTED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def proposals(submitter, colleague, unit):
    music = make_unit(name="School of Music", head=make_user(username="music-head"))
    with time_machine.travel(SUBMITTED, tick=False):
        made = {
            "draft": make_proposal(submitter=colleague, unit=unit, name="Colleague Draft"),
            "review": make_proposal(
                submitter=submitter,
                unit=unit,
                name="Robotics News",
                platform="linkedin",
                state=Proposal.State.IN_REVIEW,
                submitted_at=SUBMITTED,
            ),
            "music": make_proposal(
                submitter=colleague,
                unit=music,
                name="=Music Live",
                platform="instagram",
                state=Proposal.State.AWAITING_UNIT_HEAD,
                submitted_at=SUBMITTED,
            ),
        }
    return made


def names(response, key):
    return [row["name"] for row in response.context[key]]


def test_the_office_filters_the_proposals_it_sees(client, reviewer, proposals):
    client.force_login(reviewer)
    everything = client.get(reverse("checklist:list"))
    assert sorted(names(everything, "other_rows")) == ["=Music Live", "Robotics News"]
    by_state = client.get(reverse("checklist:list"), {"state": "in_review"})
    assert names(by_state, "other_rows") == ["Robotics News"]
    by_unit = client.get(reverse("checklist:list"), {"unit": proposals["music"].unit_id})
    assert names(by_unit, "other_rows") == ["=Music Live"]
    searched = client.get(reverse("checklist:list"), {"q": "robot", "platform": "linkedin"})
    assert names(searched, "other_rows") == ["Robotics News"]
    assert 'href="/proposals/export.xlsx?q=robot&amp;platform=linkedin"' in searched.text


def test_a_filter_value_the_page_does_not_offer_is_ignored(client, reviewer, proposals):
    client.force_login(reviewer)
    response = client.get(reverse("checklist:list"), {"state": "nonsense", "unit": "x"})
    assert response.status_code == 200
    assert len(response.context["other_rows"]) == 2


def read_csv(response):
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_export_holds_only_what_the_reader_may_see(client, submitter, proposals):
    client.force_login(submitter)
    rows = read_csv(client.get(reverse("checklist:export")))
    assert [row[0] for row in rows[1:]] == ["Robotics News"]


def test_the_office_exports_the_filtered_list_with_formulas_neutralised(
    client, reviewer, proposals
):
    client.force_login(reviewer)
    rows = read_csv(client.get(reverse("checklist:export"), {"platform": "instagram"}))
    assert rows[0][:5] == ["Name", "Platform", "Handle or address", "Unit", "State"]
    assert [row[0] for row in rows[1:]] == ["'=Music Live"]
    assert rows[1][rows[0].index("Submitted")] == "2026-11-02 10:30"  # Stockholm time


def test_the_xlsx_export_has_dates_and_numbers(client, reviewer, proposals):
    client.force_login(reviewer)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        response = client.get(reverse("checklist:export_xlsx"), {"state": "in_review"})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    (row,) = list(sheet.iter_rows(min_row=2))
    assert row[0].value == "Robotics News"
    submitted = row[header.index("Submitted")]
    assert submitted.is_date
    assert submitted.value == datetime.datetime(2026, 11, 2, 10, 30)
    days = row[header.index("Days since submitted")]
    assert (days.value, days.data_type) == (18, "n")


def test_the_proposals_list_costs_the_same_queries_filtered(
    client, reviewer, proposals, django_assert_max_num_queries
):
    client.force_login(reviewer)
    client.get(reverse("checklist:list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("checklist:list"), {"q": "x", "unit": proposals["music"].unit_id})


def test_each_reader_gets_their_own_list_also_from_the_cache(
    client, submitter, colleague, reviewer, proposals
):
    # The list is kept per reader (checklist.views.reading.proposal_list): each second
    # request is served from the cache, and a new proposal shows at once.
    for _ in range(2):
        client.force_login(submitter)
        mine = client.get(reverse("checklist:list")).text
        assert "Robotics News" in mine and "Colleague Draft" not in mine
        client.force_login(colleague)
        theirs = client.get(reverse("checklist:list")).text
        assert "Colleague Draft" in theirs and "Robotics News" not in theirs
        client.force_login(reviewer)
        office = client.get(reverse("checklist:list")).text
        assert "Robotics News" in office and "Colleague Draft" not in office

    make_proposal(submitter=colleague, unit=proposals["draft"].unit, name="Fresh Draft")
    client.force_login(colleague)
    assert "Fresh Draft" in client.get(reverse("checklist:list")).text
