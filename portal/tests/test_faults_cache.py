"""Fault injection on the cache's Redis, with the whole portal (middleware, sessions,
sign-in, rate limits, views, PostgreSQL) on a Redis of the test's own
(portal/tests/services.py), stopped (connections refused) or paused (connections
accepted, nothing answered) mid-test:

- signed-in pages, the public directory, sign-in and the public forms answer as usual
  while it is down, never 500;
- a change made while it is down shows as soon as it is back: no stale page, no
  session that was signed out.

docs/operations.md, "When a service fails", says what people see.
"""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

from accounts.tests.test_registry_pages import edit_data
from core import redis_cache
from portal.tests.factories import PASSWORD, make_channel
from portal.tests.services import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)

BREAKER = 0.5  # seconds; production's default is 5


@pytest.fixture
def caches_redis(request):
    """The portal's cache on a Redis of the test's own, with a breaker of BREAKER
    seconds (or the fixture's parameter). The settings are restored before the
    breakers are forgotten, so that no later cache call (conftest's clear) makes one
    again for the stopped server."""
    with RedisServer() as server:
        with override_settings(
            CACHES={
                "default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": server.url(0)}
            },
            PORTAL_CACHE_BREAKER_SECONDS=getattr(request, "param", BREAKER),
        ):
            redis_cache.counters.clear()
            yield server
        redis_cache.reset()


def client_signed_in_as(username):
    client = Client()
    response = client.post("/login/", {"login": username, "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    return client


def directory_names(client):
    response = client.get("/directory/")
    assert response.status_code == 200
    return re.findall(
        r'data-testid="channel">\s*<strong>([^<]+)</strong>', response.content.decode()
    )


@pytest.mark.parametrize("caches_redis", [60], indirect=True)  # one error, then no more
@pytest.mark.parametrize("outage", ["stop", "pause"])
def test_pages_sign_in_and_forms_answer_while_the_caches_redis_is_down(
    caches_redis, outage, unit, submitter, reviewer, colleague
):
    channel = make_channel(unit=unit, owner=submitter, name="Aurora Lab")
    owner, office, visitor = (
        client_signed_in_as("submitter"),
        client_signed_in_as("reviewer"),
        Client(),
    )
    pages = {
        owner: ["/", "/registry/", f"/registry/{channel.pk}/", "/proposals/", "/guidelines/"],
        office: ["/", "/review/", "/registry/?q=aurora", "/metrics/", "/notices/"],
        visitor: ["/directory/", "/directory/?q=aurora", "/directory.json", "/login/"],
    }
    for client, urls in pages.items():  # cached before the outage
        for url in urls:
            assert client.get(url).status_code == 200, url

    getattr(caches_redis, outage)()

    for client, urls in pages.items():
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert directory_names(visitor) == ["Aurora Lab"]
    # Signing in, with a wrong password and then the right one; the new session holds.
    latecomer = Client()
    refused = latecomer.post("/login/", {"login": "colleague", "password": "wrong"})
    assert refused.status_code == 200
    assert SESSION_KEY not in latecomer.session
    response = latecomer.post("/login/", {"login": "colleague", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert latecomer.get("/").status_code == 200
    # The public report form (rate-limited in the cache) and a change to a channel.
    report = {"reported_url": "@impostor", "description": "Uses our logo."}
    assert visitor.post("/directory/report/", report).status_code == 302
    renamed = edit_data(channel, name="Borealis Lab")
    response = owner.post(f"/registry/{channel.pk}/edit/", renamed)
    assert (response.status_code, response["Location"]) == (302, f"/registry/{channel.pk}/")
    assert directory_names(visitor) == ["Borealis Lab"]
    assert owner.post("/logout/").status_code == 302

    assert redis_cache.counters["errors"] == 1
    assert redis_cache.counters["skipped"] > 0


def test_a_change_made_while_the_caches_redis_is_down_shows_once_it_is_back(
    caches_redis, unit, submitter
):
    channel = make_channel(unit=unit, owner=submitter, name="Aurora Lab")
    visitor, owner = Client(), client_signed_in_as("submitter")
    assert directory_names(visitor) == ["Aurora Lab"]  # now cached in Redis

    caches_redis.pause()  # Redis keeps the cached directory and its version
    renamed = edit_data(channel, name="Borealis Lab")
    assert owner.post(f"/registry/{channel.pk}/edit/", renamed).status_code == 302
    caches_redis.resume()
    time.sleep(BREAKER + 0.1)

    assert directory_names(visitor) == ["Borealis Lab"]


def test_signing_out_while_the_caches_redis_is_down_ends_the_session_for_good(
    caches_redis, submitter
):
    owner = client_signed_in_as("submitter")
    cookie = owner.cookies[settings.SESSION_COOKIE_NAME].value
    assert owner.get("/").status_code == 200  # the session is cached in Redis

    caches_redis.pause()
    assert owner.post("/logout/").status_code == 302
    caches_redis.resume()
    time.sleep(BREAKER + 0.1)

    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = stolen.get("/registry/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/registry/")
