"""The review queue: who waits for whom, oldest first, the service level, filters and
query counts."""

import datetime
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklist.access import reviews_proposals
from checklist.models import ChecklistTemplate, Proposal
from checklist.review_queue import SERVICE_LEVEL_WORKING_DAYS, queue_for, working_days_between
from checklist.tests.factories import make_proposal
from portal.tests.factories import make_unit, make_user

URL = "/review/"
ROW_NAME = re.compile(r'<th scope="row"><a href="[^"]*">(.*?)</a></th>')


def at(day, hour=12):
    """Noon (by default) of ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def submitted(*, submitter, unit, name, platform="mastodon", endorse_by=None):
    """A proposal submitted through the workflow (and endorsed when ``endorse_by``)."""
    proposal = make_proposal(
        submitter=submitter, unit=unit, complete=True, name=name, platform=platform
    )
    proposal.submit(by=submitter)
    if endorse_by is not None:
        proposal.endorse(by=endorse_by)
    return proposal


def waiting(*, submitter, unit, state, name="Waiting", platform="instagram", since=None):
    """A proposal written straight into a waiting state (no transitions): for counting."""
    return Proposal.objects.create(
        template=ChecklistTemplate.objects.current(),
        submitter=submitter,
        unit=unit,
        state=state,
        name=name,
        platform=platform,
        submitted_at=since or timezone.now(),
    )


def queue(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response


def names(response):
    """The proposals the queue lists, in order (whether rendered now or cached)."""
    return [html.unescape(name) for name in ROW_NAME.findall(response.content.decode())]


@pytest.fixture
def awaiting(submitter, unit):
    return submitted(submitter=submitter, unit=unit, name="Awaiting the head")


@pytest.fixture
def named_in_review(submitter, unit, unit_head):
    """Endorsed by the head and so in the office's review, named "In review" (unlike
    the root conftest's ``in_review``) so that the queue's rows read as their state."""
    return submitted(submitter=submitter, unit=unit, name="In review", endorse_by=unit_head)


# --- Who sees what ---------------------------------------------------------------------


def test_a_unit_head_sees_what_awaits_their_endorsement_not_what_is_in_review(
    client, unit_head, awaiting, named_in_review
):
    response = queue(client, unit_head)
    assert names(response) == ["Awaiting the head"]
    html = response.content.decode()
    assert f'href="/proposals/{awaiting.pk}/"' in html
    assert "Awaiting the unit head" in html


def test_a_unit_head_sees_the_proposal_of_a_child_units_head(client, unit, unit_head):
    child_head = make_user(username="child-head")
    child = make_unit(name="Department of Bridges", parent=unit, head=child_head)
    submitted(submitter=child_head, unit=child, name="The child head's own")
    assert names(queue(client, unit_head)) == ["The child head's own"]
    assert names(queue(client, child_head)) == []


@pytest.mark.parametrize("child_head", [None, "inactive"])
def test_a_unit_head_endorses_for_a_child_unit_whose_head_cannot(
    client, unit, unit_head, submitter, child_head
):
    """Proposal.endorser() passes a missing or deactivated head by: the head above
    endorses, so sees the proposal in the queue and may open it."""
    head = make_user(username="gone", is_active=False) if child_head else None
    child = make_unit(name="Department of Bridges", parent=unit, head=head)
    proposal = submitted(submitter=submitter, unit=child, name="Below")
    assert proposal.endorser() == unit_head
    assert names(queue(client, unit_head)) == ["Below"]
    assert client.get(proposal.get_absolute_url()).status_code == 200


def test_a_unit_head_does_not_see_other_units(client, unit_head, submitter):
    other = make_unit(name="School of Arts", head=make_user())
    submitted(submitter=submitter, unit=other, name="Elsewhere")
    assert names(queue(client, unit_head)) == []


def test_a_reviewer_sees_what_is_in_review_but_not_awaiting_nor_their_own(
    client, reviewer, unit, unit_head, awaiting, named_in_review
):
    submitted(submitter=reviewer, unit=unit, name="The reviewer's own", endorse_by=unit_head)
    assert names(queue(client, reviewer)) == ["In review"]


def test_a_platform_with_its_own_reviewer_group_goes_to_that_group(
    client, settings, reviewer, submitter, unit, unit_head, named_in_review
):
    settings.PORTAL_REVIEWER_GROUPS = {"linkedin": "linkedin-working-group"}
    submitted(
        submitter=submitter,
        unit=unit,
        name="Showcase",
        platform="linkedin",
        endorse_by=unit_head,
    )
    linkedin = make_user(username="linkedin", groups=["linkedin-working-group"])
    assert names(queue(client, reviewer)) == ["In review"]
    response = queue(client, linkedin)
    assert names(response) == ["Showcase"]
    assert "LinkedIn showcase page" in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["unit_head", "reviewer", "portal_admin", "submitter", "outsider", "inactive_user", "linkedin"],
)
def test_who_has_a_queue_is_who_reviews(request, settings, unit, persona):
    """The queue page decides from reviews_proposals() whether to show a queue, and builds
    queue_for()'s query only when its listing is not cached: the two must agree."""
    settings.PORTAL_REVIEWER_GROUPS = {"linkedin": "linkedin-working-group"}
    if persona == "linkedin":
        user = make_user(username="linkedin", groups=["linkedin-working-group"])
    else:
        user = request.getfixturevalue(persona)
        unit.head = request.getfixturevalue("unit_head")
        unit.save()
    assert reviews_proposals(user) is (queue_for(user) is not None)


