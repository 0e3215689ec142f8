import pytest
from django.conf import settings


def test_english_and_swedish_are_offered():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "sv"]


def test_the_page_language_follows_the_browser(client, db):
    response = client.get("/login/", headers={"accept-language": "sv"})
    assert '<html lang="sv">' in response.content.decode()


def test_the_language_switcher_works_before_signing_in(client, db):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/login/"})
    assert (response.status_code, response["Location"]) == (302, "/login/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert '<html lang="sv">' in client.get("/login/").content.decode()


@pytest.mark.parametrize("page", ["/login/", "/"])
def test_every_page_offers_the_language_switcher(client, submitter, page):
    client.force_login(submitter)
    html = client.get(page, follow=True).content.decode()
    assert '<label for="language-select">Language</label>' in html
    assert '<option value="sv" lang="sv">svenska</option>' in html
