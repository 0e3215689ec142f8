"""Deciding on a proposal from its page: the whole journey through the views, refusals
(403, 404, 405, a missing comment, "already decided"), the reviewers' item comments and
the review meeting."""

import datetime
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Channel
from checklist.models import Answer, ItemComment, Proposal, Transition
from checklist.tests.factories import add_answered_items, make_proposal
from checklist.tests.test_proposal_form import form_data
from portal.tests.factories import make_user


def decide(client, proposal, action, comment=""):
    return client.post(f"/proposals/{proposal.pk}/decide/{action}/", {"comment": comment})


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def actions(proposal):
    return list(proposal.transitions.values_list("action", flat=True))


@pytest.fixture
def awaiting(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.submit(by=submitter)
    return proposal


def edit_form(proposal, **answers):
    """What the edit page posts for the stored ``proposal``, with ``answers`` changed."""
    texts = {answer.item.key: answer.text for answer in proposal.answers.select_related("item")}
    texts.update(answers)
    goals = [
        {
            "id": str(goal.pk),
            "metric": goal.metric,
            "target_value": str(goal.target_value),
            "target_date": goal.target_date.isoformat(),
        }
        for goal in proposal.goals.all()
    ]
    return form_data(
        action="submit",
        goals=goals,
        initial_goals=len(goals),
        unit=str(proposal.unit_id),
        platform=proposal.platform,
        name=proposal.name,
        proposed_owner=proposal.proposed_owner.get_username(),
        proposed_deputy=proposal.proposed_deputy.get_username() if proposal.proposed_deputy else "",
        **{f"answer-{key}": text for key, text in texts.items()},
    )


# --- The journey -----------------------------------------------------------------------


def test_the_whole_journey_through_the_views(
    client,
    submitter,
    unit,
    unit_head,
    reviewer,
    colleague,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.proposed_deputy = colleague
    proposal.save()
    url = f"/proposals/{proposal.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        proposal.submit(by=submitter)
    assert [m.to for m in mailoutbox] == [[unit_head.email]]

    # The unit head sees the endorsement forms and endorses.
    client.force_login(unit_head)
    html = client.get(url).content.decode()
    assert f'action="/proposals/{proposal.pk}/decide/endorse/"' in html
    assert "Return to submitter" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, proposal, "endorse")
    assert response.status_code == 302 and response["Location"] == url
    # The reviewers are told, and so is the submitter.
    assert sorted(m.to for m in mailoutbox[1:]) == [[reviewer.email], [submitter.email]]

    # The reviewer comments on the third item and asks for changes.
    client.force_login(reviewer)
    html = client.get(url).content.decode()
    for action in ["request_changes", "approve", "reject"]:
        assert f'action="/proposals/{proposal.pk}/decide/{action}/"' in html
    assert "Comment for the submitter (required)" in html
    assert 'data-testid="meeting"' in html
    response = client.post(
        f"/proposals/{proposal.pk}/comment/", {"item": "goals", "text": "Which goals?"}
    )
    assert response.status_code == 302
    comment = ItemComment.objects.get()
    assert (comment.item.key, comment.author, comment.text) == ("goals", reviewer, "Which goals?")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, proposal, "request_changes", "Please sharpen the goals.")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CHANGES_REQUESTED
    assert [m.to for m in mailoutbox[3:]] == [[submitter.email]]

    # The submitter sees the comment, edits the answer and resubmits.
    client.force_login(submitter)
    html = client.get(url).content.decode()
    assert "Which goals?" in html
    assert f'href="/proposals/{proposal.pk}/edit/"' in html
    assert f'action="/proposals/{proposal.pk}/decide/resubmit/"' in html
    assert 'name="text"' not in html  # no comment form for the submitter
    edit = f"/proposals/{proposal.pk}/edit/"
    assert client.get(edit).context["resubmitting"] is True
    data = edit_form(proposal, goals="500 followers within a year.")
    data["action"] = "save"
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Answer.objects.get(proposal=proposal, item__key="goals").text == (
        "500 followers within a year."
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, proposal, "resubmit")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.IN_REVIEW
    assert [m.to for m in mailoutbox[4:]] == [[reviewer.email]]

    # The reviewer approves: the channel is in the registry, planned.
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, proposal, "approve", "Welcome aboard.")
    assert response.status_code == 302
    channel = Channel.objects.get(origin_proposal=proposal)
    assert channel.status == Channel.Status.PLANNED
    assert channel.owner == submitter
    assert any(f'href="/registry/{channel.pk}/"' in message for message in flashed(response))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.APPROVED
    assert actions(proposal) == [
        "proposal.submitted",
        "proposal.endorsed",
        "proposal.changes_requested",
        "proposal.resubmitted",
        "proposal.approved",
    ]
    decided = sorted(address for m in mailoutbox[5:] for address in m.to)
    assert decided == sorted([submitter.email, colleague.email, unit_head.email])
    assert len(mailoutbox) == 5 + 3  # each message once
    # The approval's message links to the registry channel on the next page.
    html = client.get(url).content.decode()
    assert f'href="/registry/{channel.pk}/"' in html
    assert 'data-testid="decisions"' not in html


