"""Two-step sign-in for local accounts: a person turns on an authenticator app (TOTP)
from the account area, and from then on the login asks for its code."""

import base64
import datetime as dt
import hashlib
import hmac
import re
import struct
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY

from portal.tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def start_of_a_code_window():
    """Each test starts at the beginning of a 30-second code window, its clock running:
    a code computed here is still the server's when it checks it, however busy the
    machine (on the real clock, a window could end between the two)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def code_for(secret):
    """The code an authenticator app shows now (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in_and_confirm(client, user):
    """Signs in; changing how one signs in asks for the password once more."""
    client.post("/login/", {"login": user.username, "password": PASSWORD})
    response = client.get("/accounts/2fa/totp/activate/")
    assert (
        response["Location"]
        == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    client.post(
        "/accounts/reauthenticate/", {"password": PASSWORD, "next": "/accounts/2fa/totp/activate/"}
    )


def turn_on(client, user):
    sign_in_and_confirm(client, user)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.content.decode())[1]
    response = client.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)})
    assert response.status_code == 302
    client.post("/logout/")
    return secret


def test_the_account_area_links_to_two_step_sign_in(client, submitter):
    client.force_login(submitter)
    html = client.get("/").content.decode()
    assert 'href="/accounts/2fa/">Two-step sign-in</a>' in html
    assert (
        "Two-step sign-in is off for your account." in client.get("/accounts/2fa/").content.decode()
    )


def test_a_person_turns_it_on_with_a_code_from_the_app(client, submitter):
    turn_on(client, submitter)
    assert Authenticator.objects.filter(user=submitter, type="totp").count() == 1


def test_a_wrong_code_does_not_turn_it_on(client, submitter):
    sign_in_and_confirm(client, submitter)
    client.get("/accounts/2fa/totp/activate/")
    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.exists()


def test_then_the_login_asks_for_the_code(client, submitter):
    secret = turn_on(client, submitter)

    response = client.post("/login/", {"login": "submitter", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/authenticate/")
    assert SESSION_KEY not in client.session
    assert client.get("/registry/").status_code == 302  # not signed in yet

    response = client.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(submitter.pk)


def test_a_wrong_code_at_login_does_not_sign_in(client, submitter):
    turn_on(client, submitter)
    client.post("/login/", {"login": "submitter", "password": PASSWORD})

    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_the_code_page_is_in_swedish(client, submitter):
    turn_on(client, submitter)
    client.post("/login/", {"login": "submitter", "password": PASSWORD})
    html = client.get("/accounts/2fa/authenticate/", headers={"accept-language": "sv"}).content
    assert "Ange din kod" in html.decode()


@pytest.mark.parametrize("page", ["/accounts/2fa/", "/accounts/2fa/totp/activate/"])
def test_anonymous_visitors_are_sent_to_login(client, db, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_people_without_a_portal_password_are_not_offered_it(client, submitter):
    # Single sign-on accounts: their identity provider handles the second step.
    submitter.set_unusable_password()
    submitter.save()
    client.force_login(submitter)
    assert "/accounts/2fa/" not in client.get("/").content.decode()
