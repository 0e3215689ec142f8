import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Channel, ChannelEvent, ChannelRole, Unit, forget_warning_counts
from accounts.platforms import Platform
from checklist.models import Answer, Goal, Proposal, Transition
from guidelines.models import (
    Acknowledgement,
    Guideline,
    GuidelineVersion,
    Principle,
    channel_people,
    has_acknowledged_owner_guidelines,
    people_missing_acknowledgement,
    running_channel_statuses,
)
from portal import roles


@pytest.fixture
def debug_on(settings):
    # pytest-django runs with DEBUG off; the demo is for DEBUG on.
    settings.DEBUG = True


def counts():
    return (
        get_user_model().objects.count(),
        Unit.objects.count(),
        Channel.objects.count(),
        ChannelRole.objects.count(),
        ChannelEvent.objects.count(),
    )


# 12 people, 5 units, 43 channels, 43 owners + 35 deputies, 43 "created" + 3 "closed".
SEEDED = (12, 5, 43, 78, 46)


def guideline_counts():
    return (
        Guideline.objects.count(),
        GuidelineVersion.objects.count(),
        Principle.objects.count(),
        Acknowledgement.objects.count(),
    )


# 4 guidelines, 5 versions (official-channels has 2), 7 principles; 9 active people run
# channels and acknowledged the 4 versions of the 3 owner guidelines, except that
# demo-staff6 has not acknowledged version 2 of official-channels: 9 * 4 - 1.
GUIDELINES_SEEDED = (4, 5, 7, 35)


def proposal_counts():
    return (
        Proposal.objects.count(),
        Answer.objects.count(),
        Goal.objects.count(),
        Transition.objects.count(),
    )


# 7 proposals (one per state), 10 answers each, 14 goals; the histories: awaiting 1,
# in review 2, changes requested 3, approved 5, rejected 3, withdrawn 2 (draft none).
PROPOSALS_SEEDED = (7, 70, 14, 16)


def test_seed_demo_creates_the_demo_university_and_logins(db, debug_on, capsys):
    call_command("seed_demo")
    assert counts() == SEEDED
    for username in ["demo-staff", "demo-staff2", "demo-head", "demo-comms", "demo-admin"]:
        assert authenticate(username=username, password="demo") is not None
    out = capsys.readouterr().out
    assert "demo-staff   password: demo" in out
    assert "demo-staff3" not in out
    assert "Demo registry: 43 channels (43 added by this run)." in out


def test_seed_demo_gives_each_demo_person_their_role(db, debug_on):
    call_command("seed_demo")
    user = get_user_model().objects.get
    assert roles.is_unit_head(user(username="demo-head"))
    assert roles.is_communications(user(username="demo-comms"))
    assert roles.is_portal_admin(user(username="demo-admin"))
    staff = user(username="demo-staff")
    assert (roles.is_unit_head(staff), roles.is_reviewer(staff)) == (False, False)
    engineering = Unit.objects.get(name="School of Engineering")
    assert (engineering.head.username, engineering.parent.name) == (
        "demo-head",
        "Fictional University",
    )
    assert authenticate(username="demo-staff6", password="demo") is not None
    assert authenticate(username="demo-former", password="demo") is None  # has left


def test_seed_demo_fills_the_registry_with_every_state(db, debug_on):
    call_command("seed_demo")
    channels = Channel.objects.all()
    assert set(channels.values_list("platform", flat=True)) == set(Platform.values)
    assert set(channels.values_list("unit__name", flat=True)) == set(
        Unit.objects.values_list("name", flat=True)
    )
    assert sorted(channels.orphaned().values_list("name", flat=True)) == [
        "Fictional University Alumni",
        "Robotics Lab",
        "University Sports",
    ]
    assert sorted(channels.recertification_overdue().values_list("name", flat=True)) == [
        "Book Talks",
        "Careers Service",
        "Department of Computer Science",
        "School of Engineering",
        "School of Humanities",
    ]
    by_status = {status: channels.filter(status=status).count() for status in Channel.Status.values}
    assert by_status == {"planned": 2, "active": 33, "dormant": 5, "closed": 3}
    assert channels.filter(is_public=False).count() == 3
    assert channels.without_deputy().count() == 6


