"""The signed-in person comes from the shared cache with their facts, not from a query on
every request (core.person_facts.signed_in_user, portal/auth.py), and every change to
the person counts at their next request as it did without the cache: a password changed
or an account deactivated elsewhere signs their other sessions out, a new name shows."""

import os
import re
from unittest import mock

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from core.redis_cache import RedisCacheClient
from guidelines.models import SiteNotice
from portal import auth
from portal.tests.test_faults_cache import client_signed_in_as

pytestmark = pytest.mark.django_db

_USER_ROW = re.compile(r'FROM "auth_user"\s+WHERE "auth_user"\."id" = ')


@pytest.fixture
def shared_cache():
    """The cache on the tests' Redis, as in production (CACHE_URL=redis://...)."""
    location = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    with override_settings(
        CACHES={"default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": location}}
    ):
        cache.clear()
        yield
        cache.clear()


def user_loads(client, address="/registry/"):
    """How often the request for ``address`` loads a person by id, and its response."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    return sum(bool(_USER_ROW.search(query["sql"])) for query in queries), response


def test_with_a_shared_cache_the_signed_in_person_is_not_loaded_again(shared_cache, submitter):
    client = client_signed_in_as("submitter")
    assert user_loads(client)[0] == 1  # signing in saved them (last_login): loaded once
    for _ in range(2):
        loads, response = user_loads(client)
        assert (loads, response.status_code) == (0, 200)


def test_without_a_shared_cache_the_person_is_loaded_on_every_request(submitter):
    client = client_signed_in_as("submitter")
    for _ in range(2):
        loads, response = user_loads(client)
        assert (loads, response.status_code) == (1, 200)


def test_a_password_changed_in_another_session_signs_this_one_out(shared_cache, submitter):
    laptop, phone = client_signed_in_as("submitter"), client_signed_in_as("submitter")
    assert user_loads(laptop)[1].status_code == 200
    assert user_loads(laptop)[0] == 0  # served from the cache

    submitter.set_password("a-new-and-long-passphrase")
    submitter.save()

    response = laptop.get("/registry/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/registry/")
    assert phone.get("/registry/").status_code == 302


def test_a_deactivated_account_is_signed_out_at_its_next_request(shared_cache, submitter):
    client = client_signed_in_as("submitter")
    user_loads(client)
    assert user_loads(client)[0] == 0

    submitter.is_active = False
    submitter.save(update_fields=["is_active"])

    response = client.get("/registry/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/registry/")


def test_a_deleted_account_is_signed_out_at_its_next_request(shared_cache, submitter):
    client = client_signed_in_as("submitter")
    user_loads(client)
    submitter.delete()
    response = client.get("/registry/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/registry/")


def test_a_new_name_shows_at_the_next_request(shared_cache, submitter):
    client = client_signed_in_as("submitter")
    user_loads(client)
    assert user_loads(client)[0] == 0

    submitter.first_name = "Renamed"
    submitter.save(update_fields=["first_name"])

    assert "Renamed" in client.get("/registry/").content.decode()


def test_a_session_signed_in_with_the_former_backend_carries_on(shared_cache, submitter):
    client = client_signed_in_as("submitter")
    session = client.session
    session[BACKEND_SESSION_KEY] = auth.FORMER_BACKEND
    session.save()

    assert client.get("/registry/").status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == auth.BACKEND


def redis_round_trips(client, address="/registry/"):
    """The commands the request for ``address`` sends to the cache's Redis, and its
    response."""
    sent = []
    original = RedisCacheClient._run

    def counting(self, command, fallback, **kwargs):
        sent.append(command)
        return original(self, command, fallback, **kwargs)

    with mock.patch.object(RedisCacheClient, "_run", counting):
        response = client.get(address)
    return len(sent), response


def test_a_page_from_the_cache_asks_redis_three_times(shared_cache, submitter, reviewer):
    SiteNotice.objects.create(level="info", title_en="New logo", body_en="…", published_by=reviewer)
    client = client_signed_in_as("submitter")
    client.get("/registry/")  # fills the cache
    trips, response = redis_round_trips(client)
    # The session with the cache versions, the person with the notices, the listing.
    assert (trips, response.status_code) == (3, 200)
    assert "New logo" in response.content.decode()


def test_a_notice_published_shows_at_the_next_request(shared_cache, submitter, reviewer):
    client = client_signed_in_as("submitter")
    assert "Server down" not in client.get("/registry/").content.decode()

    SiteNotice.objects.create(
        level="crisis", title_en="Server down", body_en="…", published_by=reviewer
    )

    assert "Server down" in client.get("/registry/").content.decode()
