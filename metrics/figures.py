"""The formulas behind the figures people see, in one place, with ``None`` ("the
platform did not say") kept apart from 0 all the way.

- engagement = likes + comments + shares, over the parts the platform gives (Instagram
  gives no shares, so its engagement is likes + comments); None when it gives none.
- engagement per post = engagement / the posts it was counted over.
- engagement rate per follower (%) = engagement per post / followers × 100.
- posts per week = posts published over a period × 7 / its days.

The metrics pages state these formulas in words (``FORMULAS``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

FORMULAS = [
    _("Engagement = likes + comments + shares, over the posts of the last 30 days."),
    _("Engagement per post = engagement ÷ the number of those posts."),
    _("Engagement rate = engagement per post ÷ followers × 100 %."),
    _(
        "A figure the platform does not give is shown as “—”, never as 0; engagement then "
        "counts the parts that are given."
    ),
]


def engagement(likes, comments, shares):
    parts = [part for part in (likes, comments, shares) if part is not None]
    return sum(parts) if parts else None


def per_post(total, posts):
    if total is None or not posts:
        return None
    return total / posts


def rate_per_follower(total, posts, followers):
    """Engagement per post as a percentage of followers."""
    each = per_post(total, posts)
    if each is None or not followers:
        return None
    return each / followers * 100


def posts_per_week(posts_now, posts_before, days):
    """Posts per week between two post counts ``days`` apart; None if either is unknown
    or the count went down (posts deleted: the figure would lie)."""
    if posts_now is None or posts_before is None or days <= 0 or posts_now < posts_before:
        return None
    return (posts_now - posts_before) * 7 / days


# --- Goals ---------------------------------------------------------------------------


class GoalStatus:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NO_DATA = "no_data"
    NOT_MEASURED = "not_measured"

    LABELS = {
        MET: _("Met"),
        ON_TRACK: _("On track"),
        BEHIND: _("Behind"),
        MISSED: _("Missed"),
        NO_DATA: _("No data yet"),
        NOT_MEASURED: _("Not measured automatically"),
    }
    # Worst first: a channel's overall goal status is its worst goal's.
    SEVERITY = [MISSED, BEHIND, NO_DATA, ON_TRACK, MET, NOT_MEASURED]


@dataclass
class GoalProgress:
    status: str
    current: float | None
    projected: float | None  # the value expected on the target date at today's pace
    trend_per_week: float | None  # change per week (followers) or the rate itself

    @property
    def label(self):
        return GoalStatus.LABELS[self.status]


def goal_progress(metric, target, target_date, today, *, current, trend_per_week):
    """How a goal stands.

    ``current`` is today's value of the measure (followers; posts per week over the last
    four weeks; engagement rate in %). ``trend_per_week`` is, for followers, the change
    per week over the last 30 days. Counts (followers) are projected linearly to the
    target date; rates (posts per week, engagement rate) are compared as they are now.
    """
    target = float(target) if isinstance(target, Decimal) else target
    if metric == "response_time_hours":
        return GoalProgress(GoalStatus.NOT_MEASURED, None, None, None)
    if current is None:
        return GoalProgress(GoalStatus.NO_DATA, None, None, trend_per_week)
    reached = current >= target
    if metric == "followers":
        weeks_left = max(0, (target_date - today).days) / 7
        projected = current + (trend_per_week or 0) * weeks_left
    else:
        projected = current
    if today > target_date:
        status = GoalStatus.MET if reached else GoalStatus.MISSED
    elif reached and metric == "followers":
        status = GoalStatus.MET
    elif projected >= target:
        status = GoalStatus.ON_TRACK
    else:
        status = GoalStatus.BEHIND
    return GoalProgress(status, current, projected, trend_per_week)


def worst(statuses):
    """The most urgent of several goal statuses, or None without goals."""
    statuses = list(statuses)
    for status in GoalStatus.SEVERITY:
        if status in statuses:
            return status
    return None
