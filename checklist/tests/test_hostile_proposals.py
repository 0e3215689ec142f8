"""Hostile input on the proposal pages: the form and its goals, the live matches, the
decisions, the item comments, the review meeting, the list and the review queue.

Every answer is a 4xx with the message next to the field (what was typed kept,
escaped) or the page itself: never a 500, nothing stored half (no proposal, answer,
goal, transition, comment or e-mail). Run on PostgreSQL (``.helper-env``): null
characters and integers beyond bigint only fail there.

The property-based tests (Hypothesis) run 50 fixed examples each (the "ci" profile of
conftest.py). To explore longer with fresh random examples:
``HYPOTHESIS_PROFILE=explore .venv/bin/pytest checklist/tests/test_hostile_proposals.py``.
"""

import datetime

import pytest
from django.db import transaction
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.platforms import Platform
from checklist.forms import ProposalForm
from checklist.models import Answer, Goal, ItemComment, Proposal, Transition
from checklist.tests.factories import current_template, make_proposal
from checklist.tests.test_proposal_form import NEW, form_data
from portal.tests.payloads import (
    ATTRIBUTE,
    BEYOND_BIGINT,
    NUL,
    OVERLONG,
    PROPERTY_TEST_CHECKS_OFF,
    SCRIPT,
    text_of_any_kind,
)
from portal.tests.responses import html

SQL = "'; DROP TABLE checklist_proposal; --"
FUTURE = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()


def stored():
    """Counts of everything a proposal page may write."""
    return {
        "proposals": Proposal.objects.count(),
        "answers": Answer.objects.count(),
        "goals": Goal.objects.count(),
        "transitions": Transition.objects.count(),
        "comments": ItemComment.objects.count(),
    }


# --- The form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", NUL, "Null characters are not allowed."),
        ("profile", NUL, "Null characters are not allowed."),
        ("languages", NUL, "Null characters are not allowed."),
        ("why_new_channel", NUL, "Null characters are not allowed."),
        ("answer-need", NUL, "Null characters are not allowed."),
        ("proposed_owner", NUL, "Null characters are not allowed."),
        ("name", OVERLONG, "Ensure this value has at most 200 characters (it has 10000)."),
        ("profile", OVERLONG, "Ensure this value has at most 500 characters (it has 10000)."),
        ("why_new_channel", OVERLONG, "Keep the answer under 5000 characters (it has 10000)."),
        ("answer-need", OVERLONG, "Keep the answer under 5000 characters (it has 10000)."),
        ("answer-need", "z" * 1_000_000, "Keep the answer under 5000 characters (it has 1000000)."),
        ("platform", "myspace", "Select a valid choice. myspace is not one of the available"),
        ("platform", SCRIPT, "is not one of the available choices."),
        ("unit", "abc", "Select a valid choice. That choice is not one of the available"),
        ("unit", BEYOND_BIGINT, "Select a valid choice. That choice is not one of the"),
        ("unit", "-1", "Select a valid choice. That choice is not one of the available"),
        ("proposed_deputy", SQL, "Nobody with the user name or e-mail address"),
    ],
)
def test_a_hostile_value_is_refused_next_to_its_field_and_kept(
    submitter_client, mailoutbox, field, value, message
):
    response = submitter_client.post(NEW, form_data(action="submit", **{field: value}))
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert f'href="#id_{field}"' in page
    assert SCRIPT not in page
    assert 'onfocus="alert(1)' not in page
    if field not in ("platform", "unit"):  # selects: an unknown value cannot show
        assert escape(value) in page
    assert stored() == dict.fromkeys(stored(), 0)
    assert mailoutbox == []


def test_a_hostile_edit_is_refused_and_the_stored_draft_is_unchanged(submitter_client, submitter):
    proposal = make_proposal(submitter=submitter, name="Stored")
    data = form_data(name=NUL, **{"answer-need": "x" * 5001})
    response = submitter_client.post(f"/proposals/{proposal.pk}/edit/", data)
    assert response.status_code == 400
    page = html(response)
    assert "Null characters are not allowed." in page
    assert "Keep the answer under 5000 characters (it has 5001)." in page
    assert 'value="before\x00after"' in page
    proposal.refresh_from_db()
    assert proposal.name == "Stored"
    assert stored() == {**dict.fromkeys(stored(), 0), "proposals": 1}


