from unittest import mock

import pytest
from django.db import OperationalError, connection

from portal.errors import server_error


def test_the_server_error_page_renders_without_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Something went wrong" in html


def test_an_unknown_page_answers_404_with_the_portal_layout(client, submitter):
    client.force_login(submitter)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- The database is unreachable (a restart, a failover) --------------------------------


@pytest.fixture
def database_down(db):
    """Every query fails as it does while PostgreSQL restarts: the connection cannot be
    (re)opened."""
    down = OperationalError("connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=down):
        yield


@pytest.mark.parametrize(
    "who, url", [("anonymous", "/directory/"), ("anonymous", "/login/"), ("staff", "/registry/")]
)
def test_a_page_asked_for_while_the_database_is_down_answers_503_and_says_to_retry(
    request, client, who, url
):
    if who == "staff":
        request.getfixturevalue("submitter_client")
    request.getfixturevalue("database_down")
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "briefly unavailable" in html
    assert "Something went wrong" not in html


def test_a_form_sent_while_the_database_is_down_is_refused_with_the_typed_text_kept_in_mind(
    client, database_down
):
    client.raise_request_exception = False
    response = client.post("/login/", {"login": "someone", "password": "secret"})
    assert response.status_code == 503
    assert "go back" in response.content.decode().lower()


def test_other_errors_are_still_500(client, rf):
    request = rf.get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500


# --- Too many requests ---------------------------------------------------------------------


def assert_the_portal_429_page(response):
    html = response.content.decode()
    assert response.status_code == 429
    assert "<title>Please wait a moment · Social media portal</title>" in html
    assert "There have been too many attempts in a short time" in html
    assert '<label for="language-select">Language</label>' in html
    assert "Too Many Requests" not in html


def test_too_many_sign_ins_from_one_address_answer_with_the_portal_page(client, db):
    # allauth's limit on the login form: 30 a minute from one address (each username
    # tried once, so that the lockout does not answer first).
    for number in range(30):
        response = client.post("/login/", {"login": f"person{number}", "password": "x"})
        assert response.status_code == 200

    assert_the_portal_429_page(client.post("/login/", {"login": "another", "password": "x"}))


@pytest.mark.urls("portal.tests.ratelimited_urls")
def test_a_view_over_its_rate_limit_answers_with_the_portal_page(client, db):
    assert [client.get("/limited/").status_code for _ in range(2)] == [200, 200]

    assert_the_portal_429_page(client.get("/limited/"))


def test_the_429_page_is_translatable(rf, db, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from portal.views import too_many_requests

    real = translation._trans.gettext
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"[[{real(message)}]]")
    request = rf.get("/")
    request.user = AnonymousUser()

    html = too_many_requests(request).content.decode()

    assert "<title>[[Please wait a moment]] · [[Social media portal]]</title>" in html
    assert "<p>[[There have been too many attempts in a short time" in html
    assert "[[Back to the home page]]" in html
