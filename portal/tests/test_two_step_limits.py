"""The second sign-in step has a limit too: five wrong codes for one person (from any
address), or twenty from one address (for anyone), pause signing in with a code for the
login cool-off, even with the right code. Wrong codes are failed sign-ins to django-axes
as well, so they count towards the lockout of that username from that address."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import SESSION_KEY
from django.db import connection, connections
from django.test import Client
from django.utils import translation

from portal.models import AccessDenial, TwoStepFailure
from portal.tests.factories import PASSWORD, make_user
from portal.tests.test_two_step import code_for

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 10:00 in Stockholm
HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.7"
CODE_PAGE = "/accounts/2fa/authenticate/"
WRONG = "000000"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def with_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def secret(submitter):
    return with_totp(submitter)


def password_step(client, username="submitter", address=HOME):
    response = client.post(
        "/login/", {"login": username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert (response.status_code, response["Location"]) == (302, CODE_PAGE)


def enter(client, code, address=HOME, **extra):
    return client.post(CODE_PAGE, {"code": code}, REMOTE_ADDR=address, **extra)


def enter_wrong(client, times, address=HOME):
    return [enter(client, WRONG, address).status_code for _ in range(times)]


def test_four_wrong_codes_then_the_right_one_sign_in(client, submitter, secret, clock):
    password_step(client)
    assert enter_wrong(client, 4) == [200, 200, 200, 200]

    response = enter(client, code_for(secret))

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(submitter.pk)


def test_the_fifth_wrong_code_pauses_and_then_the_right_code_is_refused(
    client, submitter, secret, clock
):
    password_step(client)
    assert enter_wrong(client, 5) == [200, 200, 200, 200, 429]

    response = enter(client, code_for(secret))

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert not Authenticator.objects.filter(last_used_at__isnull=False).exists()


def test_the_limit_per_person_counts_wrong_codes_from_every_address(
    client, submitter, secret, clock
):
    password_step(client)
    for number in range(1, 5):
        assert enter(client, WRONG, address=f"203.0.113.{number}").status_code == 200
    assert enter(client, WRONG, address="203.0.113.5").status_code == 429

    response = enter(client, code_for(secret), address="203.0.113.6")

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_limit_per_address_counts_wrong_codes_for_everyone(client, submitter, clock):
    for number in range(4):
        user = make_user(username=f"guessed{number}")
        with_totp(user)
        browser = Client()
        password_step(browser, user.username)
        assert enter_wrong(browser, 5) == [200, 200, 200, 200, 429]
    secret = with_totp(submitter)
    password_step(client)

    refused = enter(client, code_for(secret))

    assert refused.status_code == 429
    assert SESSION_KEY not in client.session
    # The person is not paused: from another address the right code signs in.
    response = enter(client, code_for(secret), address=ELSEWHERE)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_limits_are_settings(client, submitter, secret, clock, settings):
    settings.PORTAL_TWO_STEP_FAILURE_LIMIT = 2
    password_step(client)
    assert enter_wrong(client, 2) == [200, 429]

    settings.PORTAL_TWO_STEP_FAILURE_LIMIT = 5
    settings.PORTAL_TWO_STEP_ADDRESS_LIMIT = 2
    assert enter(client, code_for(secret)).status_code == 429
    assert enter(client, code_for(secret), address=ELSEWHERE).status_code == 302


def test_the_defaults_are_five_per_person_and_twenty_per_address(settings):
    assert settings.PORTAL_TWO_STEP_FAILURE_LIMIT == 5
    assert settings.PORTAL_TWO_STEP_ADDRESS_LIMIT == 20


def test_attempts_during_the_pause_do_not_extend_it_and_it_ends_after_the_cool_off(
    client, submitter, secret, clock
):
    password_step(client)
    enter_wrong(client, 5)
    clock.shift(dt.timedelta(minutes=10))
    assert enter_wrong(client, 3) == [429, 429, 429]
    clock.shift(dt.timedelta(minutes=4, seconds=59))
    assert enter(client, code_for(secret)).status_code == 429

    clock.shift(dt.timedelta(seconds=2))
    # The sign-in that was waiting for its code has expired meanwhile: start again.
    password_step(client)
    response = enter(client, code_for(secret))

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(submitter.pk)


def test_an_empty_code_is_not_counted(client, submitter, secret, clock):
    password_step(client)
    assert [enter(client, "").status_code for _ in range(6)] == [200] * 6
    assert not AccessFailureLog.objects.exists()


# --- Recovery codes are codes too ------------------------------------------------------


@pytest.fixture
def recovery_codes(submitter, secret):
    return RecoveryCodes.activate(submitter)


def test_a_recovery_code_signs_in_before_the_limit(client, submitter, recovery_codes, clock):
    password_step(client)
    enter_wrong(client, 4)

    response = enter(client, recovery_codes.get_unused_codes()[0])

    assert (response.status_code, response["Location"]) == (302, "/")


def test_wrong_recovery_codes_are_counted_and_the_right_one_is_then_refused(
    client, submitter, recovery_codes, clock
):
    password_step(client)
    statuses = [enter(client, "1234567" + str(digit)).status_code for digit in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    code = recovery_codes.get_unused_codes()[0]

    response = enter(client, code)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    recovery_codes.instance.refresh_from_db()
    assert code in recovery_codes.get_unused_codes()  # not spent on a refused attempt


# --- Recorded like failed sign-ins --------------------------------------------------------


def test_wrong_codes_are_failed_sign_ins_in_the_access_audit(client, submitter, secret, clock):
    password_step(client)
    enter_wrong(client, 2)

    rows = list(AccessFailureLog.objects.values_list("username", "ip_address", "path_info"))
    assert rows == [("submitter", HOME, CODE_PAGE)] * 2
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("submitter", 2)
    ]


def test_after_the_limit_the_password_step_from_that_address_is_paused_too(
    client, submitter, secret, clock
):
    password_step(client)
    enter_wrong(client, 5)

    # In another browser: this one would be sent back to the code step it left.
    response = Client().post(
        "/login/", {"login": "submitter", "password": PASSWORD}, REMOTE_ADDR=HOME
    )

    assert response.status_code == 429


def test_wrong_passwords_and_wrong_codes_from_one_address_add_up(client, submitter, secret, clock):
    for _ in range(3):
        client.post("/login/", {"login": "submitter", "password": "wrong"}, REMOTE_ADDR=HOME)
    password_step(client)
    assert enter_wrong(client, 2) == [200, 429]

    response = enter(client, code_for(secret))

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_a_refused_code_is_written_down_as_a_paused_sign_in(client, submitter, secret, clock):
    password_step(client)
    enter_wrong(client, 5)
    enter(client, code_for(secret))

    rows = list(AccessDenial.objects.values_list("reason", "username", "path", "ip_address"))
    assert rows == [(AccessDenial.Reason.LOCKED_OUT, "submitter", CODE_PAGE, HOME)] * 2


# --- The page -------------------------------------------------------------------------


def test_the_pause_page_says_until_when_and_has_retry_after(client, submitter, secret, clock):
    password_step(client)
    enter_wrong(client, 5)
    clock.shift(dt.timedelta(minutes=5))

    response = enter(client, code_for(secret))

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert (
        "Too many wrong codes were entered. For your security, signing in with a code is "
        "paused until 10:15 (10 min)."
    ) in html


def test_the_pause_page_is_the_portal_page(client, submitter, secret, clock):
    password_step(client)
    enter_wrong(client, 5)

    html = enter(client, WRONG).content.decode()

    assert "<title>Please wait a moment · Social media portal</title>" in html
    assert '<h1 class="h3">Please wait a moment</h1>' in html
    assert '<label for="language-select">Language</label>' in html
    assert "Too Many Requests" not in html


def test_a_visit_to_the_code_page_during_the_pause_shows_the_pause(
    client, submitter, secret, clock
):
    password_step(client)
    enter_wrong(client, 5)
    response = client.get(CODE_PAGE, REMOTE_ADDR=HOME)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"


@pytest.fixture
def marked_for_translation(monkeypatch):
    """Every string that goes through gettext comes out in brackets: what is left bare
    would stay English in Swedish."""
    real = translation._trans.gettext  # Django's, loaded on first use
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"[[{real(message)}]]")


def test_every_sentence_of_the_pause_page_is_translatable(
    client, submitter, secret, clock, marked_for_translation
):
    password_step(client)
    enter_wrong(client, 5)

    html = enter(client, code_for(secret)).content.decode()

    assert "<title>[[Please wait a moment]] · [[Social media portal]]</title>" in html
    assert (
        "[[Too many wrong codes were entered. For your security, signing in with a code is "
        "paused until 10:15 (15 min).]]"
    ) in html
    assert "[[If the codes from your app keep being refused" in html


# --- Guesses sent at once -----------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_codes_sent_at_once_are_checked_one_after_the_other(settings):
    """The limit is not a check-then-act: a second code sent while the first is being
    checked waits for it, then sees its failure, and is refused unchecked."""
    settings.PORTAL_TWO_STEP_FAILURE_LIMIT = 1
    person = make_user(username="raced")
    with_totp(person)
    first = Client()
    password_step(first, "raced")
    second = Client()
    second.cookies = first.cookies
    checked = []
    checking = threading.Event()
    real_check = TOTP.validate_code

    def slow_check(totp, code):
        checked.append(code)
        checking.set()
        time.sleep(0.5)  # long enough for the second code to arrive meanwhile
        return real_check(totp, code)

    statuses = []

    def send(browser):
        try:
            statuses.append(enter(browser, WRONG).status_code)
        finally:
            connections.close_all()

    with mock.patch.object(TOTP, "validate_code", slow_check):
        threads = [threading.Thread(target=send, args=(browser,)) for browser in (first, second)]
        threads[0].start()
        assert checking.wait(5)
        threads[1].start()
        for thread in threads:
            thread.join()

    assert checked == [WRONG]
    assert statuses == [429, 429]
    assert TwoStepFailure.objects.count() == 1
