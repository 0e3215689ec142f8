"""The list of proposals and the read view: who sees what, escaping, query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklist.models import Answer, Goal, Proposal, Transition
from checklist.tests.factories import add_answered_items, make_proposal
from portal.tests.factories import make_user

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_ANSWER = "<script>alert(1)</script>"


@pytest.fixture
def draft(submitter, unit):
    return make_proposal(
        submitter=submitter, unit=unit, name="Draft proposal", platform="instagram"
    )


@pytest.fixture
def submitted(submitter, unit):
    return make_proposal(
        submitter=submitter,
        unit=unit,
        name="Submitted proposal",
        state=Proposal.State.AWAITING_UNIT_HEAD,
        platform="instagram",
    )


def listed(client, user):
    client.force_login(user)
    response = client.get("/proposals/")
    assert response.status_code == 200
    return response.content.decode()


# --- The list ------------------------------------------------------------------------


def test_the_list_shows_the_submitters_own_proposals_and_the_new_button(
    client, submitter, draft, submitted
):
    html = listed(client, submitter)
    assert "Draft proposal" in html and "Submitted proposal" in html
    assert 'href="/proposals/new/"' in html and "Propose a new account" in html
    assert "School of Engineering" in html and "Instagram" in html
    # Newest change first.
    assert html.index("Submitted proposal") < html.index("Draft proposal")
    assert 'data-testid="other-proposals"' not in html


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_other_staff_never_see_someone_elses_proposal_in_the_list(
    client, request, persona, draft, submitted
):
    html = listed(client, request.getfixturevalue(persona))
    assert "Draft proposal" not in html and "Submitted proposal" not in html
    assert "You have not proposed any account yet." in html


def test_unit_head_sees_submitted_proposals_of_their_unit_but_not_drafts(
    client, unit_head, draft, submitted
):
    html = listed(client, unit_head)
    others = html.split('data-testid="other-proposals"', 1)[1]
    assert "Submitted proposal" in others
    assert "Draft proposal" not in html


@pytest.mark.parametrize("persona", ["reviewer", "portal_admin"])
def test_the_office_sees_submitted_proposals_in_a_second_list(
    client, request, persona, draft, submitted
):
    html = listed(client, request.getfixturevalue(persona))
    assert "Submitted proposal" in html.split('data-testid="other-proposals"', 1)[1]
    assert "Draft proposal" not in html


def test_user_text_in_the_list_is_escaped(client, submitter, unit):
    make_proposal(submitter=submitter, unit=unit, name=XSS_NAME, platform="instagram")
    html = listed(client, submitter)
    assert XSS_NAME not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_list_is_paginated(client, submitter, unit):
    for number in range(26):
        make_proposal(
            submitter=submitter, unit=unit, name=f"Proposal {number}", platform="instagram"
        )
    html = listed(client, submitter)
    assert html.count("Proposal ") >= 25 and "Page 1 of 2" in html
    assert "Page 2 of 2" in client.get("/proposals/?page=2").content.decode()


@pytest.mark.parametrize("persona", ["submitter", "reviewer"])
def test_the_list_takes_the_same_number_of_queries_for_3_and_30_proposals(
    client, request, persona, unit, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    author = request.getfixturevalue("submitter")
    client.force_login(user)

    def add(count):
        for number in range(count):
            make_proposal(
                submitter=author,
                unit=unit,
                name=f"Proposal {number}",
                state=Proposal.State.IN_REVIEW,
                platform="instagram",
            )

    add(3)
    client.get("/proposals/")  # warm: the reader's facts are cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/proposals/").status_code == 200
    with_3 = len(captured)  # now: the next request empties Django's query log
    add(27)
    client.get("/proposals/")
    with django_assert_num_queries(with_3):
        response = client.get("/proposals/")
    assert response.content.decode().count("Proposal 2") >= 2  # the 30 (or 25) are there


# --- The read view -------------------------------------------------------------------


@pytest.fixture
def complete(submitter, colleague, unit):
    """A submitted proposal with every answer, a goal and its history."""
    proposal = make_proposal(
        submitter=submitter,
        unit=unit,
        name="Engineering LinkedIn",
        platform="linkedin",
        state=Proposal.State.AWAITING_UNIT_HEAD,
        proposed_owner=submitter,
        proposed_deputy=colleague,
        languages="English, Swedish",
        profile="linkedin.com/showcase/fu-eng",
        why_new_channel="Nobody reaches\nour alumni.",
        submitted_at=datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
    )
    for item in proposal.template.items.all():
        Answer.objects.create(proposal=proposal, item=item, text=f"Answer to {item.key}\nline two")
    Goal.objects.create(
        proposal=proposal,
        metric=Goal.Metric.FOLLOWERS,
        target_value=1500,
        target_date=datetime.date(2031, 6, 30),
    )
    Transition.objects.create(
        proposal=proposal,
        actor=submitter,
        action="proposal.submitted",
        from_state="draft",
        to_state="awaiting_unit_head",
        comment="Ready for you",
    )
    return proposal


def test_the_read_view_shows_the_whole_proposal(client, submitter, complete):
    client.force_login(submitter)
    response = client.get(f"/proposals/{complete.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Engineering LinkedIn",
        "LinkedIn showcase page",
        "School of Engineering",
        "Awaiting the unit head",
        "Checklist v1",
        "Siri",
        "Cole",  # the proposed deputy: the colleague persona
        "English, Swedish",
        "linkedin.com/showcase/fu-eng",
        "Nobody reaches<br>our alumni.",
        "Answer to need<br>line two",
        "Followers",
        "1,500",
        "Draft → Awaiting the unit head",
        "Ready for you",
        f'href="/proposals/{complete.pk}/proposal.md"',
        f'href="/proposals/{complete.pk}/proposal.html"',
    ]:
        assert text in html, text
    titles = [item.title for item in complete.template.items.all()]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions) and len(titles) == 10
    # Submitted: no longer editable.
    assert f'href="/proposals/{complete.pk}/edit/"' not in html


def test_the_read_view_shows_each_item_once_answered_or_not(client, submitter, draft):
    """Items left unanswered say so, in the checklist's order, next to the answered
    ones (the items are read with a join on the proposal's answers)."""
    items = list(draft.template.items.all())
    for item in items[::2]:
        Answer.objects.create(proposal=draft, item=item, text=f"Answer to {item.key}")
    client.force_login(submitter)
    html = client.get(f"/proposals/{draft.pk}/").content.decode()
    assert html.count('data-testid="item"') == len(items)
    assert html.count("Not answered") == len(items[1::2])
    positions = [html.index(f'id="item-{item.key}"') for item in items]
    assert positions == sorted(positions)
    for index, item in enumerate(items):
        following = html[positions[index] :][:600]
        assert (f"Answer to {item.key}" in following) == (index % 2 == 0)


def test_the_submitter_gets_an_edit_link_on_a_draft(client, submitter, draft):
    client.force_login(submitter)
    html = client.get(f"/proposals/{draft.pk}/").content.decode()
    assert f'href="/proposals/{draft.pk}/edit/"' in html


def test_the_read_view_links_the_print_stylesheet(client, submitter, draft):
    client.force_login(submitter)
    html = client.get(f"/proposals/{draft.pk}/").content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html


@pytest.mark.parametrize(
    ("persona", "draft_status", "submitted_status"),
    [
        ("submitter", 200, 200),
        ("colleague", 404, 404),
        ("outsider", 404, 404),
        ("unit_head", 404, 200),
        ("reviewer", 404, 200),
        ("portal_admin", 404, 200),
    ],
)
def test_who_may_read_a_proposal(
    client, request, persona, draft_status, submitted_status, draft, submitted
):
    client.force_login(request.getfixturevalue(persona))
    for proposal, status in [(draft, draft_status), (submitted, submitted_status)]:
        for suffix in ["", "proposal.md", "proposal.html"]:
            response = client.get(f"/proposals/{proposal.pk}/{suffix}")
            assert response.status_code == status, (proposal.name, suffix)


def test_an_inactive_person_reads_nothing(client, draft):
    former = make_user(username="gone", is_active=False)
    client.force_login(former)
    assert client.get(f"/proposals/{draft.pk}/").status_code in (302, 404)


@pytest.mark.parametrize(
    "path",
    ["/proposals/", "/proposals/1/", "/proposals/1/proposal.md", "/proposals/1/proposal.html"],
)
def test_anonymous_visitors_are_sent_to_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_user_text_is_escaped_in_the_read_view(client, submitter, unit):
    proposal = make_proposal(
        submitter=submitter, unit=unit, name=XSS_NAME, languages="<b>bold</b>", platform="instagram"
    )
    item = proposal.template.items.first()
    Answer.objects.create(proposal=proposal, item=item, text=XSS_ANSWER)
    client.force_login(submitter)
    html = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert XSS_ANSWER not in html and XSS_NAME not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_unit_heads_page_reads_who_endorses_with_the_proposal(client, unit_head, complete):
    client.force_login(unit_head)
    url = f"/proposals/{complete.pk}/"
    client.get(url)  # warm: the reader's facts and the proposal's content are cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert "Endorse" in response.content.decode()
    people = [
        query["sql"]
        for query in captured
        if query["sql"].startswith('SELECT "auth_user"."id"')
        and 'FROM "auth_user" WHERE' in query["sql"]
    ]
    # The reader, for their session; the unit's head (the endorser) came with the proposal.
    assert len(people) == 1, people


def test_the_read_view_takes_the_same_number_of_queries_for_10_and_30_items(
    client, submitter, complete, django_assert_num_queries
):
    client.force_login(submitter)
    url = f"/proposals/{complete.pk}/"
    client.get(url)  # warm: the reader's facts are cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    with_10 = len(captured)  # now: the next request empties Django's query log
    for _ in add_answered_items(complete, 20):  # and a transition each
        Transition.objects.create(
            proposal=complete,
            actor=submitter,
            action="proposal.commented",
            from_state="awaiting_unit_head",
            to_state="awaiting_unit_head",
        )
    client.get(url)
    with django_assert_num_queries(with_10):
        response = client.get(url)
    assert "Extra answer 19" in response.content.decode()
