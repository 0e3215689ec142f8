"""Login protection: five failed sign-ins for one username from one address pause that
pair for fifteen minutes; nothing else is locked, and nothing is locked for ever."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from core.client_ip import client_address
from portal.login_protection import normalised_username
from portal.tests.factories import PASSWORD

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 10:00 in Stockholm


def sign_in(client, username, password, address="192.0.2.10", **extra):
    return client.post(
        "/login/",
        {"login": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def fail(client, username, times, address="192.0.2.10"):
    for _ in range(times):
        sign_in(client, username, "wrong", address)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_five_failures_lock_the_username_from_that_address_even_with_the_right_password(
    client, submitter, clock
):
    fail(client, "submitter", 4)
    assert sign_in(client, "submitter", "wrong").status_code == 429

    response = sign_in(client, "submitter", PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_four_failures_do_not_lock(client, submitter, clock):
    fail(client, "submitter", 4)
    response = sign_in(client, "submitter", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_lockout_page_says_when_to_try_again_and_keeps_the_username(client, submitter, clock):
    fail(client, "submitter", 5)
    response = sign_in(client, "submitter", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert (
        "Too many failed sign-ins with this username from your address. For your security, "
        "signing in with it is paused until 10:15 (15 min)."
    ) in html
    assert 'value="submitter"' in html
    assert re.search(r'<label\s+for="id_password"', html)


def test_the_lockout_page_is_in_swedish(client, submitter, clock):
    fail(client, "submitter", 5)
    response = sign_in(client, "submitter", PASSWORD, HTTP_ACCEPT_LANGUAGE="sv")
    html = response.content.decode()
    assert response.status_code == 429
    assert (
        "För många misslyckade inloggningar med det här användarnamnet från din adress. "
        "För din säkerhet är inloggning med det pausad till 10:15 (15 min)."
    ) in html


def test_attempts_during_the_lockout_do_not_extend_it(client, submitter, clock):
    fail(client, "submitter", 5)
    clock.shift(dt.timedelta(minutes=10))
    fail(client, "submitter", 3)
    clock.shift(dt.timedelta(minutes=5, seconds=1))
    response = sign_in(client, "submitter", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_another_address_is_not_locked(client, submitter, clock):
    fail(client, "submitter", 5, address="192.0.2.10")
    response = sign_in(client, "submitter", PASSWORD, address="198.51.100.7")
    assert (response.status_code, response["Location"]) == (302, "/")


def test_another_username_from_the_same_address_is_not_locked(client, submitter, colleague, clock):
    fail(client, "submitter", 5)
    response = sign_in(client, "colleague", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_new_user_agent_does_not_get_around_the_lockout(client, submitter, clock):
    fail(client, "submitter", 5)
    response = sign_in(client, "submitter", PASSWORD, HTTP_USER_AGENT="Another browser/1.0")
    assert response.status_code == 429


def test_after_the_cool_off_the_right_password_works(client, submitter, clock):
    fail(client, "submitter", 5)
    clock.shift(dt.timedelta(minutes=14, seconds=59))
    assert sign_in(client, "submitter", PASSWORD).status_code == 429

    clock.shift(dt.timedelta(seconds=2))
    response = sign_in(client, "submitter", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(submitter.pk)


def test_a_success_clears_only_that_username_from_that_address(client, submitter, colleague, clock):
    fail(client, "submitter", 4, address="192.0.2.10")
    fail(client, "submitter", 4, address="198.51.100.7")
    fail(client, "colleague", 4, address="192.0.2.10")

    sign_in(client, "submitter", PASSWORD, address="192.0.2.10")
    client.logout()

    remaining = sorted(
        AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    )
    assert remaining == [("colleague", "192.0.2.10", 4), ("submitter", "198.51.100.7", 4)]
    # The failures elsewhere still count: one more locks them.
    assert sign_in(client, "submitter", "wrong", address="198.51.100.7").status_code == 429
    assert sign_in(client, "colleague", "wrong", address="192.0.2.10").status_code == 429


def test_an_unknown_username_is_counted_and_locked_too(client, db, clock):
    fail(client, "nobody", 4)
    assert sign_in(client, "nobody", "wrong").status_code == 429


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        (None, {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "192.0.2.10"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "203.0.113.9"}, "203.0.113.9"),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}, "203.0.113.9"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "not an address"}, "192.0.2.10"),
        ("HTTP_X_REAL_IP", {}, "192.0.2.10"),
    ],
)
def test_the_client_address_comes_only_from_the_configured_header(
    rf, settings, header, meta, expected
):
    settings.RATELIMIT_IP_META_KEY = header
    request = rf.get("/", REMOTE_ADDR="192.0.2.10", **meta)
    assert client_address(request) == expected


def test_behind_a_proxy_the_lockout_counts_per_client_not_per_proxy(
    client, submitter, settings, clock
):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    for _ in range(5):
        sign_in(client, "submitter", "wrong", address="10.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    response = sign_in(
        client, "submitter", PASSWORD, address="10.0.0.1", HTTP_X_REAL_IP="198.51.100.7"
    )
    assert (response.status_code, response["Location"]) == (302, "/")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


# --- The username as typed: case, blanks and look-alike forms are one username ----------


def test_failures_with_the_username_in_other_cases_and_blanks_lock_the_one_account(
    client, submitter, clock
):
    for typed in ["SUBMITTER", " submitter", "Submitter ", "sUbMiTtEr"]:
        assert sign_in(client, typed, "wrong").status_code == 200

    assert sign_in(client, "submitter", "wrong").status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("submitter", 5)
    ]


def test_the_right_password_in_another_case_is_refused_and_leaves_the_lockout_in_place(
    client, submitter, clock
):
    fail(client, "submitter", 5)

    response = sign_in(client, "SUBMITTER", PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("submitter", 5)
    ]
    assert sign_in(client, "submitter", PASSWORD).status_code == 429


def test_the_lockout_page_for_another_case_says_when_the_pause_ends(client, submitter, clock):
    fail(client, "submitter", 5)
    clock.shift(dt.timedelta(minutes=5))

    response = sign_in(client, " Submitter", PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "paused until 10:15 (10 min)" in html
    assert 'value="Submitter"' in html


def test_a_success_in_another_case_clears_the_failures_of_that_username(client, submitter, clock):
    fail(client, "SUBMITTER", 4)
    response = sign_in(client, "Submitter", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "demo-staff3",
        "DEMO-STAFF3",
        "  Demo-Staff3\t",
        "ｄｅｍｏ－ｓｔａｆｆ３",  # full-width forms (NFKC)
    ],
)
def test_variants_of_a_username_are_counted_as_one(rf, typed):
    assert normalised_username(rf.post("/login/"), {"login": typed}) == "demo-staff3"


def test_the_username_is_casefolded_not_just_lowered(rf):
    assert normalised_username(rf.post("/login/"), {"login": "STRAßE"}) == "strasse"


def test_without_credentials_the_username_comes_from_the_form(rf):
    request = rf.post("/login/", {"login": " Submitter "})
    assert normalised_username(request, None) == "submitter"
    assert normalised_username(rf.post("/login/"), None) is None
