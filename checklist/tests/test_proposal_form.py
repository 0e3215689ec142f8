"""The checklist form: drafts, what it shows, bad input, duplicates, query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Channel
from checklist.models import (
    ANSWER_MAX_LENGTH,
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    Goal,
    Proposal,
)
from portal.tests.factories import make_channel, make_unit, make_user

KEYS = [
    "need",
    "background",
    "goals",
    "audience",
    "resources",
    "moderation",
    "follow_up",
    "visual_identity",
    "data_protection",
    "accessibility",
]
NEW = "/proposals/new/"
FUTURE = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()


def form_data(action="save", goals=(), initial_goals=0, **fields):
    """What the browser posts: the channel fields, the answers (answer-<key>) and the
    goals' management form."""
    data = {
        "unit": "",
        "platform": "",
        "name": "",
        "profile": "",
        "proposed_owner": "",
        "proposed_deputy": "",
        "languages": "",
        "why_new_channel": "",
        "goals-TOTAL_FORMS": str(len(goals) or 1),
        "goals-INITIAL_FORMS": str(initial_goals),
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "action": action,
    }
    for number, goal in enumerate(goals):
        for name, value in goal.items():
            data[f"goals-{number}-{name}"] = value
    data.update(fields)
    return data


def make_draft(submitter, **fields):
    return Proposal.objects.create(
        submitter=submitter, template=ChecklistTemplate.objects.current(), **fields
    )


# --- Drafts ------------------------------------------------------------------------


def test_the_new_form_shows_every_item_of_the_current_checklist_in_order(submitter_client):
    response = submitter_client.get(NEW)

    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'name="answer-{key}"') for key in KEYS]
    assert positions == sorted(positions)
    assert f'maxlength="{ANSWER_MAX_LENGTH}"' in html
    assert "max 5,000 characters" in html
    assert 'href="/guidelines/official-channels/"' in html
    assert "0 of 10 required items answered" in html


def test_a_partial_draft_with_just_a_name_is_saved_and_shown_again(submitter_client, submitter):
    response = submitter_client.post(NEW, form_data(name="Library news"))

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == f"/proposals/{proposal.pk}/edit/"
    assert proposal.submitter == submitter
    assert proposal.template == ChecklistTemplate.objects.current()
    assert proposal.state == Proposal.State.DRAFT
    assert proposal.name == "Library news"
    assert proposal.answers.count() == 0
    assert proposal.goals.count() == 0

    page = submitter_client.get(response.url)
    assert page.status_code == 200
    assert 'value="Library news"' in page.content.decode()
    assert "The draft is saved." in page.content.decode()


def test_a_saved_draft_keeps_answers_goals_and_people(submitter_client, unit, colleague, outsider):
    data = form_data(
        unit=str(unit.pk),
        platform="instagram",
        name="Library news",
        proposed_owner="colleague",
        proposed_deputy="outsider@example.org",
        **{"answer-background": "We need it.", "answer-audience": "Students"},
        goals=[{"metric": "followers", "target_value": "500", "target_date": FUTURE}],
    )
    response = submitter_client.post(NEW, data)

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert (proposal.unit, proposal.proposed_owner, proposal.proposed_deputy) == (
        unit,
        colleague,
        outsider,
    )
    assert {answer.item.key: answer.text for answer in proposal.answers.all()} == {
        "background": "We need it.",
        "audience": "Students",
    }
    assert [(g.metric, int(g.target_value)) for g in proposal.goals.all()] == [("followers", 500)]

    html = submitter_client.get(response.url).content.decode()
    assert 'value="colleague"' in html
    assert 'value="outsider"' in html
    assert "We need it.</textarea>" in html
    assert "2 of 10 required items answered" in html
    assert "1 measurable goal" in html


