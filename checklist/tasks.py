"""Scheduled jobs of the review workflow (thin: they ask the queue and mail)."""

from celery import shared_task
from django.utils import timezone

from checklist.access import people_who_review
from checklist.review_queue import SERVICE_LEVEL_WORKING_DAYS, queue_for, working_days_between
from core.notifications import notify


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
