"""The figures people look at: the portfolio, a channel's page, a unit's monthly report.

Each page reads the channel summaries (the rollup) or one channel's snapshots, through
``Channel.objects.metrics_visible_to(user)``: the office sees all channels, a unit head
their unit's, an owner or deputy their own. Query counts are fixed (tested)."""

import csv
import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Channel, Unit
from accounts.spreadsheets import spreadsheet_safe, xlsx_response
from checklist.models import Goal
from core.caching import cached_listing
from core.validators import EARLIEST_YEAR
from core.view_helpers import CountedPaginator, render_with_part
from metrics import access, charts, figures
from metrics.caching import PORTFOLIO
from metrics.figures import GoalStatus
from metrics.filters import PortfolioFilter
from metrics.models import (
    CollectionAttempt,
    Snapshot,
)
from metrics.summaries import goal_progress
from metrics.views import collect

PAGE_SIZE = 50
RANGES = {"30": 30, "90": 90, "365": 365, "all": None}
DEFAULT_RANGE = "90"


# --- Portfolio -------------------------------------------------------------------------


def _portfolio_channels(request):
    return Channel.objects.metrics_visible_to(request.user).running()


@require_GET
def portfolio(request):
    query = request.GET.copy()
    query.pop("page", None)
    # Everyone's channels for the office, one person's otherwise: the same rows for
    # everyone with the same scope until the figures change (metrics.caching).
    scope = Channel.objects.metrics_scope(request.user)
    listing = cached_listing(
        request, PORTFOLIO, lambda: _portfolio_listing(request, scope), scope=f"listing:{scope}"
    )
    return render(
        request, "metrics/portfolio.html", {"listing": listing, "query": query.urlencode()}
    )


def _portfolio_listing(request, scope):
    channels = _portfolio_channels(request)
    filterset = PortfolioFilter(request.GET, queryset=channels)
    listed = filterset.qs.select_related("unit", "summary")
    if not request.GET.get("sort"):
        listed = listed.order_by("name", "pk")
    breakdown = _breakdown(channels, scope)
    if set(request.GET) <= {"page", "sort"}:
        # Unfiltered, the list is every channel the totals count: no second count.
        paginator = CountedPaginator(listed, PAGE_SIZE, breakdown["totals"]["channels"])
    else:
        paginator = Paginator(listed, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Neither the request nor context processors: nothing here may depend on who asks
    # but their scope.
    return render_to_string(
        "metrics/_portfolio_listing.html",
        {
            "filter": filterset,
            "params": request.GET,
            "page": page,
            "rows": [_row(channel) for channel in page.object_list],
            "query": query.urlencode(),
            **breakdown,
            "attention": channels.filter(Q(status="dormant") | Q(summary__behind_plan=True))
            .order_by("name")
            .select_related("summary")[:20],
            "goal_labels": GoalStatus.LABELS,
            "formulas": figures.FORMULAS,
        },
    )


def _spark(summary):
    """The twelve-week followers sparkline of a channel's summary (None: no summary)."""
    values = summary.sparkline if summary else []
    return charts.sparkline(values, label=charts.trend_label(values, _("Followers")))


def _row(channel):
    summary = getattr(channel, "summary", None)
    return {
        "channel": channel,
        "summary": summary,
        "sparkline": _spark(summary),
        "goal_label": GoalStatus.LABELS.get(summary.goal_status, "") if summary else "",
    }


def _breakdown(channels, scope):
    """The totals, and the figures per unit and per platform, of ``channels``: ONE query
    grouped by unit and platform (at most units x platforms rows), added up in Python.
    Three aggregates over every channel were most of the office's page on 100,000
    channels (bench/README.md, "Load"). The groups are cached per ``scope`` (whose
    channels: everyone's or one person's) until the figures change
    (metrics.caching.PORTFOLIO)."""
    groups = PORTFOLIO.get(["breakdown", scope], lambda: _groups(channels))
    by_unit, by_platform = defaultdict(list), defaultdict(list)
    for group in groups:  # in the database's order of the unit names
        by_unit[group["unit__name"]].append(group)
        by_platform[group["platform"]].append(group)
    labels = dict(Channel._meta.get_field("platform").choices)
    return {
        "totals": _added_up(groups),
        "by_unit": [
            {"unit__name": name, "label": name, **_added_up(rows)} for name, rows in by_unit.items()
        ],
        "by_platform": [
            {"platform": code, "label": labels.get(code, code), **_added_up(by_platform[code])}
            for code in sorted(by_platform)
        ],
    }


def _groups(channels):
    return list(
        channels.order_by()
        .values("unit__name", "platform")
        .annotate(
            channels=Count("pk"),
            followers=Sum("summary__followers"),
            growth=Sum("summary__followers_growth_30d"),
            dormant=Count("pk", filter=Q(status="dormant")),
            behind_plan=Count("pk", filter=Q(summary__behind_plan=True)),
        )
        .order_by("unit__name", "platform")
    )


def _added_up(groups):
    """The figures of several groups together; a sum that none of them knows stays
    None, as SQL's SUM over NULLs."""

    def known(key):
        values = [group[key] for group in groups if group[key] is not None]
        return sum(values) if values else None

    return {
        "channels": sum(group["channels"] for group in groups),
        "followers": known("followers"),
        "growth": known("growth"),
        "dormant": sum(group["dormant"] for group in groups),
        "behind_plan": sum(group["behind_plan"] for group in groups),
    }


class _Echo:
    def write(self, value):
        return value


def _export(request):
    """The figures export, as the filters chose: its header and its rows of Python
    values (numbers as numbers, dates as dates), for the CSV and the XLSX alike."""
    filterset = PortfolioFilter(request.GET, queryset=_portfolio_channels(request))
    channels = filterset.qs.select_related("unit", "summary").order_by("name", "pk")
    header = [
        _("Name"),
        _("Platform"),
        _("Unit"),
        _("Status"),
        _("Followers"),
        _("Growth in 30 days"),
        _("Posts per week"),
        _("Engagement rate (%)"),
        _("Latest post"),
        _("Goals"),
        _("Behind plan"),
        _("Figures as of"),
    ]

    def rows():
        for channel in channels.iterator(chunk_size=1000):
            summary = getattr(channel, "summary", None)
            yield [
                channel.name,
                channel.get_platform_display(),
                channel.unit.name,
                channel.get_status_display(),
                *(
                    [
                        _number(summary.followers),
                        _number(summary.followers_growth_30d),
                        _number(summary.posts_per_week, 1),
                        _number(summary.engagement_rate, 2),
                        summary.last_post_on,
                        GoalStatus.LABELS.get(summary.goal_status, ""),
                        _("yes") if summary.behind_plan else "",
                        summary.last_snapshot_on,
                    ]
                    if summary
                    else [None] * 8
                ),
            ]

    return header, rows()


@require_GET
def export_csv(request):
    header, rows = _export(request)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines())
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = 'attachment; filename="channel-figures.csv"'
    return response


