"""The portfolio, a channel's figures and a unit's report: who sees what, what they
show, bad input, and fixed query counts."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Channel
from checklist.models import Goal, Proposal
from checklist.tests.factories import make_proposal
from metrics.models import ChannelSummary, CollectionAttempt, Snapshot
from portal.tests.factories import make_channel, make_unit, make_user

# Every test runs on the morning of metrics' conftest.py's NOW.
pytestmark = pytest.mark.usefixtures("frozen_now")

TODAY = datetime.date(2026, 11, 20)


def snap(channel, days_ago, **figures):
    Snapshot.objects.create(
        channel=channel,
        date=TODAY - datetime.timedelta(days=days_ago),
        source=figures.pop("source", "api"),
        **figures,
    )


def channel_with_goal(*, submitter, unit, **proposal_fields):
    """A channel "Goals" on Mastodon, from a proposal (in ``proposal_fields``' state)
    whose one goal is 2,000 followers by 1 June 2027: (the channel, the goal)."""
    proposal = make_proposal(submitter=submitter, unit=unit, **proposal_fields)
    goal = Goal.objects.create(
        proposal=proposal,
        metric="followers",
        target_value=2000,
        target_date=datetime.date(2027, 6, 1),
    )
    channel = make_channel(
        unit=unit, owner=submitter, platform="mastodon", name="Goals", origin_proposal=proposal
    )
    return channel, goal


def refresh():
    ChannelSummary.objects.refresh(Channel.objects.all(), today=TODAY)


@pytest.fixture
def other_unit(db):
    return make_unit(name="School of Music", head=make_user(username="music-head"))


@pytest.fixture
def ours(unit, submitter, colleague):
    channel = make_channel(
        unit=unit, owner=submitter, deputy=colleague, platform="mastodon", name="Engineering"
    )
    snap(channel, 30, followers=1000, posts=100)
    snap(channel, 0, followers=1234, posts=112, likes=50, comments=5, shares=5, engagement_posts=12)
    return channel


@pytest.fixture
def theirs(other_unit):
    owner = make_user(username="music-owner")
    channel = make_channel(unit=other_unit, owner=owner, platform="mastodon", name="Music")
    snap(channel, 0, followers=777)
    return channel


@pytest.fixture
def unit_mate(unit, outsider):
    """Another channel of the same unit, run by someone else."""
    return make_channel(unit=unit, owner=outsider, platform="mastodon", name="Robotics")


def names(response):
    return [row["channel"].name for row in response.context["rows"]]


@pytest.mark.parametrize(
    "persona, visible",
    [
        ("submitter", ["Engineering"]),  # the owner
        ("colleague", ["Engineering"]),  # the deputy
        ("outsider", ["Robotics"]),  # owns the other channel of the unit only
        ("unit_head", ["Engineering", "Robotics"]),
        ("reviewer", ["Engineering", "Music", "Robotics"]),
        ("portal_admin", ["Engineering", "Music", "Robotics"]),
    ],
)
def test_the_portfolio_lists_only_what_each_persona_may_see(
    client, request, ours, theirs, unit_mate, persona, visible
):
    refresh()
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("metrics:portfolio"))
    assert names(response) == visible
    assert response.context["totals"]["channels"] == len(visible)

    export = b"".join(client.get(reverse("metrics:export")).streaming_content).decode()
    for name in ["Engineering", "Music", "Robotics"]:
        assert (f"\n{name}," in export) == (name in visible)


def test_the_portfolio_adds_up_units_and_platforms_from_one_grouped_query(
    client, reviewer, ours, theirs, unit_mate, other_unit
):
    make_channel(
        unit=other_unit,
        owner=make_user(username="music-live"),
        platform="bluesky",
        name="Music Live",
        handle="music.bench.example",
        status="dormant",
    )
    refresh()
    client.force_login(reviewer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("metrics:portfolio"))

    summed = [q for q in queries if 'SUM("metrics_channelsummary"."followers")' in q["sql"]]
    assert len(summed) == 1
    assert response.context["totals"] == {
        "channels": 4,
        "followers": 2011,
        "growth": 234,
        "dormant": 1,
        "behind_plan": 0,
    }
    assert [
        (g["label"], g["channels"], g["followers"], g["growth"], g["dormant"])
        for g in response.context["by_unit"]
    ] == [("School of Engineering", 2, 1234, 234, 0), ("School of Music", 2, 777, None, 1)]
    assert [
        (g["label"], g["channels"], g["followers"], g["growth"], g["dormant"])
        for g in response.context["by_platform"]
    ] == [("Bluesky", 1, None, None, 1), ("Mastodon", 3, 2011, 234, 0)]


def test_a_staff_member_without_channels_sees_an_empty_portfolio_with_the_reason(client, db, ours):
    client.force_login(make_user(username="nobody"))
    response = client.get(reverse("metrics:portfolio"))
    assert names(response) == []
    assert "of the channels you run" in response.content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("submitter", 200),
        ("colleague", 200),
        ("unit_head", 200),
        ("reviewer", 200),
        ("portal_admin", 200),
        ("outsider", 404),
    ],
)
def test_who_sees_a_channels_figures(client, request, ours, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("metrics:channel", args=[ours.pk])).status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [("unit_head", 200), ("reviewer", 200), ("portal_admin", 200), ("submitter", 403)],
)
def test_who_reads_a_units_report(client, request, unit, ours, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("metrics:unit_report", args=[unit.pk])).status_code == status


def test_another_units_head_gets_403_and_no_figures(client, other_unit, unit, ours):
    client.force_login(other_unit.head)
    response = client.get(reverse("metrics:unit_report", args=[unit.pk]))
    assert response.status_code == 403
    assert b"1,234" not in response.content and b"1234" not in response.content


@pytest.mark.parametrize(
    "name", ["metrics:portfolio", "metrics:export", "metrics:channel", "metrics:unit_report"]
)
def test_anonymous_visitors_are_sent_to_login(client, unit, ours, name):
    args = {"metrics:channel": [ours.pk], "metrics:unit_report": [unit.pk]}.get(name, [])
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_channel_page_shows_figures_goals_and_gaps(client, reviewer, unit, submitter):
    channel, _goal = channel_with_goal(submitter=submitter, unit=unit)
    snap(channel, 30, followers=1000, posts=100)
    snap(channel, 1, followers=None, posts=None)  # the platform hid the count
    snap(channel, 0, followers=1300, posts=109)
    refresh()
    client.force_login(reviewer)

    response = client.get(reverse("metrics:channel", args=[channel.pk]), {"range": "30"})

    page = response.content.decode()
    assert response.context["freshness"]["text"] == "Collected today."
    followers = response.context["charts"][0]
    assert followers.rows[-3:] == [
        ("2026-11-18", "—"),
        ("2026-11-19", "—"),
        ("2026-11-20", "1,300"),
    ]
    ((goal, result),) = response.context["progress"]
    assert result.status == "on_track"  # +70 a week: 3,430 expected by June
    assert "On track" in page and "Goals from the proposal" in page
    assert "Engagement = likes + comments + shares" in page


def test_engagement_counted_over_the_latest_posts_only_says_so(client, reviewer, ours):
    Snapshot.objects.filter(channel=ours).delete()
    snap(ours, 1, followers=900, likes=50, engagement_posts=120)
    snap(ours, 0, followers=910, likes=80, engagement_posts=200, engagement_partial=True)
    refresh()
    client.force_login(reviewer)

    response = client.get(reverse("metrics:channel", args=[ours.pk]))

    assert response.context["partial"].date == TODAY
    assert (
        "Counted over the latest 200 posts only: the account posted more in 30 days than "
        "the portal reads."
    ) in response.content.decode()


def test_engagement_of_every_post_in_30_days_has_no_such_note(client, reviewer, ours):
    Snapshot.objects.filter(channel=ours).delete()
    snap(ours, 1, followers=900, likes=50, engagement_posts=200, engagement_partial=True)
    snap(ours, 0, followers=910, likes=80, engagement_posts=12)
    refresh()
    client.force_login(reviewer)

    response = client.get(reverse("metrics:channel", args=[ours.pk]))

    assert response.context["partial"] is None
    assert 'data-testid="engagement-partial"' not in response.content.decode()


def test_an_unavailable_account_says_since_when(client, reviewer, ours):
    CollectionAttempt.objects.create(
        channel=ours,
        date=TODAY,
        started_at=datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC),
        finished_at=datetime.datetime(2026, 11, 20, 3, 0, tzinfo=datetime.UTC),
        outcome="unavailable",
        http_status=404,
    )
    Snapshot.objects.filter(channel=ours, date=TODAY).delete()
    refresh()
    client.force_login(reviewer)

    response = client.get(reverse("metrics:channel", args=[ours.pk]))
    assert response.context["freshness"]["text"] == (
        "Unavailable since 2026-10-22: Account unavailable"
    )


@pytest.mark.parametrize("value", ["7", "abc", "<script>", "9" * 500])
def test_an_unknown_range_falls_back_with_a_message(client, reviewer, ours, value):
    client.force_login(reviewer)
    response = client.get(reverse("metrics:channel", args=[ours.pk]), {"range": value})
    assert response.status_code == 200
    assert response.context["range_key"] == "90"
    assert "That range is not offered" in response.content.decode()


@pytest.mark.parametrize("value", ["2026-13", "x", "2030-01", "' OR 1=1"])
def test_a_bad_report_month_falls_back_with_a_message(client, reviewer, unit, ours, value):
    client.force_login(reviewer)
    response = client.get(reverse("metrics:unit_report", args=[unit.pk]), {"month": value})
    assert response.status_code == 200
    assert response.context["month"] == datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    "query", [{"sort": "bogus"}, {"page": "abc"}, {"unit": "x"}, {"goal_status": "nope"}]
)
def test_odd_portfolio_parameters_never_fail(client, reviewer, ours, query):
    client.force_login(reviewer)
    assert client.get(reverse("metrics:portfolio"), query).status_code == 200


def test_the_portfolio_sorts_unknown_figures_last_both_ways(
    client, reviewer, ours, theirs, unit_mate
):
    refresh()
    client.force_login(reviewer)
    up = client.get(reverse("metrics:portfolio"), {"sort": "followers"})
    down = client.get(reverse("metrics:portfolio"), {"sort": "-followers"})
    assert names(up) == ["Music", "Engineering", "Robotics"]
    assert names(down) == ["Engineering", "Music", "Robotics"]


def test_the_csv_leaves_unknown_figures_empty(client, reviewer, unit_mate):
    refresh()
    client.force_login(reviewer)
    export = b"".join(client.get(reverse("metrics:export")).streaming_content).decode()
    assert "\nRobotics,Mastodon,School of Engineering,Active,,,,,,,,\r\n" in export


def test_the_unit_report_sums_the_month(client, unit_head, unit, ours, unit_mate):
    snap(ours, 51, followers=900, posts=90)  # 30 September
    snap(ours, 20, followers=1100, posts=105)  # 31 October
    refresh()
    client.force_login(unit_head)

    response = client.get(reverse("metrics:unit_report", args=[unit.pk]), {"month": "2026-10"})

    rows = {row["channel"].name: row for row in response.context["rows"]}
    # 31 October against 30 September.
    assert (rows["Engineering"]["followers"], rows["Engineering"]["growth"]) == (1100, 200)
    assert rows["Engineering"]["posts"] == 15
    assert (rows["Robotics"]["followers"], rows["Robotics"]["growth"]) == (None, None)
    assert response.context["total_followers"] == 1100


def test_the_unit_report_is_put_together_whatever_its_names_hold(client, unit_head, unit, ours):
    """The cached report is spliced into the page as bytes where a marker comment stands
    (core.view_helpers.render_with_part): a unit named like the marker is escaped, so
    only the real marker takes the report."""
    unit.name = "<!--portal:cached-part--> Lab"
    unit.save()
    client.force_login(unit_head)

    html = client.get(reverse("metrics:unit_report", args=[unit.pk])).content.decode()

    assert "&lt;!--portal:cached-part--&gt; Lab" in html
    assert "<!--portal:cached-part-->" not in html
    assert html.count(">Engineering<") == 1 and html.index("</h1>") < html.index(">Engineering<")


def many_channels(unit, owner, count):
    for i in range(count):
        channel = make_channel(unit=unit, owner=owner, platform="mastodon", name=f"C{i:03}")
        for days in (60, 30, 0):
            snap(channel, days, followers=100 + i + days, posts=10)


def test_the_portfolio_costs_the_same_queries_for_5_or_60_channels(
    client, reviewer, unit, submitter, django_assert_num_queries
):
    many_channels(unit, submitter, 5)
    refresh()
    client.force_login(reviewer)
    client.get(reverse("metrics:portfolio"))  # warm the per-session caches
    cache.clear()  # measure the figures being computed, not served from the cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("metrics:portfolio"))
    many_channels(unit, submitter, 55)
    refresh()
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("metrics:portfolio"))
    assert len(response.context["rows"]) == 50


def grouped(queries):
    return [q for q in queries if 'SUM("metrics_channelsummary"."followers")' in q["sql"]]


def test_the_portfolios_figures_are_served_from_the_cache_until_a_figure_changes(
    client, reviewer, unit, ours, theirs, other_unit
):
    from metrics.providers.base import Reading

    refresh()
    client.force_login(reviewer)
    url = reverse("metrics:portfolio")
    first = client.get(url)
    assert first.context["totals"] == {
        "channels": 2,
        "followers": 2011,
        "growth": 234,
        "dormant": 0,
        "behind_plan": 0,
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert grouped(queries) == []
    assert totals(response) == totals(first) == ("2", "2,011", "0 / 0")

    Snapshot.objects.record(ours, TODAY, Reading(followers=4321), source="manual")
    assert totals(client.get(url))[1] == "5,098"

    theirs.mark_dormant(quiet_since=TODAY - datetime.timedelta(days=90), days=90)
    assert totals(client.get(url))[2] == "1 / 0"

    other_unit.name = "Academy of Music"
    other_unit.save()
    by_unit = client.get(url).context["by_unit"]
    assert [(g["label"], g["channels"]) for g in by_unit] == [
        ("Academy of Music", 1),
        ("School of Engineering", 1),
    ]

    theirs.close(by=reviewer, reason="Merged into the faculty account.")
    assert totals(client.get(url))[0] == "1"


def totals(response):
    """The channels, followers and "dormant / behind plan" the page shows (from the
    cache or not)."""
    page = response.content.decode()
    return tuple(
        page.split(f'data-testid="total-{name}">', 1)[1].split("<", 1)[0]
        for name in ("channels", "followers", "attention")
    )


def test_the_cached_portfolio_figures_are_each_readers_own(
    client, reviewer, unit_head, submitter, ours, theirs, unit_mate
):
    refresh()
    for person, channels in [(reviewer, 3), (unit_head, 2), (submitter, 1), (reviewer, 3)]:
        client.force_login(person)
        assert totals(client.get(reverse("metrics:portfolio")))[0] == str(channels)


def test_the_unfiltered_portfolio_takes_its_count_from_the_totals(
    client, reviewer, ours, theirs, unit_mate
):
    refresh()
    client.force_login(reviewer)
    url = reverse("metrics:portfolio")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"sort": "-followers", "page": "1"})
    assert not any('"__count"' in q["sql"] for q in queries)
    assert response.context["page"].paginator.count == 3
    assert 'data-testid="result-count">3 channels</p>' in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "music"})
    assert len([q for q in queries if '"__count"' in q["sql"]]) == 1
    assert 'data-testid="result-count">1 channel</p>' in response.content.decode()
    assert response.context["totals"]["channels"] == 3


def test_the_channel_page_costs_the_same_queries_for_any_history(
    client, reviewer, ours, django_assert_num_queries
):
    client.force_login(reviewer)
    client.get(reverse("metrics:channel", args=[ours.pk]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("metrics:channel", args=[ours.pk]), {"range": "all"})
    for days in range(31, 400):
        snap(ours, days, followers=900, posts=90)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("metrics:channel", args=[ours.pk]), {"range": "all"})


def test_the_unit_report_costs_the_same_queries_for_3_or_30_channels(
    client, unit_head, unit, submitter, django_assert_num_queries
):
    many_channels(unit, submitter, 3)
    refresh()
    client.force_login(unit_head)
    client.get(reverse("metrics:unit_report", args=[unit.pk]))
    cache.clear()  # measure the figures being computed, not served from the cache
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("metrics:unit_report", args=[unit.pk]))
    many_channels(unit, submitter, 27)
    refresh()
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("metrics:unit_report", args=[unit.pk]))


def test_the_unit_report_is_served_from_the_cache_until_a_figure_changes(
    client, unit_head, unit, ours
):
    from metrics.providers.base import Reading

    refresh()
    client.force_login(unit_head)
    url = reverse("metrics:unit_report", args=[unit.pk])
    first = client.get(url, {"month": "2026-11"})
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url, {"month": "2026-11"})

    def report(response):
        page = response.content.decode()
        return page[page.index("<article") : page.index("</article>")]

    assert report(again) == report(first)
    assert "Engineering" in report(again)
    assert not any("metrics_snapshot" in q["sql"] for q in cached.captured_queries)

    Snapshot.objects.record(ours, TODAY, Reading(followers=4321), source="manual")
    assert "4,321" in client.get(url, {"month": "2026-11"}).content.decode()

    Channel.objects.filter(pk=ours.pk).update(name="Renamed")  # as a rename would
    ours.refresh_from_db()
    ours.save()
    assert "Renamed" in client.get(url, {"month": "2026-11"}).content.decode()


def admin_form(snapshot, **changes):
    """The admin's change form for ``snapshot`` as the browser posts it, with ``changes``."""
    fields = {
        "channel": snapshot.channel_id,
        "date": snapshot.date.isoformat(),
        "source": snapshot.source,
        "entered_by": "",
        "collected_at_0": "2026-11-20",
        "collected_at_1": "09:00:00",
    }
    for name in Snapshot.FIGURES:
        value = getattr(snapshot, name)
        fields[name] = "" if value is None else value
    fields["last_post_at_0"] = fields["last_post_at_1"] = ""
    fields.pop("last_post_at")
    return fields | changes


@pytest.fixture
def admin(client, portal_admin):
    from django.test import Client

    admin = Client()
    admin.force_login(portal_admin)
    return admin


def test_a_snapshot_corrected_in_the_admin_shows_in_the_unit_report_at_once(
    client, admin, unit_head, unit, ours
):
    refresh()
    client.force_login(unit_head)
    url = reverse("metrics:unit_report", args=[unit.pk])
    page = client.get(url, {"month": "2026-11"}).content.decode()
    assert "1,234" in page
    assert "0.41 %" in page  # 60 interactions on 12 posts, per 1,234 followers

    snapshot = Snapshot.objects.get(channel=ours, date=TODAY)
    response = admin.post(
        f"/admin/metrics/snapshot/{snapshot.pk}/change/", admin_form(snapshot, followers=2000)
    )

    assert response.status_code == 302
    page = client.get(url, {"month": "2026-11"}).content.decode()
    assert "2,000" in page
    assert "1,234" not in page
    assert "0.25 %" in page  # the summary's engagement rate, refreshed with it


def test_a_snapshot_deleted_in_the_admin_leaves_the_unit_report_at_once(
    client, admin, unit_head, unit, ours
):
    refresh()
    client.force_login(unit_head)
    url = reverse("metrics:unit_report", args=[unit.pk])
    assert "1,234" in client.get(url, {"month": "2026-11"}).content.decode()

    snapshot = Snapshot.objects.get(channel=ours, date=TODAY)
    response = admin.post(f"/admin/metrics/snapshot/{snapshot.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    page = client.get(url, {"month": "2026-11"}).content.decode()
    assert "1,234" not in page
    assert ChannelSummary.objects.get(channel=ours).followers == 1000  # the one 30 days ago


def test_snapshots_deleted_together_in_the_admin_leave_the_unit_report_at_once(
    client, admin, unit_head, unit, ours
):
    refresh()
    client.force_login(unit_head)
    url = reverse("metrics:unit_report", args=[unit.pk])
    assert "1,234" in client.get(url, {"month": "2026-11"}).content.decode()

    snapshot = Snapshot.objects.get(channel=ours, date=TODAY)
    response = admin.post(
        "/admin/metrics/snapshot/",
        {"action": "delete_selected", "_selected_action": [snapshot.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Snapshot.objects.filter(pk=snapshot.pk).exists()
    page = client.get(url, {"month": "2026-11"}).content.decode()
    assert "1,234" not in page
    assert ChannelSummary.objects.get(channel=ours).followers == 1000


def test_any_snapshot_saved_or_deleted_changes_the_portfolio_s_cache_version(ours):
    from metrics.caching import PORTFOLIO

    snapshot = Snapshot.objects.get(channel=ours, date=TODAY)
    before = PORTFOLIO.current()
    snapshot.followers = 1300
    snapshot.save()
    assert PORTFOLIO.current() == before + 1  # the second bump waits for the commit
    snapshot.delete()
    assert PORTFOLIO.current() == before + 2


def test_a_snapshot_moved_to_another_channel_in_the_admin_updates_both_summaries(
    admin, ours, unit_mate
):
    refresh()
    snapshot = Snapshot.objects.get(channel=ours, date=TODAY)

    admin.post(
        f"/admin/metrics/snapshot/{snapshot.pk}/change/",
        admin_form(snapshot, channel=unit_mate.pk),
    )

    assert ChannelSummary.objects.get(channel=ours).followers == 1000
    assert ChannelSummary.objects.get(channel=unit_mate).followers == 1234


def test_a_goal_changed_shows_in_the_unit_report_at_once(client, unit_head, unit, submitter):
    """The unit report lists each channel's goals from the proposal: a goal changed (in
    the admin, say) must not wait for the cache's timeout."""
    channel, goal = channel_with_goal(submitter=submitter, unit=unit, state=Proposal.State.APPROVED)
    snap(channel, 0, followers=1300, posts=109)
    refresh()
    client.force_login(unit_head)
    url = reverse("metrics:unit_report", args=[unit.pk])
    assert "2,000" in client.get(url, {"month": "2026-11"}).content.decode()

    goal.target_value = 5000
    goal.save()
    page = client.get(url, {"month": "2026-11"}).content.decode()
    assert "5,000" in page and "2,000" not in page

    goal.delete()
    assert "5,000" not in client.get(url, {"month": "2026-11"}).content.decode()


def test_a_draft_s_goals_leave_the_portfolio_cache_alone(submitter, unit):
    """Drafts are saved often and their goals show nowhere in the figures."""
    from metrics.caching import PORTFOLIO

    proposal = make_proposal(submitter=submitter, unit=unit)
    before = PORTFOLIO.current()
    Goal.objects.create(proposal=proposal, metric="followers", target_value=10, target_date=TODAY)
    assert PORTFOLIO.current() == before
