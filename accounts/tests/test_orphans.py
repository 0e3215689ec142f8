"""A channel whose responsible owner leaves is orphaned, and the unit head is told,
without anyone remembering to check."""

from django.contrib.auth import get_user_model

from accounts.models import Channel
from accounts.tasks import report_orphaned_channels
from portal.tests.factories import make_channel


def deactivate(user, capture):
    with capture(execute=True):
        user.is_active = False
        user.save()


def test_deactivating_the_owner_orphans_the_channel_and_tells_deputy_unit_head_and_office(
    channel, submitter, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    deactivate(submitter, django_capture_on_commit_callbacks)
    assert list(Channel.objects.orphaned()) == [channel]
    event = channel.events.get()
    assert (event.action, event.actor, event.payload) == (
        "channel.orphaned",
        None,
        {"owner": submitter.pk},
    )
    mails = {m.to[0]: m for m in mailoutbox}
    assert sorted(mails) == ["deputy@example.org", "head@example.org", "reviewer@example.org"]
    # The subject names the channel and its platform.
    assert {m.subject for m in mailoutbox} == {"No responsible owner: Engineering news (Instagram)"}
    # Each is asked what they can do: the deputy to take over (after acknowledging the
    # guidelines, if there are any they have not), the head to name a new owner.
    assert "You can take over as the responsible owner in one step" in (
        mails["deputy@example.org"].body
    )
    assert f"/registry/{channel.pk}/hand-over/" in mails["head@example.org"].body
    assert "/registry/?orphaned=true" in mails["reviewer@example.org"].body


def test_each_person_gets_one_message_for_all_the_channels_a_departure_orphans(
    unit, submitter, deputy, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    names = ["Alumni", "Careers", "Engineering news", "Research"]
    channels = [
        make_channel(unit=unit, owner=submitter, deputy=deputy, name=name, platform=platform)
        for name, platform in zip(names, ["x", "tiktok", "instagram", "youtube"], strict=True)
    ]
    deactivate(submitter, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "deputy@example.org",
        "head@example.org",
        "reviewer@example.org",
    ]
    assert {m.subject for m in mailoutbox} == {
        "No responsible owner for 4 channels: Alumni (X), Careers (TikTok), "
        "Engineering news (Instagram), …"
    }
    for message in mailoutbox:
        for channel in channels:
            assert message.body.count(f"{channel} ") + message.body.count(f"{channel},") == 1


def test_the_deputy_is_told_to_acknowledge_the_guidelines_before_taking_over(
    channel, submitter, guideline, mailoutbox, django_capture_on_commit_callbacks
):
    deactivate(submitter, django_capture_on_commit_callbacks)
    (to_deputy,) = [m for m in mailoutbox if m.to == ["deputy@example.org"]]
    assert "once you have acknowledged the current social media guidelines" in to_deputy.body
    assert "/guidelines/" in to_deputy.body


def test_deactivating_someone_who_owns_nothing_sends_nothing(
    channel, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    deactivate(outsider, django_capture_on_commit_callbacks)
    assert channel.events.count() == 0
    assert mailoutbox == []


def test_the_daily_sweep_reports_each_orphan_once(
    channel, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    # A bulk update bypasses save(): only the daily sweep can see it.
    get_user_model().objects.filter(pk=submitter.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert report_orphaned_channels() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert report_orphaned_channels() == 0
    assert channel.events.filter(action="channel.orphaned").count() == 1
    # The unit head and the deputy; no communications office in this test.
    assert sorted(m.to[0] for m in mailoutbox) == ["deputy@example.org", "head@example.org"]


def test_handing_over_ends_the_orphaned_state_and_a_later_departure_is_news_again(
    channel, submitter, colleague, reviewer, django_capture_on_commit_callbacks
):
    deactivate(submitter, django_capture_on_commit_callbacks)
    channel.hand_over(to=colleague, by=reviewer)
    assert not Channel.objects.orphaned().exists()
    deactivate(colleague, django_capture_on_commit_callbacks)
    assert channel.events.filter(action="channel.orphaned").count() == 2


def test_closed_channels_are_never_orphans(channel, submitter, reviewer):
    channel.close(by=reviewer, reason="Gone")
    get_user_model().objects.filter(pk=submitter.pk).update(is_active=False)
    assert not Channel.objects.orphaned().exists()
    assert report_orphaned_channels() == 0
