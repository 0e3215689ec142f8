"""Single sign-on and local accounts through django-allauth (settings.py, "Single
sign-on"). Local accounts are made by administrators only: nobody signs up. People who
sign in through the organisation's identity provider get an account the first time
(unless PORTAL_SSO_PROVISION is off); they are known by the provider's subject, never
by their e-mail address alone."""

from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings

from core.client_ip import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        # allauth's own rate limits count per the same address as the login lockout.
        return client_address(request)

    def is_safe_url(self, url):
        # allauth splits ``next`` with urlparse(), which raises ValueError on what it
        # cannot read (a bracketed host: "//[x]/"): no safe place to return to.
        try:
            return super().is_safe_url(url)
        except ValueError:
            return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return settings.PORTAL_SSO_PROVISION


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form, handing the typed username to django-axes under the form
    field's own name as well (AXES_USERNAME_FORM_FIELD = "login")."""

    def user_credentials(self):
        credentials = super().user_credentials()
        credentials["login"] = self.cleaned_data["login"]
        return credentials
