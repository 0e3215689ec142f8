"""A proposal's content is read from the database once per version of the proposals
(checklist.caching.PROPOSALS) and every change to it shows at once; each reader's page,
a reviewer's with their comment forms, is rendered for them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklist.models import Answer, ItemComment
from checklist.tests.test_review_queue import submitted


def page(client, proposal):
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_content_again_makes_no_query_of_its_own(client, submitter, unit):
    proposal = submitted(submitter=submitter, unit=unit, name="Aurora")
    client.force_login(submitter)
    with CaptureQueriesContext(connection) as first:
        first_page = page(client, proposal)
    with CaptureQueriesContext(connection) as again:
        again_page = page(client, proposal)
    tables = ("checklist_answer", "checklist_goal", "checklist_transition")
    assert [q for q in again if any(table in q["sql"] for table in tables)] == []
    assert [q for q in first if any(table in q["sql"] for table in tables)] != []
    assert again_page.count('data-testid="item"') == first_page.count('data-testid="item"') > 0


def test_an_edited_answer_and_a_new_transition_show_at_once(client, submitter, unit, unit_head):
    proposal = submitted(submitter=submitter, unit=unit, name="Aurora")
    client.force_login(unit_head)
    assert "A brand new answer" not in page(client, proposal)
    answer = Answer.objects.filter(proposal=proposal).first()
    answer.text = "A brand new answer"
    answer.save()
    assert "A brand new answer" in page(client, proposal)
    proposal.endorse(by=unit_head, comment="Fine by the unit")
    assert "Fine by the unit" in page(client, proposal)


def test_a_reviewers_comment_reaches_the_submitter_at_once(
    client, submitter, unit, unit_head, reviewer
):
    proposal = submitted(submitter=submitter, unit=unit, name="Aurora", endorse_by=unit_head)
    proposal.request_changes(by=reviewer, comment="See item 1.")
    client.force_login(submitter)
    assert "Say who answers at weekends" not in page(client, proposal)
    item = proposal.template.items.first()
    ItemComment.objects.create(
        proposal=proposal, item=item, author=reviewer, text="Say who answers at weekends"
    )
    assert "Say who answers at weekends" in page(client, proposal)


def test_a_renamed_submitter_shows_at_once(client, submitter, unit, unit_head):
    proposal = submitted(submitter=submitter, unit=unit, name="Aurora")
    client.force_login(unit_head)
    assert "Siri" in page(client, proposal)
    submitter.first_name = "Solveig"
    submitter.save()
    assert "Solveig" in page(client, proposal)


def test_each_reviewer_gets_comment_forms_with_their_own_token(
    client, submitter, unit, unit_head, reviewer, portal_admin
):
    proposal = submitted(submitter=submitter, unit=unit, name="Aurora", endorse_by=unit_head)
    client.force_login(reviewer)
    first = page(client, proposal)
    assert first.count('class="item-comment-form"') > 0
    client.force_login(portal_admin)
    second = page(client, proposal)
    comment_url = f"/proposals/{proposal.pk}/comment/"
    item = proposal.template.items.first()
    # The admin's page posts with the admin's token: the comment is taken.
    token = second.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    client.handler.enforce_csrf_checks = True
    response = client.post(
        comment_url, {"item": item.key, "text": "Looks good", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert ItemComment.objects.filter(author=portal_admin, text="Looks good").exists()