def test_saving_again_updates_answers_and_removes_a_goal(submitter_client, submitter):
    proposal = make_draft(submitter, name="Old name")
    current = proposal.template
    Answer.objects.create(proposal=proposal, item=current.items.get(key="need"), text="Old")
    goal = Goal.objects.create(
        proposal=proposal, metric="followers", target_value=10, target_date=FUTURE
    )
    data = form_data(
        name="New name",
        initial_goals=1,
        goals=[
            {
                "id": str(goal.pk),
                "metric": "followers",
                "target_value": "10",
                "target_date": FUTURE,
                "DELETE": "on",
            },
            {},
        ],
        **{"answer-need": "", "answer-background": "Fresh"},
    )

    response = submitter_client.post(f"/proposals/{proposal.pk}/edit/", data)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.name == "New name"
    assert {answer.item.key: answer.text for answer in proposal.answers.all()} == {
        "need": "",
        "background": "Fresh",
    }
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_add_another_goal_shows_one_more_row_and_keeps_what_was_typed(submitter_client):
    data = form_data(
        name="Typed name",
        goals=[{"metric": "followers", "target_value": "12", "target_date": FUTURE}],
        **{"answer-need": "Typed answer"},
    )
    del data["action"]
    data["add_goal"] = "1"

    response = submitter_client.post(NEW, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="goals-1-metric"' in html
    assert 'name="goals-2-metric"' not in html
    assert 'value="Typed name"' in html
    assert "Typed answer</textarea>" in html
    assert 'name="goals-0-target_value" value="12"' in html
    assert Proposal.objects.count() == 0
    # The keyboard focus lands on the new goal, not back at the top of the page.
    assert html.count("autofocus") == 1
    assert '<select name="goals-1-metric" class="form-select" autofocus' in html


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(NEW)

    assert response.status_code == 302
    assert response.url == "/login/?next=/proposals/new/"


# --- Bad input ---------------------------------------------------------------------


def test_an_answer_over_the_limit_is_refused_and_kept(submitter_client):
    too_long = "x" * (ANSWER_MAX_LENGTH + 1)

    response = submitter_client.post(NEW, form_data(name="Kept", **{"answer-background": too_long}))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep the answer under 5000 characters (it has 5001)." in html
    assert f"{too_long}</textarea>" in html
    assert 'value="Kept"' in html
    assert 'href="#id_answer-background"' in html
    assert 'aria-describedby="id_answer-background_help id_answer-background_limit' in html
    assert Proposal.objects.count() == 0


def test_a_script_typed_in_an_answer_is_kept_and_shown_escaped(submitter_client):
    response = submitter_client.post(
        NEW, form_data(**{"answer-audience": "<script>alert(1)</script>"})
    )
    proposal = Proposal.objects.get()

    assert response.status_code == 302
    assert proposal.answers.get().text == "<script>alert(1)</script>"
    html = submitter_client.get(response.url).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_target_that_is_not_a_number_is_refused_even_for_a_draft(submitter_client):
    data = form_data(
        name="Kept",
        goals=[{"metric": "followers", "target_value": "lots", "target_date": FUTURE}],
    )

    response = submitter_client.post(NEW, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "The target must be a number." in html
    assert 'value="lots"' in html
    assert Proposal.objects.count() == 0


def test_an_inactive_or_unknown_proposed_owner_is_refused(submitter_client, inactive_user):
    inactive_user.first_name = "Frida"
    inactive_user.last_name = "Former"
    inactive_user.save()

    response = submitter_client.post(NEW, form_data(name="Kept", proposed_owner="former"))
    unknown = submitter_client.post(NEW, form_data(proposed_deputy="nobody"))

    assert response.status_code == 400
    assert "Frida Former no longer has an active account." in response.content.decode()
    assert 'value="former"' in response.content.decode()
    assert unknown.status_code == 400
    assert "Nobody with the user name or e-mail address “nobody” was found." in (
        unknown.content.decode()
    )
    assert Proposal.objects.count() == 0


def test_a_broken_goal_management_form_is_a_400_not_a_500(submitter_client):
    data = form_data(name="Kept")
    del data["goals-TOTAL_FORMS"]

    response = submitter_client.post(NEW, data)
    adding = submitter_client.post(NEW, {**data, "add_goal": "1"})

    assert response.status_code == 400
    assert adding.status_code == 400
    assert Proposal.objects.count() == 0


# --- Who may edit ------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_another_staff_member_gets_404_on_someone_elses_draft(client, submitter, persona, request):
    proposal = make_draft(submitter, name="Mine")
    client.force_login(request.getfixturevalue(persona))

    assert client.get(f"/proposals/{proposal.pk}/edit/").status_code == 404
    response = client.post(f"/proposals/{proposal.pk}/edit/", form_data(name="Theirs"))
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.name == "Mine"


# --- Duplicates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        {"platform": "instagram", "profile": "https://Instagram.com/Fictional.Library"},
        {"platform": "facebook", "profile": "@fictional.library"},
        {"name": "fictional LIBRÁRY"},
    ],
    ids=["address", "handle", "name"],
)
def test_a_similar_channel_shows_in_the_form_and_in_the_live_matches(
    submitter_client, library, typed
):
    other_unit = make_unit(name="Other unit")
    make_channel(unit=other_unit, name="Unrelated", platform="x", handle="unrelated")
    data = {"name": "", "profile": "", "unit": "", "platform": "", **typed}

    page = submitter_client.post(NEW, form_data(**{**data, "add_goal": "1"}))
    live = submitter_client.get(reverse("checklist:matches"), data)

    for response in [page, live]:
        html = response.content.decode()
        assert response.status_code == 200
        assert f'href="/registry/{library.pk}/"' in html
        assert "Fictional Library" in html
        assert "School of Engineering" in html
        assert "Unrelated" not in html


