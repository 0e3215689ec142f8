"""The office's home: proposals by stage with their age against the review target,
reports to triage, orphaned, overdue, dormant and behind-plan channels, and the notices
shown now with how they are acknowledged; each figure a link to the list of exactly
what it counts, in a fixed number of queries, cached for the whole office."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ChannelVerification, SuspiciousAccountReport
from checklist.models import Proposal, Transition
from checklist.tests.factories import make_proposal
from guidelines.models import NoticeAcknowledgement, NoticeRecipient, SiteNotice
from metrics.models import ChannelSummary
from portal.overview import office_overview
from portal.tests.factories import make_channel, make_user

# A Monday: ten working days before it is Monday the 16th of November.
NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
State = Proposal.State
# The office's home with nothing cached: the 5 of a warm page, the reader's 5 facts
# (core.person_facts) and the notices they dismissed, the registry's warnings and the overview's 5.
COLD = 17


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def waiting(submitter, unit, state, *, entered_days_ago, name):
    """A proposal that entered ``state`` ``entered_days_ago`` days ago."""
    proposal = make_proposal(submitter=submitter, unit=unit, state=state, name=name)
    at = NOW - datetime.timedelta(days=entered_days_ago)
    Proposal.objects.filter(pk=proposal.pk).update(submitted_at=at)
    Transition.objects.create(
        proposal=proposal,
        actor=submitter,
        action="test",
        from_state=State.DRAFT,
        to_state=state,
        at=at,
    )
    return proposal


def summary(channel, *, behind_plan):
    ChannelSummary.objects.create(channel=channel, as_of=NOW.date(), behind_plan=behind_plan)


@pytest.fixture
def world(frozen, submitter, unit, reviewer):
    # Awaiting the unit head: one 15 days (11 working days: past the target of 10), one 3.
    waiting(submitter, unit, State.AWAITING_UNIT_HEAD, entered_days_ago=15, name="Old await")
    waiting(submitter, unit, State.AWAITING_UNIT_HEAD, entered_days_ago=3, name="New await")
    # In review: 14 days ago (Monday the 16th: exactly 10 working days, on target).
    waiting(submitter, unit, State.IN_REVIEW, entered_days_ago=14, name="On target")
    waiting(submitter, unit, State.CHANGES_REQUESTED, entered_days_ago=40, name="With proposer")
    make_proposal(submitter=submitter, unit=unit, name="Draft")  # a draft is not the office's
    make_proposal(submitter=submitter, unit=unit, state=State.APPROVED, name="Done")

    SuspiciousAccountReport.objects.create(reported_url="https://x.example/fake1")
    SuspiciousAccountReport.objects.create(reported_url="https://x.example/fake2")
    SuspiciousAccountReport.objects.create(
        reported_url="https://x.example/done", outcome="unfounded", closed_at=NOW
    )

    quiet = make_channel(unit=unit, owner=submitter, status="dormant", name="Quiet and behind")
    summary(quiet, behind_plan=True)
    summary(make_channel(unit=unit, owner=submitter, name="Behind"), behind_plan=True)
    summary(make_channel(unit=unit, owner=submitter, name="On plan"), behind_plan=False)
    make_channel(unit=unit, owner=make_user(is_active=False), name="Orphan")
    closed = make_channel(unit=unit, owner=submitter, status="closed")
    summary(closed, behind_plan=True)  # a closed channel is nobody's concern
    unlinked = make_channel(unit=unit, owner=submitter, platform="mastodon", name="Unlinked")
    ChannelVerification.objects.create(channel=unlinked, state="broken")
    linked = make_channel(unit=unit, owner=submitter, platform="mastodon", name="Linked")
    ChannelVerification.objects.create(channel=linked, state="verified")
    ChannelVerification.objects.create(channel=closed, state="broken")  # nobody's concern

    crisis = SiteNotice.objects.create(
        level="crisis", title_en="Server down", body_en="…", published_by=reviewer
    )
    readers = [make_user() for _ in range(4)]
    NoticeRecipient.objects.bulk_create(NoticeRecipient(notice=crisis, user=u) for u in readers)
    NoticeAcknowledgement.objects.create(notice=crisis, user=readers[0])
    NoticeAcknowledgement.objects.create(notice=crisis, user=readers[1])
    NoticeAcknowledgement.objects.create(notice=crisis, user=reviewer)  # not a recipient
    info = SiteNotice.objects.create(
        level="info",
        title_en="New logo",
        body_en="…",
        published_by=reviewer,
        starts_at=NOW - datetime.timedelta(hours=1),
    )
    NoticeAcknowledgement.objects.create(notice=info, user=readers[2])
    SiteNotice.objects.create(
        level="info",
        title_en="Over",
        body_en="…",
        published_by=reviewer,
        starts_at=NOW - datetime.timedelta(days=3),
        ends_at=NOW - datetime.timedelta(days=1),
    )


@pytest.mark.usefixtures("world")
def test_the_overview_counts_what_waits_and_what_needs_attention():
    overview = office_overview(timezone.localdate())

    stages = {
        stage["state"]: (stage["count"], stage["oldest_days"], stage["overdue"])
        for stage in overview["stages"]
    }
    assert stages == {
        "awaiting_unit_head": (2, 15, 1),
        "in_review": (1, 14, 0),
        "changes_requested": (1, 40, 0),
    }
    assert overview["target_days"] == 10
    assert overview["reports"] == {
        "count": 2,
        "url": "/reports/?state=open",
        "lookalikes": 0,
        "lookalikes_url": "/reports/?state=open&source=lookalike",
    }
    assert overview["channels"] == {
        "dormant": 1,
        "dormant_url": "/metrics/?status=dormant",
        "behind_plan": 2,
        "behind_plan_url": "/metrics/?behind_plan=true",
        "link_broken": 1,
        "link_broken_url": "/registry/?link_broken=true",
    }
    notices = [
        (n["title"], n["is_crisis"], n["recipients"], n["acknowledged"], n["percent"], n["read"])
        for n in overview["notices"]
    ]
    assert notices == [
        ("Server down", True, 4, 2, 50, 3),
        ("New logo", False, 0, 0, None, 1),
    ]


@pytest.mark.usefixtures("world")
def test_each_figure_links_to_the_list_of_what_it_counts(client, reviewer):
    client.force_login(reviewer)
    html = client.get("/").content.decode()
    overview = office_overview(timezone.localdate())

    by_state = {stage["state"]: stage for stage in overview["stages"]}
    others = client.get(by_state["awaiting_unit_head"]["url"]).context["other_rows"]
    assert sorted(row["name"] for row in others) == ["New await", "Old await"]
    others = client.get(by_state["awaiting_unit_head"]["overdue_url"]).context["other_rows"]
    assert [row["name"] for row in others] == ["Old await"]
    others = client.get(by_state["in_review"]["overdue_url"]).context["other_rows"]
    assert others == []

    assert 'href="/proposals/?state=awaiting_unit_head&amp;overdue=true"' in html
    assert 'href="/reports/?state=open" data-testid="figure-reports">2 reports to triage<' in html
    assert 'data-testid="figure-dormant">1 dormant channel<' in html
    assert 'data-testid="figure-behind-plan">2 channels behind their plan<' in html
    assert (
        'href="/registry/?link_broken=true" data-testid="figure-link-broken">'
        "1 channel no longer links back<"
    ) in html
    registry = client.get(overview["channels"]["link_broken_url"]).content.decode()
    assert (">Unlinked</a>" in registry, ">Linked</a>" in registry) == (True, False)
    assert "2 of 4 people acknowledged it (50 %)" in html
    assert "1 person has marked it read" in html
    assert "Over" not in html.split('data-testid="open-notices"')[1].split("</ul>")[0]

    def channels(url):
        # The table of channels (above it, the portfolio always shows those that need
        # attention).
        page = client.get(url).content.decode().split("Figures per channel")[1]
        return [
            name for name in ["Quiet and behind", "Behind", "On plan"] if f">{name}</a>" in page
        ]

    assert channels(overview["channels"]["behind_plan_url"]) == ["Quiet and behind", "Behind"]
    assert channels(overview["channels"]["dormant_url"]) == ["Quiet and behind"]
    reports = client.get(overview["reports"]["url"]).content.decode()
    assert ("fake1" in reports, "fake2" in reports, "x.example/done" in reports) == (
        True,
        True,
        False,
    )


@pytest.mark.parametrize("persona", ["submitter", "unit_head"])
def test_only_the_office_sees_the_overview(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert response.context["overview"] is None
    assert "Proposals by stage" not in response.content.decode()


def test_the_office_home_costs_the_same_queries_however_much_there_is(
    client, reviewer, submitter, unit, django_assert_num_queries
):
    client.force_login(reviewer)

    def costs():
        """(queries with nothing cached, queries with the reader's facts and the
        overview cached)."""
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get("/")
        with CaptureQueriesContext(connection) as warm:
            client.get("/")
        return len(cold), len(warm)

    # Warm: the user, my proposals, my channels, awaiting my review and how many.
    def add(number):
        waiting(submitter, unit, State.IN_REVIEW, entered_days_ago=number, name=f"P{number}")
        channel = make_channel(unit=unit, owner=submitter, status="dormant")
        summary(channel, behind_plan=True)
        SuspiciousAccountReport.objects.create(reported_url=f"https://x.example/{number}")
        SiteNotice.objects.create(
            level="info", title_en=f"N{number}", body_en="…", published_by=reviewer
        )

    add(0)
    assert costs() == (COLD, 5)
    for number in range(1, 11):
        add(number)
    assert costs() == (COLD, 5)
    with django_assert_num_queries(5):
        client.get("/")


def test_a_change_to_a_proposal_shows_at_once(client, reviewer, submitter, unit):
    client.force_login(reviewer)
    client.get("/")
    proposal = make_proposal(submitter=submitter, unit=unit, name="Fresh")
    proposal.state = State.IN_REVIEW
    proposal.submitted_at = timezone.now()
    proposal.save()
    stage = client.get("/").context["overview"]["stages"][1]
    assert (stage["state"], stage["count"]) == ("in_review", 1)


def test_the_overview_is_kept_per_language(reviewer):
    from django.utils import translation

    SiteNotice.objects.create(
        level="crisis",
        title_en="Storm warning",
        body_en="…",
        title_sv="Stormvarning",
        body_sv="…",
        published_by=reviewer,
    )
    with translation.override("en"):
        assert [n["title"] for n in office_overview()["notices"]] == ["Storm warning"]
    with translation.override("sv"):
        assert [n["title"] for n in office_overview()["notices"]] == ["Stormvarning"]
