"""The public directory's pages are kept whole for anonymous visitors
(core.caching.public_page): the second visitor costs no query, gets their own CSRF
token, and a change of the directory shows at once."""

import re

import pytest
from django.test import Client

from portal.tests.factories import make_channel

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGES = ["/directory/", "/directory/?q=news", "/directory/verify/?url=https://x.com/eng_news"]


@pytest.fixture
def listed(unit):
    return make_channel(unit=unit, name="Engineering News", platform="x", handle="eng_news")


@pytest.mark.parametrize("address", PAGES)
def test_a_second_anonymous_visitor_gets_the_page_without_a_query(
    address, listed, django_assert_num_queries
):
    first = Client().get(address)
    with django_assert_num_queries(0):
        second = Client().get(address)
    assert second.status_code == 200
    assert first.templates and not second.templates  # served whole, nothing rendered
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())
    assert "Engineering News" in second.content.decode()
    assert second["Content-Type"] == "text/html; charset=utf-8"


def test_each_visitor_gets_a_token_of_their_own_that_changes_the_language(listed):
    Client().get("/directory/")  # cached by someone else
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/directory/")
    token = TOKEN.search(page.content.decode()).group(1)
    assert "\x00" not in page.content.decode()
    assert "csrftoken" in page.cookies  # their own secret, which the token is made from
    switched = visitor.post(
        "/i18n/setlang/", {"language": "sv", "next": "/directory/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert visitor.get("/directory/").content.decode().count('lang="sv"') >= 1


def test_the_page_is_kept_per_language(listed):
    Client().get("/directory/")
    swedish = Client(headers={"accept-language": "sv"}).get("/directory/")
    assert '<html lang="sv">' in swedish.content.decode()


def test_a_change_of_the_directory_shows_at_once(listed, unit):
    Client().get("/directory/")
    make_channel(unit=unit, name="Physics Live", platform="x", handle="phys_live")
    assert "Physics Live" in Client().get("/directory/").content.decode()
    listed.name = "Engineering Stories"
    listed.save()
    assert "Engineering Stories" in Client().get("/directory/").content.decode()


def test_a_signed_in_reader_gets_their_own_page(listed, submitter):
    Client().get("/directory/")
    reader = Client()
    reader.force_login(submitter)
    page = reader.get("/directory/")
    assert page.templates
    assert "Signed in as" in page.content.decode()


def test_a_visitor_with_a_message_waiting_sees_it_once(listed, client):
    Client().get("/directory/")  # the page without the message is cached
    sent = client.post(
        "/directory/report/", {"reported_url": "https://x.com/eng_newz", "description": "A copy."}
    )
    assert sent.status_code == 302  # the thanks wait in the visitor's message cookie
    assert "Thank you" in client.get("/directory/").content.decode()
    assert "Thank you" not in client.get("/directory/").content.decode()
    assert "Thank you" not in Client().get("/directory/").content.decode()


def test_a_refused_search_is_not_kept(listed):
    refused = Client().get("/directory/?q=a%00b")
    assert refused.status_code == 400
    again = Client().get("/directory/?q=a%00b")
    assert again.status_code == 400
    assert "null characters" in again.content.decode()
