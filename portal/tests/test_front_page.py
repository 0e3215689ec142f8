"""The public front page: what an anonymous visitor finds at /."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.tests.factories import make_channel


def test_an_anonymous_visitor_at_the_root_gets_the_public_front_page(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "portal/front.html"
    # Search the directory, check an account, report one, and sign in.
    assert f'action="{reverse("accounts:directory")}"' in html
    assert f'action="{reverse("accounts:verify")}"' in html
    assert f'href="{reverse("accounts:report")}"' in html
    assert f'href="{reverse("login")}?next=/"' in html


def test_the_front_page_counts_the_listed_official_accounts(client, unit, submitter):
    make_channel(unit=unit, owner=submitter, name="Listed", handle="listed", is_public=True)
    make_channel(unit=unit, owner=submitter, name="Unlisted", handle="hidden", is_public=False)
    response = client.get("/")
    assert response.context["official_count"] == 1


def test_the_front_page_is_served_whole_from_the_cache_to_the_next_visitor(
    client, db, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        again = Client().get("/")
    assert again.status_code == 200 and not again.templates
    assert "Staff: sign in" in again.content.decode()


def test_the_front_page_is_in_swedish_with_its_language_switcher(client, db):
    client.cookies["django_language"] = "sv"
    html = client.get("/").content.decode()
    assert '<html lang="sv">' in html
    assert 'action="/i18n/setlang/"' in html
    assert "Personal: logga in" in html


def test_a_signed_in_member_of_staff_keeps_their_home(submitter_client):
    response = submitter_client.get("/")
    assert [t.name for t in response.templates][0] == "portal/home.html"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_front_page_only_answers_reading(client, db, method):
    assert getattr(client, method)("/").status_code == 405
