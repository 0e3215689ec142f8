from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_codes_views
from allauth.mfa.totp import views as totp_views
from allauth.socialaccount import views as socialaccount_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import languages, two_step, views

logout = auth_views.LogoutView.as_view()

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Local accounts and single sign-on through django-allauth (portal/sso.py): only the
    # pages the portal uses, so that the public surface stays small. No sign-up, no
    # e-mail or password-reset pages.
    path("login/", account_views.login, name="login"),
    path("login/", account_views.login, name="account_login"),  # the name allauth uses
    path("logout/", logout, name="logout"),
    path("logout/", logout, name="account_logout"),
    path("accounts/inactive/", account_views.account_inactive, name="account_inactive"),
    path(
        "accounts/sso/cancelled/",
        socialaccount_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("accounts/sso/error/", socialaccount_views.login_error, name="socialaccount_login_error"),
    path("accounts/sso/signup/", socialaccount_views.signup, name="socialaccount_signup"),
    path("accounts/reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    # Two-step sign-in (TOTP, and recovery codes) for local accounts.
    path("accounts/2fa/", two_step.index, name="mfa_index"),
    # allauth's code step with a limit on wrong codes (portal/two_step.py).
    path("accounts/2fa/authenticate/", two_step.authenticate, name="mfa_authenticate"),
    path("accounts/2fa/reauthenticate/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path("accounts/2fa/totp/activate/", totp_views.activate_totp, name="mfa_activate_totp"),
    path("accounts/2fa/totp/deactivate/", totp_views.deactivate_totp, name="mfa_deactivate_totp"),
    # Recovery codes: shown once, with a download and a print button (portal/two_step.py).
    path(
        "accounts/2fa/recovery-codes/",
        two_step.recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "accounts/2fa/recovery-codes/generate/",
        recovery_codes_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path("accounts/", include("portal.oidc.urls")),
    path("accounts/", include("allauth.socialaccount.providers.saml.urls")),
    # Anyone may choose a language, including on the login page; a signed-in person's
    # choice is kept for the e-mail they receive (portal/languages.py).
    path("i18n/setlang/", languages.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("guidelines.urls")),
    path("", include("checklist.urls")),
    path("", include("metrics.urls")),
]

# A database that cannot be reached answers 503 "briefly unavailable", anything else 500.
handler500 = "portal.errors.server_error"
# Not Django's: allauth's rate limits answer with it (allauth.core.ratelimit.respond_429).
handler429 = "portal.views.too_many_requests"
