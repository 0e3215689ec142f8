"""Opening a planned channel: the owner, the deputy or the office marks it live, and it
enters the public directory."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Channel
from guidelines.models import Guideline
from portal.tests.factories import make_channel

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def planned(unit, submitter, deputy):
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        name="Engineering on Mastodon",
        platform="mastodon",
        handle="engineering",
        status="planned",
        approved_on=datetime.date(2026, 6, 1),
    )


def state(channel):
    channel.refresh_from_db()
    return (
        channel.status,
        channel.opened_on,
        channel.recertification_due_on,
        list(channel.events.values_list("action", flat=True)),
    )


@pytest.mark.parametrize("who", ["submitter", "deputy", "reviewer"])
def test_the_owner_the_deputy_or_the_office_opens_a_planned_channel(request, planned, who):
    planned.open(by=request.getfixturevalue(who), on=datetime.date(2026, 6, 10))
    assert state(planned) == (
        "active",
        datetime.date(2026, 6, 10),
        datetime.date(2027, 6, 1),
        ["channel.status_changed"],
    )
    assert list(Channel.objects.public()) == [planned]
    assert planned.events.get().payload == {
        "previous_status": "planned",
        "status": "active",
        "opened_on": "2026-06-10",
    }


def test_opening_without_a_date_opens_today(planned, submitter):
    planned.open(by=submitter)
    assert state(planned)[:2] == ("active", TODAY)


@pytest.mark.parametrize("who", ["colleague", "unit_head"])
def test_other_staff_cannot_open_a_channel(request, planned, who):
    before = state(planned)
    with pytest.raises(PermissionDenied):
        planned.open(by=request.getfixturevalue(who))
    assert state(planned) == before


def test_a_channel_cannot_open_in_the_future(planned, submitter):
    before = state(planned)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        planned.open(by=submitter, on=datetime.date(2026, 6, 16))
    assert state(planned) == before


def test_an_active_channel_cannot_be_opened_again(planned, submitter):
    planned.open(by=submitter)
    with pytest.raises(ValidationError, match="Only a planned channel can be opened; this one is"):
        planned.open(by=submitter)
    assert planned.events.count() == 1


def test_a_channel_without_its_address_cannot_open(unit, submitter):
    channel = make_channel(unit=unit, owner=submitter, status="planned", profile_url="")
    before = state(channel)
    with pytest.raises(ValidationError, match="needs its profile address"):
        channel.open(by=submitter)
    assert state(channel) == before


def test_an_owner_who_has_not_acknowledged_the_guidelines_cannot_open_it(
    planned, submitter, reviewer
):
    guideline = Guideline.objects.create(slug="for-owners", applies_to_owners=True)
    guideline.publish(by=reviewer, title="For owners", summary="What owners do.", body="Post.")
    before = state(planned)
    with pytest.raises(ValidationError, match="Siri has not acknowledged"):
        planned.open(by=submitter)
    assert state(planned) == before


def test_the_owner_opens_the_channel_from_its_page(client, planned, submitter):
    client.force_login(submitter)
    detail = client.get(f"/registry/{planned.pk}/")
    assert f'href="/registry/{planned.pk}/open/"' in detail.content.decode()

    response = client.post(f"/registry/{planned.pk}/open/", {"opened_on": "2026-06-12"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Engineering on Mastodon is now active and listed in the public directory." in (
        page.content.decode()
    )
    assert state(planned)[:2] == ("active", datetime.date(2026, 6, 12))


def test_a_refused_opening_shows_the_form_again_with_the_message(client, planned, submitter):
    client.force_login(submitter)
    response = client.post(f"/registry/{planned.pk}/open/", {"opened_on": "2026-07-01"})
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert state(planned)[0] == "planned"


def test_a_colleague_gets_403_on_the_open_page(client, planned, colleague):
    client.force_login(colleague)
    assert client.post(
        f"/registry/{planned.pk}/open/", {"opened_on": "2026-06-12"}
    ).status_code == (403)
    assert state(planned)[0] == "planned"


def test_an_active_channel_shows_no_open_button(client, planned, submitter):
    planned.open(by=submitter)
    client.force_login(submitter)
    assert "/open/" not in client.get(f"/registry/{planned.pk}/").content.decode()
