"""What happens to a proposal: its operations, mixed into ``Proposal``.

Every state change is a method here that checks who acts, locks the row, writes one
``Transition`` and tells people after commit; so are saving a draft and the reviewers'
meeting and comments.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Channel
from checklist.models.answers import Answer
from checklist.models.history import ItemComment, Transition
from checklist.models.templates import AUDIENCE_ITEM, PURPOSE_ITEM
from core import roles
from core.notifications import notify


class ProposalOperations:
    """``Proposal``'s operations: submitting, endorsing, asking for changes,
    resubmitting, approving, rejecting, withdrawing, saving a draft, and the reviewers'
    meeting and comments.

    Mixed into ``Proposal`` only, which imports this module: ``type(self).objects`` is
    ``Proposal.objects``."""

    def _acting_as(self, user, allowed):
        """'self' when ``user`` holds the role, 'admin' when a portal admin stands in
        (which the transition records), or a refusal."""
        if allowed:
            return "self"
        if roles.is_portal_admin(user):
            return "admin"
        raise PermissionDenied(_("You may not do this with this proposal."))

    # --- Transitions -------------------------------------------------------------------
    # Each one: lock the row, check who acts and that the move is legal (a refusal is a
    # PermissionDenied or ValidationError and changes nothing), write one Transition,
    # tell people after commit. A second, concurrent request finds the new state under
    # the lock and is refused: "already decided".

    def _locked(self):
        # of=("self",): PostgreSQL cannot lock the nullable side of the join to unit.
        locking = type(self).objects.select_for_update(of=("self",))
        return locking.select_related("unit").get(pk=self.pk)

    def _require_state(self, *states):
        if self.state not in states:
            raise ValidationError(
                _("This cannot be done now: the proposal is %(state)s.")
                % {"state": self.get_state_display()}
            )

    def _require_comment(self, comment):
        if not (comment or "").strip():
            raise ValidationError({"comment": _("Say why, for the submitter.")})

    def submit(self, *, by):
        """Send the proposal to its unit head (or, with nobody to endorse it, straight to
        review). Refused, listing every problem, while it is incomplete."""
        with transaction.atomic():
            proposal = self._locked()
            if by.pk != proposal.submitter_id:
                raise PermissionDenied(_("Only the submitter can submit a proposal."))
            if proposal.state != self.State.DRAFT:
                raise ValidationError(
                    _("This proposal was already submitted (it is %(state)s).")
                    % {"state": proposal.get_state_display()}
                )
            problems = proposal.problems()
            if problems:
                raise ValidationError(problems)
            endorser = proposal.endorser()
            if endorser is None:
                proposal._move(
                    by, self.State.IN_REVIEW, "proposal.submitted", endorsement="skipped"
                )
            else:
                proposal._move(
                    by, self.State.AWAITING_UNIT_HEAD, "proposal.submitted", endorser=endorser.pk
                )
            proposal.submitted_at = timezone.now()
            proposal.save(update_fields=["state", "submitted_at", "updated_at"])
        if endorser is None:
            notify(proposal.reviewers_to_tell(), "checklist/email/endorsed", {"proposal": proposal})
        else:
            notify([endorser], "checklist/email/submitted", {"proposal": proposal})
        self.refresh_from_db()

    def endorse(self, *, by, comment=""):
        """The unit takes responsibility: on to the reviewers, who are told (never the
        submitter, who may be one of them), and the submitter hears of it. Returns the
        reviewers told: none when the submitter is the only one."""
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.AWAITING_UNIT_HEAD)
            acting = proposal._acting_as(by, by == proposal.endorser())
            proposal._move(by, self.State.IN_REVIEW, "proposal.endorsed", comment, acting=acting)
            proposal.save(update_fields=["state", "updated_at"])
        reviewers = proposal.reviewers_to_tell()
        notify(reviewers, "checklist/email/endorsed", {"proposal": proposal})
        notify(
            [proposal.submitter],
            "checklist/email/endorsed_for_submitter",
            {"proposal": proposal, "endorser": by, "comment": (comment or "").strip()},
        )
        self.refresh_from_db()
        return reviewers

    def request_changes(self, *, by, comment):
        """Back to the submitter, from the unit head or the reviewers; resubmitting
        returns it to the stage that asked."""
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.AWAITING_UNIT_HEAD, self.State.IN_REVIEW)
            if proposal.state == self.State.AWAITING_UNIT_HEAD:
                allowed = by == proposal.endorser()
            else:
                allowed = proposal.is_reviewer(by) and by.pk != proposal.submitter_id
            acting = proposal._acting_as(by, allowed)
            proposal._require_comment(comment)
            proposal._move(
                by,
                self.State.CHANGES_REQUESTED,
                "proposal.changes_requested",
                comment,
                acting=acting,
                returned_from=proposal.state,
                # The answers as reviewed: what the resubmission is compared with.
                answers=proposal.answer_texts(),
            )
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            [proposal.submitter],
            "checklist/email/changes_requested",
            {"proposal": proposal, "comment": comment},
        )
        self.refresh_from_db()

    return_to_submitter = request_changes

    def resubmit(self, *, by):
        """The submitter sends the changed proposal back to the stage that asked."""
        with transaction.atomic():
            proposal = self._locked()
            if by.pk != proposal.submitter_id:
                raise PermissionDenied(_("Only the submitter can resubmit a proposal."))
            proposal._require_state(self.State.CHANGES_REQUESTED)
            problems = proposal.problems()
            if problems:
                raise ValidationError(problems)
            asked = proposal.transitions.filter(action="proposal.changes_requested").last()
            back_to = asked.from_state if asked else self.State.IN_REVIEW
            proposal._move(by, back_to, "proposal.resubmitted")
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            [asked.actor if asked else None], "checklist/email/resubmitted", {"proposal": proposal}
        )
        self.refresh_from_db()

    def approval_problems(self):
        """Why approving would be refused because of the proposed owner and deputy
        (the registry's rule for whoever runs a channel): what the approve form shows."""
        return Channel.proposed_people_problems(self)

    def approve(self, *, by, comment=""):
        """Approve: the channel enters the registry (planned) with the proposed owner
        and deputy, in the same transaction. Refused while either may not run a
        channel (``approval_problems``: an inactive account, or the current owner
        guidelines not acknowledged), as a hand-over to them would be."""
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.IN_REVIEW)
            proposal._check_decider(by)
            acting = proposal._acting_as(by, proposal.is_reviewer(by))
            answers = proposal.answer_texts()
            channel = Channel.create_from_proposal(
                proposal,
                by=by,
                purpose=answers.get(PURPOSE_ITEM, ""),
                audience=answers.get(AUDIENCE_ITEM, ""),
            )
            proposal._move(
                by,
                self.State.APPROVED,
                "proposal.approved",
                comment,
                acting=acting,
                channel=channel.pk,
            )
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            proposal._decision_audience(),
            "checklist/email/decided",
            {"proposal": proposal, "approved": True, "comment": comment, "channel": channel},
        )
        self.refresh_from_db()
        return channel

    def reject(self, *, by, comment):
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.IN_REVIEW)
            proposal._check_decider(by)
            acting = proposal._acting_as(by, proposal.is_reviewer(by))
            proposal._require_comment(comment)
            proposal._move(by, self.State.REJECTED, "proposal.rejected", comment, acting=acting)
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            proposal._decision_audience(),
            "checklist/email/decided",
            {"proposal": proposal, "approved": False, "comment": comment},
        )
        self.refresh_from_db()

    def withdraw(self, *, by, comment=""):
        """The submitter takes the proposal back before a decision."""
        with transaction.atomic():
            proposal = self._locked()
            if by.pk != proposal.submitter_id:
                raise PermissionDenied(_("Only the submitter can withdraw a proposal."))
            proposal._require_state(
                self.State.DRAFT,
                self.State.AWAITING_UNIT_HEAD,
                self.State.IN_REVIEW,
                self.State.CHANGES_REQUESTED,
            )
            proposal._move(by, self.State.WITHDRAWN, "proposal.withdrawn", comment)
            proposal.save(update_fields=["state", "updated_at"])
        self.refresh_from_db()

    def save_draft(self, *, by, answers, goals=(), removed_goals=()):
        """Save the draft as this instance holds it (the channel fields), with its
        ``answers`` ({checklist item: text}; an empty text clears a stored answer and
        adds none) and its ``goals`` (new or changed Goal instances, and the
        ``removed_goals``), all or nothing. Refused (PermissionDenied) unless ``by``
        may edit it: a proposal submitted meanwhile, in another tab, stays as it is."""
        # The stored answers, before any write (prefetched with the proposal: no query).
        stored = {answer.item_id for answer in self.answers.all()} if self.pk else set()
        with transaction.atomic():
            if self.pk is None:
                if by.pk != self.submitter_id:
                    raise PermissionDenied(_("You may not do this with this proposal."))
            elif not type(self).objects.select_for_update().get(pk=self.pk).can_edit(by):
                raise PermissionDenied(_("You may not do this with this proposal."))
            self.save()
            Answer.objects.bulk_create(
                [
                    Answer(proposal=self, item=item, text=text)
                    for item, text in answers.items()
                    if text or item.pk in stored
                ],
                update_conflicts=True,
                unique_fields=["proposal", "item"],
                update_fields=["text"],
            )
            for goal in goals:
                goal.proposal = self
                goal.save()
            for goal in removed_goals:
                goal.delete()
        return self

    def record_meeting(self, *, by, at, place, notes):
        """Record when and where the reviewers meet about the proposal, and what they
        noted: the reviewers' working notes, so no transition and no email."""
        with transaction.atomic():
            proposal = self._locked()
            if not proposal.can_review(by):
                raise PermissionDenied(_("Only the reviewers record the review meeting."))
            proposal.meeting_at, proposal.meeting_place, proposal.meeting_notes = at, place, notes
            proposal.save(update_fields=["meeting_at", "meeting_place", "meeting_notes"])
        self.meeting_at, self.meeting_place, self.meeting_notes = at, place, notes

    def comment_on(self, *, item, by, text):
        """A reviewer's comment on one answer (append-only, like the transitions)."""
        if not self.can_review(by):
            raise PermissionDenied(_("Only the reviewers comment on a proposal in review."))
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write the comment.")})
        if item.template_id != self.template_id:
            raise ValidationError(_("This item is not part of the proposal's checklist."))
        return ItemComment.objects.create(proposal=self, item=item, author=by, text=text)

    def _check_decider(self, by):
        if by.pk == self.submitter_id:
            raise PermissionDenied(_("Nobody decides on their own proposal."))

    def reviewers_to_tell(self):
        """The active members of the platform's reviewer group, except the submitter
        (who never reviews their own proposal): whom "a proposal awaits review" goes to."""
        return list(
            get_user_model()
            .objects.filter(groups__name=self.reviewer_group, is_active=True)
            .exclude(pk=self.submitter_id)
            .distinct()
        )

    def answer_texts(self):
        """{checklist item key: answer text} of the stored answers, in one query."""
        return dict(self.answers.values_list("item__key", "text"))

    def _decision_audience(self):
        return [
            self.submitter,
            self.proposed_owner,
            self.proposed_deputy,
            self.unit.head if self.unit else None,
        ]

    def _move(self, actor, to_state, action, comment="", **payload):
        Transition.objects.create(
            proposal=self,
            actor=actor,
            action=action,
            from_state=self.state,
            to_state=to_state,
            comment=(comment or "").strip(),
            payload=payload,
        )
        self.state = to_state
