"""`manage.py check --deploy` refuses the settings that send the platforms' requests, or
the owners' sign-ins, to a stand-in server: meant for the tests and the benchmark, in
production they would hand tokens and sign-in codes to whatever answers there."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from portal.checks import no_stand_in_servers

STAND_INS = ["METRICS_API_BASE_URL", "METRICS_OAUTH_BASE_URL", "METRICS_HANDLE_BASE_URL"]


@pytest.fixture
def production(settings):
    for name in STAND_INS:
        setattr(settings, name, "")
    return settings


def test_nothing_is_said_without_a_stand_in(production):
    assert no_stand_in_servers(None) == []


@pytest.mark.parametrize("name", STAND_INS)
def test_a_stand_in_server_is_an_error_of_the_deployment(production, name):
    setattr(production, name, "http://127.0.0.1:8999")
    [error] = no_stand_in_servers(None)
    assert error.id == "portal.E001"
    assert name in error.msg


def test_check_deploy_fails_on_it(production):
    production.METRICS_OAUTH_BASE_URL = "http://127.0.0.1:8999"
    with pytest.raises(SystemCheckError, match="METRICS_OAUTH_BASE_URL"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
