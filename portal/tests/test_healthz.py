"""/healthz: the database, the cache and the broker checked one by one; a part that
fails answers 503 when PORTAL_HEALTHZ_REQUIRED names it, 200 "degraded" otherwise."""

import contextlib

import pytest
from django.db import OperationalError
from django.test import override_settings

import portal.views
from core import redis_cache

EVERY_PART = ("database", "cache", "broker")


@pytest.fixture
def fail(monkeypatch, settings):
    """``fail("cache")`` makes that part of the portal unreachable, as the health check
    sees it, with a host and a password that must not show in the answer. The cache's
    settings are restored before its breaker is forgotten, so that no later cache call
    (conftest's clear) makes one again."""
    with contextlib.ExitStack() as restore:

        def make_fail(part):
            if part == "database":

                class BrokenConnection:
                    def cursor(self):
                        raise OperationalError("could not connect to server at 10.0.0.5")

                monkeypatch.setattr(portal.views, "connection", BrokenConnection())
            elif part == "cache":
                cache = {
                    "BACKEND": "core.redis_cache.RedisCache",
                    "LOCATION": "redis://:s3cret@127.0.0.1:1/0",
                }
                restore.enter_context(override_settings(CACHES={"default": cache}))
            elif part == "broker":
                settings.CELERY_BROKER_URL = "redis://user:s3cret@127.0.0.1:1/0"
                settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

        yield make_fail
    redis_cache.reset()


def test_healthz_answers_200_ok_when_every_part_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("required", "failing", "status_code", "status"),
    [
        (["database"], ["cache"], 200, "degraded"),
        (["database"], ["broker"], 200, "degraded"),
        (["database"], ["cache", "broker"], 200, "degraded"),
        (["database"], ["database"], 503, "unavailable"),
        (["database", "cache"], ["cache"], 503, "unavailable"),
        (["database", "broker"], ["broker"], 503, "unavailable"),
        (["database", "broker"], ["cache"], 200, "degraded"),
        ([], ["database"], 200, "degraded"),
    ],
)
def test_a_failing_part_answers_503_only_when_it_is_required(
    client, db, settings, fail, required, failing, status_code, status
):
    settings.PORTAL_HEALTHZ_REQUIRED = required
    for part in failing:
        fail(part)
    response = client.get("/healthz")
    assert response.status_code == status_code
    assert response.json() == {
        "status": status,
        "checks": {part: "unavailable" if part in failing else "ok" for part in EVERY_PART},
    }
    for secret in (b"s3cret", b"127.0.0.1", b"10.0.0.5"):
        assert secret not in response.content


def test_by_default_only_the_database_is_required(settings):
    assert settings.PORTAL_HEALTHZ_REQUIRED == ["database"]


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
