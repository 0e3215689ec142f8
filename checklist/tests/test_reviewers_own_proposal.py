"""A reviewer's own proposal (B4): the head of the communications office proposes an
account for the office, the rector (head of the unit above) endorses it. The proposer
is told nothing meant for the reviewers, their page says why they cannot review it,
and the messages name the people who really received it."""

import pytest

from checklist.tests.factories import make_proposal
from checklist.tests.test_decisions import decide, flashed
from checklist.tests.test_submit_via_form import complete
from core import roles
from portal.tests.factories import make_unit, make_user


@pytest.fixture
def rector(db):
    return make_user(username="rector", first_name="Rut", last_name="Rektor")


@pytest.fixture
def office_head(db):
    """Heads the communications office and belongs to it (a reviewer)."""
    return make_user(
        username="office-head", first_name="Olga", last_name="Kontor", groups=[roles.COMMUNICATIONS]
    )


@pytest.fixture
def office(rector, office_head):
    university = make_unit(name="University", head=rector)
    return make_unit(name="Communications office", parent=university, head=office_head)


@pytest.fixture
def awaiting_rector(office, office_head):
    proposal = make_proposal(submitter=office_head, unit=office, complete=True)
    proposal.submit(by=office_head)
    return proposal


def test_submitting_names_the_person_who_endorses_not_the_unit_the_proposer_heads(
    client, office, office_head, colleague
):
    client.force_login(office_head)

    response = client.post("/proposals/new/", complete(office))

    assert response.status_code == 302
    assert flashed(response) == ["The proposal is sent to Rut Rektor for endorsement."]


def test_submitting_with_nobody_to_endorse_says_it_went_straight_to_review(
    client, office_head, colleague
):
    lone = make_unit(name="Lone unit", head=office_head)
    client.force_login(office_head)

    response = client.post("/proposals/new/", complete(lone))

    assert response.status_code == 302
    assert flashed(response) == [
        "Nobody endorses proposals of Lone unit, so the proposal goes straight to the reviewers."
    ]


def test_the_endorsement_tells_the_other_reviewers_and_not_the_proposer(
    client,
    awaiting_rector,
    rector,
    office_head,
    reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(rector)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, awaiting_rector, "endorse")

    waiting = [m.to for m in mailoutbox if "awaits review" in m.subject]
    assert waiting == [[reviewer.email]]
    assert flashed(response) == [
        "The proposal is endorsed and sent to the reviewers (1 person told)."
    ]


def test_with_no_other_reviewer_the_endorsement_says_nobody_could_be_told(
    client, awaiting_rector, rector, office_head, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(rector)

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, awaiting_rector, "endorse")

    assert [m.to for m in mailoutbox if "awaits review" in m.subject] == []
    assert flashed(response) == [
        "The proposal is endorsed, but nobody other than its submitter reviews this "
        "platform's proposals: ask a portal administrator to decide on it."
    ]


def test_the_proposer_who_reviews_sees_why_they_cannot_review_their_own_proposal(
    client, awaiting_rector, rector, office_head
):
    awaiting_rector.endorse(by=rector)
    client.force_login(office_head)

    html = client.get(awaiting_rector.get_absolute_url()).content.decode()

    assert 'data-testid="own-proposal"' in html
    assert "You review this platform&#x27;s proposals, but not your own" in html
    assert 'data-testid="decide-approve"' not in html
    assert 'data-testid="decide-withdraw"' in html


def test_the_head_who_proposes_is_told_who_endorses_for_their_unit(
    client, awaiting_rector, office_head
):
    client.force_login(office_head)

    html = client.get(awaiting_rector.get_absolute_url()).content.decode()

    assert "You head Communications office, so Rut Rektor endorses your proposal" in html
    assert 'data-testid="decide-endorse"' not in html