@require_GET
def export_xlsx(request):
    header, rows = _export(request)
    return xlsx_response(
        rows,
        header=header,
        filename="channel-figures.xlsx",
        title=_("Figures"),
        widths=[32, 12, 28, 10, 12, 12, 12, 14, 12, 16, 10, 12],
    )


def _number(value, digits=0):
    """Unknown is an empty cell, never 0."""
    if value is None:
        return None
    return round(value, digits) if digits else value


# --- One channel -------------------------------------------------------------------------


_CHARTED = [
    "channel_id",
    "date",
    "followers",
    "posts",
    "likes",
    "comments",
    "shares",
    "engagement_posts",
    "engagement_partial",
]


@require_GET
def channel(request, pk):
    channel = get_object_or_404(
        Channel.objects.metrics_visible_to(request.user).select_related(
            "unit", "summary", "api_token"
        ),
        pk=pk,
    )
    today = timezone.localdate()
    range_key = request.GET.get("range", DEFAULT_RANGE)
    if range_key not in RANGES:
        messages.warning(request, _("That range is not offered; showing the last 90 days."))
        range_key = DEFAULT_RANGE
    days = RANGES[range_key]
    # Only the figures the charts and the partial-engagement note read.
    snapshots = channel.snapshots.filter(date__lte=today).order_by("date").only(*_CHARTED)
    if days:
        snapshots = snapshots.filter(date__gt=today - datetime.timedelta(days=days))
    snapshots = list(snapshots)
    start = (
        today - datetime.timedelta(days=days - 1)
        if days
        else (snapshots[0].date if snapshots else today)
    )
    summary = getattr(channel, "summary", None)
    # The proposal's goals, without the proposal itself (a wide row the page never shows).
    proposal = channel.origin_proposal_id
    goals = list(Goal.objects.filter(proposal_id=proposal)) if proposal else []
    progress = [(goal, goal_progress(goal, summary, today)) for goal in goals] if summary else []
    followers_goal = next((g for g in goals if g.metric == "followers"), None)
    return render(
        request,
        "metrics/channel.html",
        {
            "channel": channel,
            "summary": summary,
            "range_key": range_key,
            "ranges": [(key, _range_label(key)) for key in RANGES],
            "charts": _channel_charts(channel, snapshots, start, today, followers_goal),
            "progress": progress,
            "freshness": _freshness(channel, summary, today),
            # The latest snapshot, when it counted engagement over the latest posts only.
            "partial": snapshots[-1] if snapshots and snapshots[-1].engagement_partial else None,
            "formulas": figures.FORMULAS,
            "can_edit": channel.can_edit(request.user),
            "collect_now": (
                collect.panel(channel) if access.can_collect_now(request.user, channel) else None
            ),
        },
    )


