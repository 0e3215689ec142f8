"""Scheduled jobs of the review workflow (thin: they ask the queue and mail)."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from checklist.review_queue import SERVICE_LEVEL_WORKING_DAYS, queue_for, working_days_between
from portal import roles
from portal.notifications import notify


def people_who_review():
    """Everyone who may have proposals waiting for them: unit heads, reviewer groups
    and portal admins."""
    from django.conf import settings

    groups = {roles.COMMUNICATIONS, roles.PORTAL_ADMINS, *settings.PORTAL_REVIEWER_GROUPS.values()}
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(headed_units__isnull=False) | Q(groups__name__in=groups) | Q(is_superuser=True))
        .distinct()
    )


@shared_task
def remind_overdue_reviews():
    """Weekly: tell each person the proposals that have waited for them longer than
    the service level. Returns how many people were reminded."""
    today = timezone.localdate()
    reminded = 0
    for person in people_who_review():
        waiting = queue_for(person)
        if waiting is None:
            continue
        overdue = [
            proposal
            for proposal in waiting
            if working_days_between(timezone.localdate(proposal.waiting_since), today)
            > SERVICE_LEVEL_WORKING_DAYS
        ]
        if overdue:
            notify(
                [person],
                "checklist/email/overdue_reviews",
                {"proposals": overdue, "days": SERVICE_LEVEL_WORKING_DAYS},
            )
            reminded += 1
    return reminded