def test_resubmitting_from_the_edit_page(client, in_review, submitter, reviewer):
    decide_as = client
    decide_as.force_login(reviewer)
    decide(decide_as, in_review, "request_changes", "More detail, please.")
    client.force_login(submitter)
    data = edit_form(in_review, goals="Sharper goals.")
    response = client.post(f"/proposals/{in_review.pk}/edit/", data)
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.IN_REVIEW
    assert actions(in_review)[-1] == "proposal.resubmitted"
    assert "The proposal is resubmitted." in flashed(response)


def test_a_double_submitted_approve_is_refused_the_second_time(client, in_review, reviewer):
    client.force_login(reviewer)
    assert decide(client, in_review, "approve").status_code == 302

    response = decide(client, in_review, "approve")

    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{in_review.pk}/"
    assert any("cannot be done now" in message for message in flashed(response))
    assert Channel.objects.filter(origin_proposal=in_review).count() == 1
    assert actions(in_review).count("proposal.approved") == 1


# --- Refusals ----------------------------------------------------------------------------


def test_someone_who_cannot_see_the_proposal_gets_404(client, in_review, colleague):
    client.force_login(colleague)
    assert decide(client, in_review, "approve").status_code == 404
    assert client.post(f"/proposals/{in_review.pk}/comment/", {"item": "goals"}).status_code == 404
    assert client.post(f"/proposals/{in_review.pk}/meeting/").status_code == 404


def test_the_submitter_may_not_approve_their_own_proposal(client, in_review, submitter):
    client.force_login(submitter)
    before = actions(in_review)
    assert decide(client, in_review, "approve").status_code == 403
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.IN_REVIEW
    assert actions(in_review) == before and not Channel.objects.exists()


