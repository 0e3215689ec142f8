"""Channel operations: who may act, what each writes, and what a refusal leaves."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Channel, ChannelEvent, ChannelRole, Recertification
from portal.tests.factories import make_channel


def snapshot(channel):
    """Everything an operation could change, to compare before and after a refusal."""
    channel.refresh_from_db()
    return (
        channel.status,
        channel.name,
        channel.recertification_due_on,
        sorted(channel.roles.values_list("user__username", "kind", "ended_at")),
        channel.events.count(),
    )


# --- register ---------------------------------------------------------------------


def test_the_office_registers_a_channel_with_owner_deputy_and_one_event(
    unit, reviewer, submitter, deputy, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        channel = Channel.register(
            by=reviewer,
            owner=submitter,
            deputy=deputy,
            name="Engineering on Instagram",
            platform="instagram",
            profile_url="instagram.com/Fictional.Engineering",
            unit=unit,
            status="active",
        )
    assert channel.profile_url == "https://www.instagram.com/fictional.engineering/"
    assert channel.handle == "fictional.engineering"
    assert (channel.owner, channel.deputy) == (submitter, deputy)
    assert list(channel.events.values_list("action", "actor__username")) == [
        ("channel.created", "reviewer")
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["deputy@example.org", "submitter@example.org"]


def test_an_active_channel_is_due_for_recertification_twelve_months_after_approval(
    unit, reviewer, submitter
):
    channel = Channel.register(
        by=reviewer,
        owner=submitter,
        name="Library",
        platform="x",
        profile_url="@fictionallib",
        unit=unit,
        status="active",
        approved_on=datetime.date(2026, 2, 28),
    )
    assert channel.recertification_due_on == datetime.date(2027, 2, 28)


def test_staff_cannot_register_a_channel(unit, submitter):
    with pytest.raises(PermissionDenied):
        Channel.register(
            by=submitter, owner=submitter, name="Mine", platform="x", profile_url="@mine", unit=unit
        )
    assert Channel.objects.count() == 0


def test_registering_the_same_account_twice_names_the_existing_entry(unit, reviewer, submitter):
    make_channel(
        unit=unit, owner=submitter, name="Engineering", platform="x", handle="fictionaleng"
    )
    with pytest.raises(ValidationError) as refused:
        Channel.register(
            by=reviewer,
            owner=submitter,
            name="Copy",
            platform="x",
            profile_url="https://twitter.com/FictionalEng/",
            unit=unit,
        )
    assert refused.value.message_dict["profile_url"] == [
        "This account is already in the registry as “Engineering” (School of Engineering)."
    ]
    assert Channel.objects.count() == 1


def test_the_owner_must_have_an_active_account(unit, reviewer, inactive_user):
    with pytest.raises(ValidationError, match="must be a person with an active account"):
        Channel.register(
            by=reviewer, owner=inactive_user, name="X", platform="x", profile_url="@x1", unit=unit
        )
    assert Channel.objects.count() == 0


# --- hand over --------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["submitter", "deputy", "unit_head", "reviewer", "portal_admin"])
def test_owner_deputy_unit_head_and_office_may_hand_over(
    request, channel, actor, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    by = request.getfixturevalue(actor)
    with django_capture_on_commit_callbacks(execute=True):
        channel.hand_over(to=colleague, by=by, comment="New job")
    assert channel.owner == colleague
    old = channel.roles.get(kind="owner", user__username="submitter")
    assert old.ended_at is not None
    event = channel.events.get()
    assert (event.action, event.actor, event.comment, event.payload) == (
        "channel.handed_over",
        by,
        "New job",
        {"previous_owner": old.user_id, "new_owner": colleague.pk},
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["colleague@example.org", "submitter@example.org"]


@pytest.mark.parametrize("actor", ["colleague", "outsider"])
def test_others_cannot_hand_over_and_nothing_changes(
    request, channel, actor, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    before = snapshot(channel)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        channel.hand_over(to=outsider, by=request.getfixturevalue(actor))
    assert snapshot(channel) == before
    assert mailoutbox == []


def test_hand_over_to_an_inactive_person_is_refused_and_nothing_changes(
    channel, reviewer, inactive_user
):
    before = snapshot(channel)
    with pytest.raises(ValidationError) as refused:
        channel.hand_over(to=inactive_user, by=reviewer)
    assert refused.value.message_dict == {
        "to": ["The new responsible owner must be a person with an active account."]
    }
    assert snapshot(channel) == before


def test_hand_over_to_the_current_owner_is_refused(channel, reviewer, submitter):
    with pytest.raises(ValidationError, match="already the responsible owner"):
        channel.hand_over(to=submitter, by=reviewer)


def test_when_the_deputy_takes_over_the_channel_has_no_deputy(channel, reviewer, deputy):
    channel.hand_over(to=deputy, by=reviewer)
    assert (channel.owner, channel.deputy) == (deputy, None)
    assert Channel.objects.without_deputy().get() == channel


def test_the_database_refuses_a_second_current_owner(channel, colleague):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChannelRole.objects.create(channel=channel, user=colleague, kind="owner")


# --- deputy -----------------------------------------------------------------------


def test_the_owner_names_a_new_deputy(channel, submitter, colleague, deputy):
    channel.set_deputy(to=colleague, by=submitter)
    assert channel.deputy == colleague
    assert channel.events.get().payload == {
        "previous_deputy": deputy.pk,
        "new_deputy": colleague.pk,
    }


def test_the_owner_cannot_also_be_the_deputy(channel, submitter, reviewer):
    with pytest.raises(ValidationError, match="someone else than the owner"):
        channel.set_deputy(to=submitter, by=reviewer)


# --- edit -------------------------------------------------------------------------


def test_an_edit_saves_the_changed_fields_and_names_them_in_one_event(channel, deputy):
    changed = channel.update_details(by=deputy, name="Engineering News", purpose="Research news")
    assert changed == ["name", "purpose"]
    channel.refresh_from_db()
    assert (channel.name, channel.purpose) == ("Engineering News", "Research news")
    assert channel.events.get().payload == {"fields": ["name", "purpose"]}


def test_an_edit_that_changes_nothing_writes_no_event(channel, deputy):
    assert channel.update_details(by=deputy, name="Engineering news") == []
    assert channel.events.count() == 0


@pytest.mark.parametrize("actor", ["colleague", "outsider", "unit_head"])
def test_others_cannot_edit_and_nothing_changes(request, channel, actor):
    before = snapshot(channel)
    with pytest.raises(PermissionDenied):
        channel.update_details(by=request.getfixturevalue(actor), name="Hijacked")
    assert snapshot(channel) == before


def test_an_edit_with_another_platforms_address_is_refused_and_nothing_changes(channel, reviewer):
    before = snapshot(channel)
    with pytest.raises(ValidationError) as refused:
        channel.update_details(by=reviewer, profile_url="https://www.facebook.com/fictionaluni")
    assert refused.value.message_dict["profile_url"] == [
        "This address is on Facebook, but the platform chosen is Instagram."
    ]
    assert snapshot(channel) == before


# --- recertify --------------------------------------------------------------------


@time_machine.travel(datetime.date(2026, 11, 22))
def test_recertifying_sets_the_next_date_a_year_ahead(channel, submitter):
    answers = {"still_needed": True, "people_right": True}
    channel.recertify(by=submitter, outcome=Recertification.KEEP, answers=answers)
    channel.refresh_from_db()
    assert (channel.last_recertified_on, channel.recertification_due_on) == (
        datetime.date(2026, 11, 22),
        datetime.date(2027, 11, 22),
    )
    event = channel.events.get()
    assert (event.action, event.payload["outcome"], event.payload["answers"]) == (
        "channel.recertified",
        "keep",
        answers,
    )


def test_asking_to_close_at_recertification_tells_the_office(
    channel, submitter, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        channel.recertify(by=submitter, outcome=Recertification.CLOSE, answers={}, comment="Unused")
    assert [m.to for m in mailoutbox] == [["reviewer@example.org"]]
    assert "Ask to close the channel" in mailoutbox[0].body


def test_the_unit_head_cannot_recertify(channel, unit_head):
    before = snapshot(channel)
    with pytest.raises(PermissionDenied):
        channel.recertify(by=unit_head, outcome=Recertification.KEEP, answers={})
    assert snapshot(channel) == before


# --- close ------------------------------------------------------------------------


def test_the_office_closes_a_channel_which_leaves_the_directory_but_keeps_history(
    channel, reviewer
):
    channel.close(by=reviewer, reason="Merged into the faculty account")
    channel.refresh_from_db()
    assert (channel.status, channel.close_reason) == ("closed", "Merged into the faculty account")
    assert channel.closed_on is not None
    assert not Channel.objects.public().filter(pk=channel.pk).exists()
    assert channel.roles.current().count() == 0
    assert channel.roles.count() == 2
    assert channel.events.get().action == "channel.closed"


def test_the_owner_cannot_close_the_channel(channel, submitter):
    before = snapshot(channel)
    with pytest.raises(PermissionDenied):
        channel.close(by=submitter, reason="Done")
    assert snapshot(channel) == before


def test_closing_needs_a_reason(channel, reviewer):
    with pytest.raises(ValidationError, match="Say why"):
        channel.close(by=reviewer, reason="  ")


def test_closing_twice_is_refused_with_a_message(channel, reviewer):
    channel.close(by=reviewer, reason="Gone")
    with pytest.raises(ValidationError, match="already closed"):
        channel.close(by=reviewer, reason="Gone again")
    assert channel.events.count() == 1


def test_nobody_edits_a_closed_channel(channel, reviewer):
    channel.close(by=reviewer, reason="Gone")
    with pytest.raises(PermissionDenied):
        channel.update_details(by=reviewer, name="Back")


# --- history ----------------------------------------------------------------------


def test_events_can_be_neither_changed_nor_deleted(channel, reviewer):
    channel.update_details(by=reviewer, name="Renamed")
    event = channel.events.get()
    event.comment = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        ChannelEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    with pytest.raises(TypeError):
        ChannelEvent.objects.all().delete()
    assert ChannelEvent.objects.get().comment == ""


def test_losing_a_race_for_the_same_address_gives_the_duplicate_message(
    unit, reviewer, submitter, monkeypatch
):
    # Another request registers the account between our check and our write.
    original = Channel.validate_constraints
    checks = []

    def check_passes_the_first_time(self, exclude=None):
        checks.append(self.pk)
        if len(checks) == 1:
            make_channel(unit=unit, owner=submitter, name="Winner", platform="x", handle="race")
            return None
        return original(self, exclude=exclude)

    monkeypatch.setattr(Channel, "validate_constraints", check_passes_the_first_time)
    with pytest.raises(ValidationError) as refused:
        Channel.register(
            by=reviewer, owner=submitter, name="Loser", platform="x", profile_url="@race", unit=unit
        )
    assert "already in the registry as “Winner”" in refused.value.message_dict["profile_url"][0]
    assert list(Channel.objects.values_list("name", flat=True)) == ["Winner"]
