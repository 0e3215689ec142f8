"""Hostile input on the metrics pages: the portfolio's filters, sorting and paging, its
export, a channel's range, a unit report's month, the token form and the figures
entered by hand.

Every answer is a 4xx with the message next to the field (what was typed kept) or the
page itself, with a warning for a parameter it does not offer: never a 500, nothing
stored half (no snapshot, token or attempt). Run on PostgreSQL (``.helper-env``):
null characters and integers beyond bigint only fail there.
"""

import datetime

import pytest

from metrics.models import ChannelToken, Snapshot
from portal.tests.factories import make_channel
from portal.tests.payloads import BEYOND_BIGINT, NUL, OVERLONG, SCRIPT
from portal.tests.responses import html

# Every test runs on the morning of metrics' conftest.py's NOW.
pytestmark = pytest.mark.usefixtures("frozen_now")

SQL = "'; DROP TABLE metrics_snapshot; --"


@pytest.fixture
def facebook(unit, submitter):
    return make_channel(unit=unit, owner=submitter, name="Engineering", platform="facebook")


# --- The portfolio and its export --------------------------------------------------

PARAMETERS = ["q", "platform", "unit", "status", "goal_status", "attention", "sort", "page"]
VALUES = [NUL, OVERLONG, SCRIPT, SQL, BEYOND_BIGINT, "-1", "abc", "\u202e", "👩\u200d💻"]


@pytest.mark.parametrize("param", PARAMETERS)
def test_the_portfolio_answers_every_hostile_parameter_with_a_page(
    client, reviewer, newsletter_channel, param
):
    client.force_login(reviewer)
    for value in VALUES:
        response = client.get("/metrics/", {param: value})
        assert response.status_code == 200, value
        page = html(response)
        assert SCRIPT not in page
        if param in ("platform", "unit", "status", "goal_status", "sort"):
            # An unknown filter value or sort key is ignored: every channel shows.
            assert "Engineering newsletter" in page, value


@pytest.mark.parametrize("param", ["q", "unit", "sort", "goal_status"])
def test_the_figures_export_answers_every_hostile_parameter_with_a_whole_file(
    client, reviewer, newsletter_channel, param
):
    client.force_login(reviewer)
    for value in [NUL, SCRIPT, BEYOND_BIGINT]:
        response = client.get("/metrics/export.csv", {param: value})
        assert response.status_code == 200, value
        body = b"".join(response.streaming_content).decode()
        assert body.startswith("\ufeffName,Platform"), value


# --- A channel's range, a unit's month ------------------------------------------------


def test_a_range_that_is_not_offered_shows_90_days_with_a_warning(
    client, submitter, newsletter_channel
):
    client.force_login(submitter)
    for value in [NUL, OVERLONG, SCRIPT, "-1", BEYOND_BIGINT, "31", ""]:
        response = client.get(f"/metrics/channels/{newsletter_channel.pk}/", {"range": value})
        assert response.status_code == 200, value
        assert response.context["range_key"] == "90"
        assert "That range is not offered; showing the last 90 days." in html(response)


@pytest.mark.parametrize(
    ("month", "warning"),
    [
        ("2026-13", "The month must look like 2026-10; showing the last month."),
        ("0000-00", "The month must look like 2026-10; showing the last month."),
        ("0001-01", "The month must look like 2026-10; showing the last month."),
        ("1899-12", "The month must look like 2026-10; showing the last month."),
        ("abc", "The month must look like 2026-10; showing the last month."),
        (NUL, "The month must look like 2026-10; showing the last month."),
        (SCRIPT, "The month must look like 2026-10; showing the last month."),
        (BEYOND_BIGINT, "The month must look like 2026-10; showing the last month."),
        ("9999-12", "That month has not begun; showing the last month."),
    ],
)
def test_a_month_that_cannot_be_reported_shows_the_last_month_with_a_warning(
    client, unit_head, unit, newsletter_channel, month, warning
):
    client.force_login(unit_head)
    response = client.get(f"/metrics/units/{unit.pk}/report/", {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == datetime.date(2026, 10, 1)
    assert warning in html(response)


# --- The token ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"token": NUL * 5}, "Null characters are not allowed."),
        ({"token": "a" * 4001}, "This is too long for a token (at most 4000 characters)"),
        ({"token": "short"}, "This is too short for a token (at least 20 characters)"),
        ({"token": f"{SCRIPT} {SCRIPT}"}, "A token has no spaces or line breaks"),
        ({"token": "a" * 30, "expires_on": "2026-13-01"}, "Enter a valid date."),
        ({"token": "a" * 30, "expires_on": "0001-01-01"}, "This date has passed."),
        ({"token": "a" * 30, "expires_on": NUL}, "Enter a valid date."),
    ],
)
def test_a_hostile_token_is_refused_and_nothing_is_stored(
    client, submitter, facebook, data, message
):
    client.force_login(submitter)
    response = client.post(f"/metrics/channels/{facebook.pk}/token/", data)
    assert response.status_code == 400
    assert message in html(response)
    assert SCRIPT not in html(response)
    assert ChannelToken.objects.count() == 0


# --- Figures entered by hand ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("followers", "abc", "Enter a whole number."),
        ("followers", "-1", "Ensure this value is greater than or equal to 0."),
        ("followers", BEYOND_BIGINT, "Ensure this value is less than or equal to 1000000000000."),
        ("followers", "1e400", "Enter a whole number."),
        ("followers", NUL, "Enter a whole number."),
        ("followers", "", "This field is required."),
        ("likes", "1.5", "Enter a whole number."),
        ("views", SCRIPT, "Enter a whole number."),
        ("date", "2026-13-01", "Enter a valid date."),
        ("date", "0000-00-00", "Enter a valid date."),
        ("date", "0001-01-01", "The channel started on 2026-03-01"),
        ("date", "9999-12-31", "Figures cannot be entered for a future day."),
        ("date", NUL, "Enter a valid date."),
    ],
)
def test_hostile_figures_are_refused_next_to_their_field_and_nothing_is_stored(
    client, submitter, newsletter_channel, field, value, message
):
    client.force_login(submitter)
    data = {"date": "2026-11-01", "followers": "1200", field: value}
    response = client.post(f"/metrics/channels/{newsletter_channel.pk}/figures/", data)
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert SCRIPT not in page
    assert Snapshot.objects.count() == 0


@pytest.mark.parametrize("digits", ["²", "١٢٠", "۳"])
def test_other_scripts_digits_from_a_platform_are_not_numbers(digits):
    """str.isdigit() accepts them, int() does not: one odd header or figure must not end
    a collection as "failed unexpectedly"."""
    from metrics.providers.base import count, rate_limit_reset, retry_after

    assert count(digits) is None
    assert retry_after({"retry-after": digits}) is None
    assert rate_limit_reset({"x-ratelimit-remaining": "0", "x-ratelimit-reset": digits}) is None
