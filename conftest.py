"""The people every test talks about, as named fixtures (the personas of
shared/DESIGN.md's roles table), and test-wide settings."""

import pytest

from portal import roles
from portal.tests.factories import make_unit, make_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing cost is irrelevant to what the tests check and slows every login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def unit_head(db):
    return make_user(username="head", first_name="Hedda")


@pytest.fixture
def unit(unit_head):
    return make_unit(name="School of Engineering", head=unit_head)


@pytest.fixture
def submitter(db):
    """A staff member who proposes an account for ``unit``."""
    return make_user(username="submitter", first_name="Siri")


@pytest.fixture
def colleague(db):
    """Another staff member of the same unit."""
    return make_user(username="colleague")


@pytest.fixture
def outsider(db):
    """A staff member with no relation to the unit or its proposals."""
    return make_user(username="outsider")


@pytest.fixture
def reviewer(db):
    """A member of the communications office."""
    return make_user(username="reviewer", groups=[roles.COMMUNICATIONS])


@pytest.fixture
def portal_admin(db):
    """A portal administrator (by group, not by the superuser flag)."""
    return make_user(username="portal-admin", groups=[roles.PORTAL_ADMINS])


@pytest.fixture
def inactive_user(db):
    return make_user(username="former", is_active=False)