def test_the_unit_head_may_not_decide_on_a_proposal_in_review(client, in_review, unit_head):
    client.force_login(unit_head)
    assert decide(client, in_review, "approve").status_code == 403


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_a_decision_without_a_comment_is_refused_with_the_form_again(
    client, in_review, reviewer, action
):
    client.force_login(reviewer)
    before = actions(in_review)
    response = decide(client, in_review, action, "   ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why, for the submitter." in html
    assert f'id="decision-{action}-error"' in html
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.IN_REVIEW
    assert actions(in_review) == before


def test_the_unit_head_returns_a_proposal_with_a_comment(client, awaiting, unit_head):
    client.force_login(unit_head)
    assert decide(client, awaiting, "request_changes").status_code == 400
    assert decide(client, awaiting, "request_changes", "Talk to me first.").status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.state == Proposal.State.CHANGES_REQUESTED


def test_a_get_on_a_decision_is_405_and_an_unknown_action_404(client, in_review, reviewer):
    client.force_login(reviewer)
    assert client.get(f"/proposals/{in_review.pk}/decide/approve/").status_code == 405
    assert decide(client, in_review, "delete").status_code == 404
    assert decide(client, in_review, "submit").status_code == 404


def test_the_submitter_withdraws(client, in_review, submitter):
    client.force_login(submitter)
    html = client.get(f"/proposals/{in_review.pk}/").content.decode()
    assert f'action="/proposals/{in_review.pk}/decide/withdraw/"' in html
    assert "/decide/approve/" not in html
    assert decide(client, in_review, "withdraw", "Not needed any more").status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.WITHDRAWN


def test_resubmitting_an_incomplete_proposal_goes_back_to_the_edit_page(
    client, in_review, submitter, reviewer
):
    client.force_login(reviewer)
    decide(client, in_review, "request_changes", "Fix it.")
    Answer.objects.filter(proposal=in_review, item__key="goals").update(text="")
    client.force_login(submitter)
    response = decide(client, in_review, "resubmit")
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{in_review.pk}/edit/"
    assert any("Answer this item." in message for message in flashed(response))
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.CHANGES_REQUESTED


# --- Comments and the meeting --------------------------------------------------------


def test_only_reviewers_comment_and_record_the_meeting(client, in_review, submitter, unit_head):
    for person in [submitter, unit_head]:
        client.force_login(person)
        response = client.post(
            f"/proposals/{in_review.pk}/comment/", {"item": "goals", "text": "Mine"}
        )
        assert response.status_code == 403
        response = client.post(f"/proposals/{in_review.pk}/meeting/", {"meeting_place": "Room 1"})
        assert response.status_code == 403
    assert not ItemComment.objects.exists()
    in_review.refresh_from_db()
    assert in_review.meeting_place == ""


def test_comments_are_escaped_and_shown_under_their_item(client, in_review, reviewer):
    client.force_login(reviewer)
    script = "<script>alert(1)</script>"
    client.post(f"/proposals/{in_review.pk}/comment/", {"item": "goals", "text": script})
    html = client.get(f"/proposals/{in_review.pk}/").content.decode()
    assert script not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escaped in html
    goals = html[html.index('id="item-goals"') : html.index('id="item-audience"')]
    assert escaped in goals


def test_an_empty_comment_or_unknown_item_is_refused(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(f"/proposals/{in_review.pk}/comment/", {"item": "goals", "text": " "})
    assert response.status_code == 302 and "Write the comment." in flashed(response)
    response = client.post(f"/proposals/{in_review.pk}/comment/", {"item": "nope", "text": "x"})
    assert response.status_code == 302
    assert not ItemComment.objects.exists()


def test_the_submitter_does_not_see_comments_while_in_review(
    client, in_review, reviewer, submitter
):
    client.force_login(reviewer)
    client.post(f"/proposals/{in_review.pk}/comment/", {"item": "goals", "text": "Draft note"})
    client.force_login(submitter)
    assert "Draft note" not in client.get(f"/proposals/{in_review.pk}/").content.decode()


def test_the_reviewer_records_the_meeting(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(
        f"/proposals/{in_review.pk}/meeting/",
        {
            "meeting_at": "2031-05-04T10:30",
            "meeting_place": "Room <b>2</b>",
            "meeting_notes": "Went well.",
        },
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.meeting_place == "Room <b>2</b>"
    assert in_review.meeting_notes == "Went well."
    assert in_review.meeting_at.astimezone(datetime.UTC).year == 2031
    html = client.get(f"/proposals/{in_review.pk}/").content.decode()
    assert 'value="2031-05-04T10:30"' in html
    assert "Room &lt;b&gt;2&lt;/b&gt;" in html


def test_an_invalid_meeting_date_shows_the_form_again(client, in_review, reviewer):
    client.force_login(reviewer)
    response = client.post(f"/proposals/{in_review.pk}/meeting/", {"meeting_at": "tomorrow"})
    assert response.status_code == 400
    in_review.refresh_from_db()
    assert in_review.meeting_at is None


# --- Query count -----------------------------------------------------------------------


def test_the_reviewers_page_takes_the_same_queries_for_10_and_30_items_with_comments(
    client, in_review, reviewer, django_assert_num_queries
):
    client.force_login(reviewer)
    url = f"/proposals/{in_review.pk}/"

    def comment_everywhere():
        for item in in_review.template.items.all():
            ItemComment.objects.create(proposal=in_review, item=item, author=reviewer, text="Hm")

    comment_everywhere()
    client.get(url)  # warm: the reader's facts are cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    with_10 = len(captured)  # now: the next request empties Django's query log
    for number, item in enumerate(add_answered_items(in_review, 20)):
        ItemComment.objects.create(
            proposal=in_review, item=item, author=make_user(), text=f"Extra comment {number}"
        )
    comment_everywhere()
    client.get(url)
    with django_assert_num_queries(with_10):
        response = client.get(url)
    html = unescape(response.content.decode())
    assert "Extra comment 19" in html and html.count('data-testid="item-comment"') == 10 + 20 + 30
    assert Transition.objects.filter(proposal=in_review).count() == 2
