"""The review queue: the proposals waiting for the person looking, oldest first.

A unit head sees the proposals awaiting their endorsement, the reviewer group of a
platform the proposals of that platform in review, a portal admin both stages. Nobody
sees their own proposals here. Rows are worked out once in Python, in a fixed number
of queries whatever the length of the queue.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Unit
from accounts.platforms import Platform
from checklist.access import reviews_proposals
from checklist.caching import PROPOSALS
from checklist.models import (
    Proposal,
)
from checklist.review_queue import SERVICE_LEVEL_WORKING_DAYS, queue_for, working_days_between
from core.caching import cached_listing
from core.names import person_name
from core.person_facts import PEOPLE

PAGE_SIZE = 25


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
            "submitter": person_name(proposal.submitter),
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
    reviews = reviews_proposals(request.user)  # queue_for(request.user) is not None
    context = {"service_level": SERVICE_LEVEL_WORKING_DAYS, "reviews": reviews}
    if reviews:
        # Each reader's own queue, until a proposal, its transitions, a unit or the
        # reader's roles change (checklist.caching.PROPOSALS, core.person_facts.PEOPLE).
        # The query is built only when the listing is not cached: its expressions alone
        # cost 2 ms of CPU.
        context["listing"] = cached_listing(
            request,
            PROPOSALS,
            lambda: _listing(request, queue_for(request.user)),
            scope=f"queue:{request.user.pk}:{PEOPLE.current()}",
        )
    return render(request, "checklist/review_queue.html", context)


def _listing(request, proposals):
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
    # No context processors: nothing here depends on who asks but the queryset.
    return render_to_string(
        "checklist/_review_queue_listing.html",
        {
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