@pytest.mark.parametrize("value", [SCRIPT, ATTRIBUTE])
def test_markup_typed_in_the_name_is_kept_escaped_on_the_refused_form(submitter_client, value):
    response = submitter_client.post(NEW, form_data(name=value, unit="abc"))
    assert response.status_code == 400
    page = html(response)
    assert SCRIPT not in page and 'onfocus="alert(1)' not in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page or (
        'value="&quot; autofocus onfocus=&quot;alert(1)"' in page
    )


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ({"target_value": "lots"}, "The target must be a number."),
        ({"target_value": BEYOND_BIGINT * 2}, "Ensure that there are no more than"),
        ({"target_value": "NaN"}, "The target must be a number."),
        ({"target_value": "Infinity"}, "The target must be a number."),
        ({"target_date": "2026-13-01"}, "Give the date as YYYY-MM-DD."),
        ({"target_date": "0000-00-00"}, "Give the date as YYYY-MM-DD."),
        ({"target_date": NUL}, "Give the date as YYYY-MM-DD."),
        ({"metric": "world_domination"}, "Select a valid choice."),
    ],
)
def test_a_malformed_goal_is_refused_next_to_its_field(submitter_client, goal, message):
    values = {"metric": "followers", "target_value": "500", "target_date": FUTURE, **goal}
    response = submitter_client.post(NEW, form_data(name="Kept", goals=[values]))
    assert response.status_code == 400
    assert message in html(response)
    assert 'value="Kept"' in html(response)
    assert stored() == dict.fromkeys(stored(), 0)


@pytest.mark.parametrize("total", ["abc", NUL, ""])
def test_a_broken_goal_count_is_refused_and_nothing_is_stored(submitter_client, total):
    data = form_data(name="Kept", **{"goals-TOTAL_FORMS": total})
    response = submitter_client.post(NEW, data)
    assert response.status_code == 400
    assert stored() == dict.fromkeys(stored(), 0)


@pytest.mark.parametrize("total", ["51", BEYOND_BIGINT])
def test_a_goal_count_over_the_limit_is_refused_after_building_at_most_50_goal_forms(
    submitter_client, total
):
    response = submitter_client.post(NEW, form_data(name="Kept", **{"goals-TOTAL_FORMS": total}))
    assert response.status_code == 400
    assert "Please submit at most 50 forms." in html(response)
    assert len(response.context["goal_rows"]) == 50
    assert stored() == dict.fromkeys(stored(), 0)


@pytest.mark.parametrize(("total", "rows"), [("abc", 0), (NUL, 0), ("-1", 0), (BEYOND_BIGINT, 50)])
def test_adding_a_goal_to_a_broken_goal_count_shows_the_form_and_stores_nothing(
    submitter_client, total, rows
):
    data = form_data(name="Kept", add_goal="1", **{"goals-TOTAL_FORMS": total})
    response = submitter_client.post(NEW, data)
    assert response.status_code in (200, 400)
    assert 'value="Kept"' in html(response)
    assert html(response).count('name="goals-') >= rows
    assert stored() == dict.fromkeys(stored(), 0)


def test_a_negative_goal_count_saves_the_draft_without_goals(submitter_client):
    response = submitter_client.post(NEW, form_data(name="Kept", **{"goals-TOTAL_FORMS": "-1"}))
    assert response.status_code == 302
    assert list(Proposal.objects.values_list("name", flat=True)) == ["Kept"]
    assert Goal.objects.count() == 0


@pytest.mark.parametrize("field", ["name", "profile", "unit", "platform"])
def test_the_live_matches_answer_whatever_is_typed(submitter_client, field):
    for value in [NUL, OVERLONG, SCRIPT, SQL, BEYOND_BIGINT, "\u202e", "👩\u200d💻"]:
        response = submitter_client.get("/proposals/matches/", {field: value})
        assert response.status_code == 200, value
        assert SCRIPT not in html(response)