def test_seed_demo_channels_are_consistent(db, debug_on):
    call_command("seed_demo")
    today = timezone.localdate()
    library = Channel.objects.get(platform="instagram", handle="fictionaluni.library")
    assert (library.name, library.profile_url, library.unit.name) == (
        "Fictional University Library",
        "https://www.instagram.com/fictionaluni.library/",
        "Fictional University",
    )
    assert (library.owner.username, library.deputy.username) == ("demo-staff5", "demo-staff6")
    assert library.recertification_due_on > today
    mastodon = Channel.objects.get(
        platform="mastodon", handle="cs@social.fictional-university.example"
    )
    assert mastodon.profile_url == "https://social.fictional-university.example/@cs"
    for channel in Channel.objects.filter(status="closed"):
        assert channel.closed_on < today and channel.close_reason
        assert not channel.roles.current().exists()
        assert list(channel.events.values_list("action", flat=True)) == [
            "channel.closed",
            "channel.created",
        ]
    for channel in Channel.objects.exclude(status="closed"):
        assert channel.roles.current().filter(kind="owner").count() == 1
        assert list(channel.events.values_list("action", "actor__username")) == [
            ("channel.created", "demo-comms")
        ]
    planned = Channel.objects.filter(status="planned")
    assert list(planned.values_list("opened_on", "recertification_due_on")) == [(None, None)] * 2


def test_seed_demo_publishes_the_guidelines_and_principles(db, debug_on, capsys):
    call_command("seed_demo")
    assert guideline_counts() == GUIDELINES_SEEDED
    assert "Demo guidelines: 4 (4 added by this run)." in capsys.readouterr().out
    guidelines = Guideline.objects.published()
    assert [(g.slug, g.current_version.title, g.applies_to_owners) for g in guidelines] == [
        ("official-voice", "Speaking as an official voice", False),
        ("official-channels", "Principles for official channels", True),
        ("crisis", "When a crisis happens", True),
        ("data-protection", "Data protection on social media", True),
    ]
    for guideline in guidelines:
        version = guideline.current_version
        assert version.published_by.username == "demo-comms"
        assert 250 <= len(version.body.split()) <= 600
        assert version.body.startswith("## ") and "\n# " not in version.body
        assert "<h2>" in version.html
    channels = Guideline.objects.get(slug="official-channels")
    second, first = channels.versions.all()
    assert (first.number, first.change_note, second.number) == (1, "", 2)
    assert second.change_note == (
        "Answer questions the same working day instead of within 48 hours."
    )
    assert channels.current_version == second and second.published_at > first.published_at
    assert "48 hours" in first.body and "48 hours" not in second.body
    assert "same working day" in second.body
    assert all(principle.guideline is not None for principle in Principle.objects.all())
    assert Principle.objects.first().text == "Make a long-term plan"


def test_seed_demo_owners_have_acknowledged_the_guidelines_but_one(db, debug_on):
    call_command("seed_demo")
    User = get_user_model()
    running = channel_people(statuses=running_channel_statuses())
    assert running.count() == 9
    for person in [*running, User.objects.get(username="demo-staff3")]:
        acknowledged = has_acknowledged_owner_guidelines(person)
        assert acknowledged == (person.username != "demo-staff6"), person.username
    staff6 = User.objects.get(username="demo-staff6")
    assert list(people_missing_acknowledgement()) == [staff6]
    assert list(
        Acknowledgement.objects.filter(
            user=staff6, version__guideline__slug="official-channels"
        ).values_list("version__number", flat=True)
    ) == [1]
    # Each acknowledgement came after its version was published, and before today.
    for acknowledgement in Acknowledgement.objects.select_related("version"):
        assert (
            acknowledgement.version.published_at < acknowledgement.acknowledged_at < timezone.now()
        )


