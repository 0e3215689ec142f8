"""Each reader's review queue is rendered once and then served from the cache, and
every change to what it shows shows at once (checklist.caching.PROPOSALS)."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklist.tests.test_review_queue import URL, names, queue, submitted
from core import roles
from portal.tests.factories import make_user


def test_the_same_queue_again_makes_no_query_of_its_own(
    client, reviewer, submitter, unit, unit_head
):
    submitted(submitter=submitter, unit=unit, name="Aurora", endorse_by=unit_head)
    first = queue(client, reviewer)
    with CaptureQueriesContext(connection) as again:
        response = client.get(URL)
    assert names(response) == names(first) == ["Aurora"]
    assert len(again) == 1  # the user: session, roles and the queue come from the cache


def test_each_reader_has_their_own_queue(client, reviewer, submitter, unit, unit_head):
    other_reviewer = make_user(username="other-reviewer", groups=[roles.COMMUNICATIONS])
    submitted(submitter=submitter, unit=unit, name="Aurora", endorse_by=unit_head)
    own = submitted(submitter=other_reviewer, unit=unit, name="Mine", endorse_by=unit_head)
    assert own.state == "in_review"
    assert sorted(names(queue(client, reviewer))) == ["Aurora", "Mine"]
    assert names(queue(client, other_reviewer)) == ["Aurora"]  # never their own
    assert names(queue(client, unit_head)) == []


def test_a_proposal_arrives_and_leaves_at_once(client, reviewer, submitter, unit, unit_head):
    assert names(queue(client, unit_head)) == []
    proposal = submitted(submitter=submitter, unit=unit, name="Aurora")
    assert names(queue(client, unit_head)) == ["Aurora"]
    assert names(queue(client, reviewer)) == []
    proposal.endorse(by=unit_head)
    assert names(queue(client, unit_head)) == []
    assert names(queue(client, reviewer)) == ["Aurora"]
    proposal.approve(by=reviewer, comment="")
    assert names(queue(client, reviewer)) == []


def test_joining_the_office_brings_its_queue_at_once(client, colleague, submitter, unit, unit_head):
    submitted(submitter=submitter, unit=unit, name="Aurora", endorse_by=unit_head)
    response = queue(client, colleague)
    assert 'data-testid="nothing-to-review"' in response.content.decode()
    Group.objects.get(name=roles.COMMUNICATIONS).user_set.add(colleague)
    assert names(queue(client, colleague)) == ["Aurora"]
    # A unit head's queue (cached: nothing awaits them) grows the office's at once.
    assert names(queue(client, unit_head)) == []
    unit_head.groups.add(Group.objects.get(name=roles.COMMUNICATIONS))
    assert names(queue(client, unit_head)) == ["Aurora"]


def test_a_renamed_submitter_shows_at_once(client, reviewer, submitter, unit, unit_head):
    submitted(submitter=submitter, unit=unit, name="Aurora", endorse_by=unit_head)
    assert "Siri" in queue(client, reviewer).content.decode()
    submitter.first_name = "Solveig"
    submitter.save()
    page = queue(client, reviewer).content.decode()
    assert "Solveig" in page and "Siri" not in page
