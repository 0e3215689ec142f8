import datetime

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Max, Min
from django.utils import timezone

from accounts import access
from accounts.models import Channel, ChannelEvent, ChannelRole, Unit
from accounts.platforms import Platform
from checklist.models import Answer, Goal, Proposal, Transition
from core import roles
from guidelines import audience
from guidelines.models import (
    Acknowledgement,
    Guideline,
    GuidelineVersion,
    Principle,
    has_acknowledged_owner_guidelines,
    people_missing_acknowledgement,
)
from metrics.models import ChannelSummary, CollectionAttempt, Snapshot
from portal.tests.factories import work_after_commit


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


# 12 people, 5 units, 44 channels (the 43 of the registry and the planned one of the
# approved proposal), 45 owners (Staff News was handed over) + 36 deputies; their
# histories: 44 "created", 41 opened ("status_changed"), 38 "recertified", 5
# "went_dormant", 3 "closed", 3 "orphaned" (when demo-former left), 1 "handed_over" and
# the 2 edits of the channels that came from proposals.
SEEDED = (12, 5, 44, 81, 137)


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
# And the 2 approved proposals that running channels came from (demo/metrics.py), with 2
# goals and 3 transitions each.
PROPOSALS_SEEDED = (9, 90, 18, 22)


def test_seed_demo_creates_the_demo_university_and_logins(db, debug_on, capsys, rf):
    call_command("seed_demo")
    assert counts() == SEEDED
    for username in ["demo-staff", "demo-staff2", "demo-head", "demo-comms", "demo-admin"]:
        assert authenticate(rf.post("/login/"), username=username, password="demo") is not None
    out = capsys.readouterr().out
    assert "demo-staff   password: demo" in out
    assert "demo-staff3" not in out
    assert "Demo registry: 44 channels (43 added by this run)." in out


def test_seed_demo_gives_each_demo_person_their_role(db, debug_on, rf):
    call_command("seed_demo")
    user = get_user_model().objects.get
    assert access.is_unit_head(user(username="demo-head"))
    assert roles.is_communications(user(username="demo-comms"))
    assert roles.is_portal_admin(user(username="demo-admin"))
    staff = user(username="demo-staff")
    assert (access.is_unit_head(staff), roles.is_reviewer(staff)) == (False, False)
    engineering = Unit.objects.get(name="School of Engineering")
    assert (engineering.head.username, engineering.parent.name) == (
        "demo-head",
        "Fictional University",
    )
    assert authenticate(rf.post("/login/"), username="demo-staff6", password="demo") is not None
    assert (
        authenticate(rf.post("/login/"), username="demo-former", password="demo") is None
    )  # has left


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
    assert by_status == {"planned": 3, "active": 33, "dormant": 5, "closed": 3}
    assert channels.filter(is_public=False).count() == 3
    assert channels.without_deputy().count() == 6
    states = {
        channel.handle.partition("@")[0]: channel.verification_state
        for channel in channels.public().filter(platform="mastodon")
    }
    assert states == {"news": "verified", "library": "broken", "cs": "not_yet"}
    bluesky = channels.get(platform="bluesky", handle="cs.fictional-university.example")
    assert (bluesky.verification_state, bluesky.platform_id) == (
        "verified",
        "did:plc:fictcsdemo2345abcdefghij",
    )
    assert channels.filter(platform="linkedin").first().verification_state == "not_possible"


def test_seed_demo_runs_the_impersonation_watch_of_the_day(db, debug_on):
    from accounts.models import SuspiciousAccountReport
    from lookalikes.models import SearchRecord

    call_command("seed_demo")
    found = SuspiciousAccountReport.objects.filter(source="lookalike")
    urls = set(found.values_list("reported_url", flat=True))
    # The homoglyph copy and the department's look-alike; not the other university.
    assert urls == {
        "https://bsky.app/profile/fictional-university-official.bsky.social",
        "https://bsky.app/profile/compsci-news-fu.bsky.social",
    }
    impostor = found.get(reported_url__contains="official")
    assert impostor.evidence["candidate"]["labels"] == ["impersonation"]
    searches = SearchRecord.objects.filter(date=timezone.localdate())
    assert searches.count() > 0
    assert set(searches.values_list("outcome", flat=True)) == {"done"}

    call_command("seed_demo")
    assert found.count() == 2
    assert SearchRecord.objects.count() == searches.count()


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
        assert channel.events.first().action == "channel.closed"
    for channel in Channel.objects.exclude(status="closed"):
        assert channel.roles.current().filter(kind="owner").count() == 1
    for channel in Channel.objects.all():
        assert (channel.events.last().action, channel.events.last().actor.username) == (
            "channel.created",
            "demo-comms",
        )
    planned = Channel.objects.filter(status="planned")
    assert list(planned.values_list("opened_on", "recertification_due_on")) == [(None, None)] * 3


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
    running = audience.people(audience.RUNNING)
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
    # registry counts and pages, directory pages and portfolio figures when people and
    # units are saved is harmless).
    assert work_after_commit(callbacks) == []
    out = capsys.readouterr().out
    assert "Demo registry: 44 channels (0 added by this run)." in out
    assert "Demo guidelines: 4 (0 added by this run)." in out
    assert "Demo proposals: 9 (0 added by this run)." in out


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0, 0)
    assert guideline_counts() == (0, 0, 0, 0)


