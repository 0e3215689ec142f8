"""Changes requested, with the reasons in sight (item 3): the edit page shows the
reviewer's reason at the top and each item comment beside its answer; after the
resubmission the reviewer sees, per item, what changed since the review, from the
answers kept when the changes were asked for."""

import pytest

from checklist.models import Answer, Transition
from checklist.review_changes import ADDED, REMOVED, SAME, difference
from checklist.tests.factories import make_proposal
from checklist.tests.test_decisions import edit_form


@pytest.fixture
def returned(submitter, unit, unit_head, reviewer):
    """In review, commented on, then returned to the submitter by the reviewer."""
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.submit(by=submitter)
    proposal.endorse(by=unit_head)
    goals = proposal.template.items.get(key="goals")
    proposal.comment_on(item=goals, by=reviewer, text="Which goals, by when?")
    proposal.request_changes(by=reviewer, comment="Sharpen the goals, please.")
    return proposal


def test_the_word_difference_marks_what_was_removed_and_added():
    assert difference("Grow the audience fast.", "Grow the audience to 500 by June.") == [
        {"op": SAME, "text": "Grow the audience "},
        {"op": REMOVED, "text": "fast."},
        {"op": ADDED, "text": "to 500 by June."},
    ]


def test_asking_for_changes_keeps_the_answers_as_reviewed(returned):
    asked = Transition.objects.get(proposal=returned, action="proposal.changes_requested")
    assert asked.payload["answers"]["goals"] == "About goals."
    assert asked.payload["answers"]["audience"] == "About audience."


def test_the_edit_page_shows_the_reason_on_top_and_each_comment_beside_its_answer(
    client, returned, submitter
):
    client.force_login(submitter)

    html = client.get(f"/proposals/{returned.pk}/edit/").content.decode()

    reason = html.index('data-testid="review-request"')
    assert reason < html.index('data-testid="progress"')
    assert "Sharpen the goals, please." in html[reason:]
    comment = html.index("Which goals, by when?")
    assert html.index('id="section-goals"') < comment < html.index('id="section-audience"')
    assert 'aria-describedby="id_answer-goals_help id_answer-goals_review' in html
    assert html.count('data-testid="answer-review-comment"') == 1


def test_a_draft_shows_no_review(client, submitter, unit):
    draft = make_proposal(submitter=submitter, unit=unit, complete=True)
    client.force_login(submitter)

    html = client.get(f"/proposals/{draft.pk}/edit/").content.decode()

    assert 'data-testid="review-request"' not in html


def test_after_resubmission_the_reviewer_sees_what_changed_in_each_answer(
    client, returned, submitter, reviewer
):
    client.force_login(submitter)
    data = edit_form(returned, goals="About goals: 500 followers <b>by June</b>.")
    assert client.post(f"/proposals/{returned.pk}/edit/", data).status_code == 302
    returned.refresh_from_db()
    assert returned.state == "in_review"

    client.force_login(reviewer)
    html = client.get(returned.get_absolute_url()).content.decode()

    assert 'data-testid="changes-summary"' in html
    assert html.count('data-testid="item-diff"') == 1
    assert (
        html.count('data-testid="item-unchanged"')
        == Answer.objects.filter(proposal=returned).count() - 1
    )
    # Escaped: the answer's markup is shown as text, never as markup.
    assert (
        '<ins><span class="visually-hidden">Added: </span>'
        "goals: 500 followers &lt;b&gt;by June&lt;/b&gt;.</ins>"
    ) in html
    assert "<b>by June</b>" not in html
    assert '<del><span class="visually-hidden">Removed: </span>goals.</del>' in html


def test_the_submitter_of_a_returned_proposal_sees_no_difference_yet(client, returned, submitter):
    client.force_login(submitter)

    html = client.get(returned.get_absolute_url()).content.decode()

    assert 'data-testid="item-diff"' not in html
    assert 'data-testid="changes-summary"' not in html


def test_a_proposal_returned_before_answers_were_kept_shows_no_difference(
    client, submitter, unit, reviewer
):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True, state="in_review")
    for action, before, after in [
        ("proposal.changes_requested", "in_review", "changes_requested"),
        ("proposal.resubmitted", "changes_requested", "in_review"),
    ]:
        Transition.objects.create(
            proposal=proposal, actor=reviewer, action=action, from_state=before, to_state=after
        )
    client.force_login(reviewer)

    html = client.get(proposal.get_absolute_url()).content.decode()

    assert 'data-testid="item-change"' not in html


def test_the_unit_head_who_returned_it_sees_the_difference_too(client, submitter, unit, unit_head):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.submit(by=submitter)
    proposal.request_changes(by=unit_head, comment="Name the audience better.")
    Answer.objects.filter(proposal=proposal, item__key="audience").update(
        text="About audience: first-year students."
    )
    proposal.resubmit(by=submitter)
    client.force_login(unit_head)

    html = client.get(proposal.get_absolute_url()).content.decode()

    assert html.count('data-testid="item-diff"') == 1
    assert "first-year students.</ins>" in html
