"""Submitting through the checklist form: every problem at once, the draft kept, and a
submitted proposal closed to edits."""

import datetime
from html import unescape

import pytest

from checklist.models import ChecklistTemplate, Goal, Proposal, Transition
from checklist.tests.test_proposal_form import FUTURE, KEYS, form_data
from portal.tests.factories import make_channel

NEW = "/proposals/new/"

# The form names ``colleague`` as the proposed owner: they must exist.
pytestmark = pytest.mark.usefixtures("colleague")
PAST = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


def complete(unit, **overrides):
    data = form_data(
        action="submit",
        unit=str(unit.pk),
        platform="instagram",
        name="Engineering students",
        profile="@engineering.students",
        proposed_owner="colleague",
        languages="English",
        goals=[{"metric": "followers", "target_value": "500", "target_date": FUTURE}],
        **{f"answer-{key}": f"Answer about {key}" for key in KEYS},
    )
    data.update(overrides)
    return data


def test_an_incomplete_submit_lists_every_problem_and_keeps_the_draft(submitter_client):
    data = form_data(
        action="submit",
        name="Half done",
        **{"answer-background": "We need it", "answer-audience": "Students"},
    )

    response = submitter_client.post(NEW, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose the unit the channel belongs to." in html
    assert "Choose the platform." in html
    assert "Name the person who will be responsible for the channel." in html
    assert html.count("Answer this item.") >= 8 * 2  # in the summary and at each item
    assert "Set at least one measurable goal." in html
    # The summary links each problem to its input or section.
    assert 'href="#id_unit"' in html
    assert 'href="#id_answer-need"' in html
    assert 'href="#goals"' in html
    assert 'aria-describedby="id_answer-need_help id_answer-need_limit id_answer-need_error"' in (
        html
    )
    # Everything typed is still in the page, and saved.
    assert 'value="Half done"' in html
    assert "We need it</textarea>" in html
    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.DRAFT
    assert proposal.name == "Half done"
    assert {answer.item.key: answer.text for answer in proposal.answers.all()} == {
        "background": "We need it",
        "audience": "Students",
    }
    # The page now posts to the saved draft, not to a new one.
    assert f'action="/proposals/{proposal.pk}/edit/"' in html
    assert Transition.objects.count() == 0


def test_the_item_goals_and_the_measurable_goals_show_their_own_problems(submitter_client, unit):
    data = complete(unit, **{"answer-goals": ""})
    for name in ["metric", "target_value", "target_date"]:
        data[f"goals-0-{name}"] = ""

    response = submitter_client.post(NEW, data)

    assert response.status_code == 400
    html = response.content.decode()
    goals_item = html[html.index('id="section-goals"') : html.index('id="section-audience"')]
    goals_section = html[html.index('id="goals"') :]
    assert "Answer this item." in goals_item
    assert "Set at least one measurable goal." not in goals_item
    assert "Set at least one measurable goal." in goals_section
    assert "Answer this item." not in goals_section


def test_a_complete_submit_sends_the_proposal_to_the_unit_head(
    submitter_client, submitter, unit, unit_head, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submitter_client.post(NEW, complete(unit))

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == f"/proposals/{proposal.pk}/"
    assert proposal.state == Proposal.State.AWAITING_UNIT_HEAD
    assert proposal.submitted_at is not None
    assert proposal.answers.count() == 10
    transition = Transition.objects.get()
    assert (transition.proposal, transition.actor, transition.to_state) == (
        proposal,
        submitter,
        Proposal.State.AWAITING_UNIT_HEAD,
    )
    assert [message.to for message in mailoutbox] == [[unit_head.email]]
    assert "Engineering students" in mailoutbox[0].subject


def test_submitting_a_saved_draft_from_its_edit_page_works(submitter_client, submitter, unit):
    submitter_client.post(NEW, complete(unit, action="save"))
    proposal = Proposal.objects.get()
    goal = proposal.goals.get()
    data = complete(unit)
    data.update({"goals-INITIAL_FORMS": "1", "goals-0-id": str(goal.pk)})

    response = submitter_client.post(f"/proposals/{proposal.pk}/edit/", data)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.AWAITING_UNIT_HEAD
    assert list(proposal.goals.all()) == [goal]


@pytest.mark.parametrize("persona", ["submitter", "reviewer", "portal_admin"])
def test_nobody_can_edit_a_submitted_proposal(client, submitter_client, unit, persona, request):
    submitter_client.post(NEW, complete(unit))
    proposal = Proposal.objects.get(state=Proposal.State.AWAITING_UNIT_HEAD)
    client.force_login(request.getfixturevalue(persona))
    url = f"/proposals/{proposal.pk}/edit/"

    assert client.get(url).status_code == 403
    assert client.post(url, complete(unit, name="Changed", action="save")).status_code == 403
    assert client.post(url, complete(unit, name="Changed")).status_code == 403
    proposal.refresh_from_db()
    assert proposal.name == "Engineering students"
    assert proposal.state == Proposal.State.AWAITING_UNIT_HEAD
    assert Transition.objects.count() == 1


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_another_staff_member_gets_404_on_a_submitted_proposal(
    client, submitter_client, unit, persona, request
):
    submitter_client.post(NEW, complete(unit))
    proposal = Proposal.objects.get(state=Proposal.State.AWAITING_UNIT_HEAD)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(f"/proposals/{proposal.pk}/edit/").status_code == 404


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ({"target_date": PAST}, "A goal's date must be in the future."),
        ({"target_value": "-5"}, "A goal's target must be more than zero."),
        ({"target_value": "0"}, "A goal's target must be more than zero."),
    ],
)
def test_a_goal_in_the_past_or_not_above_zero_is_refused_on_submit(
    submitter_client, unit, goal, message
):
    data = complete(unit)
    for name, value in goal.items():
        data[f"goals-0-{name}"] = value

    response = submitter_client.post(NEW, data)

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html
    summary = html[html.index('data-testid="error-summary"') : html.index('data-testid="progress"')]
    goals_section = html[html.index('id="goals"') :]
    assert message in summary
    assert 'href="#goals"' in summary
    assert message in goals_section
    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.DRAFT
    assert Goal.objects.filter(proposal=proposal).count() == 1


