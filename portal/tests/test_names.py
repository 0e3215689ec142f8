"""core.names: one way to name a person, from a User or from its values."""

import pytest

from core.names import name_of, person_name
from portal.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("Ada", "Lovelace", "Ada Lovelace"),
        ("Ada", "", "Ada"),
        ("", "Lovelace", "Lovelace"),
        ("", "", "ada"),
    ],
)
def test_a_person_is_named_by_their_full_name_else_their_username(first, last, shown):
    user = make_user(username="ada", first_name=first, last_name=last)
    assert person_name(user) == shown
    assert name_of(user.first_name, user.last_name, user.username) == shown


def test_nobody_has_no_name():
    assert person_name(None) == ""
