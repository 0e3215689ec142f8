import re

from django.contrib.auth import SESSION_KEY

from portal.tests.factories import PASSWORD


def test_login_page_renders_a_labelled_form(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<label\s+for="id_login"', html)
    assert re.search(r'<label\s+for="id_password"', html)


def test_staff_member_signs_in_and_lands_on_home(client, submitter):
    response = client.post("/login/", {"login": "submitter", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.session[SESSION_KEY] == str(submitter.pk)


def test_sign_in_returns_to_the_page_asked_for(client, submitter):
    response = client.post(
        "/login/?next=/admin/", {"login": "submitter", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"


def test_wrong_password_shows_an_error_and_keeps_the_username(client, submitter):
    response = client.post("/login/", {"login": "submitter", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The username and/or password you specified are not correct." in html
    assert 'value="submitter"' in html
    assert SESSION_KEY not in client.session


def test_inactive_user_cannot_sign_in(client, inactive_user):
    client.post("/login/", {"login": "former", "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_signed_in_person_visiting_login_goes_home(client, submitter):
    client.force_login(submitter)
    response = client.get("/login/")
    assert (response.status_code, response["Location"]) == (302, "/")


def test_logout_is_a_post_and_ends_the_session(client, submitter):
    client.force_login(submitter)
    assert client.get("/logout/").status_code == 405
    assert SESSION_KEY in client.session
    response = client.post("/logout/")
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert SESSION_KEY not in client.session


def test_the_login_form_is_labelled_in_swedish(client, db):
    html = client.get("/login/", headers={"accept-language": "sv"}).content.decode()
    assert re.search(r'<label\s+for="id_login"[^>]*>\s*Användarnamn', html)
    assert re.search(r'<label\s+for="id_password"[^>]*>\s*Lösenord', html)
    assert '<button type="submit" class="btn btn-primary">Logga in</button>' in html