def test_a_raw_surrogate_in_the_form_body_is_read_as_a_replacement_character(submitter_client):
    # Browsers never send a lone surrogate, but a script can send its raw bytes: Django
    # reads them as U+FFFD, and the draft stores exactly that.
    body = "&".join(f"{key}={value}" for key, value in form_data().items() if key != "name")
    response = submitter_client.post(
        NEW, f"{body}&name=Eng%ED%A0%80ineering", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert Proposal.objects.get().name == "Eng\ufffd\ufffd\ufffdineering"


# --- Decisions, comments, meeting ----------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (NUL, "Null characters are not allowed."),
        ("x" * 5001, "Keep the comment under 5000 characters (it has 5001)."),
    ],
)
@pytest.mark.parametrize("action", ["request_changes", "approve", "reject"])
def test_a_decision_with_a_hostile_comment_is_refused_and_the_comment_kept(
    client, reviewer, in_review, mailoutbox, action, comment, message
):
    client.force_login(reviewer)
    before = stored()
    mailoutbox.clear()
    response = client.post(f"/proposals/{in_review.pk}/decide/{action}/", {"comment": comment})
    assert response.status_code == 400
    page = html(response)
    assert (
        f'<div class="invalid-feedback d-block mb-2" id="decision-{action}-error">{message} </div>'
        in page
    )
    assert f"{comment}</textarea>" in page
    assert stored() == before
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.IN_REVIEW
    assert mailoutbox == []


@pytest.mark.parametrize("comment", [SCRIPT, SQL, "\u202e", "e\u0301\u0301"])
def test_a_decision_comment_with_markup_is_stored_as_typed_and_shown_escaped(
    client, reviewer, in_review, comment
):
    client.force_login(reviewer)
    response = client.post(
        f"/proposals/{in_review.pk}/decide/request_changes/", {"comment": comment}
    )
    assert response.status_code == 302
    assert in_review.transitions.last().comment == comment
    assert SCRIPT not in html(client.get(response.url))


@pytest.mark.parametrize("item", [NUL, OVERLONG, SCRIPT, "", "no-such-item"])
def test_a_comment_on_an_unknown_item_is_refused_with_a_message(client, reviewer, in_review, item):
    client.force_login(reviewer)
    before = stored()
    response = client.post(f"/proposals/{in_review.pk}/comment/", {"item": item, "text": "Why?"})
    assert response.status_code == 302
    page = html(client.get(response.url))
    assert "This item is not part of the proposal&#x27;s checklist." in page
    assert stored() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NUL, "Null characters are not allowed."),
        ("y" * 5001, "Keep the comment under 5000 characters (it has 5001)."),
    ],
)
def test_a_hostile_item_comment_is_refused_next_to_its_box_and_kept(
    client, reviewer, in_review, text, message
):
    client.force_login(reviewer)
    before = stored()
    response = client.post(f"/proposals/{in_review.pk}/comment/", {"item": "need", "text": text})
    assert response.status_code == 400
    page = html(response)
    assert (
        f'<div class="invalid-feedback d-block mb-2" id="comment-need-error">{message} </div>'
        in (page)
    )
    assert f'aria-describedby="comment-need-error">{text}</textarea>' in page
    assert stored() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meeting_at", "0001-01-01T00:00", "Enter a date between the years 1900 and 2999."),
        ("meeting_at", "9999-12-31T23:59", "Enter a date between the years 1900 and 2999."),
        ("meeting_at", "2026-13-01T10:00", "Enter a valid date/time."),
        ("meeting_at", NUL, "Enter a valid date/time."),
        ("meeting_place", OVERLONG, "Ensure this value has at most 200 characters"),
        ("meeting_notes", NUL, "Null characters are not allowed."),
    ],
)
def test_a_hostile_meeting_is_refused_and_nothing_is_saved(
    client, reviewer, in_review, field, value, message
):
    client.force_login(reviewer)
    data = {"meeting_at": "2026-12-01T10:00", "meeting_place": "Room 1", "meeting_notes": ""}
    response = client.post(f"/proposals/{in_review.pk}/meeting/", {**data, field: value})
    assert response.status_code == 400
    assert message in html(response)
    in_review.refresh_from_db()
    assert (in_review.meeting_at, in_review.meeting_place) == (None, "")
    assert client.get(in_review.get_absolute_url()).status_code == 200


