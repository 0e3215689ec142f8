"""The demo holds only states the portal reaches itself: every history is a legal path
through the operations, the people responsible for channels had acknowledged what they
had to, no mail leaves, and a second run changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Max

from accounts.models import Channel, ChannelEvent, ChannelRole
from checklist.models import Proposal, Transition
from core import roles
from core.models import OutboxMessage
from guidelines.models import (
    Acknowledgement,
    GuidelineVersion,
    NoticeAcknowledgement,
    SiteNotice,
    people_missing_acknowledgement,
)
from metrics.models import CollectionAttempt, Snapshot

S = Proposal.State

# (from, to, action): the moves Proposal's transitions make.
LEGAL_PROPOSAL_MOVES = {
    (S.DRAFT, S.AWAITING_UNIT_HEAD, "proposal.submitted"),
    (S.DRAFT, S.IN_REVIEW, "proposal.submitted"),
    (S.AWAITING_UNIT_HEAD, S.IN_REVIEW, "proposal.endorsed"),
    (S.AWAITING_UNIT_HEAD, S.CHANGES_REQUESTED, "proposal.changes_requested"),
    (S.IN_REVIEW, S.CHANGES_REQUESTED, "proposal.changes_requested"),
    (S.CHANGES_REQUESTED, S.AWAITING_UNIT_HEAD, "proposal.resubmitted"),
    (S.CHANGES_REQUESTED, S.IN_REVIEW, "proposal.resubmitted"),
    (S.IN_REVIEW, S.APPROVED, "proposal.approved"),
    (S.IN_REVIEW, S.REJECTED, "proposal.rejected"),
    *(
        (state, S.WITHDRAWN, "proposal.withdrawn")
        for state in [S.DRAFT, S.AWAITING_UNIT_HEAD, S.IN_REVIEW, S.CHANGES_REQUESTED]
    ),
}


@pytest.fixture
def seeded(db, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_every_proposal_history_is_a_legal_path(seeded):
    for proposal in Proposal.objects.all():
        state, last = S.DRAFT, proposal.created_at
        for step in proposal.transitions.order_by("at", "pk"):
            assert (step.from_state, step.to_state, step.action) in LEGAL_PROPOSAL_MOVES, step
            assert step.from_state == state and step.at > last, step
            state, last = step.to_state, step.at
            if step.action in ("proposal.submitted", "proposal.resubmitted", "proposal.withdrawn"):
                assert step.actor == proposal.submitter
            elif step.action == "proposal.endorsed":
                assert step.actor == proposal.unit.head
            else:  # the reviewers' moves, never on their own proposal
                assert roles.is_reviewer(step.actor) and step.actor != proposal.submitter
        assert state == proposal.state, proposal
        assert (proposal.submitted_at is None) == (state == S.DRAFT)
    # Each approval put its channel in the registry.
    for proposal in Proposal.objects.filter(state=S.APPROVED):
        assert Channel.objects.get(origin_proposal=proposal).name == proposal.name
    assert Transition.objects.filter(proposal__state=S.DRAFT).count() == 0


def test_every_channel_history_is_a_legal_path(seeded):
    """Registered (or approved) as planned, opened, then perhaps dormant, then perhaps
    closed: each status change is one the operations make, in order."""
    for channel in Channel.objects.all():
        events = list(channel.events.order_by("at", "pk"))
        assert events[0].action == ChannelEvent.Action.CREATED
        status = Channel.Status.PLANNED
        for event in events[1:]:
            assert event.at >= events[0].at
            if event.action == ChannelEvent.Action.STATUS_CHANGED:
                assert (event.payload["previous_status"], event.payload["status"]) == (
                    status,
                    Channel.Status.ACTIVE,
                )
                status = Channel.Status.ACTIVE
            elif event.action == ChannelEvent.Action.WENT_DORMANT:
                assert status == Channel.Status.ACTIVE
                status = Channel.Status.DORMANT
            elif event.action == ChannelEvent.Action.CLOSED:
                assert event.payload["previous_status"] == status
                status = Channel.Status.CLOSED
            else:
                assert status != Channel.Status.CLOSED, event
        assert status == channel.status, channel
        if channel.status not in (Channel.Status.PLANNED, Channel.Status.CLOSED):
            assert channel.opened_on and channel.recertification_due_on


def test_owners_and_deputies_had_acknowledged_the_guidelines_when_they_took_over(seeded):
    """Channel.register() and open() require it of a channel's people (not the approval
    of a proposal, which asks them to before the channel opens)."""
    owner_versions = GuidelineVersion.objects.filter(guideline__applies_to_owners=True)
    for role in ChannelRole.objects.exclude(channel__origin_proposal__isnull=False):
        # The versions current when the role started: the latest of each guideline.
        current = {}
        for version in owner_versions.filter(published_at__lte=role.started_at).order_by("number"):
            current[version.guideline_id] = version
        for version in current.values():
            assert Acknowledgement.objects.filter(
                user=role.user, version=version, acknowledged_at__lte=role.started_at
            ).exists(), role
    # Now: everyone running a channel has, but the one the demo shows behind.
    assert list(people_missing_acknowledgement().values_list("username", flat=True)) == [
        "demo-staff6"
    ]


def test_no_mail_leaves_and_none_is_left_waiting(db, settings, mailoutbox):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert mailoutbox == []
    # What a running portal's outbox holds: mail of the last retention days, delivered.
    assert not OutboxMessage.objects.pending().exists()
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.EMAIL).count() > 0
    assert all(
        message.payload["to"].endswith("@example.org") for message in OutboxMessage.objects.all()
    )


def test_a_second_run_changes_nothing(seeded, django_capture_on_commit_callbacks):
    def state():
        return [
            (model.__name__, model.objects.count(), model.objects.aggregate(last=Max("pk"))["last"])
            for model in (
                Channel,
                ChannelRole,
                ChannelEvent,
                Proposal,
                Transition,
                GuidelineVersion,
                Acknowledgement,
                Snapshot,
                CollectionAttempt,
                SiteNotice,
                NoticeAcknowledgement,
                OutboxMessage,
            )
        ]

    before = state()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert state() == before


def test_the_crisis_notice_went_to_the_people_running_channels_and_ended(seeded):
    notice = SiteNotice.objects.get()
    assert (notice.level, notice.is_active()) == ("crisis", False)
    assert notice.ends_at - notice.starts_at == datetime.timedelta(days=3)
    # Acknowledged only by recipients, after it was published.
    for acknowledgement in NoticeAcknowledgement.objects.all():
        assert notice.recipients.filter(user=acknowledgement.user).exists()
        assert acknowledgement.acknowledged_at > notice.starts_at
    assert notice.acknowledgement_rate() == (8, 10)
