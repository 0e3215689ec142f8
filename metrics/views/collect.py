""" "Collect now": the owner, deputy or the office asks for a channel's figures at once
(metrics.models.CollectionRequest, metrics.tasks.collect_now), and sees how it goes.

A POST asks and comes back to the figures page with a message; a GET answers the state
alone (the page's fragment), which the page polls with htmx while the request is queued
or running. Without JavaScript the page's own "Refresh" link does the same.

Channels are fetched through ``Channel.objects.visible_to(user)`` (not visible: 404);
who may ask is ``metrics.access.can_collect_now`` (otherwise 403).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Channel
from metrics import access
from metrics.models import CollectionAttempt, CollectionRequest
from metrics.providers import TOKEN_PLATFORMS

Outcome = CollectionAttempt.Outcome


@require_http_methods(["GET", "POST"])
def collect_now(request, pk):
    channel = get_object_or_404(
        Channel.objects.visible_to(request.user).select_related("api_token"), pk=pk
    )
    if not access.can_collect_now(request.user, channel):
        raise PermissionDenied
    if request.method == "GET":
        return render(request, "metrics/_collect_now.html", panel(channel))
    try:
        CollectionRequest.ask(channel, by=request.user)
    except ValidationError as refusal:
        messages.warning(request, " ".join(refusal.messages))
    else:
        messages.success(
            request,
            _(
                "The figures are being collected: this page shows how it goes "
                "(refresh it if it does not update by itself)."
            ),
        )
    return redirect("metrics:channel", pk=channel.pk)


def panel(channel):
    """The "collect now" panel's context for ``channel`` (one query)."""
    latest = CollectionRequest.objects.select_related("attempt").filter(channel=channel).first()
    if latest is not None:
        latest.channel = channel  # no query for it
    return {
        "channel": channel,
        "offered": access.offers_collect_now(channel),
        "latest": latest,
        "status": status(latest) if latest else None,
    }


def status(asked):
    """What became of a press, in words: {"state", "text", "open"}."""
    if asked.is_open and asked.state == asked.State.RUNNING:
        return {"state": "running", "text": _("Collecting now…"), "open": True}
    if asked.is_open:
        if asked.retry_at and asked.attempt:
            return {"state": "queued", "text": _waiting(asked), "open": True}
        return {"state": "queued", "text": _("Queued: waiting for a worker."), "open": True}
    return {"state": "done", "text": result(asked), "open": False}


def _time(moment):
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


def _waiting(asked):
    at = {"time": _time(asked.retry_at)}
    if asked.attempt.outcome == Outcome.RATE_LIMITED:
        return _("Rate limited by the platform, will retry at %(time)s.") % at
    return _("The platform did not answer properly, will retry at %(time)s.") % at


def result(asked):
    """The result of a finished press, in plain words."""
    attempt = asked.attempt
    if attempt is None:
        if asked.finished_at is not None:
            return _("Nothing was collected: the channel is no longer collected.")
        return _("It did not finish in time: nothing was collected. You can ask again.")
    if attempt.outcome == Outcome.OK:
        if asked.followers is None:
            return _("Collected; the platform did not give the number of followers.")
        followers = number_format(asked.followers, force_grouping=True)
        return _("Collected: %(followers)s followers.") % {"followers": followers}
    if attempt.outcome == Outcome.AUTH_FAILED:
        if asked.channel.platform in TOKEN_PLATFORMS:
            return _("The platform refused the token: reconnect the account or save a new token.")
        return _(
            "The platform refused the portal's key: the portal's administrators must renew it."
        )
    if attempt.outcome == Outcome.UNAVAILABLE:
        return _(
            "The platform says the account does not exist or is not public: check its address."
        )
    if attempt.outcome == Outcome.RATE_LIMITED:
        return _("Rate limited by the platform, and out of retries: try again later.")
    return _("The platform did not answer properly, and out of retries: try again later.")