def test_a_goal_in_the_past_may_be_saved_in_a_draft(submitter_client, unit):
    data = complete(unit, action="save")
    data["goals-0-target_date"] = PAST

    response = submitter_client.post(NEW, data)

    assert response.status_code == 302
    assert Goal.objects.get().target_date.isoformat() == PAST


def test_a_similar_channel_needs_a_reason_before_submitting(submitter_client, unit, colleague):
    library = make_channel(
        unit=unit,
        owner=colleague,
        name="Fictional Library",
        platform="instagram",
        handle="fictional.library",
    )
    data = complete(unit, name="Library", platform="facebook", profile="@fictional.library")

    refused = submitter_client.post(NEW, data)

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Similar channels already exist: say why a new one is needed." in html
    assert 'href="#id_why_new_channel"' in html
    assert f'href="/registry/{library.pk}/"' in html
    proposal = Proposal.objects.get()
    assert proposal.state == Proposal.State.DRAFT

    data["why_new_channel"] = "The library's account is for its own events only."
    accepted = submitter_client.post(f"/proposals/{proposal.pk}/edit/", data)

    assert accepted.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.AWAITING_UNIT_HEAD
    assert proposal.why_new_channel == "The library's account is for its own events only."


def test_the_progress_lists_what_is_still_missing(submitter_client, submitter, unit):
    data = complete(unit, action="save", **{"answer-moderation": "", "answer-need": ""})
    submitter_client.post(NEW, data)
    proposal = Proposal.objects.get()

    html = submitter_client.get(f"/proposals/{proposal.pk}/edit/").content.decode()

    assert "8 of 10 required items answered" in html
    assert "1 measurable goal" in html
    missing = html[html.index('data-testid="missing"') :]
    missing = missing[: missing.index("</ul>")]
    assert 'href="#id_answer-need"' in missing
    assert 'href="#id_answer-moderation"' in missing
    assert 'href="#id_answer-background"' not in missing


def test_the_form_uses_the_current_checklist_version(submitter_client, unit):
    current = ChecklistTemplate.objects.current()
    newer = current.new_version()

    submitter_client.post(NEW, complete(unit, action="save"))

    assert Proposal.objects.get().template == newer
