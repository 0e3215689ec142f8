"""Behind a reverse proxy without PORTAL_CLIENT_IP_HEADER every visitor counts as the
proxy's address and shares one login limit: a system check says so when the settings
show a proxy, and the first request that arrives through one is logged, once."""

import logging

import pytest
from django.core import checks

from core import client_ip
from portal.checks import client_ip_header_behind_proxy

PROXY_SETTINGS = [
    {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
    {"USE_X_FORWARDED_HOST": True},
    {"USE_X_FORWARDED_PORT": True},
]


@pytest.fixture
def no_proxy(settings):
    settings.RATELIMIT_IP_META_KEY = None
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.USE_X_FORWARDED_HOST = False
    settings.USE_X_FORWARDED_PORT = False
    return settings


# --- The system check ------------------------------------------------------------------


@pytest.mark.parametrize("proxy", PROXY_SETTINGS)
def test_the_check_warns_when_a_proxy_is_configured_without_the_client_header(no_proxy, proxy):
    for name, value in proxy.items():
        setattr(no_proxy, name, value)
    [warning] = client_ip_header_behind_proxy(None)
    assert warning.id == "portal.W001"
    assert warning.level == checks.WARNING
    assert "PORTAL_CLIENT_IP_HEADER" in warning.msg
    assert next(iter(proxy)) in warning.msg


@pytest.mark.parametrize("proxy", PROXY_SETTINGS)
def test_the_check_is_quiet_when_the_client_header_is_named(no_proxy, proxy):
    for name, value in proxy.items():
        setattr(no_proxy, name, value)
    no_proxy.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert client_ip_header_behind_proxy(None) == []


def test_the_check_is_quiet_without_a_proxy(no_proxy):
    assert client_ip_header_behind_proxy(None) == []


def test_the_check_is_registered_and_runs_with_the_others(no_proxy):
    no_proxy.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert "portal.W001" in [message.id for message in checks.run_checks()]
    no_proxy.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert "portal.W001" not in [message.id for message in checks.run_checks()]


# --- The log, once per process ---------------------------------------------------------


@pytest.fixture
def fresh_process(monkeypatch):
    """As in a process that has not warned yet (earlier tests may have)."""
    monkeypatch.setattr(client_ip, "_warned_of_unnamed_proxy", False)


def proxy_warnings(caplog):
    return [
        record
        for record in caplog.records
        if record.name == "core.client_ip" and record.levelno == logging.WARNING
    ]


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"HTTP_FORWARDED": "for=203.0.113.9;proto=https"},
    ],
)
def test_the_first_request_through_a_proxy_is_logged_once(
    client, db, no_proxy, fresh_process, caplog, header
):
    with caplog.at_level(logging.WARNING, logger="core.client_ip"):
        for _ in range(3):
            client.get("/directory/", **header)
    [warning] = proxy_warnings(caplog)
    assert "PORTAL_CLIENT_IP_HEADER" in warning.getMessage()
    assert "one login limit" in warning.getMessage()


def test_requests_without_proxy_headers_log_nothing(client, db, no_proxy, fresh_process, caplog):
    with caplog.at_level(logging.WARNING, logger="core.client_ip"):
        client.get("/directory/")
    assert proxy_warnings(caplog) == []


def test_requests_through_a_proxy_log_nothing_when_the_client_header_is_named(
    client, db, no_proxy, fresh_process, caplog
):
    no_proxy.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    with caplog.at_level(logging.WARNING, logger="core.client_ip"):
        client.get("/directory/", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert proxy_warnings(caplog) == []