def _range_label(key):
    return {
        "30": _("30 days"),
        "90": _("90 days"),
        "365": _("1 year"),
        "all": _("All"),
    }[key]


def _daily(snapshots, start, today):
    by_day = {snapshot.date: snapshot for snapshot in snapshots}
    day = start
    while day <= today:
        yield day, by_day.get(day)
        day += datetime.timedelta(days=1)


# Up to this many days a chart has a point per day; beyond, a point per week (the
# figures of the week's last day), so that a year or more stays readable, and fast.
DAILY_UP_TO = 92


def _channel_charts(channel, snapshots, start, today, followers_goal):
    daily = list(_daily(snapshots, start, today))
    points = daily if len(daily) <= DAILY_UP_TO else daily[::-7][::-1]
    followers = [(day, s.followers if s else None) for day, s in points]
    per_post = [
        (
            day,
            figures.per_post(figures.engagement(s.likes, s.comments, s.shares), s.engagement_posts)
            if s
            else None,
        )
        for day, s in points
    ]
    if points is daily:
        described = _("Followers of %(name)s each day; a gap is a day without figures.")
    else:
        described = _(
            "Followers of %(name)s at the end of each week; a gap is a week without figures."
        )
    return [
        charts.line_chart(
            followers,
            title=_("Followers"),
            description=described % {"name": channel.name},
            y_label=_("Followers"),
            target=float(followers_goal.target_value) if followers_goal else None,
        ),
        charts.bar_chart(
            _posts_per_week(daily),
            title=_("Posts per week"),
            description=_(
                "Posts published each week, from the change in the post count; no bar where "
                "the count is unknown."
            ),
            y_label=_("Posts"),
        ),
        charts.line_chart(
            per_post,
            title=_("Engagement per post"),
            description=_("Likes, comments and shares per post over the 30 days before each day."),
            y_label=_("Engagement per post"),
        ),
    ]


def _posts_per_week(daily):
    """(week label, posts published that week) from the post counts at week ends."""
    ends = daily[::-7][::-1]  # every seventh day, ending today
    bars = []
    for (_day, before), (day, after) in zip(ends, ends[1:], strict=False):
        posts = None
        if before and after and before.posts is not None and after.posts is not None:
            posts = max(0, after.posts - before.posts)
        bars.append((_short(day), posts))
    return bars


