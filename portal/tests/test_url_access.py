"""Deny by default: every URL in the project sends an anonymous visitor to the login
page, unless it is on the public allow-list below. A new view without a decision
fails here."""

from urllib.parse import urlparse

import pytest

from portal.tests.urlwalk import all_urls

# URL names anyone may open without logging in. Adding a name here is a decision:
# the page must show nothing that is not public.
PUBLIC = {
    "home",  # the public front page; signed-in people get their own home there
    "login",
    "healthz",
    "set_language",
    "admin:login",  # only redirects to the portal's login page
    # The public directory of official accounts and its checks (accounts/views/public.py).
    "accounts:directory",
    "accounts:verify",
    "accounts:report",
    "accounts:directory_json",
    "accounts:channel_page",
    # The public API for other systems and its description (accounts/views/api.py).
    "accounts:api_verify",
    "accounts:api_openapi",
    "accounts:atproto_did",  # Bluesky's handle check asks it, signed in to nothing
    # Signing in (django-allauth, portal/sso.py). The same login page under allauth's name;
    # the notice for a deactivated account and the two after an unsuccessful single
    # sign-on show no data. The identity providers send people back to these addresses
    # before they are signed in; each answers 404 unless that provider is configured.
    "account_login",
    "account_inactive",
    "socialaccount_login_cancelled",
    "portal_oidc_login",
    "portal_oidc_callback",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
    "saml_metadata",
    "saml_login",
}

URLS = all_urls()


def test_the_walk_finds_the_project_and_admin_urls():
    names = {name for name, _path in URLS}
    expected = {"home", "login", "logout", "healthz", "admin:index", "admin:accounts_unit_change"}
    assert names >= expected


def test_every_url_can_be_built_from_sample_arguments():
    unbuilt = [name for name, path in URLS if path is None]
    assert unbuilt == [], "add sample values to SAMPLE_ARGUMENTS in portal/tests/urlwalk.py"


def test_the_public_allow_list_names_only_existing_urls():
    assert {name for name, _path in URLS} >= PUBLIC


@pytest.mark.parametrize(("name", "path"), [u for u in URLS if u[0] not in PUBLIC], ids=lambda v: v)
def test_anonymous_visitor_is_sent_to_login(client, db, name, path):
    # The admin's views redirect to the admin's login URL, which forwards to ours.
    response = client.get(path, follow=True)
    assert response.redirect_chain, f"{name} ({path}) answered {response.status_code}"
    landing = urlparse(response.redirect_chain[-1][0])
    assert (landing.path, response.status_code) == ("/login/", 200), f"{name} ({path})"


@pytest.mark.parametrize(("name", "path"), [u for u in URLS if u[0] in PUBLIC], ids=lambda v: v)
def test_public_urls_answer_anonymous_visitors_without_asking_for_a_login(client, db, name, path):
    response = client.get(path)
    location = urlparse(response.get("Location", "")).path
    assert (response.status_code, location) != (302, "/login/") or name == "admin:login"
    assert response.status_code < 500