# --- Lists ----------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["page", "others_page"])
def test_the_proposal_list_shows_a_page_whatever_the_page_number(
    client, reviewer, in_review, param
):
    client.force_login(reviewer)
    for value in ["abc", "-1", "0", BEYOND_BIGINT, NUL, SCRIPT]:
        response = client.get("/proposals/", {param: value})
        assert response.status_code == 200, value
        assert "Engineering on Mastodon" in html(response)


@pytest.mark.parametrize("param", ["unit", "platform", "page"])
def test_the_review_queue_ignores_filters_it_does_not_offer(client, reviewer, in_review, param):
    client.force_login(reviewer)
    for value in ["abc", "-1", BEYOND_BIGINT, NUL, SCRIPT, SQL, OVERLONG]:
        response = client.get("/review/", {param: value})
        assert response.status_code == 200, value
        page = html(response)
        assert "Engineering on Mastodon" in page
        assert SCRIPT not in page


# --- Property-based: the proposal form -------------------------------------------------

# Runs beyond the answers' limit of 5000 characters (surrogates: see the raw-surrogate
# test above).
any_text = text_of_any_kind(longest_run=6000)
GOOD = {
    "platform": "mastodon",
    "name": "Engineering on Mastodon",
    "profile": "@engineering@mastodon.social",
    "proposed_owner": "submitter",
    "proposed_deputy": "",
    "languages": "English, Swedish",
    "why_new_channel": "Nobody else talks to engineers.",
}
TEXT_FIELDS = ["name", "profile", "languages", "why_new_channel"]


@st.composite
def proposal_inputs(draw):
    """The typed values, each field either a good value or a generated one, and the
    names of the generated ones."""
    data, generated = dict(GOOD), set()
    for name in TEXT_FIELDS:
        if draw(st.booleans()):
            data[name] = draw(any_text)
            generated.add(name)
    if draw(st.booleans()):
        data["platform"] = draw(st.one_of(st.sampled_from(Platform.values), any_text))
        generated.add("platform")
    if draw(st.booleans()):
        data["unit"] = draw(st.one_of(st.integers(-(2**70), 2**70).map(str), any_text))
        generated.add("unit")
    if draw(st.booleans()):
        data["proposed_deputy"] = draw(st.one_of(st.sampled_from(["colleague", ""]), any_text))
        generated.add("proposed_deputy")
    return data, generated


@pytest.mark.django_db
@settings(suppress_health_check=PROPERTY_TEST_CHECKS_OFF)
@given(typed=proposal_inputs())
def test_the_proposal_form_stores_exactly_what_it_accepts_and_nothing_else(
    submitter, colleague, unit, typed
):
    data, generated = typed
    data.setdefault("unit", str(unit.pk))
    template = current_template()
    with transaction.atomic():
        form = ProposalForm(data, instance=Proposal(submitter=submitter, template=template))
        str(form)  # renders, valid or not
        if form.is_valid():
            proposal = form.save()
            stored_row = Proposal.objects.values(*TEXT_FIELDS, "platform", "unit_id").get(
                pk=proposal.pk
            )
            assert stored_row == {
                **{name: data[name].strip() for name in TEXT_FIELDS},
                "platform": data["platform"],
                "unit_id": int(data["unit"]) if data["unit"] else None,
            }
        else:
            assert form.errors
            assert set(form.errors) <= generated, form.errors
            assert all(messages for messages in form.errors.values())
            assert Proposal.objects.count() == 0
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=PROPERTY_TEST_CHECKS_OFF)
@given(name=any_text, why=any_text)
def test_the_proposal_page_saves_what_it_accepts_or_shows_it_again_escaped(
    client, submitter, unit, name, why
):
    client.force_login(submitter)
    with transaction.atomic():
        response = client.post(NEW, form_data(name=name, why_new_channel=why, unit=str(unit.pk)))
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            proposal = Proposal.objects.get()
            assert (proposal.name, proposal.why_new_channel) == (name.strip(), why.strip())
            assert client.get(response.url).status_code == 200
        else:
            assert Proposal.objects.count() == 0
            assert f'value="{escape(name)}"' in html(response)
        transaction.set_rollback(True)
