"""The figures' XLSX export: numbers are numbers, dates are dates, unknown is empty."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Channel
from metrics.models import ChannelSummary, Snapshot
from portal.tests.factories import make_channel

pytestmark = pytest.mark.usefixtures("frozen_now")

TODAY = datetime.date(2026, 11, 20)


def test_the_figures_export_holds_numbers_and_dates(client, reviewer, unit, submitter, outsider):
    channel = make_channel(unit=unit, owner=submitter, platform="mastodon", name="Engineering")
    make_channel(unit=unit, owner=outsider, platform="mastodon", name="Robotics")
    for days_ago, followers in [(30, 1300), (0, 1234)]:
        Snapshot.objects.create(
            channel=channel,
            date=TODAY - datetime.timedelta(days=days_ago),
            source="api",
            followers=followers,
            posts=100,
        )
    ChannelSummary.objects.refresh(Channel.objects.all(), today=TODAY)
    client.force_login(reviewer)
    response = client.get(reverse("metrics:export_xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="channel-figures.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    engineering = rows["Engineering"]
    followers = engineering[header.index("Followers")]
    assert followers.value == 1234
    assert followers.data_type == "n"
    assert engineering[header.index("Growth in 30 days")].value == -66
    as_of = engineering[header.index("Figures as of")]
    assert as_of.is_date
    assert as_of.value == datetime.datetime(2026, 11, 20)
    # Unknown figures are empty cells, never 0.
    assert [cell.value for cell in rows["Robotics"][4:]] == [None] * 8


def test_the_csv_keeps_a_fall_in_followers_a_number(client, reviewer, unit, submitter):
    channel = make_channel(unit=unit, owner=submitter, platform="mastodon", name="Engineering")
    for days_ago, followers in [(30, 1300), (0, 1234)]:
        Snapshot.objects.create(
            channel=channel,
            date=TODAY - datetime.timedelta(days=days_ago),
            source="api",
            followers=followers,
        )
    ChannelSummary.objects.refresh(Channel.objects.all(), today=TODAY)
    client.force_login(reviewer)
    body = b"".join(client.get(reverse("metrics:export")).streaming_content).decode()
    assert ",1234,-66," in body
