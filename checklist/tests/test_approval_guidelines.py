"""B1: the proposed owner and deputy of an approved proposal become the channel's
responsible people, so approval asks of them what every other way of becoming one asks
(accounts.models.people.responsibility_problem): an active account and the current
owner guidelines acknowledged. A refusal changes nothing and says who and why."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Channel
from checklist.models import Proposal, Transition
from guidelines.models import acknowledge, pending_owner_guidelines

pytestmark = pytest.mark.django_db


def _acknowledge_all(*people):
    for person in people:
        acknowledge(person, list(pending_owner_guidelines(person)))


@pytest.mark.parametrize("who", ["owner", "deputy"])
def test_approval_is_refused_while_the_owner_or_deputy_has_not_acknowledged(
    in_review, guideline, reviewer, submitter, colleague, mailoutbox, who
):
    # in_review: submitter proposes themself as owner, colleague as deputy.
    _acknowledge_all(colleague if who == "owner" else submitter)
    pending = submitter if who == "owner" else colleague
    transitions = Transition.objects.count()
    mailoutbox.clear()
    with pytest.raises(ValidationError) as refused:
        in_review.approve(by=reviewer)
    name = pending.get_full_name() or pending.username
    assert refused.value.messages == [
        f"{name} has not acknowledged the current social media guidelines. They must read "
        "and acknowledge them in the portal (Guidelines) before they can be responsible "
        "for a channel."
    ]
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.IN_REVIEW
    assert Channel.objects.count() == 0
    assert Transition.objects.count() == transitions
    assert mailoutbox == []


def test_approval_goes_through_once_both_have_acknowledged(
    in_review, guideline, reviewer, submitter, colleague
):
    _acknowledge_all(submitter, colleague)
    channel = in_review.approve(by=reviewer)
    assert (channel.owner, channel.deputy) == (submitter, colleague)


def test_the_proposal_says_what_stands_in_the_way_of_approval(
    in_review, guideline, submitter, colleague
):
    assert in_review.approval_problems() == [
        "Siri has not acknowledged the current social media guidelines. They must read and "
        "acknowledge them in the portal (Guidelines) before they can be responsible for a "
        "channel.",
        "Cole has not acknowledged the current social media guidelines. They must read and "
        "acknowledge them in the portal (Guidelines) before they can be responsible for a "
        "channel.",
    ]
    _acknowledge_all(submitter, colleague)
    assert in_review.approval_problems() == []


def test_the_office_sees_why_it_cannot_approve_on_the_proposal_page(
    client, in_review, guideline, reviewer, colleague
):
    _acknowledge_all(colleague)
    client.force_login(reviewer)
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert "Approval is not possible yet" in page
    assert "Siri has not acknowledged the current social media guidelines." in page
    # The refused approval says the same on the page it returns to.
    approve = f"/proposals/{in_review.pk}/decide/approve/"
    response = client.post(approve, {"comment": ""}, follow=True)
    assert "Siri has not acknowledged the current social media guidelines." in (
        response.content.decode()
    )
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.IN_REVIEW
