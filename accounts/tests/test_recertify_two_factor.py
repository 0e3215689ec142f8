"""B5: recertifying says whether two-factor authentication is on, and the registry then
says the same. Two-factor is its own statement (it was folded into the credentials
one), shown beside what the registry records; confirming it records it as on, and
keeping the channel as it is needs it confirmed."""

import pytest

from accounts.models import Channel

ALL_CONFIRMED = {
    "still_needed": "on",
    "people_right": "on",
    "credentials_right": "on",
    "two_factor_on": "on",
    "guidelines_followed": "on",
    "outcome": "keep",
}


def html(response):
    return response.content.decode()


@pytest.fixture
def without_two_factor(channel):
    Channel.objects.filter(pk=channel.pk).update(two_factor_enabled=False)
    channel.refresh_from_db()
    return channel


def test_confirming_two_factor_when_the_registry_says_off_records_it_as_on(
    client, submitter, without_two_factor
):
    channel = without_two_factor
    client.force_login(submitter)
    response = client.post(f"/registry/{channel.pk}/recertify/", ALL_CONFIRMED, follow=True)
    assert "two-factor authentication is now recorded as on" in html(response)
    channel.refresh_from_db()
    assert channel.two_factor_enabled is True
    event = channel.events.get()
    assert event.action == "channel.recertified"
    assert event.payload["answers"]["two_factor_on"] is True
    assert event.payload["two_factor_enabled"] is True


def test_keeping_the_channel_without_confirming_two_factor_is_refused(
    client, submitter, without_two_factor
):
    channel = without_two_factor
    client.force_login(submitter)
    response = client.post(
        f"/registry/{channel.pk}/recertify/",
        {**ALL_CONFIRMED, "two_factor_on": ""},
    )
    assert response.status_code == 400
    assert "confirm every statement" in html(response)
    channel.refresh_from_db()
    assert (channel.two_factor_enabled, channel.events.count()) == (False, 0)


def test_the_form_shows_what_the_registry_records(client, submitter, without_two_factor):
    client.force_login(submitter)
    page = html(client.get(f"/registry/{without_two_factor.pk}/recertify/"))
    assert "Vault: Social/Instagram/Engineering" in page
    assert "The registry says two-factor authentication is off" in page


def test_asking_for_a_change_leaves_two_factor_as_recorded(client, submitter, channel):
    Channel.objects.filter(pk=channel.pk).update(two_factor_enabled=True)
    client.force_login(submitter)
    client.post(
        f"/registry/{channel.pk}/recertify/",
        {"outcome": "change", "comment": "Two-factor is off since the new phone."},
    )
    channel.refresh_from_db()
    assert channel.two_factor_enabled is True  # not confirming is not a record of "off"
    assert channel.events.get().payload["answers"]["two_factor_on"] is False