def test_seed_demo_sends_no_email(db, debug_on, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert mailoutbox == []


def test_running_seed_demo_twice_duplicates_nothing(
    db, debug_on, capsys, django_capture_on_commit_callbacks
):
    call_command("seed_demo")
    first = counts(), guideline_counts()
    proposals_first = proposal_counts()
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("seed_demo")
    assert (counts(), guideline_counts()) == first == (SEEDED, GUIDELINES_SEEDED)
    assert proposal_counts() == proposals_first == PROPOSALS_SEEDED
    # No "demo-former was deactivated" report queued again (dropping the cached
    # registry counts when people are saved is harmless).
    assert [c for c in callbacks if c is not forget_warning_counts] == []
    out = capsys.readouterr().out
    assert "Demo registry: 43 channels (0 added by this run)." in out
    assert "Demo guidelines: 4 (0 added by this run)." in out
    assert "Demo proposals: 7 (0 added by this run)." in out


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0, 0)
    assert guideline_counts() == (0, 0, 0, 0)


def test_seed_demo_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True)
    assert counts() == SEEDED


def test_seed_demo_writes_proposals_in_every_state(db, debug_on, capsys):
    call_command("seed_demo")
    assert proposal_counts() == PROPOSALS_SEEDED
    assert "Demo proposals: 7 (7 added by this run)." in capsys.readouterr().out
    by_state = {state: Proposal.objects.filter(state=state).count() for state in Proposal.State}
    assert by_state == dict.fromkeys(Proposal.State, 1)
    submitters = list(Proposal.objects.values_list("submitter__username", flat=True))
    assert submitters.count("demo-staff") + submitters.count("demo-staff2") >= 5
    staff = Proposal.objects.filter(submitter__username="demo-staff")
    assert staff.filter(state="draft").exists()
    assert staff.exclude(state="draft").exclude(submitted_at=None).exists()
    assert Proposal.objects.filter(platform="linkedin").exists()  # a showcase page


def test_seed_demo_proposals_are_complete_and_consistent(db, debug_on):
    call_command("seed_demo")
    today = timezone.localdate()
    for proposal in Proposal.objects.select_related("template", "unit"):
        items = list(proposal.template.items.all())
        answers = {answer.item_id: answer.text for answer in proposal.answers.all()}
        assert len(items) == 10
        assert all(answers.get(item.pk, "").strip() for item in items), proposal.name
        assert proposal.proposed_owner and proposal.proposed_deputy
        assert proposal.proposed_owner != proposal.proposed_deputy
        goals = list(proposal.goals.all())
        assert 1 <= len(goals) <= 3
        assert all(goal.target_date > today and not goal.problems(today) for goal in goals)
        assert proposal.problems() == {}, proposal.name  # complete: could be submitted
        transitions = list(proposal.transitions.all())
        if proposal.state == Proposal.State.DRAFT:
            assert transitions == [] and proposal.submitted_at is None
            continue
        # A chain from draft to the proposal's state, in time order.
        assert transitions[0].from_state == "draft"
        assert transitions[0].action == "proposal.submitted"
        assert transitions[0].actor == proposal.submitter
        assert transitions[-1].to_state == proposal.state
        for before, after in zip(transitions, transitions[1:], strict=False):
            assert before.to_state == after.from_state and before.at < after.at
        assert proposal.submitted_at == transitions[0].at
        assert proposal.updated_at == transitions[-1].at
        if proposal.state in ("in_review", "changes_requested", "approved", "rejected"):
            endorsed = [t for t in transitions if t.action == "proposal.endorsed"]
            assert [t.actor for t in endorsed] == [proposal.unit.head]
        if proposal.state in ("changes_requested", "rejected"):
            assert transitions[-1].comment and transitions[-1].actor.username == "demo-comms"
