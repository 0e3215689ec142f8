"""Settings come from the environment; a bad value stops the start with a clear message."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_matching, env_str, env_time
from portal.tests.fresh_settings import run_with_settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("PORTAL_TEST_FLAG", raw)
    assert env_bool("PORTAL_TEST_FLAG", not expected) is expected


def test_env_bool_refuses_an_unknown_word(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_FLAG .*'maybe'"):
        env_bool("PORTAL_TEST_FLAG", False)


def test_env_int_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_NUMBER must be an integer"):
        env_int("PORTAL_TEST_NUMBER", 1)


def test_env_int_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0, not -1"):
        env_int("PORTAL_TEST_NUMBER", 1, minimum=0)


def test_unset_or_blank_variables_give_the_default(monkeypatch):
    monkeypatch.delenv("PORTAL_TEST_NUMBER", raising=False)
    monkeypatch.setenv("PORTAL_TEST_TEXT", "   ")
    assert env_int("PORTAL_TEST_NUMBER", 7) == 7
    assert env_str("PORTAL_TEST_TEXT", "default") == "default"


@pytest.mark.parametrize("raw", ["٠٩:٣٠", "²:00", "25:00", "09-30"])
def test_env_time_refuses_what_is_not_hh_mm_with_a_message(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_TEST_TIME", raw)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_TIME"):
        env_time("PORTAL_TEST_TIME", "06:00")


def test_env_time_reads_hh_mm(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_TIME", "09:30")
    assert env_time("PORTAL_TEST_TIME", "06:00") == (9, 30)


@pytest.mark.parametrize("raw", ["2026-08", "v25", "latest"])
def test_an_api_version_that_does_not_look_like_one_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("METRICS_LINKEDIN_VERSION", raw)
    with pytest.raises(ImproperlyConfigured, match=f"METRICS_LINKEDIN_VERSION .*'{raw}'"):
        env_matching("METRICS_LINKEDIN_VERSION", "202608", r"20[0-9]{4}", example="202608")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_LIST", " a.example , ,b.example")
    assert env_list("PORTAL_TEST_LIST") == ["a.example", "b.example"]


# The settings module is read once per process, so each case below loads it in a
# fresh interpreter with exactly the given environment (portal/tests/fresh_settings.py).

_PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "hosts": settings.ALLOWED_HOSTS,
}))
"""


def load_settings(tmp_path, **variables):
    """With none of the portal's own variables set but ``variables``."""
    cleared = ("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_", "PORTAL_")
    return run_with_settings(_PRINT_SETTINGS, tmp_path, cleared=cleared, **variables)


def test_with_no_variables_the_portal_runs_on_embedded_defaults(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": True,
        "engine": "django.db.backends.sqlite3",
        "db_name": str(tmp_path / "portal.sqlite3"),
        "broker": "filesystem://",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "email": "django.core.mail.backends.console.EmailBackend",
        "hosts": ["localhost", "127.0.0.1", "[::1]"],
    }
    assert (tmp_path / "celery" / "queue").is_dir()


def test_database_broker_and_cache_urls_switch_to_postgresql_and_redis(tmp_path):
    result = load_settings(
        tmp_path,
        DATABASE_URL="postgres://portal@db.example:5432/portal",
        CELERY_BROKER_URL="redis://broker.example:6379/0",
        CACHE_URL="redis://cache.example:6379/1",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert (loaded["engine"], loaded["db_name"], loaded["broker"], loaded["cache"]) == (
        "django.db.backends.postgresql",
        "portal",
        "redis://broker.example:6379/0",
        "core.redis_cache.RedisCache",
    )


def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path):
    result = load_settings(tmp_path, DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_DEBUG must be one of" in result.stderr


def test_a_health_check_that_does_not_exist_stops_the_start(tmp_path):
    result = load_settings(tmp_path, PORTAL_HEALTHZ_REQUIRED="database,cahce")
    assert result.returncode != 0
    assert "PORTAL_HEALTHZ_REQUIRED must list" in result.stderr
    assert "'cahce'" in result.stderr


PRODUCTION_KEY = "k3y-" + "x7Qp9zR2mW5vL8nB4tY6cH1jD0fG3sA" * 2


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "a1b2c3" * 10}, "must be set"),
        ({"DJANGO_SECRET_KEY": "short-but-random-Q8"}, "at least 50 characters"),
        ({"DJANGO_SECRET_KEY": PRODUCTION_KEY}, "DJANGO_ALLOWED_HOSTS must list"),
    ],
    ids=["no-key", "insecure-key", "short-key", "no-hosts"],
)
def test_without_debug_it_refuses_to_start_without_a_real_key_and_hosts(
    tmp_path, variables, message
):
    result = load_settings(tmp_path, DJANGO_DEBUG="false", **variables)
    assert result.returncode != 0
    assert message in result.stderr


def test_without_debug_it_starts_with_a_real_key_and_hosts(tmp_path):
    result = load_settings(
        tmp_path,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert (loaded["debug"], loaded["hosts"]) == (False, ["portal.example.org"])


_PRINT_SIGN_IN = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "meta": list(settings.METRICS_OAUTH_CLIENTS["meta"]),
    "form_action": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
}))
"""


def test_a_platforms_app_lets_the_connect_form_go_to_its_sign_in_page(tmp_path):
    result = run_with_settings(
        _PRINT_SIGN_IN,
        tmp_path,
        cleared=("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_", "PORTAL_", "METRICS_"),
        METRICS_META_CLIENT_ID="123",
        METRICS_META_CLIENT_SECRET="s3cret",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "meta": ["123", "s3cret"],
        "form_action": ["'self'", "https://www.facebook.com"],
    }


def test_a_client_id_without_its_secret_stops_the_portal(tmp_path):
    result = run_with_settings(
        _PRINT_SIGN_IN,
        tmp_path,
        cleared=("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_", "PORTAL_", "METRICS_"),
        METRICS_LINKEDIN_CLIENT_ID="abc",
    )
    assert result.returncode != 0
    assert "METRICS_LINKEDIN_CLIENT_SECRET must be set" in result.stderr
