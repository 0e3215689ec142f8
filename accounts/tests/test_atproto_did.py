"""The portal's answer to Bluesky's HTTPS handle check (atproto.com/specs/handle):
https://<handle>/.well-known/atproto-did for handles under the organisation's domains
(PORTAL_HANDLE_DOMAINS), whose hosts are allowed hosts by the settings."""

import json

import pytest
from django.urls import reverse

from portal.tests.factories import make_channel
from portal.tests.fresh_settings import run_with_settings

HANDLE = "news.example.edu"
DID = "did:plc:fictuni7xq3kzm2r5v4w6yab"
PATH = "/.well-known/atproto-did"


@pytest.fixture
def handle_domain(settings):
    settings.PORTAL_HANDLE_DOMAINS = ["example.edu"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example.edu", "elsewhere.example"]


@pytest.fixture
def channel(unit, handle_domain):
    return make_channel(
        unit=unit,
        platform="bluesky",
        handle=HANDLE,
        profile_url=f"https://bsky.app/profile/{HANDLE}",
        platform_id=DID,
        is_public=True,
    )


def test_the_address_is_the_well_known_one():
    assert reverse("accounts:atproto_did") == PATH


@pytest.mark.parametrize("host", [HANDLE, "News.Example.EDU", f"{HANDLE}:443", f"{HANDLE}."])
def test_a_handles_host_answers_its_channels_did_as_bare_text_to_anyone(
    client, channel, host, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = client.get(PATH, HTTP_HOST=host)

    assert response.status_code == 200
    assert response.content == DID.encode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_head_request_answers_too(client, channel):
    assert client.head(PATH, HTTP_HOST=HANDLE).status_code == 200


@pytest.mark.parametrize(
    "host", ["other.example.edu", "example.edu", "elsewhere.example", "testserver"]
)
def test_a_host_that_is_no_channels_handle_is_not_found(client, channel, host):
    response = client.get(PATH, HTTP_HOST=host)
    assert (response.status_code, response["Content-Type"]) == (404, "text/plain; charset=utf-8")


def test_a_handle_outside_the_organisations_domains_is_not_answered(client, unit, handle_domain):
    make_channel(
        unit=unit,
        platform="bluesky",
        handle="elsewhere.example",
        profile_url="https://bsky.app/profile/elsewhere.example",
        platform_id=DID,
        is_public=True,
    )
    assert client.get(PATH, HTTP_HOST="elsewhere.example").status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"is_public": False},
        {"status": "closed", "closed_on": "2026-11-01"},
        {"platform_id": ""},
        {"platform_id": "123"},
    ],
    ids=["unlisted", "closed", "no-did", "not-a-did"],
)
def test_a_channel_that_is_not_public_or_has_no_did_is_not_answered(client, channel, change):
    type(channel).objects.filter(pk=channel.pk).update(**change)
    assert client.get(PATH, HTTP_HOST=HANDLE).status_code == 404


def test_a_post_is_refused(client, channel):
    assert client.post(PATH, HTTP_HOST=HANDLE).status_code == 405


def test_a_host_the_settings_do_not_allow_is_a_bad_request(client, channel, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get(PATH, HTTP_HOST=HANDLE).status_code == 400


# --- The settings --------------------------------------------------------------------------

_PRINT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"domains": settings.PORTAL_HANDLE_DOMAINS, "hosts": settings.ALLOWED_HOSTS}))
"""


def load(tmp_path, **variables):
    cleared = ("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_", "PORTAL_")
    return run_with_settings(_PRINT, tmp_path, cleared=cleared, **variables)


def test_the_handle_domains_and_their_subdomains_are_allowed_hosts(tmp_path):
    result = load(tmp_path, PORTAL_HANDLE_DOMAINS="Example.edu, social.example.org.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "domains": ["example.edu", "social.example.org"],
        "hosts": ["localhost", "127.0.0.1", "[::1]", ".example.edu", ".social.example.org"],
    }


def test_a_handle_domain_that_is_no_domain_stops_the_start(tmp_path):
    result = load(tmp_path, PORTAL_HANDLE_DOMAINS="example.edu,https://x.example/")
    assert result.returncode != 0
    assert "ImproperlyConfigured: PORTAL_HANDLE_DOMAINS must be" in result.stderr
