"""Who is waiting for whom in the review workflow: the review queue's query and the
working-day arithmetic behind its service level (used by the page and the weekly
reminder)."""

import datetime

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import is_unit_head
from checklist.access import in_a_reviewer_group
from checklist.models import Proposal, Transition, endorsed_by_q
from core import roles

# How many working days (Monday to Friday) a proposal may wait at one stage.
SERVICE_LEVEL_WORKING_DAYS = settings.PORTAL_REVIEW_SERVICE_DAYS


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


# The stages the service level applies to: someone other than the submitter is to act.
SERVICE_LEVEL_STAGES = (Proposal.State.AWAITING_UNIT_HEAD, Proposal.State.IN_REVIEW)


def with_waiting_since(proposals):
    """``proposals`` annotated with ``waiting_since``: when each entered its current
    stage (its latest transition into it; else when it was submitted or last changed)."""
    entered = Transition.objects.filter(proposal=OuterRef("pk"), to_state=OuterRef("state"))
    return proposals.annotate(
        waiting_since=Coalesce(
            Subquery(entered.order_by("-at", "-pk").values("at")[:1]),
            "submitted_at",
            "updated_at",
        )
    )


def overdue_before(today):
    """The moment before which a proposal that entered its stage is overdue on ``today``:
    more than SERVICE_LEVEL_WORKING_DAYS working days (the review queue's rule), as a
    bound the database can compare ``waiting_since`` with."""
    start = today
    while working_days_between(start, today) <= SERVICE_LEVEL_WORKING_DAYS:
        start -= datetime.timedelta(days=1)
    # Overdue when it entered on ``start`` or earlier (in the organisation's time zone).
    return timezone.make_aware(
        datetime.datetime.combine(start + datetime.timedelta(days=1), datetime.time.min)
    )


def over_service_level_q(today):
    """Proposals (annotated ``with_waiting_since``) waiting past the service level."""
    return Q(state__in=SERVICE_LEVEL_STAGES, waiting_since__lt=overdue_before(today))


def reviewed_platforms_q(user):
    """The platforms whose reviewer group ``user`` belongs to, as a filter on
    Proposal.platform (the same rule as Proposal.reviewer_group)."""
    groups = roles.group_names(user)
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
        if is_unit_head(user):
            has_role = True
            waiting |= awaiting & endorsed_by_q(user)
        if in_a_reviewer_group(user):
            has_role = True
            waiting |= in_review & reviewed_platforms_q(user)
        if not has_role:
            return None
    return (
        with_waiting_since(Proposal.objects.filter(waiting).exclude(submitter=user))
        .select_related("unit", "submitter")
        .order_by("waiting_since", "pk")
    )
