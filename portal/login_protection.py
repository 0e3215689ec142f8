"""Login protection with django-axes: whose failures count together, and the page a
locked-out person sees.

After PORTAL_LOGIN_FAILURE_LIMIT failed sign-ins for one username from one address,
that pair is refused for PORTAL_LOGIN_COOLOFF_MINUTES after the last failure, even
with the right password (settings.py, "Login protection"). The lockout page is the
login form again, with the typed username kept and the time the pause ends.
"""

import math
import unicodedata

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.sso import LoginForm


def normalised_username(request, credentials=None):
    """The username as django-axes counts it (AXES_USERNAME_CALLABLE): blanks around it
    removed, compatibility forms folded (NFKC) and case folded. Sign-in finds the account
    whatever the case of the typed name (allauth matches case-insensitively, after
    stripping blanks), so every spelling that can sign in to one account must count as
    that account's, or changing the case would get around the lockout and a success
    would clear it."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str):
        return None
    return unicodedata.normalize("NFKC", username).strip().casefold()


def lockout_ends(username, address):
    """When the pause for this username from this address ends: the cool-off after the
    last counted failure."""
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        last=Max("attempt_time")
    )["last"]
    return (last or timezone.now()) + get_cool_off()


def pause(ends):
    """(seconds to wait, for Retry-After; the end as the pages word it: the local time
    and the minutes left)."""
    wait = max(0, math.ceil((ends - timezone.now()).total_seconds()))
    wording = {
        "time": formats.time_format(timezone.localtime(ends), "TIME_FORMAT"),
        "minutes": math.ceil(wait / 60),
    }
    return wait, wording


def lockout_response(request, original_response=None, credentials=None):
    """The login page with status 429, the username kept, and when to try again.

    A page that already answers 429 is kept: the code step's pause (portal/two_step.py)
    says until when signing in with a code is paused, which this page would not."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    ends = lockout_ends(normalised_username(request, credentials), request.axes_ip_address)
    wait, wording = pause(ends)
    message = (
        _(
            "Too many failed sign-ins with this username from your address. For your "
            "security, signing in with it is paused until %(time)s (%(minutes)s min). "
            "Check the username and password, then try again after that time."
        )
        % wording
    )
    context = {
        "form": LoginForm(request=request, initial={"login": username}),
        "lockout_message": message,
        "redirect_field_value": request.POST.get("next", request.GET.get("next", "")),
    }
    response = render(request, "account/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
