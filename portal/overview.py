"""The communications office's overview on its home: what waits and for how long, what
needs triage or attention, and how the open notices are read. Each figure comes with the
address of the list that shows the items it counts.

Every figure is an aggregate in the database: a fixed number of queries however large
the registry, and the figures (not the page) are cached for the whole office
(portal.caching.OFFICE_OVERVIEW)."""

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

from accounts.models import Channel, ChannelVerification, SuspiciousAccountReport
from checklist.models import Proposal
from checklist.review_queue import (
    SERVICE_LEVEL_STAGES,
    SERVICE_LEVEL_WORKING_DAYS,
    over_service_level_q,
    with_waiting_since,
)
from guidelines.models import NoticeAcknowledgement, NoticeRecipient, SiteNotice
from lookalikes.models import SearchRecord
from portal.caching import OFFICE_OVERVIEW

# The stages shown, in the order a proposal goes through them.
STAGES = (*SERVICE_LEVEL_STAGES, Proposal.State.CHANGES_REQUESTED)


def _link(url_name, **params):
    url = reverse(url_name)
    return f"{url}?{urlencode(params)}" if params else url


def office_overview(today=None):
    """The overview's figures on ``today``, from the cache when they are fresh: plain
    data (no model instances), rendered for each reader by the home's template."""
    today = today or timezone.localdate()
    return OFFICE_OVERVIEW.get([today.isoformat(), get_language()], lambda: _compute(today))


def _compute(today):
    return {
        "stages": _stages(today),
        "target_days": SERVICE_LEVEL_WORKING_DAYS,
        "reports": _reports(),
        "watch": _watch(),
        "channels": _channels(),
        "notices": _notices(),
    }


def _stages(today):
    """Per stage: how many proposals wait there, since when the oldest has, and how
    many wait longer than the review target (one query)."""
    rows = (
        with_waiting_since(Proposal.objects.filter(state__in=STAGES))
        .values("state")
        .annotate(
            count=Count("pk"),
            oldest=Min("waiting_since"),
            overdue=Count("pk", filter=over_service_level_q(today)),
        )
        .order_by()
    )
    by_state = {row["state"]: row for row in rows}
    labels = dict(Proposal.State.choices)
    stages = []
    for state in STAGES:
        row = by_state.get(state, {})
        oldest = row.get("oldest")
        stages.append(
            {
                "state": str(state),
                "label": str(labels[state]),
                "count": row.get("count", 0),
                "url": _link("checklist:list", state=state),
                "oldest_days": (today - timezone.localdate(oldest)).days if oldest else None,
                "has_target": state in SERVICE_LEVEL_STAGES,
                "overdue": row.get("overdue", 0),
                "overdue_url": _link("checklist:list", state=state, overdue="true"),
            }
        )
    return stages


def _reports():
    """Open reports, and those of them the impersonation watch found (one query)."""
    Source = SuspiciousAccountReport.Source
    counts = SuspiciousAccountReport.objects.open().aggregate(
        count=Count("pk"), lookalikes=Count("pk", filter=Q(source=Source.LOOKALIKE))
    )
    return {
        "count": counts["count"],
        "url": _link("accounts:reports", state="open"),
        "lookalikes": counts["lookalikes"],
        "lookalikes_url": _link("accounts:reports", state="open", source=Source.LOOKALIKE),
    }


def _watch():
    """The impersonation watch's searches that failed in the last day (one query); the
    list is the admin's (portal administrators)."""
    since = timezone.now() - datetime.timedelta(days=1)
    return {
        "failed": SearchRecord.objects.failed_since(since).count(),
        "failed_url": _link("admin:lookalikes_searchrecord_changelist", outcome__exact="failed"),
    }


def _channels():
    """Running channels that are dormant, behind their plan, or whose account no
    longer links back (ChannelQuerySet.verification_broken, the registry's filter)
    (one query)."""
    counts = Channel.objects.running().aggregate(
        dormant=Count("pk", filter=Q(status=Channel.Status.DORMANT)),
        behind_plan=Count("pk", filter=Q(summary__behind_plan=True)),
        link_broken=Count("pk", filter=Q(verification__state=ChannelVerification.State.BROKEN)),
    )
    return {
        "dormant": counts["dormant"],
        "dormant_url": _link("metrics:portfolio", status=Channel.Status.DORMANT),
        "behind_plan": counts["behind_plan"],
        "behind_plan_url": _link("metrics:portfolio", behind_plan="true"),
        "link_broken": counts["link_broken"],
        "link_broken_url": _link("accounts:registry", link_broken="true"),
    }


def _notices():
    """The notices shown now, a crisis first, each with how many of the people it was
    sent to acknowledged it (a crisis notice) or how many read it (one query)."""
    notices = (
        SiteNotice.objects.active()
        .annotate(
            # Counted in subqueries: joining both the recipients and the
            # acknowledgements would multiply their rows.
            recipients_count=_count(NoticeRecipient.objects.filter(notice=OuterRef("pk"))),
            acknowledged_count=_count(
                NoticeRecipient.objects.filter(
                    Exists(
                        NoticeAcknowledgement.objects.filter(
                            notice=OuterRef("notice"), user=OuterRef("user")
                        )
                    ),
                    notice=OuterRef("pk"),
                )
            ),
            read_count=_count(NoticeAcknowledgement.objects.filter(notice=OuterRef("pk"))),
        )
        .order_by("-starts_at", "-pk")
    )
    rows = [
        {
            "title": notice.title,
            "is_crisis": notice.is_crisis,
            "level": notice.get_level_display(),
            "url": notice.get_absolute_url(),
            "recipients": notice.recipients_count,
            "acknowledged": notice.acknowledged_count,
            "percent": round(100 * notice.acknowledged_count / notice.recipients_count)
            if notice.recipients_count
            else None,
            "read": notice.read_count,
        }
        for notice in notices
    ]
    return sorted(rows, key=lambda row: not row["is_crisis"])


def _count(rows):
    """How many ``rows`` there are, as a subquery (0 when none)."""
    counted = rows.order_by().values("notice").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted[:1]), 0)
