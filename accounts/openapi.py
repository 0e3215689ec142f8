"""The OpenAPI description of the public API, served at /api/openapi.json
(accounts/views/api.py): the verify API and the directory's JSON. Tested as a valid
OpenAPI 3.1 document, and every documented answer against the running views with
schemathesis (accounts/tests/test_openapi.py).

Plain data: the server's address and the organisation's name come from the settings."""

from django.conf import settings
from django.urls import reverse

from accounts.models import ChannelVerification
from accounts.public_data import Status

# The verify API's error codes (accounts/views/api.py), each answered with a message.
ERRORS = [
    "missing_url",
    "invalid_url",
    "url_too_long",
    "null_characters",
    "rate_limited",
    "method_not_allowed",
]

_NULLABLE_STRING = {"type": ["string", "null"]}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

_VERIFICATION = {
    "type": "object",
    "description": (
        "Whether the account links back to the organisation: its profile links to the "
        "channel's page on the portal and the platform confirmed the link."
    ),
    "required": ["state", "state_name", "since", "checked_at", "method"],
    "additionalProperties": False,
    "properties": {
        "state": {
            "type": "string",
            "enum": [state.value for state in ChannelVerification.State],
            "description": (
                "verified: the account links back. not_yet: it has not linked back yet. "
                "broken: it linked back and no longer does (since `since`). "
                "not_possible: the platform offers no way to link back."
            ),
        },
        "state_name": {"type": "string", "description": "The state in words."},
        "since": {**_NULLABLE_TIME, "description": "When the channel entered this state."},
        "checked_at": {**_NULLABLE_TIME, "description": "The latest check."},
        "method": {
            **_NULLABLE_STRING,
            "description": "How the link is checked (rel-me: a verified profile link).",
        },
    },
}

_CHANNEL = {
    "type": "object",
    "required": [
        "name",
        "platform",
        "platform_name",
        "url",
        "handle",
        "unit",
        "page",
        "closed_on",
        "verification",
    ],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "platform": {"type": "string", "description": "The platform's code, e.g. mastodon."},
        "platform_name": {"type": "string"},
        "url": {"type": "string", "description": "The account's profile address."},
        "handle": {"type": "string"},
        "unit": {"type": "string", "description": "The unit that runs the account."},
        "page": {
            **_NULLABLE_STRING,
            "format": "uri",
            "description": "The channel's public page (none once closed).",
        },
        "closed_on": {
            "type": ["string", "null"],
            "format": "date",
            "description": "When a formerly official account was closed.",
        },
        "verification": {
            "oneOf": [{"$ref": "#/components/schemas/Verification"}, {"type": "null"}],
            "description": "None for a closed channel.",
        },
    },
}

_ANSWER = {
    "type": "object",
    "required": ["url", "status", "organisation", "channel", "channels", "report"],
    "additionalProperties": False,
    "properties": {
        "url": {"type": "string", "description": "The address or handle checked."},
        "status": {
            "type": "string",
            "enum": [Status.OFFICIAL, Status.FORMERLY_OFFICIAL, Status.UNKNOWN],
        },
        "organisation": {"type": "string"},
        "channel": {
            "oneOf": [{"$ref": "#/components/schemas/Channel"}, {"type": "null"}],
            "description": "The channel the status is about (none when unknown).",
        },
        "channels": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Channel"},
            "description": "Every channel named (a bare handle may name several).",
        },
        "report": {
            **_NULLABLE_STRING,
            "format": "uri",
            "description": "Where to report an unknown account that claims to be ours.",
        },
    },
}

_DIRECTORY = {
    "type": "object",
    "required": ["organisation", "generated_at", "channels"],
    "additionalProperties": False,
    "properties": {
        "organisation": {"type": "string"},
        "generated_at": {"type": "string", "format": "date-time"},
        "channels": {"type": "array", "items": {"$ref": "#/components/schemas/Channel"}},
    },
}

_ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "additionalProperties": False,
    "properties": {
        "error": {"type": "string", "enum": ERRORS},
        "message": {"type": "string", "description": "What went wrong, in words."},
    },
}


def _header(description, **schema):
    return {"description": description, "schema": {"type": "string", **schema}}


_CORS = _header("Any site may read the answer (no credentials).", enum=["*"])
_CACHE_CONTROL = _header("How long browsers and shared caches may keep the answer.")
_ETAG = _header("The answer's version, for If-None-Match.")


def _json(description, schema, **headers):
    return {
        "description": description,
        "headers": {"Access-Control-Allow-Origin": _CORS, **headers},
        "content": {"application/json": {"schema": schema}},
    }


def description():
    """The OpenAPI 3.1 document, as data."""
    error = {"$ref": "#/components/schemas/Error"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.PORTAL_ORGANISATION_NAME}: official accounts",
            "version": "1.0.0",
            "description": (
                "Is an account on a social platform official? Answers from the "
                "organisation's registry of official accounts. No key is needed; "
                "every answer may be read from any site (CORS) and kept by shared caches."
            ),
        },
        "servers": [{"url": settings.PORTAL_BASE_URL}],
        "paths": {
            reverse("accounts:api_verify"): {
                "description": (
                    "GET and HEAD; OPTIONS answers a CORS preflight; any other method "
                    "answers 405 with an Error."
                ),
                "get": {
                    "operationId": "verify",
                    "summary": "Is this account official?",
                    "parameters": [
                        {
                            "name": "url",
                            "in": "query",
                            "required": True,
                            "description": (
                                "A profile address (https://www.instagram.com/name/) or "
                                "a handle (@name, @name@server)."
                            ),
                            "schema": {"type": "string", "maxLength": 500},
                            "examples": {
                                "address": {"value": "https://www.instagram.com/example/"},
                                "fediverse": {"value": "@example@mastodon.social"},
                                "handle": {"value": "@example"},
                                "another": {"value": "https://x.com/example"},
                            },
                        }
                    ],
                    "responses": {
                        "200": _json(
                            "The answer: official, formerly official or unknown.",
                            {"$ref": "#/components/schemas/Answer"},
                            **{"Cache-Control": _CACHE_CONTROL, "ETag": _ETAG},
                        ),
                        "304": {
                            "description": "Not modified since the ETag in If-None-Match.",
                            "headers": {"ETag": _ETAG},
                        },
                        "400": _json(
                            "No address, or one that cannot be read: the message says why.",
                            error,
                        ),
                        "429": _json(
                            "Too many requests from this address.",
                            error,
                            **{"Retry-After": _header("Seconds to wait.", pattern="^[0-9]+$")},
                        ),
                    },
                },
            },
            reverse("accounts:directory_json"): {
                "get": {
                    "operationId": "directory",
                    "summary": "Every official account the public directory lists.",
                    "responses": {
                        "200": _json(
                            "The directory.",
                            {"$ref": "#/components/schemas/Directory"},
                            **{"Cache-Control": _CACHE_CONTROL},
                        ),
                    },
                },
            },
        },
        "components": {
            "schemas": {
                "Answer": _ANSWER,
                "Channel": _CHANNEL,
                "Verification": _VERIFICATION,
                "Directory": _DIRECTORY,
                "Error": _ERROR,
            },
            "responses": {
                "MethodNotAllowed": _json("Only GET, HEAD and OPTIONS are answered.", error),
            },
        },
    }