def test_the_stored_values_show_their_matches_without_javascript(
    submitter_client, submitter, library
):
    proposal = make_draft(submitter, name="The fictional library")

    html = submitter_client.get(f"/proposals/{proposal.pk}/edit/").content.decode()

    assert "These channels already exist:" in html
    assert f'href="/registry/{library.pk}/"' in html


def test_the_name_handle_unit_and_platform_inputs_refresh_the_matches(submitter_client):
    html = submitter_client.get(NEW).content.decode()

    for name in ["name", "profile", "unit", "platform"]:
        start = html.index(f'id="id_{name}"')
        tag = html[html.rindex("<", 0, start) : html.index(">", start)]
        assert 'hx-get="/proposals/matches/"' in tag
        assert 'hx-include="#id_name, #id_profile, #id_unit, #id_platform"' in tag
        assert 'hx-trigger="change, keyup changed delay:500ms"' in tag
        assert 'hx-target="#matches"' in tag
    assert 'id="matches"' in html


def test_the_live_matches_ignore_a_bad_unit_and_platform(submitter_client, library):
    response = submitter_client.get(
        reverse("checklist:matches"),
        {"unit": "not-a-number", "platform": "myspace", "name": "Fictional library"},
    )
    huge = submitter_client.get(reverse("checklist:matches"), {"unit": "9" * 40})

    assert response.status_code == 200
    assert "Fictional Library" in response.content.decode()
    assert huge.status_code == 200
    assert "No similar channel found" in huge.content.decode()


def test_the_live_matches_need_a_signed_in_person(client):
    response = client.get(reverse("checklist:matches"), {"name": "library"})

    assert response.status_code == 302


def test_the_live_matches_do_not_show_closed_channels(submitter_client, unit):
    make_channel(unit=unit, name="Fictional Library", status="closed", handle="old.library")

    response = submitter_client.get(reverse("checklist:matches"), {"name": "fictional library"})

    assert "Fictional Library" not in response.content.decode()


# --- LinkedIn ----------------------------------------------------------------------


def test_a_linkedin_proposal_shows_the_showcase_page_note(submitter_client, submitter):
    linkedin = make_draft(submitter, platform="linkedin")
    instagram = make_draft(submitter, platform="instagram")

    shown = submitter_client.get(f"/proposals/{linkedin.pk}/edit/").content.decode()
    not_shown = submitter_client.get(f"/proposals/{instagram.pk}/edit/").content.decode()

    assert 'data-testid="showcase-note"' in shown
    assert "LinkedIn showcase page" in shown
    assert 'data-testid="showcase-note"' not in not_shown


# --- Query counts ------------------------------------------------------------------


def queries_for(client, url):
    client.get(url)  # warm: the reader's facts are cached, as between two of their pages
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def complete_draft(submitter, unit):
    proposal = make_draft(submitter, unit=unit, platform="instagram", name="Library news")
    Answer.objects.bulk_create(
        Answer(proposal=proposal, item=item, text="Yes") for item in proposal.template.items.all()
    )
    Goal.objects.create(proposal=proposal, metric="followers", target_value=5, target_date=FUTURE)
    return proposal


def test_the_form_makes_as_many_queries_for_30_items_as_for_10(submitter_client, submitter, unit):
    ten = complete_draft(submitter, unit)
    before = queries_for(submitter_client, f"/proposals/{ten.pk}/edit/")
    new_before = queries_for(submitter_client, NEW)

    template = ChecklistTemplate.objects.create(version=99, name="Longer checklist")
    ChecklistItem.objects.bulk_create(
        ChecklistItem(template=template, key=f"item-{n}", title=f"Item {n}", ordering=n)
        for n in range(30)
    )
    thirty = complete_draft(submitter, unit)
    assert thirty.template.items.count() == 30

    assert queries_for(submitter_client, f"/proposals/{thirty.pk}/edit/") == before
    assert queries_for(submitter_client, NEW) == new_before


def test_the_form_makes_as_many_queries_for_200_channels_as_for_5(
    submitter_client, submitter, unit
):
    owner = make_user()
    for n in range(5):
        make_channel(unit=unit, owner=owner, name=f"Library {n}", handle=f"library.{n}")
    proposal = complete_draft(submitter, unit)
    proposal.name = "Library"
    proposal.save()
    url = f"/proposals/{proposal.pk}/edit/"
    before = queries_for(submitter_client, url)

    Channel.objects.bulk_create(
        Channel(
            name=f"Library {n}",
            name_key=f"library {n}",
            platform="instagram",
            profile_url=f"https://www.instagram.com/library.{n}/",
            handle=f"library.{n}",
            unit=unit,
            status="active",
        )
        for n in range(5, 200)
    )

    assert Channel.objects.count() == 200
    assert queries_for(submitter_client, url) == before
    html = submitter_client.get(url).content.decode()
    assert len(re.findall(r'href="/registry/\d+/"', html)) == 10
