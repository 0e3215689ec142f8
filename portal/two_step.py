"""The second sign-in step's limit on wrong codes.

After the password, allauth asks for a code from the authenticator app (or a recovery
code). Its own limit on wrong codes is off with the failed-login limit
(ACCOUNT_RATE_LIMITS, django-axes counts those instead), and axes never sees a code: this
view counts them. PORTAL_TWO_STEP_FAILURE_LIMIT wrong codes for one person from any
address, or PORTAL_TWO_STEP_ADDRESS_LIMIT from one address for anyone, within the login
cool-off pause signing in with a code until fewer remain in it. Meanwhile every code is
refused without being checked, the right one too, with status 429 and a page that says
until when.

Each wrong code is also a failed sign-in to django-axes (``user_login_failed``): it is in
the access audit, and counts towards the lockout of that username from that address,
which pauses this step as well.
"""

from urllib.parse import quote

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.base import views as mfa_views
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes import views as recovery_codes_views
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.client_ip import client_address
from core.notifications import notify
from portal.login_protection import lockout_ends, normalised_username, pause
from portal.models import TwoStepFailure


def paused_until(request, user):
    """When signing in with a code stops being paused for ``user`` from the request's
    address; None when it is not paused."""
    window = get_cool_off(request)
    ends = [
        TwoStepFailure.objects.filter(user=user).paused_until(
            limit=settings.PORTAL_TWO_STEP_FAILURE_LIMIT, window=window
        )
    ]
    address = client_address(request)
    if address:
        ends.append(
            TwoStepFailure.objects.filter(ip_address=address).paused_until(
                limit=settings.PORTAL_TWO_STEP_ADDRESS_LIMIT, window=window
            )
        )
    credentials = _credentials(user)
    if not AxesProxyHandler.is_allowed(request, credentials):
        ends.append(
            lockout_ends(normalised_username(request, credentials), request.axes_ip_address)
        )
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def _credentials(user):
    return {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}


class AuthenticateView(mfa_views.AuthenticateView):
    """allauth's code step, refused while paused and counting wrong codes."""

    def get(self, request, *args, **kwargs):
        return self._refuse_if_paused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            # One code at a time per person: a code sent while another is being checked
            # waits here, then counts that one's failure. Otherwise a burst of codes
            # sent at once would all pass the check below before any was counted.
            get_user_model().objects.select_for_update().filter(pk=self.stage.login.user.pk).first()
            return self._refuse_if_paused() or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        authenticator = form.authenticator
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            # Whoever used it, the person hears of it (after the sign-in commits).
            authenticator.refresh_from_db()  # the code is marked used on the way
            left = len(authenticator.wrap().get_unused_codes())
            notify(
                [authenticator.user],
                "portal/email/recovery_code_used",
                {"left": left, "total": mfa_settings.RECOVERY_CODE_COUNT},
            )
        return response

    def form_invalid(self, form):
        # A wrong code, not a missing one (or one allauth refused for another reason).
        if form.has_error("code", "incorrect_code"):
            self._count_wrong_code()
            refused = self._refuse_if_paused()
            if refused:
                return refused
        return super().form_invalid(form)

    def _count_wrong_code(self):
        user = self.stage.login.user
        TwoStepFailure.objects.record(
            user=user,
            ip_address=client_address(self.request),
            window=get_cool_off(self.request),
        )
        user_login_failed.send(
            sender=__name__, credentials=_credentials(user), request=self.request
        )

    def _refuse_if_paused(self):
        request = self.request
        user = self.stage.login.user
        ends = paused_until(request, user)
        if ends is None:
            return None
        # A sign-in refused by the lockout, for the access audit (AccessDenialMiddleware);
        # axes' middleware then keeps this page (login_protection.lockout_response).
        request.axes_locked_out = True
        request.axes_credentials = _credentials(user)
        wait, wording = pause(ends)
        message = (
            _(
                "Too many wrong codes were entered. For your security, signing in with a "
                "code is paused until %(time)s (%(minutes)s min)."
            )
            % wording
        )
        response = render(request, "mfa/paused.html", {"message": message}, status=429)
        response["Retry-After"] = str(wait)
        return response


authenticate = AuthenticateView.as_view()


class RecoveryCodesView(recovery_codes_views.ViewRecoveryCodesView):
    """allauth's page of recovery codes: shown once (MFA_RECOVERY_CODES_SHOW_ONCE), so
    the download is the page's own copy of them, not a second look."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["can_view_codes"] and context["unused_codes"]:
            text = "\r\n".join(context["unused_codes"]) + "\r\n"
            context["download_href"] = "data:text/plain;charset=utf-8," + quote(text)
        return context


recovery_codes = RecoveryCodesView.as_view()


class IndexView(mfa_views.IndexView):
    """allauth's two-step page, knowing how many recovery codes a set has."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "total": mfa_settings.RECOVERY_CODE_COUNT}


index = IndexView.as_view()
