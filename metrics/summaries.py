"""Computing ChannelSummary rows from snapshots and goals.

A batch of channels costs a fixed number of queries, whatever their history: the
latest snapshot and the one about 30 days earlier are found per channel by the
(channel, date) index; the twelve-week sparkline reads thirteen dates; the day the post
count last rose is found per channel by a subquery. Python then only combines a few
values per channel.
"""

from collections import defaultdict
from datetime import timedelta
from math import ceil

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from accounts.models import Channel
from checklist.models import Goal
from metrics import figures
from metrics.models import ChannelSummary, Snapshot

SPARK_WEEKS = 12
# Posts a week a plan promised, and no post for 3 such weeks: behind the plan. A plan
# of fewer than one post a week allows three of its own intervals.
BEHIND_PLAN_INTERVALS = 3


def _latest_on_or_before(day):
    return Snapshot.objects.filter(channel=OuterRef("pk"), date__lte=day).order_by("-date")


def compute(channel_ids, today):
    """ChannelSummary objects (unsaved) for ``channel_ids`` as of ``today``."""
    ago = today - timedelta(days=30)
    channels = (
        Channel.objects.filter(pk__in=channel_ids)
        .annotate(
            latest_id=Subquery(_latest_on_or_before(today).values("pk")[:1]),
            ago_id=Subquery(
                _latest_on_or_before(ago).filter(date__gte=ago - timedelta(days=7)).values("pk")[:1]
            ),
            latest_posts=Subquery(_latest_on_or_before(today).values("posts")[:1]),
            first_on=Subquery(
                Snapshot.objects.filter(channel=OuterRef("pk"))
                .values("channel")
                .annotate(first=Min("date"))
                .values("first")[:1]
            ),
        )
        .annotate(
            # The first day the post count stood where it stands now: the day of the
            # latest post, for platforms that do not give its time.
            reached_count_on=Subquery(
                Snapshot.objects.filter(
                    channel=OuterRef("pk"), posts=OuterRef("latest_posts"), date__lte=today
                )
                .order_by("date")
                .values("date")[:1]
            )
        )
        .values("pk", "latest_id", "ago_id", "first_on", "reached_count_on", "origin_proposal")
    )
    channels = list(channels)
    now = timezone.now()
    wanted = [c[key] for c in channels for key in ("latest_id", "ago_id") if c[key]]
    snapshots = Snapshot.objects.in_bulk(wanted)

    spark_days = [today - timedelta(weeks=w) for w in range(SPARK_WEEKS - 1, -1, -1)]
    spark = defaultdict(dict)
    for channel_id, day, followers in Snapshot.objects.filter(
        channel__in=channel_ids, date__in=spark_days
    ).values_list("channel_id", "date", "followers"):
        spark[channel_id][day] = followers

    goals = defaultdict(list)
    for goal in Goal.objects.filter(proposal__channel__in=channel_ids).select_related(
        "proposal__channel"
    ):
        goals[goal.proposal.channel.pk].append(goal)

    rows = []
    for channel in channels:
        latest = snapshots.get(channel["latest_id"])
        before = snapshots.get(channel["ago_id"])
        row = ChannelSummary(channel_id=channel["pk"], as_of=today, refreshed_at=now)
        row.sparkline = [spark[channel["pk"]].get(day) for day in spark_days]
        if latest is not None:
            _figures(row, latest, before, channel)
        progress = [goal_progress(goal, row, today) for goal in goals[channel["pk"]]]
        row.goal_status = figures.worst(p.status for p in progress) or ""
        row.behind_plan = behind_plan(goals[channel["pk"]], row.last_post_on, today)
        rows.append(row)
    return rows


def _figures(row, latest, before, channel):
    row.last_snapshot_on = latest.date
    row.source = latest.source
    row.followers = latest.followers
    if before is not None and latest.followers is not None and before.followers is not None:
        row.followers_growth_30d = latest.followers - before.followers
    if before is not None:
        row.posts_per_week = figures.posts_per_week(
            latest.posts, before.posts, (latest.date - before.date).days
        )
    if row.posts_per_week is None and latest.engagement_posts is not None:
        row.posts_per_week = latest.engagement_posts * 7 / 30
    row.engagement_30d = figures.engagement(latest.likes, latest.comments, latest.shares)
    row.engagement_posts = latest.engagement_posts
    row.engagement_rate = figures.rate_per_follower(
        row.engagement_30d, latest.engagement_posts, latest.followers
    )
    if latest.last_post_at is not None:
        row.last_post_on = timezone.localdate(latest.last_post_at)
    # Without the platform's word, the day the post count last rose (to within the day
    # between two snapshots). A count first seen on the first snapshot says nothing.
    elif channel["reached_count_on"] and channel["reached_count_on"] != channel["first_on"]:
        row.last_post_on = channel["reached_count_on"]
    row.quiet_since = row.last_post_on
    if row.quiet_since is None and channel["reached_count_on"] == channel["first_on"]:
        row.quiet_since = channel["first_on"]


def followers_trend_per_week(row):
    if row.followers_growth_30d is None:
        return None
    return row.followers_growth_30d * 7 / 30


def current_value(metric, row):
    if metric == "followers":
        return row.followers
    if metric == "posts_per_week":
        return row.posts_per_week
    if metric == "engagement_rate":
        return row.engagement_rate
    return None


def goal_progress(goal, row, today):
    return figures.goal_progress(
        goal.metric,
        goal.target_value,
        goal.target_date,
        today,
        current=current_value(goal.metric, row),
        trend_per_week=followers_trend_per_week(row) if goal.metric == "followers" else None,
    )


def behind_plan(goals, last_post_on, today):
    """Has the channel gone quiet for three of the intervals its plan promised?"""
    promised = [
        float(g.target_value) for g in goals if g.metric == "posts_per_week" and g.target_value
    ]
    if not promised or last_post_on is None:
        return False
    interval_days = 7 / max(promised)
    return (today - last_post_on).days >= ceil(BEHIND_PLAN_INTERVALS * max(interval_days, 7))
