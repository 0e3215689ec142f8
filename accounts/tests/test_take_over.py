"""Item 2 of issue 18: an orphaned channel is not a dead end. The head of its unit may
hand it over, and its deputy may take it over in one step, once they have acknowledged
the current owner guidelines."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Channel, ChannelEvent
from guidelines.models import acknowledge
from portal.tests.factories import make_user


def html(response):
    return response.content.decode()


def snapshot(channel):
    channel.refresh_from_db()
    return (
        sorted(channel.roles.values_list("user__username", "kind", "ended_at")),
        channel.events.count(),
    )


@pytest.fixture
def orphaned(channel, submitter):
    """``channel`` after its owner left (the deactivation itself is test_orphans')."""
    submitter.is_active = False
    submitter.save(update_fields=["is_active"])
    return channel


# --- The unit head hands over -------------------------------------------------------


def test_the_unit_head_hands_over_an_orphaned_channel_of_their_unit(
    client, orphaned, unit_head, colleague
):
    client.force_login(unit_head)
    page = html(client.get(f"/registry/{orphaned.pk}/hand-over/"))
    assert "The responsible owner, Siri, no longer has an active account." in page
    response = client.post(f"/registry/{orphaned.pk}/hand-over/", {"to": "colleague"})
    assert response.status_code == 302
    assert orphaned.owner == colleague
    event = orphaned.events.get()
    assert (event.action, event.actor) == ("channel.handed_over", unit_head)


def test_the_head_of_another_unit_cannot_hand_over(physics, orphaned, colleague):
    physics.head = other_head = make_user(username="physics-head")
    physics.save()
    before = snapshot(orphaned)
    with pytest.raises(PermissionDenied):
        orphaned.hand_over(to=colleague, by=other_head)
    assert snapshot(orphaned) == before


# --- The deputy takes over ------------------------------------------------------------


def test_the_deputy_takes_over_an_orphaned_channel_in_one_step(
    orphaned, submitter, deputy, unit_head, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orphaned.take_over(by=deputy)
    assert (orphaned.owner, orphaned.deputy) == (deputy, None)
    event = orphaned.events.get()
    assert (event.action, event.actor, event.payload) == (
        ChannelEvent.Action.TAKEN_OVER,
        deputy,
        {"previous_owner": submitter.pk, "new_owner": deputy.pk},
    )
    assert not Channel.objects.orphaned().exists()
    assert sorted(m.to[0] for m in mailoutbox) == ["deputy@example.org", "head@example.org"]
    assert mailoutbox[0].subject == "Engineering news (Instagram) has been taken over by its deputy"


def test_the_deputy_cannot_take_over_while_the_owner_is_active(channel, deputy, mailoutbox):
    before = snapshot(channel)
    with pytest.raises(ValidationError) as refused:
        channel.take_over(by=deputy)
    assert refused.value.messages == [
        "Siri is still the responsible owner: ask them to hand the channel over to you."
    ]
    assert snapshot(channel) == before
    assert mailoutbox == []


def test_the_deputy_must_have_acknowledged_the_guidelines_to_take_over(
    orphaned, deputy, guideline, mailoutbox
):
    before = snapshot(orphaned)
    with pytest.raises(ValidationError) as refused:
        orphaned.take_over(by=deputy)
    assert refused.value.messages == [
        "You have not acknowledged the current social media guidelines. Read and "
        "acknowledge them (Guidelines), then take over the channel."
    ]
    assert snapshot(orphaned) == before
    acknowledge(deputy, [guideline.current_version])
    orphaned.take_over(by=deputy)
    assert orphaned.owner == deputy


@pytest.mark.parametrize("persona", ["colleague", "unit_head", "reviewer", "portal_admin"])
def test_only_the_deputy_takes_over(request, orphaned, persona, mailoutbox):
    before = snapshot(orphaned)
    with pytest.raises(PermissionDenied):
        orphaned.take_over(by=request.getfixturevalue(persona))
    assert snapshot(orphaned) == before
    assert mailoutbox == []


# --- On the channel's page --------------------------------------------------------------


def test_the_deputy_sees_the_take_over_button_and_uses_it(client, orphaned, deputy):
    client.force_login(deputy)
    page = html(client.get(f"/registry/{orphaned.pk}/"))
    assert f'action="/registry/{orphaned.pk}/take-over/"' in page
    response = client.post(f"/registry/{orphaned.pk}/take-over/", follow=True)
    assert "You are now the responsible owner. Name a new deputy." in html(response)
    assert orphaned.owner == deputy


def test_a_deputy_who_has_not_acknowledged_is_told_why_there_is_no_button(
    client, orphaned, deputy, guideline
):
    client.force_login(deputy)
    page = html(client.get(f"/registry/{orphaned.pk}/"))
    assert "take-over/" not in page
    assert "once you have acknowledged the current social media guidelines" in page
    # Posting anyway gets the same reason, and changes nothing.
    response = client.post(f"/registry/{orphaned.pk}/take-over/", follow=True)
    assert "You have not acknowledged the current social media guidelines." in html(response)
    assert orphaned.owner.username == "submitter"


def test_nobody_is_offered_to_take_over_a_channel_whose_owner_is_active(client, channel, deputy):
    client.force_login(deputy)
    assert "take-over/" not in html(client.get(f"/registry/{channel.pk}/"))


def test_taking_over_is_a_post(client, orphaned, deputy):
    client.force_login(deputy)
    assert client.get(f"/registry/{orphaned.pk}/take-over/").status_code == 405
    assert orphaned.owner.username == "submitter"


def test_offering_to_take_over_costs_the_page_one_query(
    client, channel, deputy, submitter, django_assert_num_queries
):
    """The channel's page asks whether its deputy has acknowledged the guidelines only
    when it offers them to take over: one query, whatever else the channel has."""
    client.force_login(deputy)
    url = f"/registry/{channel.pk}/"
    client.get(url)  # the reader's cached facts
    with CaptureQueriesContext(connection) as running:
        client.get(url)
    get_user_model().objects.filter(pk=submitter.pk).update(is_active=False)  # no signal
    with django_assert_num_queries(len(running.captured_queries) + 1):
        assert "take-over/" in html(client.get(url))
