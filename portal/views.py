import logging

import kombu
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Channel
from checklist.models import Proposal
from checklist.review_queue import queue_for
from portal import roles

logger = logging.getLogger(__name__)


def home(request):
    """The dashboard: what the signed-in person has to do or follow."""
    is_reviewer = roles.is_reviewer(request.user)
    awaiting, awaiting_count = _awaiting(request.user)
    context = {
        "my_proposals": Proposal.objects.filter(submitter=request.user).order_by(
            "-updated_at", "-pk"
        )[:10],
        "my_channels": Channel.objects.owned_or_deputised_by(request.user)
        .running()
        .select_related("unit")
        .order_by("name", "pk"),
        "shows_review_queue": is_reviewer or roles.is_unit_head(request.user),
        "awaiting_my_review": awaiting,
        "awaiting_count": awaiting_count,
        "registry_warnings": Channel.objects.cached_warning_counts() if is_reviewer else None,
        "today": timezone.localdate(),
    }
    return render(request, "portal/home.html", context)


def too_many_requests(request, exception=None):
    """The 429 page of the rate limits that do not say how long to wait: django-ratelimit's
    (RATELIMIT_VIEW) and allauth's (``handler429`` in portal/urls.py). The login lockout
    and the code step's pause have pages of their own that say until when."""
    return render(request, "429.html", status=429)


def _awaiting(user):
    """(the first proposals waiting for this person, how many wait): the review
    queue's own rule, so home and /review/ never disagree."""
    waiting = queue_for(user)
    if waiting is None:
        return [], 0
    return list(waiting[:10]), waiting.count()


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database does not answer.")
        return False


def _broker_answers():
    try:
        with kombu.Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as broker:
            broker.ensure_connection(max_retries=1)
        return True
    except Exception:
        logger.exception("Health check: the Celery broker does not answer.")
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise. Names no hosts,
    versions or errors: those go to the log."""
    checks = {
        "database": "ok" if _database_answers() else "unavailable",
        "broker": "ok" if _broker_answers() else "unavailable",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
