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
from portal.languages import remember_identity_provider_language


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

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing:
            remember_identity_provider_language(sociallogin.user, _claims(sociallogin))

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        remember_identity_provider_language(user, _claims(sociallogin))
        return user


def _claims(sociallogin):
    """The OpenID Connect claims of a sign-in (portal/oidc: the id_token's, then the
    userinfo answer's); empty for other kinds of sign-in."""
    data = sociallogin.account.extra_data
    if not isinstance(data, dict):
        return {}
    claims = {}
    for part in ("id_token", "userinfo"):
        if isinstance(data.get(part), dict):
            claims.update(data[part])
    return claims


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form, handing the typed username to django-axes under the form
    field's own name as well (AXES_USERNAME_FORM_FIELD = "login")."""

    def user_credentials(self):
        credentials = super().user_credentials()
        credentials["login"] = self.cleaned_data["login"]
        return credentials
