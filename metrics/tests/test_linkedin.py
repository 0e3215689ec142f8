"""The LinkedIn client against recorded answers of the real API's shape."""

import datetime
import json

import pytest
from cryptography.fernet import Fernet

from accounts.models import Channel
from metrics.models import ChannelToken
from metrics.providers import provider_for
from metrics.providers.base import (
    AuthFailed,
    BadResponse,
    FetchError,
    RateLimited,
    TransientError,
    Unavailable,
)
from metrics.providers.linkedin import LinkedInProvider

from .recorded import fetch_recorded, reload, replay

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

# The token the recordings expect in the Authorization header.
TOKEN = "AQVFictionalUniLinkedInToken0x5Tq7XE2c"
ORGANIZATION_ID = "2414183"


@pytest.fixture
def linkedin_channel(recorded_channel):
    return recorded_channel(
        "linkedin",
        name="Fictional University on LinkedIn",
        profile_url="https://www.linkedin.com/school/fictional-university/",
        platform_id=ORGANIZATION_ID,
        token=TOKEN,
    )


def fetch(channel, recording):
    return fetch_recorded(LinkedInProvider, channel, recording)


def test_a_reading_has_the_organizations_followers_only(linkedin_channel):
    reading = fetch(linkedin_channel, "ok")

    assert reading.followers == 21904
    assert reading.figures() == {
        "followers": 21904,
        "posts": None,
        "likes": None,
        "comments": None,
        "shares": None,
        "views": None,
        "engagement_posts": None,
        "last_post_at": None,
    }
    assert reading.raw == {"firstDegreeSize": 21904}


def test_the_request_names_the_organization_by_its_encoded_urn(linkedin_channel):
    client, transport = replay("linkedin", "ok")
    LinkedInProvider(client=client).fetch(linkedin_channel)

    (request,) = transport.requests
    assert request.url.host == "api.linkedin.com"
    assert request.url.raw_path == (
        b"/rest/networkSizes/urn%3Ali%3Aorganization%3A2414183?edgeType=COMPANY_FOLLOWED_BY_MEMBER"
    )
    # The recording checks the Authorization, LinkedIn-Version and Rest.li headers.
    assert TOKEN not in str(request.url)


def test_a_pasted_urn_is_read_as_the_id(linkedin_channel):
    Channel.objects.filter(pk=linkedin_channel.pk).update(
        platform_id=f"urn:li:organization:{ORGANIZATION_ID}"
    )
    assert fetch(reload(linkedin_channel), "ok").followers == 21904


def test_without_a_platform_id_the_id_in_the_pages_address_is_read(linkedin_channel):
    Channel.objects.filter(pk=linkedin_channel.pk).update(
        platform_id="", profile_url=f"https://www.linkedin.com/company/{ORGANIZATION_ID}/"
    )
    assert fetch(reload(linkedin_channel), "ok").followers == 21904


def test_a_figure_linkedin_did_not_give_is_none_not_zero(linkedin_channel):
    reading = fetch(linkedin_channel, "missing_fields")

    assert reading.followers is None


FAILURES = [
    (
        "expired_token",
        AuthFailed,
        "The access token was refused (REVOKED_ACCESS_TOKEN: The token used in the request "
        "has been revoked by the user).",
    ),
    (
        "invalid_token",
        AuthFailed,
        "The access token was refused (INVALID_ACCESS_TOKEN: Invalid access token).",
    ),
    (
        "access_denied",
        AuthFailed,
        "The token may not read this organization (ACCESS_DENIED: Not enough permissions "
        "to access: networkSizes.GET.20241101).",
    ),
    (
        "not_found",
        Unavailable,
        "The organization was not found (NOT_FOUND: Organization 2414183 not found).",
    ),
    (
        "rate_limited",
        RateLimited,
        "LinkedIn's request quota is spent (Resource level throttle APPLICATION DAY limit "
        "for calls to this resource is reached.).",
    ),
    ("server_error", TransientError, "The platform answered 504."),
    ("malformed", BadResponse, "The answer was not JSON."),
    ("not_an_object", BadResponse, "The network size answer is not an object."),
    ("timeout", TransientError, "Timed out: ReadTimeout"),
]


@pytest.mark.parametrize("recording, error, message", FAILURES)
def test_each_failure_is_the_right_error(linkedin_channel, recording, error, message):
    with pytest.raises(error) as raised:
        fetch(linkedin_channel, recording)
    assert type(raised.value) is error
    assert raised.value.message == message


@pytest.mark.parametrize("recording", [failure[0] for failure in FAILURES])
def test_no_error_carries_the_token(linkedin_channel, recording):
    with pytest.raises(FetchError) as raised:
        fetch(linkedin_channel, recording)
    assert TOKEN not in str(raised.value)
    assert TOKEN not in json.dumps(raised.value.raw)


def test_a_spent_quota_has_no_retry_after_when_linkedin_gives_none(linkedin_channel):
    with pytest.raises(RateLimited) as raised:
        fetch(linkedin_channel, "rate_limited")
    assert (raised.value.status, raised.value.retry_after) == (429, None)


def test_a_channel_with_a_usable_token_and_id_is_collectable(linkedin_channel):
    assert isinstance(provider_for(linkedin_channel), LinkedInProvider)


def test_a_channel_without_a_token_is_not_collectable(linkedin_channel):
    ChannelToken.objects.filter(channel=linkedin_channel).delete()
    assert provider_for(reload(linkedin_channel)) is None


def test_a_channel_with_an_expired_token_is_not_collectable(linkedin_channel):
    ChannelToken.objects.filter(channel=linkedin_channel).update(
        expires_on=datetime.date(2026, 11, 19)
    )
    assert provider_for(reload(linkedin_channel)) is None


def test_a_token_that_no_key_opens_is_not_collectable(settings, linkedin_channel):
    settings.METRICS_TOKEN_KEYS = [Fernet.generate_key().decode()]
    assert provider_for(reload(linkedin_channel)) is None


@pytest.mark.parametrize("platform_id", ["", "fictional-university", "urn:li:organization:"])
def test_a_channel_without_a_numeric_platform_id_is_not_collectable(linkedin_channel, platform_id):
    Channel.objects.filter(pk=linkedin_channel.pk).update(platform_id=platform_id)
    assert provider_for(reload(linkedin_channel)) is None
