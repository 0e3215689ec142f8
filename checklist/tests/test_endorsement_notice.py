"""The submitter hears of the endorsement of their proposal (B6), once, after commit."""

import pytest
from django.core.exceptions import PermissionDenied

from checklist.tests.factories import make_proposal


def test_the_submitter_is_told_when_their_proposal_is_endorsed(
    submitter, unit, unit_head, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True, name="Eng news")
    proposal.submit(by=submitter)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        proposal.endorse(by=unit_head, comment="Good plan.")

    assert callbacks  # sent after commit, not during the transaction
    told = {m.to[0]: m for m in mailoutbox}
    assert sorted(told) == sorted([submitter.email, reviewer.email])
    mail = told[submitter.email]
    assert mail.subject == "Your proposal is endorsed: Eng news"
    assert "Hedda" in mail.body
    assert "Good plan." in mail.body
    assert f"/proposals/{proposal.pk}/" in mail.body


def test_a_refused_endorsement_tells_nobody(
    submitter, unit, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.submit(by=submitter)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        proposal.endorse(by=colleague)

    assert mailoutbox == []
