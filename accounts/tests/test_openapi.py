"""The public API's OpenAPI description (accounts/openapi.py, /api/openapi.json): a
valid OpenAPI 3.1 document, and every answer of the running views conforms to it
(schemathesis: generated requests, each answer checked against the document)."""

import datetime
import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ChannelVerification
from accounts.openapi import description
from portal.tests.factories import make_channel

URL = "/api/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_description_is_valid_openapi(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    validate(document)
    assert document == json.loads(json.dumps(description()))
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/api/verify", "/directory.json"}
    assert set(document["paths"]["/api/verify"]["get"]["responses"]) == {
        "200",
        "304",
        "400",
        "429",
    }


# The document as the views serve it (test_the_description_is_valid_openapi reads it
# from /api/openapi.json), run against the portal as its WSGI server runs it.
class Portal(WSGIHandler):
    """The portal's WSGI application, keeping the test's database connection open
    (as Django's test client does): its transaction holds the test's accounts."""

    def __call__(self, environ, start_response):
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()  # sends request_finished
            return [body]
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


SCHEMA = schemathesis.openapi.from_dict(description())
SCHEMA.app = Portal()


@pytest.fixture
def accounts(unit, settings):
    """The accounts the description's examples name, in every state: official and
    broken (Mastodon), official where verification is not possible (Instagram),
    formerly official (X), both at once (@example); anything else is unknown."""
    # Generated requests come in bursts: the rate limit has its own test
    # (test_verify_api.py), and must not refuse these.
    settings.PORTAL_VERIFY_API_RATE = "100000/m"
    mastodon = make_channel(unit=unit, platform="mastodon", handle="example")
    ChannelVerification.objects.create(
        channel=mastodon,
        state=ChannelVerification.State.BROKEN,
        checked_on=datetime.date(2026, 3, 1),
        checked_at=datetime.datetime(2026, 3, 1, 4, tzinfo=datetime.UTC),
    )
    make_channel(unit=unit, platform="instagram", handle="example")
    make_channel(unit=unit, platform="x", handle="example", status="closed")


@SCHEMA.parametrize()
@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_conforms_to_the_description(case, accounts):
    case.call_and_validate(checks=CHECKS)
