"""The review queue: the proposals waiting for the person looking, oldest first.

A unit head sees the proposals awaiting their endorsement, the reviewer group of a
platform the proposals of that platform in review, a portal admin both stages. Nobody
sees their own proposals here. Rows are worked out once in Python, in a fixed number
of queries whatever the length of the queue.
"""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Unit
from accounts.platforms import Platform
from checklist.models import Proposal, Transition
from portal import roles

PAGE_SIZE = 25
# How many working days (Monday to Friday) a proposal may wait at one stage.
SERVICE_LEVEL_WORKING_DAYS = getattr(settings, "PORTAL_REVIEW_SERVICE_DAYS", 10)


def working_days_between(start, end):
    """The weekdays (Monday to Friday) after ``start`` up to and including ``end``."""
    days = (end - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def reviewed_platforms_q(user):
    """The platforms whose reviewer group ``user`` belongs to, as a filter on
    Proposal.platform (the same rule as Proposal.reviewer_group)."""
    groups = roles._group_names(user)
    mapping = settings.PORTAL_REVIEWER_GROUPS
    q = Q(platform__in=[platform for platform, group in mapping.items() if group in groups])
    if roles.COMMUNICATIONS in groups:
        # Every platform without a group of its own falls to the communications office.
        q |= ~Q(platform__in=[p for p, g in mapping.items() if g != roles.COMMUNICATIONS])
    return q


def queue_for(user):
    """The proposals waiting for ``user``: a queryset, or None when they have nothing
    to review (no role that reviews)."""
    if not roles.is_staff_member(user):
        return None
    awaiting = Q(state=Proposal.State.AWAITING_UNIT_HEAD)
    in_review = Q(state=Proposal.State.IN_REVIEW)
    if roles.is_portal_admin(user):
        waiting = awaiting | in_review
    else:
        waiting = Q(pk__in=[])
        has_role = False
        if roles.is_unit_head(user):
            has_role = True
            # The endorser: the unit's head, or the parent unit's head when the unit's
            # head is the submitter (Proposal.endorser(), one level up).
            waiting |= awaiting & (
                Q(unit__head=user) | (Q(unit__head=F("submitter")) & Q(unit__parent__head=user))
            )
        groups = roles._group_names(user)
        if roles.COMMUNICATIONS in groups or groups & set(settings.PORTAL_REVIEWER_GROUPS.values()):
            has_role = True
            waiting |= in_review & reviewed_platforms_q(user)
        if not has_role:
            return None
    entered = Transition.objects.filter(proposal=OuterRef("pk"), to_state=OuterRef("state"))
    return (
        Proposal.objects.filter(waiting)
        .exclude(submitter=user)
        .annotate(
            waiting_since=Coalesce(
                Subquery(entered.order_by("-at", "-pk").values("at")[:1]),
                "submitted_at",
                "updated_at",
            )
        )
        .select_related("unit", "submitter")
        .order_by("waiting_since", "pk")
    )


def _person_name(user):
    return user.get_full_name() or user.get_username()


def _rows(proposals, today):
    platforms = dict(Platform.choices)
    states = dict(Proposal.State.choices)
    for proposal in proposals:
        since = timezone.localdate(proposal.waiting_since)
        working_days = working_days_between(since, today)
        yield {
            "url": proposal.get_absolute_url(),
            "name": str(proposal),
            "unit": proposal.unit.name if proposal.unit else "",
            "platform": platforms.get(proposal.platform, ""),
            "showcase": proposal.is_showcase_page,
            "submitter": _person_name(proposal.submitter),
            "stage": states[proposal.state],
            "waiting_since": proposal.waiting_since,
            "age_days": max((today - since).days, 0),
            "working_days": working_days,
            "overdue": working_days > SERVICE_LEVEL_WORKING_DAYS,
        }


def _chosen(request, name, allowed):
    value = request.GET.get(name, "")
    return value if value in allowed else ""


@require_GET
def queue(request):
    proposals = queue_for(request.user)
    context = {"service_level": SERVICE_LEVEL_WORKING_DAYS, "reviews": proposals is not None}
    if proposals is None:
        return render(request, "checklist/review_queue.html", context | {"rows": []})
    units = list(
        Unit.objects.filter(pk__in=proposals.order_by().values("unit")).values_list("pk", "name")
    )
    unit = _chosen(request, "unit", {str(pk) for pk, _name in units})
    platform = _chosen(request, "platform", set(Platform.values))
    if unit:
        proposals = proposals.filter(unit_id=unit)
    if platform:
        proposals = proposals.filter(platform=platform)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "checklist/review_queue.html",
        context
        | {
            "page": page,
            "rows": list(_rows(page.object_list, timezone.localdate())),
            "query": query.urlencode(),
            "units": units,
            "platforms": Platform.choices,
            "chosen_unit": unit,
            "chosen_platform": platform,
            "filtered": bool(unit or platform),
        },
    )
