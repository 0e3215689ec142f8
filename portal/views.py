import logging

import kombu
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from accounts.caching import DIRECTORY
from accounts.models import Channel
from checklist.access import reviews_proposals
from checklist.models import Proposal
from checklist.review_queue import queue_for
from core import roles
from core.caching import public_page
from metrics import versions
from portal.overview import office_overview

logger = logging.getLogger(__name__)


@login_not_required
@require_safe
@public_page(DIRECTORY)
def home(request):
    """The dashboard: what the signed-in person has to do or follow. Anyone else gets
    the public front page."""
    if not request.user.is_authenticated:
        return _front_page(request)
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
        "shows_review_queue": reviews_proposals(request.user),
        "awaiting_my_review": awaiting,
        "awaiting_count": awaiting_count,
        "registry_warnings": Channel.objects.cached_warning_counts() if is_reviewer else None,
        # The office's at-a-glance figures, each with the list it counts.
        "overview": office_overview() if is_reviewer else None,
        # The platform API versions and how long each has left: an operator's concern.
        "api_versions": versions.overview() if roles.is_portal_admin(request.user) else None,
        "is_portal_admin": roles.is_portal_admin(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "portal/home.html", context)


def _front_page(request):
    """The public's way in: search the directory, check an account, report a fake one,
    and staff's sign-in. The same for every anonymous visitor: kept whole with the
    directory's pages (``public_page``, accounts.caching.DIRECTORY)."""
    count = Channel.objects.public().count()
    return render(request, "portal/front.html", {"official_count": count})


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


def _cache_answers():
    """The Redis cache pings Redis (core/redis_cache.py); a per-process cache always
    answers."""
    answers = getattr(caches["default"], "answers", None)
    if answers is None:
        return True
    try:
        return answers()
    except Exception:
        logger.exception("Health check: the cache does not answer.")
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
    """Whether the database, the cache and the broker answer: "ok" when all do; when one
    does not, 503 "unavailable" if PORTAL_HEALTHZ_REQUIRED names it, 200 "degraded"
    otherwise (the portal works without it). Names no hosts, versions or errors: those
    go to the log."""
    answers = {"database": _database_answers, "cache": _cache_answers, "broker": _broker_answers}
    checks = {name: "ok" if check() else "unavailable" for name, check in answers.items()}
    failed = {name for name, state in checks.items() if state != "ok"}
    if failed & set(settings.PORTAL_HEALTHZ_REQUIRED):
        status = "unavailable"
    else:
        status = "degraded" if failed else "ok"
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "unavailable" else 200
    )
