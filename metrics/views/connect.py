"""Connecting a channel by signing in to its platform (metrics.oauth).

``connect`` (a POST from the channel's token page) starts the flow: a fresh ``state``
and, where the platform takes one, a PKCE verifier are kept in the session, bound to the
channel and the person, and the browser goes to the platform. The platform sends the
person back to ``callback`` (one address for every platform), which accepts only a
state it handed out to the same person, once; exchanges the code; checks that the
account signed in with can read the channel; and has ChannelToken.connect store it.
Whatever goes wrong, nothing is stored and the person reads what to do.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metrics import access, oauth
from metrics.models import ChannelToken
from metrics.views.owner import _token_channel

logger = logging.getLogger(__name__)

SESSION_KEY = "metrics_oauth"
# Flows started and not finished that the session remembers (the oldest go first).
KEPT_FLOWS = 5
# A sign-in not finished within this long is refused: the platforms' own codes live
# minutes, and a state is not a standing permission to store a token.
FLOW_LIFETIME = timedelta(minutes=15)


@require_POST
def connect(request, pk):
    channel = _token_channel(request, pk)
    platform = oauth.platform_for(channel.platform)
    if platform is None:
        raise Http404("Signing in is not set up for this platform.")
    if not access.may_connect(request.user, channel):
        raise PermissionDenied
    state = secrets.token_urlsafe(32)
    verifier = oauth.new_verifier(platform)
    flows = dict(list(request.session.get(SESSION_KEY, {}).items())[-(KEPT_FLOWS - 1) :])
    flows[state] = {
        "channel": channel.pk,
        "user": request.user.pk,
        "verifier": verifier,
        "started": timezone.now().isoformat(),
    }
    request.session[SESSION_KEY] = flows
    return redirect(oauth.authorization_url(platform, state=state, verifier=verifier))


def _expired(flow):
    started = datetime.fromisoformat(flow["started"])
    return not started <= timezone.now() <= started + FLOW_LIFETIME


def _failed(request, message, *, channel=None, status=400):
    return render(
        request,
        "metrics/connect_failed.html",
        {"message": message, "channel": channel},
        status=status,
    )


@require_GET
def callback(request):
    flows = request.session.get(SESSION_KEY, {})
    flow = flows.pop(request.GET.get("state", ""), None)
    request.session[SESSION_KEY] = flows
    if flow is None or flow["user"] != request.user.pk or _expired(flow):
        return _failed(
            request,
            _(
                "This answer from the platform does not match a connection you started "
                "here, it was used already, or it came back too late. Nothing was saved. "
                "Start again from the channel's token page."
            ),
        )
    channel = _token_channel(request, flow["channel"])
    platform = oauth.platform_for(channel.platform)
    if platform is None or not access.may_connect(request.user, channel):
        raise PermissionDenied
    error = request.GET.get("error")
    if error:
        if error == "access_denied":
            messages.warning(
                request,
                _("You did not allow the portal to read the channel. Nothing was saved."),
            )
        else:
            messages.error(
                request,
                _("%(platform)s did not connect the channel (%(error)s). Nothing was saved.")
                % {"platform": platform.label, "error": error[:50]},
            )
        return redirect("metrics:token", pk=channel.pk)
    code = request.GET.get("code", "")
    if not code:
        return _failed(
            request, _("The platform sent no sign-in code. Nothing was saved."), channel=channel
        )
    try:
        grant = oauth.finish(platform, channel, code=code, verifier=flow["verifier"])
    except oauth.Refused:
        return _failed(
            request,
            _(
                "%(platform)s refused the sign-in code: it may have expired or been used "
                "already. Nothing was saved. Connect again."
            )
            % {"platform": platform.label},
            channel=channel,
        )
    except oauth.Unreachable as error:
        logger.warning("Connecting channel %s: %s", channel.pk, error.__cause__ or error)
        return _failed(request, error.message, channel=channel, status=502)
    except oauth.ConnectError as error:
        return _failed(request, error.message, channel=channel)
    ChannelToken.connect(channel=channel, grant=grant, by=request.user)
    if grant.connected_as:
        message = _("The channel is connected as %(name)s.") % {"name": grant.connected_as}
    else:
        message = _("The channel is connected.")
    messages.success(request, message)
    return redirect("metrics:token", pk=channel.pk)
