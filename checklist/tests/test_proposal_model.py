"""Proposal rules at the model level: completeness, submit(), who sees what, versions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Channel
from checklist.models import (
    ANSWER_MAX_LENGTH,
    Answer,
    ChecklistTemplate,
    Goal,
    Proposal,
    Transition,
)
from checklist.tests.factories import current_template, make_proposal
from portal.tests.factories import make_channel

NEXT_YEAR = datetime.date.today() + datetime.timedelta(days=365)


def test_an_empty_draft_lists_every_problem_at_once(submitter):
    problems = make_proposal(submitter=submitter).problems()
    assert set(problems) == {
        "unit",
        "platform",
        "name",
        "proposed_owner",
        "measurable_goals",
        "goals",
        "need",
        "background",
        "audience",
        "resources",
        "moderation",
        "follow_up",
        "visual_identity",
        "data_protection",
        "accessibility",
    }
    assert problems["unit"] == ["Choose the unit the channel belongs to."]
    assert problems["goals"] == ["Answer this item."]
    assert problems["measurable_goals"] == ["Set at least one measurable goal."]


def test_a_complete_proposal_has_no_problems(submitter, unit):
    assert make_proposal(submitter=submitter, unit=unit, complete=True).problems() == {}


@pytest.mark.parametrize(
    ("target", "days", "message"),
    [
        (0, 30, "A goal's target must be more than zero."),
        (-5, 30, "A goal's target must be more than zero."),
        (100, -1, "A goal's date must be in the future."),
    ],
)
def test_a_goal_needs_a_positive_target_and_a_future_date(submitter, unit, target, days, message):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    Goal.objects.create(
        proposal=proposal,
        metric="posts_per_week",
        target_value=target,
        target_date=datetime.date.today() + datetime.timedelta(days=days),
    )
    assert proposal.problems() == {"measurable_goals": [message]}


def test_an_answer_over_the_limit_is_a_problem(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    Answer.objects.filter(proposal=proposal, item__key="background").update(
        text="x" * (ANSWER_MAX_LENGTH + 1)
    )
    assert proposal.problems() == {"background": ["Keep the answer under 5000 characters."]}


def test_an_inactive_proposed_owner_is_a_problem(submitter, unit, inactive_user):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.proposed_owner = inactive_user
    assert proposal.problems() == {"proposed_owner": ["former no longer has an active account."]}


def test_submitting_moves_to_the_unit_head_logs_once_and_tells_them(
    submitter, unit, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    with django_capture_on_commit_callbacks(execute=True):
        proposal.submit(by=submitter)
    assert proposal.state == "awaiting_unit_head"
    assert proposal.submitted_at is not None
    assert list(Transition.objects.values_list("action", "from_state", "to_state")) == [
        ("proposal.submitted", "draft", "awaiting_unit_head")
    ]
    assert [m.to for m in mailoutbox] == [["head@example.org"]]


def test_submitting_twice_is_refused_and_logs_nothing_more(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.submit(by=submitter)
    with pytest.raises(ValidationError, match="already submitted"):
        proposal.submit(by=submitter)
    assert Transition.objects.count() == 1


def test_an_incomplete_proposal_is_refused_with_its_problems(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit)
    with pytest.raises(ValidationError) as refused:
        proposal.submit(by=submitter)
    assert "measurable_goals" in refused.value.message_dict
    proposal.refresh_from_db()
    assert (proposal.state, Transition.objects.count()) == ("draft", 0)


def test_only_the_submitter_submits(submitter, colleague, reviewer, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    for other in (colleague, reviewer):
        with pytest.raises(PermissionDenied):
            proposal.submit(by=other)
    assert Transition.objects.count() == 0


def test_nobody_edits_a_submitted_proposal(submitter, unit, reviewer, portal_admin):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    assert proposal.can_edit(submitter)
    proposal.submit(by=submitter)
    assert not any(p and proposal.can_edit(p) for p in (submitter, reviewer, portal_admin))


def test_transitions_can_be_neither_changed_nor_deleted(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.submit(by=submitter)
    transition = Transition.objects.get()
    with pytest.raises(TypeError):
        transition.save()
    with pytest.raises(TypeError):
        Transition.objects.all().delete()


@pytest.mark.parametrize(
    ("persona", "sees_draft", "sees_submitted"),
    [
        ("submitter", True, True),
        ("colleague", False, False),
        ("outsider", False, False),
        ("unit_head", False, True),
        ("reviewer", False, True),
        ("portal_admin", False, True),
    ],
)
def test_who_sees_a_proposal(request, submitter, unit, persona, sees_draft, sees_submitted):
    draft = make_proposal(submitter=submitter, unit=unit, name="Draft")
    submitted = make_proposal(submitter=submitter, unit=unit, complete=True, name="Sent")
    submitted.submit(by=submitter)
    visible = set(Proposal.objects.visible_to(request.getfixturevalue(persona)))
    assert (draft in visible, submitted in visible) == (sees_draft, sees_submitted)


def test_a_new_template_version_leaves_old_proposals_on_the_old_one(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    old = proposal.template
    new = old.new_version()
    new.items.filter(key="background").update(title="Why now?")
    assert ChecklistTemplate.objects.current() == new
    proposal.refresh_from_db()
    assert proposal.template == old
    assert old.items.get(key="background").title == "Background"
    assert [a.item.template_id for a in proposal.answers.select_related("item")] == [old.pk] * 10


# --- The duplicate check -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "platform", "profile"),
    [
        ("Something else", "instagram", "https://Instagram.com/Fictional.Library/"),
        ("Something else", "", "@fictional.library"),
        ("fictional LIBRÁRY", "", ""),
        ("The Fictional Library of Engineering", "", ""),
        ("Library", "", ""),
    ],
    ids=["same-address", "same-handle", "accents-and-case", "longer-name", "shorter-name"],
)
def test_the_duplicate_check_finds_an_existing_channel(library, name, platform, profile):
    assert list(Channel.objects.similar_to(name=name, platform=platform, profile=profile)) == [
        library
    ]


def test_the_duplicate_check_finds_a_channel_named_within_a_long_proposed_name(library):
    # Over 60 characters, the channels' names are not matched against every part of the
    # proposed one through their index, but by a scan: the same answer.
    name = "The Fictional Library's channel for every faculty, department and programme"
    assert len(name) > 60
    assert list(Channel.objects.similar_to(name=name)) == [library]
    assert list(Channel.objects.similar_to(name=name.replace("Library", "Museum"))) == []


def test_the_duplicate_check_takes_quotes_and_wildcards_as_text(unit, colleague):
    radio = make_channel(unit=unit, owner=colleague, name="O'Brien's 100% {Radio}_\\")
    make_channel(unit=unit, owner=colleague, name="OBriens 1000 Radio")
    found = Channel.objects.similar_to(name="The O'Brien's 100% {Radio}_\\ podcast")
    assert list(found) == [radio]


def test_the_duplicate_check_lists_by_name_whatever_the_case(library, unit, colleague):
    lower = make_channel(unit=unit, owner=colleague, name="fictional library news", platform="x")
    upper = make_channel(unit=unit, owner=colleague, name="FICTIONAL LIBRARY ARCHIVE")
    found = Channel.objects.similar_to(name="Fictional Library")
    assert list(found) == [library, upper, lower]


def test_the_duplicate_check_finds_the_units_channel_on_the_same_platform(library, unit):
    found = Channel.objects.similar_to(name="Research news", platform="instagram", unit=unit)
    assert list(found) == [library]


def test_the_duplicate_check_ignores_closed_channels_and_unrelated_ones(unit, colleague):
    make_channel(unit=unit, owner=colleague, name="Old Library", status="closed")
    make_channel(unit=unit, owner=colleague, name="Sports", platform="x", handle="sports")
    assert list(Channel.objects.similar_to(name="Library", platform="tiktok")) == []


def test_a_proposal_with_similar_channels_needs_a_reason(submitter, unit, library):
    proposal = make_proposal(
        submitter=submitter, unit=unit, complete=True, name="Fictional Library on Mastodon"
    )
    assert proposal.problems() == {
        "why_new_channel": ["Similar channels already exist: say why a new one is needed."]
    }
    proposal.why_new_channel = "The existing one is for the main library only."
    assert proposal.problems() == {}


def test_a_reviewer_records_the_review_meeting(submitter, unit, reviewer):
    proposal = make_proposal(submitter=submitter, unit=unit, state=Proposal.State.IN_REVIEW)
    at = datetime.datetime(2031, 5, 4, 10, 30, tzinfo=datetime.UTC)

    proposal.record_meeting(by=reviewer, at=at, place="Room 2", notes="Went well.")

    proposal.refresh_from_db()
    assert (proposal.meeting_at, proposal.meeting_place, proposal.meeting_notes) == (
        at,
        "Room 2",
        "Went well.",
    )
    assert not proposal.transitions.exists()


def test_only_a_reviewer_records_the_review_meeting(submitter, unit, colleague):
    proposal = make_proposal(submitter=submitter, unit=unit, state=Proposal.State.IN_REVIEW)

    with pytest.raises(PermissionDenied):
        proposal.record_meeting(by=colleague, at=None, place="Room 2", notes="")

    proposal.refresh_from_db()
    assert proposal.meeting_place == ""


def test_save_draft_saves_a_new_proposal_with_its_answers_and_goals(submitter, unit):
    template = current_template()
    first, second = list(template.items.all())[:2]
    proposal = Proposal(submitter=submitter, template=template, unit=unit, name="Physics")
    goal = Goal(metric="followers", target_value=500, target_date=NEXT_YEAR)

    proposal.save_draft(by=submitter, answers={first: "Why.", second: ""}, goals=[goal])

    saved = Proposal.objects.get()
    assert (saved.pk, saved.name, saved.state) == (proposal.pk, "Physics", Proposal.State.DRAFT)
    # An empty text adds no answer.
    assert list(saved.answers.values_list("item", "text")) == [(first.pk, "Why.")]
    assert list(saved.goals.values_list("pk", "target_value")) == [(goal.pk, 500)]
    assert not saved.transitions.exists()


def test_save_draft_updates_and_clears_answers_and_removes_goals(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    first, second = list(proposal.template.items.all())[:2]
    goal = proposal.goals.get()
    proposal.name = "Renamed"

    proposal.save_draft(
        by=submitter, answers={first: "Rewritten.", second: ""}, removed_goals=[goal]
    )

    proposal.refresh_from_db()
    texts = dict(proposal.answers.values_list("item", "text"))
    assert (proposal.name, texts[first.pk], texts[second.pk]) == ("Renamed", "Rewritten.", "")
    assert not proposal.goals.exists()


def test_save_draft_is_refused_once_submitted_meanwhile_and_changes_nothing(submitter, unit):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    stale = Proposal.objects.get(pk=proposal.pk)
    proposal.submit(by=submitter)
    item = stale.template.items.first()
    stale.name = "Changed in another tab"

    with pytest.raises(PermissionDenied):
        stale.save_draft(by=submitter, answers={item: "Changed."})

    proposal.refresh_from_db()
    assert proposal.name != "Changed in another tab"
    assert proposal.answers.get(item=item).text == f"About {item.key}."


def test_only_the_submitter_saves_a_draft(submitter, colleague, unit):
    proposal = make_proposal(submitter=submitter, unit=unit)
    new = Proposal(submitter=submitter, template=current_template(), name="New")

    for draft in (proposal, new):
        draft.name = "Taken over"
        with pytest.raises(PermissionDenied):
            draft.save_draft(by=colleague, answers={})

    assert list(Proposal.objects.values_list("pk", "name")) == [(proposal.pk, "")]