def test_a_portal_admin_sees_both_stages(client, portal_admin, awaiting, named_in_review):
    assert sorted(names(queue(client, portal_admin))) == ["Awaiting the head", "In review"]


def test_a_colleague_sees_an_empty_queue_with_a_friendly_text(
    client, colleague, awaiting, named_in_review
):
    response = queue(client, colleague)
    assert names(response) == []
    assert 'data-testid="nothing-to-review"' in response.content.decode()


def test_an_empty_queue_says_so(client, reviewer):
    assert 'data-testid="queue-empty"' in queue(client, reviewer).content.decode()


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- Oldest first, age and the service level -------------------------------------------

MONDAY = datetime.date(2025, 3, 3)


def test_working_days_count_weekdays_only():
    friday = MONDAY + datetime.timedelta(days=4)
    assert working_days_between(MONDAY, MONDAY) == 0
    assert working_days_between(MONDAY, friday) == 4
    assert working_days_between(friday, friday + datetime.timedelta(days=3)) == 1  # to Monday
    assert working_days_between(MONDAY, MONDAY + datetime.timedelta(days=14)) == 10
    assert working_days_between(friday, MONDAY) == 0


def test_the_oldest_comes_first_by_the_time_it_entered_its_stage(
    client, reviewer, submitter, unit, unit_head
):
    # Submitted first but endorsed last: it has waited for the reviewers the shortest.
    with time_machine.travel(at(MONDAY, 9), tick=False):
        later = submitted(submitter=submitter, unit=unit, name="Endorsed later")
        earlier = submitted(submitter=submitter, unit=unit, name="Endorsed earlier")
    with time_machine.travel(at(MONDAY, 10), tick=False):
        earlier.endorse(by=unit_head)
    with time_machine.travel(at(MONDAY, 11), tick=False):
        later.endorse(by=unit_head)
    with time_machine.travel(at(MONDAY + datetime.timedelta(days=1)), tick=False):
        response = queue(client, reviewer)
    assert names(response) == ["Endorsed earlier", "Endorsed later"]
    assert response.context["rows"][0]["waiting_since"] == at(MONDAY, 10)


def test_age_and_the_overdue_badge_after_more_than_the_service_level(
    client, reviewer, submitter, unit, unit_head
):
    assert SERVICE_LEVEL_WORKING_DAYS == 10
    with time_machine.travel(at(MONDAY), tick=False):
        submitted(submitter=submitter, unit=unit, name="Old", endorse_by=unit_head)

    with time_machine.travel(at(MONDAY + datetime.timedelta(days=14)), tick=False):
        response = queue(client, reviewer)
    (row,) = response.context["rows"]
    assert (row["age_days"], row["working_days"], row["overdue"]) == (14, 10, False)
    assert 'data-testid="overdue"' not in response.content.decode()

    with time_machine.travel(at(MONDAY + datetime.timedelta(days=15)), tick=False):
        response = queue(client, reviewer)
    (row,) = response.context["rows"]
    assert (row["age_days"], row["working_days"], row["overdue"]) == (15, 11, True)
    html = response.content.decode()
    assert re.search(r'data-testid="overdue">Overdue: 11 working days<', html)
    assert "15 days" in html


def test_without_transitions_the_submission_time_counts(client, reviewer, submitter, unit):
    proposal = waiting(submitter=submitter, unit=unit, state=Proposal.State.IN_REVIEW)
    Proposal.objects.filter(pk=proposal.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    (row,) = queue(client, reviewer).context["rows"]
    assert row["age_days"] == 30
    assert row["overdue"]


# --- Filters ---------------------------------------------------------------------------


def test_filters_by_unit_and_platform(client, reviewer, submitter, unit):
    other = make_unit(name="School of Arts")
    waiting(submitter=submitter, unit=unit, state="in_review", name="A", platform="instagram")
    waiting(submitter=submitter, unit=unit, state="in_review", name="B", platform="youtube")
    waiting(submitter=submitter, unit=other, state="in_review", name="C", platform="youtube")

    assert sorted(names(queue(client, reviewer, f"?unit={unit.pk}"))) == ["A", "B"]
    assert sorted(names(queue(client, reviewer, "?platform=youtube"))) == ["B", "C"]
    assert names(queue(client, reviewer, f"?unit={other.pk}&platform=youtube")) == ["C"]
    # Nonsense is ignored rather than an error.
    assert len(names(queue(client, reviewer, "?unit=x&platform=nope"))) == 3


# --- Query counts ----------------------------------------------------------------------


def count_queries(client, path):
    client.get(path)  # warm: the reader's facts are cached, as between two of their pages
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["reviewer", "unit_head", "portal_admin"])
def test_the_queue_makes_the_same_queries_for_3_or_30_proposals(
    client, request, persona, submitter, unit, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    state = "awaiting_unit_head" if persona == "unit_head" else "in_review"

    def add(count):
        for _ in range(count):
            waiting(submitter=make_user(), unit=make_unit(head=user), state=state)

    client.force_login(user)
    add(3)
    with_3 = count_queries(client, URL)
    add(27)
    client.get(URL)
    with django_assert_num_queries(with_3):
        response = client.get(URL)
    assert len(names(response)) == 25
    assert "30 proposals waiting for you, oldest first" in response.content.decode()


# --- Navigation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("unit_head", True), ("reviewer", True), ("portal_admin", True), ("submitter", False)],
)
def test_the_navigation_offers_the_queue_to_those_who_review(client, request, persona, shown, unit):
    client.force_login(request.getfixturevalue(persona))
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Main navigation"', 1)[1].split("</nav>", 1)[0]
    assert ('href="/review/"' in nav) is shown
