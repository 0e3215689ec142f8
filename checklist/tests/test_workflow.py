"""The review workflow's transitions: who may make each move from each state, and what
a refusal leaves behind (nothing)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.utils import InternalError, ProgrammingError

from accounts.models import Channel, Unit
from checklist.models import ItemComment, Proposal, Transition
from checklist.tests.factories import make_proposal
from portal.tests.factories import make_user

PERSONAS = ["submitter", "colleague", "unit_head", "reviewer", "portal_admin"]


def at_state(state, *, submitter, unit, unit_head, reviewer):
    """A complete proposal of ``submitter`` brought to ``state`` through the moves."""
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    if state == "draft":
        return proposal
    proposal.submit(by=submitter)
    if state == "awaiting_unit_head":
        return proposal
    if state == "changes_requested":
        proposal.request_changes(by=unit_head, comment="Say more about moderation.")
        return proposal
    proposal.endorse(by=unit_head)
    return proposal


ACTIONS = {
    "endorse": lambda p, by: p.endorse(by=by),
    "request_changes": lambda p, by: p.request_changes(by=by, comment="Please add detail."),
    "approve": lambda p, by: p.approve(by=by),
    "reject": lambda p, by: p.reject(by=by, comment="Not needed."),
    "withdraw": lambda p, by: p.withdraw(by=by),
    "resubmit": lambda p, by: p.resubmit(by=by),
}

# (action, state it starts from) -> who may do it, and where it leads.
ALLOWED = {
    ("endorse", "awaiting_unit_head"): ({"unit_head", "portal_admin"}, "in_review"),
    ("request_changes", "awaiting_unit_head"): ({"unit_head", "portal_admin"}, "changes_requested"),
    ("request_changes", "in_review"): ({"reviewer", "portal_admin"}, "changes_requested"),
    ("approve", "in_review"): ({"reviewer", "portal_admin"}, "approved"),
    ("reject", "in_review"): ({"reviewer", "portal_admin"}, "rejected"),
    ("withdraw", "draft"): ({"submitter"}, "withdrawn"),
    ("withdraw", "awaiting_unit_head"): ({"submitter"}, "withdrawn"),
    ("withdraw", "in_review"): ({"submitter"}, "withdrawn"),
    ("withdraw", "changes_requested"): ({"submitter"}, "withdrawn"),
    ("resubmit", "changes_requested"): ({"submitter"}, "awaiting_unit_head"),
}
STATES = ["draft", "awaiting_unit_head", "in_review", "changes_requested"]
MATRIX = [
    (action, state, persona) for action in ACTIONS for state in STATES for persona in PERSONAS
]


@pytest.mark.parametrize(("action", "state", "persona"), MATRIX)
def test_each_move_from_each_state_by_each_role(
    request,
    action,
    state,
    persona,
    submitter,
    unit,
    unit_head,
    reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    proposal = at_state(
        state, submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    actor = request.getfixturevalue(persona)
    transitions, mails = Transition.objects.count(), len(mailoutbox)
    allowed, leads_to = ALLOWED.get((action, state), (set(), None))
    if persona in allowed:
        with django_capture_on_commit_callbacks(execute=True):
            ACTIONS[action](proposal, actor)
        proposal.refresh_from_db()
        assert proposal.state == leads_to
        assert Transition.objects.count() == transitions + 1
        last = Transition.objects.last()
        assert (last.actor, last.from_state, last.to_state) == (actor, state, leads_to)
        return
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises((PermissionDenied, ValidationError)),
    ):
        ACTIONS[action](proposal, actor)
    proposal.refresh_from_db()
    assert proposal.state == state
    assert Transition.objects.count() == transitions
    assert len(mailoutbox) == mails
    assert Channel.objects.count() == 0


def test_an_admin_standing_in_is_recorded_as_such(
    submitter, unit, unit_head, reviewer, portal_admin
):
    proposal = at_state(
        "awaiting_unit_head", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    proposal.endorse(by=portal_admin)
    assert Transition.objects.last().payload == {"acting": "admin"}


def test_a_heads_own_proposal_is_endorsed_by_the_head_above(unit_head):
    faculty_head = make_user(username="dean")
    faculty = Unit.objects.create(name="Faculty", head=faculty_head)
    school = Unit.objects.create(name="School", parent=faculty, head=unit_head)
    proposal = make_proposal(submitter=unit_head, unit=school, complete=True)
    assert proposal.endorser() == faculty_head
    proposal.submit(by=unit_head)
    with pytest.raises(PermissionDenied):
        proposal.endorse(by=unit_head)
    proposal.endorse(by=faculty_head)
    assert proposal.state == "in_review"


def test_with_nobody_to_endorse_a_proposal_goes_straight_to_review(submitter):
    unit = Unit.objects.create(name="Headless")
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.submit(by=submitter)
    assert proposal.state == "in_review"
    assert Transition.objects.get().payload == {"endorsement": "skipped"}


def test_resubmitting_returns_to_the_stage_that_asked(submitter, unit, unit_head, reviewer):
    proposal = at_state(
        "in_review", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    proposal.request_changes(by=reviewer, comment="Item 3 needs numbers.")
    proposal.resubmit(by=submitter)
    assert proposal.state == "in_review"


def test_request_changes_and_reject_need_a_comment(submitter, unit, unit_head, reviewer):
    proposal = at_state(
        "in_review", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    for move in (proposal.request_changes, proposal.reject):
        with pytest.raises(ValidationError, match="Say why"):
            move(by=reviewer, comment="  ")
    assert proposal.state == "in_review"


def test_nobody_decides_on_their_own_proposal(unit, unit_head, reviewer):
    proposal = at_state(
        "in_review", submitter=reviewer, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    with pytest.raises(PermissionDenied, match="their own proposal"):
        proposal.approve(by=reviewer)
    assert proposal.state == "in_review"


def test_approval_creates_the_planned_channel_with_its_people(
    submitter, colleague, unit, unit_head, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = at_state(
        "in_review", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    proposal.proposed_deputy = colleague
    proposal.save()
    with django_capture_on_commit_callbacks(execute=True):
        channel = proposal.approve(by=reviewer, comment="Welcome.")
    assert (channel.status, channel.origin_proposal, channel.owner, channel.deputy) == (
        "planned",
        proposal,
        submitter,
        colleague,
    )
    assert channel.events.get().payload == {"proposal": proposal.pk}
    assert sorted(m.to[0] for m in mailoutbox) == [
        "colleague@example.org",
        "head@example.org",
        "submitter@example.org",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_refuses_to_change_or_delete_a_transition(
    submitter, unit, unit_head, reviewer
):
    at_state(
        "awaiting_unit_head", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    for sql in [
        "UPDATE checklist_transition SET comment = 'x'",
        "DELETE FROM checklist_transition",
    ]:
        with (
            pytest.raises((InternalError, ProgrammingError), match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert Transition.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second_move", ["approve", "reject"])
def test_two_reviewers_deciding_at_once_make_one_decision(second_move):
    submitter = make_user(username="s")
    head = make_user(username="h")
    unit = Unit.objects.create(name="U", head=head)
    first = make_user(username="r1", groups=["communications"])
    second = make_user(username="r2", groups=["communications"])
    proposal = at_state("in_review", submitter=submitter, unit=unit, unit_head=head, reviewer=first)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(reviewer, move):
        try:
            barrier.wait()
            ACTIONS[move](Proposal.objects.get(pk=proposal.pk), reviewer)
            outcomes.append(move)
        except ValidationError as refusal:
            outcomes.append(refusal.messages[0])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(first, "approve")),
        threading.Thread(target=decide, args=(second, second_move)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    decided = [o for o in outcomes if o in ("approve", "reject")]
    refused = [o for o in outcomes if o not in ("approve", "reject")]
    assert len(decided) == 1
    assert refused == [
        "This cannot be done now: the proposal is "
        + ("Approved." if decided == ["approve"] else "Rejected.")
    ]
    assert (
        Transition.objects.filter(action__in=["proposal.approved", "proposal.rejected"]).count()
        == 1
    )
    assert Channel.objects.count() == (1 if decided == ["approve"] else 0)


def test_reviewers_comment_on_an_answer_and_nobody_else_does(
    submitter, unit, unit_head, reviewer, colleague
):
    proposal = at_state(
        "in_review", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    item = proposal.template.items.get(key="goals")
    comment = proposal.comment_on(item=item, by=reviewer, text="Add a number.")
    assert (comment.author, comment.item, comment.text) == (reviewer, item, "Add a number.")
    for person in (submitter, unit_head, colleague):
        with pytest.raises(PermissionDenied):
            proposal.comment_on(item=item, by=person, text="Me too")
    with pytest.raises(ValidationError, match="Write the comment"):
        proposal.comment_on(item=item, by=reviewer, text=" ")
    assert ItemComment.objects.count() == 1


def test_a_review_comment_can_be_neither_changed_nor_deleted(submitter, unit, unit_head, reviewer):
    proposal = at_state(
        "in_review", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    comment = proposal.comment_on(item=proposal.template.items.first(), by=reviewer, text="Clear.")
    with pytest.raises(TypeError):
        comment.save()
    with pytest.raises(TypeError):
        ItemComment.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_refuses_to_change_a_review_comment(submitter, unit, unit_head, reviewer):
    proposal = at_state(
        "in_review", submitter=submitter, unit=unit, unit_head=unit_head, reviewer=reviewer
    )
    proposal.comment_on(item=proposal.template.items.first(), by=reviewer, text="Clear.")
    with (
        pytest.raises((InternalError, ProgrammingError), match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE checklist_itemcomment SET text = 'rewritten'")
    assert ItemComment.objects.get().text == "Clear."


def test_the_head_above_sees_the_proposal_they_must_endorse(unit_head):
    dean = make_user(username="dean")
    faculty = Unit.objects.create(name="Faculty", head=dean)
    school = Unit.objects.create(name="School", parent=faculty, head=unit_head)
    proposal = make_proposal(submitter=unit_head, unit=school, complete=True)
    proposal.submit(by=unit_head)
    assert list(Proposal.objects.visible_to(dean)) == [proposal]
