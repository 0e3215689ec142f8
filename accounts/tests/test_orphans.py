"""A channel whose responsible owner leaves is orphaned, and the unit head is told,
without anyone remembering to check."""

from django.contrib.auth import get_user_model

from accounts.models import Channel
from accounts.tasks import report_orphaned_channels


def deactivate(user, capture):
    with capture(execute=True):
        user.is_active = False
        user.save()


def test_deactivating_the_owner_orphans_the_channel_and_tells_the_unit_head_and_office(
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
    assert sorted(m.to[0] for m in mailoutbox) == ["head@example.org", "reviewer@example.org"]
    assert mailoutbox[0].subject == "The channel Engineering news has no responsible owner"


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
    assert len(mailoutbox) == 1  # the unit head; no communications office in this test


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
