"""The Content Security Policy: the header on every page, the policy exactly, and pages
that keep to it in a real browser (no inline script or style anywhere)."""

import json

import pytest
from playwright.sync_api import expect

from accounts.models import Channel, ChannelRole
from guidelines.models import GuidelineVersion
from metrics.models import Snapshot
from portal.tests.fresh_settings import run_with_settings

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}


def directives(header):
    """A policy as {directive: [values]} (django-csp writes them in no fixed order)."""
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("path", ["/login/", "/directory/", "/directory/verify/"])
def test_public_pages_carry_the_policy(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize("path", ["/", "/registry/", "/proposals/new/", "/guidelines/"])
def test_signed_in_pages_carry_the_policy(client, submitter, path):
    client.force_login(submitter)
    response = client.get(path)
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_error_pages_carry_the_policy(client, submitter):
    client.force_login(submitter)
    response = client.get("/registry/999999/")
    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_htmx_is_told_not_to_inject_its_indicator_styles(client, db):
    html = client.get("/login/").content.decode()
    config = (
        '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false,'
        '"allowEval":false,"allowScriptTags":false}\'>'
    )
    assert config in html


# The settings are read once per process: each case below loads them in a fresh
# interpreter with exactly the given environment, and prints the policies it builds.

_PRINT_POLICIES = """
import json, django
django.setup()
from csp.utils import build_policy
print(json.dumps({"enforced": build_policy(), "report_only": build_policy(report_only=True)}))
"""


def load_policies(tmp_path, **variables):
    """With none of the PORTAL_ variables set but ``variables``."""
    return run_with_settings(_PRINT_POLICIES, tmp_path, cleared=("PORTAL_",), **variables)


def test_identity_providers_are_added_to_form_action(tmp_path):
    result = load_policies(
        tmp_path, PORTAL_CSP_FORM_ACTION="https://idp.example.org, https://login.example.edu:8443"
    )
    assert result.returncode == 0, result.stderr
    policies = json.loads(result.stdout)
    assert directives(policies["enforced"]) == POLICY | {
        "form-action": ["'self'", "https://idp.example.org", "https://login.example.edu:8443"]
    }
    assert policies["report_only"] == ""


def test_the_configured_identity_providers_are_allowed_by_themselves(tmp_path):
    result = load_policies(
        tmp_path,
        PORTAL_OIDC_SERVER_URL="https://login.example.edu/realms/staff",
        PORTAL_OIDC_CLIENT_ID="portal",
        PORTAL_SAML_IDP_ENTITY_ID="https://saml.example.org/idp",
        PORTAL_SAML_IDP_SSO_URL="https://saml.example.org:8443/sso/redirect",
        PORTAL_SAML_IDP_X509_CERT="MIIC-test-certificate",
    )
    assert result.returncode == 0, result.stderr
    policies = json.loads(result.stdout)
    assert directives(policies["enforced"]) == POLICY | {
        "form-action": ["'self'", "https://login.example.edu", "https://saml.example.org:8443"]
    }


def test_report_only_mode_reports_the_same_policy_without_enforcing_it(tmp_path):
    result = load_policies(
        tmp_path,
        PORTAL_CSP_REPORT_ONLY="true",
        PORTAL_CSP_REPORT_URI="https://reports.example.org/csp",
    )
    assert result.returncode == 0, result.stderr
    policies = json.loads(result.stdout)
    assert policies["enforced"] == ""
    assert directives(policies["report_only"]) == POLICY | {
        "report-uri": ["https://reports.example.org/csp"]
    }


@pytest.mark.parametrize("value", ["idp.example.org", "https://idp.example.org; script-src *"])
def test_a_form_action_entry_that_is_not_an_origin_stops_the_start(tmp_path, value):
    result = load_policies(tmp_path, PORTAL_CSP_FORM_ACTION=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: PORTAL_CSP_FORM_ACTION must list origins" in result.stderr


# --- In a real browser ----------------------------------------------------------------

# Reports every violation to the console, where the test listens for the whole visit
# (a page's own listeners are gone once the next page is open).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`
  );
});
"""


def sign_in(page, client, live_server, settings, user):
    """Signs ``user`` in to the browser with the test client's session."""
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
def test_the_pages_keep_to_the_policy_in_a_browser(page, client, live_server, settings, demo_data):
    violations = []

    def listen(message):
        if "Content Security Policy" in message.text or "CSP violation" in message.text:
            violations.append(message.text)

    page.on("console", listen)
    page.context.add_init_script(REPORT_VIOLATIONS)
    charted = Snapshot.objects.filter(channel__status=Channel.Status.ACTIVE).first().channel
    owner = ChannelRole.objects.get(channel=charted, kind="owner", ended_at__isnull=True).user
    diff = GuidelineVersion.objects.filter(number=2).select_related("guideline").first()
    pages = [
        "/login/",
        "/directory/",
        "/directory/verify/",
        # Signed in from here on.
        "/",
        "/registry/",
        f"/registry/{charted.pk}/",
        "/proposals/new/",
        f"/guidelines/{diff.guideline.slug}/diff/1/2/",
        "/metrics/",
        f"/metrics/channels/{charted.pk}/",
    ]
    visited = []
    for path in pages:
        if path == "/":
            sign_in(page, client, live_server, settings, owner)
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        visited.append((path, response.status))
    assert visited == [(path, 200) for path in pages]
    expect(page.locator("svg.chart").first).to_be_visible()  # the channel's charts
    assert violations == []
