"""The public API for other systems (no login): "is this account official?" as JSON,
for the organisation's website, a browser extension or a journalist's script, and its
OpenAPI description (accounts/openapi.py).

``GET /api/verify?url=...`` reads the address as the HTML check does (VerifyForm: one
way of matching) and answers every site (CORS, no credentials), with headers a shared
HTTP cache can use (Cache-Control with s-maxage, ETag and 304). Each client address may
ask PORTAL_VERIFY_API_RATE times (429 with Retry-After beyond); the answers are kept a
minute with the directory's cache (accounts.caching.DIRECTORY)."""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage

from accounts.caching import DIRECTORY
from accounts.forms_public import VerifyForm
from accounts.openapi import description
from accounts.public_data import verify_answer
from core.client_ip import rate_key

ALLOWED = "GET, HEAD, OPTIONS"
# Headers a page may send with its request (a conditional GET), and read in the answer.
ALLOWED_HEADERS = "If-None-Match"
EXPOSED_HEADERS = "ETag, Retry-After"
# How long a browser may remember the preflight's answer.
PREFLIGHT_SECONDS = 86400

# VerifyForm's error codes, as the API names them.
_FORM_ERRORS = {
    "required": "missing_url",
    "max_length": "url_too_long",
    "null_characters_not_allowed": "null_characters",
}


def _rate(group, request):
    return settings.PORTAL_VERIFY_API_RATE


def _dumps(data):
    return json.dumps(data, ensure_ascii=False)


def json_response(data, status=200):
    return _body_response(_dumps(data), status)


def _body_response(body, status=200):
    response = HttpResponse(body, content_type="application/json", status=status)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _cacheable(response):
    seconds = settings.PORTAL_API_CACHE_SECONDS
    response["Cache-Control"] = f"public, max-age={seconds}, s-maxage={seconds}"
    # The messages and platform names are in the reader's language.
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _error(status, code, message):
    response = json_response({"error": code, "message": str(message)}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt  # changes nothing: a POST is answered 405
@login_not_required
def verify(request):
    if request.method == "OPTIONS":
        return _preflight()
    if request.method not in ("GET", "HEAD"):
        response = _error(
            405,
            "method_not_allowed",
            _("This address answers GET only: ask with GET /api/verify?url=…"),
        )
        response["Allow"] = ALLOWED
        return response
    usage = get_usage(request, group="api-verify", key=rate_key, rate=_rate, increment=True)
    if usage and usage["should_limit"]:
        response = _error(
            429,
            "rate_limited",
            _("Too many requests from your address: wait a little and ask again."),
        )
        response["Retry-After"] = str(max(usage["time_left"], 1))
        return response
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _bad_input(form)
    checked = form.cleaned_data["url"]
    # The same answer for everyone who checks the same address, until the directory
    # changes; kept a minute (anyone can ask about any number of addresses).
    body = DIRECTORY.get(
        ["api-verify", get_language(), hashlib.sha256(checked.encode()).hexdigest()],
        lambda: _dumps(verify_answer(checked, *form.matching_channels())),
        timeout=DIRECTORY.search_timeout,
    )
    return _conditional(request, body)


def _conditional(request, body):
    response = _cacheable(_body_response(body))
    etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    response["ETag"] = etag
    not_modified = get_conditional_response(request, etag=etag, response=response)
    if not_modified is not response:
        not_modified["Access-Control-Allow-Origin"] = "*"
        not_modified["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return not_modified


def _bad_input(form):
    error = form.errors.as_data()["url"][0]
    code = _FORM_ERRORS.get(error.code, "invalid_url")
    if code == "missing_url":
        message = _("Give the address or handle to check: /api/verify?url=…")
    else:
        message = next(iter(error))
    return _cacheable(_error(400, code, message))


def _preflight():
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOWED
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
    response["Allow"] = ALLOWED
    return response


@login_not_required
@require_safe
def openapi(request):
    return _cacheable(json_response(description()))