def test_seed_demo_says_what_it_needs_without_time_machine(db, debug_on, monkeypatch):
    monkeypatch.setattr("demo.history.time_machine", None)
    with pytest.raises(CommandError, match="time-machine"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0, 0)


def test_seed_demo_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True)
    assert counts() == SEEDED


def test_seed_demo_writes_proposals_in_every_state(db, debug_on, capsys):
    call_command("seed_demo")
    assert proposal_counts() == PROPOSALS_SEEDED
    assert "Demo proposals: 9 (9 added by this run)." in capsys.readouterr().out
    by_state = {state: Proposal.objects.filter(state=state).count() for state in Proposal.State}
    assert by_state == {**dict.fromkeys(Proposal.State, 1), "approved": 3}
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


# --- A year of demo figures (demo/metrics.py) -----------------------------------

YEAR = 365
# 38 active or dormant channels, a snapshot a day for a year, but for the three weeks
# that University Sports misses.
FIGURES_SEEDED = 38 * YEAR - 3 * 7


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_seed_demo_writes_a_year_of_demo_figures(db, debug_on, capsys):
    call_command("seed_demo")
    assert f"Demo figures: {FIGURES_SEEDED} daily snapshots written by this run." in (
        capsys.readouterr().out
    )
    running = Channel.objects.filter(status__in=["active", "dormant"])
    assert running.count() == 38
    assert Snapshot.objects.count() == FIGURES_SEEDED
    for channel in running:
        dates = channel.snapshots.aggregate(first=Min("date"), last=Max("date"))
        assert dates == {"first": days_ago(YEAR - 1), "last": days_ago(0)}, channel
    # The last five weeks of the 3 Mastodon channels were collected through the
    # provider (demo/answers.py), each day's with its attempt; the rest is demo data.
    collected = Snapshot.objects.filter(source="api")
    assert set(collected.values_list("channel__platform", flat=True)) == {"mastodon"}
    assert collected.count() == CollectionAttempt.objects.filter(outcome="ok").count() == 3 * 35
    assert collected.aggregate(first=Min("date"), last=Max("date")) == {
        "first": days_ago(34),
        "last": days_ago(0),
    }
    assert set(Snapshot.objects.exclude(source="api").values_list("source", flat=True)) == {"demo"}
    assert not Snapshot.objects.filter(channel__status__in=["planned", "closed"]).exists()

    # A growing channel: about +0.3 % a day, 3 to 5 posts a week, the latest yesterday.
    cs = Channel.objects.get(platform="mastodon", handle="cs@social.fictional-university.example")
    year = list(cs.snapshots.order_by("date"))
    assert len(year) == YEAR
    assert 2.2 < year[-1].followers / year[0].followers < 4  # 1.003 ** 364 = 2.97
    assert 3 <= (year[-1].posts - year[0].posts) / 52 <= 5
    latest = year[-1]
    assert timezone.localdate(latest.last_post_at) == days_ago(1)
    assert 8 <= latest.engagement_posts <= 30  # the posts of the last 30 days
    assert latest.likes > latest.shares > 0 and latest.likes > latest.comments > 0
    assert latest.views is None  # Mastodon does not count views
    instagram = Channel.objects.get(platform="instagram", handle="fictionaluni.library")
    assert instagram.snapshots.last().shares is None  # nor Instagram shares
    assert instagram.snapshots.last().views > 0
    # "Other" platforms do not give the time of the latest post: the count says it.
    newsroom = Channel.objects.get(name="University Newsroom")
    assert newsroom.snapshots.last().last_post_at is None
    assert newsroom.summary.last_post_on >= days_ago(7)


def test_seed_demo_figures_are_the_same_every_run(db, debug_on, capsys):
    call_command("seed_demo")
    fields = ["channel", "date", *Snapshot.FIGURES]
    first = list(Snapshot.objects.order_by("channel", "date").values_list(*fields))
    summaries = list(ChannelSummary.objects.order_by("pk").values())

    call_command("seed_demo")  # today's figures are there: nothing is written
    assert "Demo figures: 0 daily snapshots written by this run (today's were there" in (
        capsys.readouterr().out
    )
    assert list(Snapshot.objects.order_by("channel", "date").values_list(*fields)) == first
    assert list(ChannelSummary.objects.order_by("pk").values()) == summaries

    # Without today's figures the year is written again: the same figures, no new rows.
    Snapshot.objects.filter(date=days_ago(0)).delete()
    Snapshot.objects.filter(date=days_ago(100)).update(followers=1)
    call_command("seed_demo")
    assert list(Snapshot.objects.order_by("channel", "date").values_list(*fields)) == first


