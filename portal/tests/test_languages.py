"""A person's language is remembered: from the language switcher when signed in, or
from the identity provider's ``locale`` claim (core.models.Preference)."""

import pytest

from core.models import Preference
from portal.languages import supported_language
from portal.tests.factories import make_user


def language_of(user):
    return Preference.objects.languages_of([user]).get(user.pk)


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("sv", "sv"),
        ("sv-SE", "sv"),
        ("sv_FI", "sv"),
        ("en-GB", "en"),
        ("EN", "en"),
        ("de", None),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_a_language_tag_is_read_as_one_of_the_portals_languages(tag, language):
    assert supported_language(tag) == language


def test_the_switcher_remembers_the_choice_of_a_signed_in_person(client, db):
    person = make_user(username="eva")
    client.force_login(person)

    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/"})

    assert response.status_code == 302
    assert language_of(person) == "sv"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert language_of(person) == "en"


def test_the_switcher_on_the_login_page_stores_nothing(client, db):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/login/"})
    assert response.status_code == 302
    assert Preference.objects.count() == 0


def test_an_unknown_language_is_not_stored(client, db):
    person = make_user(username="eva")
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert Preference.objects.count() == 0


def test_the_identity_provider_does_not_override_a_choice_made_in_the_portal(db):
    person = make_user(username="eva")
    Preference.language_from_identity_provider(person, "sv")
    assert language_of(person) == "sv"
    Preference.language_from_identity_provider(person, "en")
    assert language_of(person) == "en"
    Preference.choose_language(person, "sv")
    Preference.language_from_identity_provider(person, "en")
    assert language_of(person) == "sv"
