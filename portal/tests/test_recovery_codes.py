"""Recovery codes: a way in for whoever lost the phone with their authenticator app.
Made when two-step sign-in is turned on and shown once (to download or print), each
good for one sign-in, renewable, counted on the two-step page; using one is mailed to
the person, so that a code used by someone else does not go unnoticed."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY

from portal.tests.factories import PASSWORD
from portal.tests.test_two_step import sign_in_and_confirm, start_of_a_code_window, turn_on

__all__ = ["start_of_a_code_window"]  # autouse: every test at the start of a code window

CODE = re.compile(r'data-testid="recovery-code">(\w+)<')


def codes_on(html):
    return CODE.findall(html)


@pytest.fixture
def enrolled(client, submitter):
    """Turns two-step sign-in on; returns the codes shown right after."""
    sign_in_and_confirm(client, submitter)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.content.decode())[1]
    from portal.tests.test_two_step import code_for

    response = client.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/recovery-codes/"
    codes = codes_on(response.content.decode())
    client.post("/logout/")
    return codes


def sign_in_with(client, code):
    client.post("/login/", {"login": "submitter", "password": PASSWORD})
    return client.post("/accounts/2fa/authenticate/", {"code": code})


def test_turning_two_step_on_shows_ten_codes_once(client, submitter, enrolled):
    assert len(enrolled) == 10
    assert len(set(enrolled)) == 10
    client.force_login(submitter)
    client.post(
        "/accounts/reauthenticate/",
        {"password": PASSWORD, "next": "/accounts/2fa/recovery-codes/"},
    )
    # Shown once: a second look shows none of them.
    html = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert codes_on(html) == []
    assert not any(code in html for code in enrolled)
    assert "10 of 10" in html


def test_the_codes_can_be_downloaded_and_printed_when_shown(client, submitter):
    sign_in_and_confirm(client, submitter)
    Authenticator.objects.create(user=submitter, type="totp", data={"secret": "A" * 32})
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(submitter).get_unused_codes()
    html = client.get("/accounts/2fa/recovery-codes/").content.decode()

    download = re.search(r'<a [^>]*download="recovery-codes.txt"[^>]*href="([^"]+)"', html)
    assert download is not None
    assert download[1].startswith("data:text/plain;charset=utf-8,")
    assert all(code in download[1] for code in codes)
    assert "data-print-page" in html


def test_a_recovery_code_signs_in_once_and_the_person_is_told(
    client, submitter, enrolled, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in_with(client, enrolled[0])
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(submitter.pk)

    (message,) = mailoutbox
    assert message.to == [submitter.email]
    assert message.subject == "A recovery code was used to sign in to your account"
    assert "9 recovery codes are left." in message.body, message.body

    client.post("/logout/")
    response = sign_in_with(client, enrolled[0])
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_signing_in_with_the_app_code_sends_no_mail(
    client, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    from portal.tests.test_two_step import code_for

    secret = turn_on(client, submitter)
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in_with(client, code_for(secret))
    assert response.status_code == 302
    assert mailoutbox == []


def test_the_two_step_page_counts_the_codes_left(client, submitter, enrolled):
    sign_in_with(client, enrolled[0])
    html = client.get("/accounts/2fa/").content.decode()
    assert "9 of 10 recovery codes left" in html
    assert 'href="/accounts/2fa/recovery-codes/generate/"' in html


def test_new_codes_replace_the_old_ones(client, submitter, enrolled):
    sign_in_with(client, enrolled[0])
    client.post(
        "/accounts/reauthenticate/",
        {"password": PASSWORD, "next": "/accounts/2fa/recovery-codes/generate/"},
    )
    page = client.get("/accounts/2fa/recovery-codes/generate/")
    assert page.status_code == 200
    response = client.post("/accounts/2fa/recovery-codes/generate/", follow=True)
    fresh = codes_on(response.content.decode())
    assert len(fresh) == 10
    assert not set(fresh) & set(enrolled)

    client.post("/logout/")
    assert sign_in_with(client, enrolled[1]).status_code == 200  # old: refused
    assert sign_in_with(client, fresh[0]).status_code == 302


def test_turning_two_step_off_removes_the_codes(client, submitter, enrolled):
    sign_in_with(client, enrolled[0])
    client.post(
        "/accounts/reauthenticate/",
        {"password": PASSWORD, "next": "/accounts/2fa/totp/deactivate/"},
    )
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=submitter).exists()