def test_seed_demo_figures_leave_real_ones_alone(db, debug_on):
    call_command("seed_demo")
    library = Channel.objects.get(platform="instagram", handle="fictionaluni.library")
    Snapshot.objects.filter(channel=library, date=days_ago(3)).update(
        source="manual", followers=12345
    )
    Snapshot.objects.filter(date=days_ago(0)).delete()
    Snapshot.objects.filter(date=days_ago(YEAR - 1)).update(date=days_ago(YEAR + 10))
    call_command("seed_demo")
    kept = library.snapshots.get(date=days_ago(3))
    assert (kept.source, kept.followers) == ("manual", 12345)
    # A year, not more: figures older than that are gone.
    assert Snapshot.objects.filter(date__lt=days_ago(YEAR - 1)).count() == 0
    assert Snapshot.objects.count() == FIGURES_SEEDED


def test_seed_demo_dormant_story_channel_ends_dormant(db, debug_on, mailoutbox):
    started = timezone.now()
    call_command("seed_demo")
    channel = Channel.objects.get(name="School of Engineering", platform="x")
    assert channel.status == "dormant"
    summary = channel.summary
    assert summary.last_post_on == summary.quiet_since == days_ago(90)
    since = list(channel.snapshots.filter(date__gt=days_ago(90)).order_by("date"))
    assert len({snapshot.posts for snapshot in since}) == 1  # no post since
    assert since[-1].followers < since[0].followers  # slowly falling
    assert since[-1].engagement_posts == 0 and since[-1].likes == 0
    # The review ran: every dormant channel stays dormant (quiet for 90 days or more),
    # every active one has posted within METRICS_DORMANT_DAYS; nothing changed.
    for dormant in Channel.objects.filter(status="dormant").select_related("summary"):
        assert dormant.summary.quiet_since <= days_ago(90), dormant
    for active in Channel.objects.filter(status="active").select_related("summary"):
        assert active.summary.quiet_since > days_ago(60), active
    assert Channel.objects.filter(status="dormant").count() == 5
    assert not ChannelEvent.objects.filter(at__gte=started)  # all of it is history
    assert mailoutbox == []


def test_seed_demo_figures_have_gaps(db, debug_on):
    call_command("seed_demo")
    sports = Channel.objects.get(name="University Sports")
    dates = set(sports.snapshots.values_list("date", flat=True))
    missing = {days_ago(n) for n in range(YEAR)} - dates
    assert len(missing) == 21
    # Whole weeks, Monday to Sunday, none in the last fortnight.
    mondays = [day for day in missing if day.weekday() == 0]
    assert len(mondays) == 3
    assert missing == {monday + datetime.timedelta(days=n) for monday in mondays for n in range(7)}
    assert max(missing) < days_ago(14)
    # Days on which the platform hid the follower count: None, not 0.
    hidden = sports.snapshots.filter(followers=None)
    assert hidden.count() == 8
    assert hidden.exclude(posts=None).count() == 8
    assert sports.summary.followers is not None


def test_seed_demo_summarises_the_figures_and_shows_goals(db, debug_on):
    call_command("seed_demo")
    assert ChannelSummary.objects.count() == Channel.objects.running().count() == 41
    with_figures = ChannelSummary.objects.filter(channel__status__in=["active", "dormant"])
    assert with_figures.count() == 38
    assert set(with_figures.values_list("source", "last_snapshot_on", "as_of")) == {
        ("demo", days_ago(0), days_ago(0)),
        ("api", days_ago(0), days_ago(0)),  # the Mastodon channels
    }
    assert not with_figures.filter(followers=None).exists()
    assert all(summary.sparkline for summary in with_figures)

    # The growing Computer Science channel came from a proposal whose goals it keeps.
    cs = Channel.objects.get(platform="mastodon", handle="cs@social.fictional-university.example")
    proposal = cs.origin_proposal
    assert (proposal.state, proposal.name, proposal.submitter.username) == (
        "approved",
        "Department of Computer Science",
        "demo-staff",
    )
    assert proposal.transitions.last().at.date() == cs.approved_on
    assert sorted(proposal.goals.values_list("metric", flat=True)) == [
        "followers",
        "posts_per_week",
    ]
    assert cs.summary.followers_growth_30d > 0 and None not in cs.summary.sparkline
    assert 3 <= cs.summary.posts_per_week <= 6
    assert (cs.summary.goal_status, cs.summary.behind_plan) == ("on_track", False)
    # The stalling one promised two posts a week and posts every three to four weeks.
    humanities = Channel.objects.get(platform="instagram", name="School of Humanities")
    assert sorted(humanities.origin_proposal.goals.values_list("metric", flat=True)) == [
        "followers",
        "posts_per_week",
    ]
    summary = humanities.summary
    assert summary.posts_per_week < 1 and abs(summary.followers_growth_30d) < 20
    assert summary.last_post_on == days_ago(25)
    assert summary.behind_plan and summary.goal_status == "behind"
