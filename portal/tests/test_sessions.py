"""Signed-in sessions end after a while idle and after a fixed lifetime; signed-in
pages are never cached."""

import datetime

import pytest
import time_machine

START = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def session_clock(client, submitter, settings):
    """The clock (stopped at START) of a session the submitter has just signed in to."""
    settings.PORTAL_SESSION_IDLE_MINUTES = 60
    settings.PORTAL_SESSION_MAX_HOURS = 12
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(submitter)
        assert client.get("/").status_code == 200
        yield traveller


def signed_out(response):
    return response.status_code == 302 and response.url.startswith("/login/")


def test_a_session_idle_for_more_than_an_hour_ends_with_a_message(client, session_clock):
    session_clock.shift(datetime.timedelta(minutes=61))
    response = client.get("/registry/")
    assert signed_out(response)
    page = client.get(response.url).content.decode()
    assert "signed out after a while without activity" in page


def test_activity_keeps_the_session_until_its_lifetime_ends(client, session_clock):
    for _ in range(12):  # a request every 59 minutes: 11 h 48 min in all
        session_clock.shift(datetime.timedelta(minutes=59))
        assert client.get("/registry/").status_code == 200
    session_clock.shift(datetime.timedelta(minutes=30))  # 12 h 18 min after signing in
    response = client.get("/registry/")
    assert signed_out(response)
    assert "reached its time limit" in client.get(response.url).content.decode()


@pytest.fixture
def one_minute_idle(session_clock, settings):
    settings.PORTAL_SESSION_IDLE_MINUTES = 1
    return session_clock


@pytest.mark.parametrize("seconds", [30, 31])  # on the dot, and each a second late
def test_a_request_every_30_seconds_keeps_a_one_minute_idle_session(
    client, one_minute_idle, seconds
):
    for _ in range(20):  # ten minutes
        one_minute_idle.shift(datetime.timedelta(seconds=seconds))
        assert client.get("/registry/").status_code == 200


def test_a_one_minute_idle_session_lasts_a_full_minute_after_the_last_request(
    client, one_minute_idle
):
    # The last-seen time is written at most every 6 seconds (a tenth of the limit):
    # this request is not written, yet the minute counts from it.
    one_minute_idle.shift(datetime.timedelta(seconds=5))
    assert client.get("/registry/").status_code == 200
    one_minute_idle.shift(datetime.timedelta(seconds=60))
    assert client.get("/registry/").status_code == 200


def test_a_one_minute_idle_session_ends_after_61_seconds_and_the_resolution(
    client, one_minute_idle
):
    one_minute_idle.shift(datetime.timedelta(seconds=30))
    assert client.get("/registry/").status_code == 200
    one_minute_idle.shift(datetime.timedelta(seconds=61 + 6))
    assert signed_out(client.get("/registry/"))


def test_an_expired_session_still_sees_public_pages_as_anonymous(client, session_clock):
    session_clock.shift(datetime.timedelta(hours=2))
    response = client.get("/directory/")
    assert response.status_code == 200
    assert "Sign out" not in response.content.decode()


def test_signed_in_pages_are_not_cached_and_public_ones_may_be(client, session_clock):
    assert "no-store" in client.get("/registry/")["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get("/directory/").get("Cache-Control", "")


def test_production_uses_argon2_and_host_prefixed_cookies():
    import subprocess
    import sys

    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.PASSWORD_HASHERS[0], s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "DJANGO_SECRET_KEY": "k" * 30 + "-not-insecure-0123456789abcdefghij",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "__Host-sessionid",
        "__Host-csrftoken",
    ]