def _short(day):
    """A date as the language writes it briefly (2026-11-28 in English and Swedish)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def _freshness(channel, summary, today):
    """A sentence on where the figures come from and how fresh they are."""
    attempt = CollectionAttempt.objects.latest_for(channel)
    last = summary.last_snapshot_on if summary else None
    failed = attempt is not None and attempt.outcome != CollectionAttempt.Outcome.OK
    if failed and (last is None or last < attempt.date):
        # The first day without figures: the day after the latest ones, or the failed
        # try's day; never after today (a try for a later day, given by hand).
        since = min(last + datetime.timedelta(days=1) if last else attempt.date, today)
        return {
            "state": "unavailable",
            "text": _("Unavailable since %(date)s: %(reason)s")
            % {"date": _short(since), "reason": attempt.get_outcome_display()},
        }
    freshness = _source(summary, last, today)
    if failed:
        # A later try for a day that has its figures (a retry, "collect now") failed:
        # the figures shown stand, and the failure is said.
        freshness["text"] += " " + _("The latest try failed: %(reason)s") % {
            "reason": attempt.get_outcome_display()
        }
    return freshness


def _source(summary, last, today):
    if last is None:
        return {"state": "none", "text": _("No figures yet.")}
    if summary.source == Snapshot.Source.MANUAL:
        return {
            "state": "manual",
            "text": _("Entered by hand; latest figures of %(date)s.") % {"date": _short(last)},
        }
    if summary.source == Snapshot.Source.DEMO:
        return {"state": "demo", "text": _("Demo data, up to %(date)s.") % {"date": _short(last)}}
    if last == today:
        return {"state": "fresh", "text": _("Collected today.")}
    return {
        "state": "stale",
        "text": _("Last collected on %(date)s.") % {"date": _short(last)},
    }


# --- A unit's monthly report ----------------------------------------------------------------


def _month(request, today):
    """The report's month: ?month=YYYY-MM, or the previous month."""
    default = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    value = request.GET.get("month")
    if not value:
        return default
    try:
        month = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        messages.warning(request, _("The month must look like 2026-10; showing the last month."))
        return default
    if month > today:
        messages.warning(request, _("That month has not begun; showing the last month."))
        return default
    if month.year < EARLIEST_YEAR:
        messages.warning(request, _("The month must look like 2026-10; showing the last month."))
        return default
    return month


def _snapshot_on_or_before(day, field):
    return Subquery(
        Snapshot.objects.filter(channel=OuterRef("pk"), date__lte=day)
        .order_by("-date")
        .values(field)[:1]
    )


@require_GET
def unit_report(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("head"), pk=pk)
    if not unit.can_read_report(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    month = _month(request, today)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    end = min(next_month - datetime.timedelta(days=1), today)
    # The figures part is the same for everyone allowed to read it until a channel or
    # a summary changes: rendered once, then served from the cache under the version
    # the portfolio's figures use (metrics.caching.PORTFOLIO). An aggregate over the
    # unit's channels as the version cost 15 to 30 ms a view on 5,000 channels.
    # Kept encoded: the page is put together as bytes (render_with_part).
    body = PORTFOLIO.get(
        ["unit-report", unit.pk, month, end, get_language()],
        lambda: render_to_string(
            "metrics/_unit_report_body.html", _unit_report_figures(unit, month, end, today)
        ).encode(),
    )
    return render_with_part(
        request,
        "metrics/unit_report.html",
        {
            "unit": unit,
            "month": month,
            "end": end,
            "previous": (month - datetime.timedelta(days=1)).replace(day=1),
            "following": next_month if next_month <= today else None,
        },
        "body",
        body,
    )


def _unit_report_figures(unit, month, end, today):
    before = month - datetime.timedelta(days=1)
    channels = list(
        unit.channels.exclude(status=Channel.Status.CLOSED, closed_on__lt=month)
        .exclude(status=Channel.Status.PLANNED)
        .select_related("summary")
        .annotate(
            followers_end=_snapshot_on_or_before(end, "followers"),
            followers_start=_snapshot_on_or_before(before, "followers"),
            posts_end=_snapshot_on_or_before(end, "posts"),
            posts_start=_snapshot_on_or_before(before, "posts"),
        )
        .order_by("name", "pk")
    )
    goals = defaultdict(list)
    for goal in Goal.objects.filter(proposal__channel__in=channels).select_related(
        "proposal__channel"
    ):
        goals[goal.proposal.channel.pk].append(goal)
    rows = []
    for each in channels:
        summary = getattr(each, "summary", None)
        growth = posts = None
        if each.followers_end is not None and each.followers_start is not None:
            growth = each.followers_end - each.followers_start
        if each.posts_end is not None and each.posts_start is not None:
            posts = max(0, each.posts_end - each.posts_start)
        rows.append(
            {
                "channel": each,
                "summary": summary,
                "followers": each.followers_end,
                "growth": growth,
                "posts": posts,
                "sparkline": _spark(summary),
                "goals": [(goal, goal_progress(goal, summary, today)) for goal in goals[each.pk]]
                if summary
                else [],
            }
        )
    known = [row["followers"] for row in rows if row["followers"] is not None]
    return {
        "end": end,
        "rows": rows,
        "dormant": [row for row in rows if row["channel"].status == Channel.Status.DORMANT],
        "total_followers": sum(known) if known else None,
        "total_growth": sum(r["growth"] for r in rows if r["growth"] is not None),
        "formulas": figures.FORMULAS,
    }
