"""Acknowledging guidelines: tied to a version, asked again for a new version, and
required before someone becomes responsible for a channel."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import ChannelEvent
from guidelines.models import (
    Acknowledgement,
    Guideline,
    acknowledge,
    has_acknowledged_owner_guidelines,
    pending_owner_guidelines,
)
from guidelines.tests.factories import GUIDELINE_SUMMARY
from portal.tests.factories import make_channel
from portal.tests.responses import html

NOT_ACKNOWLEDGED = "has not acknowledged the current social media guidelines"


def publish_v2(guideline, reviewer):
    return guideline.publish(
        by=reviewer,
        title="Tone of voice",
        summary=GUIDELINE_SUMMARY,
        body="Be kind and quick.",
        change_note="Be quick too.",
    )


# --- Tied to a version --------------------------------------------------------------


def test_a_new_version_asks_again_and_acknowledging_it_clears_it(
    client, submitter, reviewer, guideline
):
    first = guideline.current_version
    assert list(pending_owner_guidelines(submitter)) == [first]
    acknowledge(submitter, [first])
    assert list(pending_owner_guidelines(submitter)) == []

    second = publish_v2(guideline, reviewer)
    assert list(pending_owner_guidelines(submitter)) == [second]
    assert has_acknowledged_owner_guidelines(submitter) is False

    client.force_login(submitter)
    client.post("/guidelines/tone-of-voice/acknowledge/")
    assert list(pending_owner_guidelines(submitter)) == []
    assert set(Acknowledgement.objects.values_list("user", "version")) == {
        (submitter.pk, first.pk),
        (submitter.pk, second.pk),
    }


def test_the_button_acknowledges_the_current_version_and_returns_to_the_guideline(
    client, submitter, reviewer, guideline
):
    second = publish_v2(guideline, reviewer)
    client.force_login(submitter)
    response = client.post("/guidelines/tone-of-voice/acknowledge/", follow=True)
    assert response.redirect_chain == [("/guidelines/tone-of-voice/", 302)]
    assert list(Acknowledgement.objects.values_list("user", "version")) == [
        (submitter.pk, second.pk)
    ]
    page = html(response)
    assert "Thank you: you have acknowledged “Tone of voice”, version 2." in page
    assert "You have read and accepted version 2." in page


def test_acknowledging_twice_is_harmless(client, submitter, guideline):
    client.force_login(submitter)
    client.post("/guidelines/tone-of-voice/acknowledge/")
    response = client.post("/guidelines/tone-of-voice/acknowledge/")
    assert response.status_code == 302
    assert Acknowledgement.objects.count() == 1


def test_acknowledging_by_get_is_not_allowed(client, submitter, guideline):
    client.force_login(submitter)
    response = client.get("/guidelines/tone-of-voice/acknowledge/")
    assert response.status_code == 405
    assert Acknowledgement.objects.count() == 0


def test_an_unpublished_or_unknown_guideline_cannot_be_acknowledged(client, submitter, db):
    Guideline.objects.create(slug="draft")
    client.force_login(submitter)
    assert client.post("/guidelines/draft/acknowledge/").status_code == 404
    assert client.post("/guidelines/nothing/acknowledge/").status_code == 404
    assert Acknowledgement.objects.count() == 0


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/registry/", "/registry/"),
        ("https://evil.example/", "/guidelines/tone-of-voice/"),
        ("//evil.example/", "/guidelines/tone-of-voice/"),
        ("javascript:alert(1)", "/guidelines/tone-of-voice/"),
    ],
)
def test_the_button_returns_only_to_a_page_of_the_portal(
    client, submitter, guideline, next_url, landing
):
    client.force_login(submitter)
    response = client.post("/guidelines/tone-of-voice/acknowledge/", {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, landing)


def test_the_reminder_above_every_page_goes_once_the_owner_acknowledges(
    client, unit, submitter, guideline
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(submitter)
    assert 'data-testid="pending-guidelines"' in html(client.get("/guidelines/"))
    client.post("/guidelines/tone-of-voice/acknowledge/")
    assert 'data-testid="pending-guidelines"' not in html(client.get("/guidelines/"))


@pytest.mark.parametrize(
    "role, status, reminded",
    [
        ("owner", "active", True),
        ("deputy", "dormant", True),
        ("owner", "planned", True),
        ("owner", "closed", False),
        ("former owner", "active", False),
        ("editor", "active", False),
    ],
)
def test_the_reminder_is_for_owners_and_deputies_of_running_channels_only(
    client, unit, submitter, colleague, guideline, role, status, reminded
):
    from django.utils import timezone

    from accounts.models import ChannelRole

    if role == "deputy":
        make_channel(unit=unit, owner=colleague, deputy=submitter, status=status)
    else:
        channel = make_channel(
            unit=unit, owner=colleague if role == "editor" else submitter, status=status
        )
        if role == "editor":
            ChannelRole.objects.create(channel=channel, user=submitter, kind="editor")
        if role == "former owner":
            channel.roles.get(user=submitter).end(timezone.now())
    client.force_login(submitter)
    assert ('data-testid="pending-guidelines"' in html(client.get("/guidelines/"))) == reminded


# --- Required to become responsible -------------------------------------------------


def test_a_hand_over_to_someone_who_has_not_acknowledged_is_refused(
    channel, colleague, reviewer, guideline
):
    with pytest.raises(ValidationError) as error:
        channel.hand_over(to=colleague, by=reviewer)
    assert NOT_ACKNOWLEDGED in " ".join(error.value.messages)
    assert channel.owner.username == "submitter"


def test_a_hand_over_after_a_new_version_needs_the_new_acknowledgement(
    channel, colleague, reviewer, guideline
):
    acknowledge(colleague, [guideline.current_version])
    publish_v2(guideline, reviewer)
    with pytest.raises(ValidationError) as error:
        channel.hand_over(to=colleague, by=reviewer)
    assert NOT_ACKNOWLEDGED in " ".join(error.value.messages)


def test_the_hand_over_page_refuses_and_then_accepts_after_the_acknowledgement(
    client, channel, colleague, reviewer, guideline
):
    client.force_login(reviewer)
    events = ChannelEvent.objects.count()
    response = client.post(f"/registry/{channel.pk}/hand-over/", {"to": "colleague"})
    assert response.status_code == 400
    assert f"Cole {NOT_ACKNOWLEDGED}" in html(response)  # the colleague persona
    assert 'value="colleague"' in html(response)
    channel.refresh_from_db()
    assert channel.owner.username == "submitter"
    assert ChannelEvent.objects.count() == events

    acknowledge(colleague, [guideline.current_version])
    response = client.post(f"/registry/{channel.pk}/hand-over/", {"to": "colleague"})
    assert (response.status_code, response["Location"]) == (302, f"/registry/{channel.pk}/")
    channel.refresh_from_db()
    assert channel.owner.username == "colleague"


def test_a_guideline_for_everyone_is_not_needed_to_become_responsible(
    unit, submitter, colleague, reviewer
):
    for_all = Guideline.objects.create(slug="for-all", applies_to_owners=False)
    for_all.publish(by=reviewer, title="For all", summary="S.", body="B.")
    channel = make_channel(unit=unit, owner=submitter)
    channel.hand_over(to=colleague, by=reviewer)
    assert channel.owner.username == "colleague"
