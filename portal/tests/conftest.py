import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from portal.tests.permission_world import PERSONAS, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission tests' world (portal/tests/permission_world.py), built once per
    module in a transaction that is rolled back at the end; each test's own changes
    are rolled back to a savepoint by pytest-django's ``db``."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        world = build_world()
        # Mail the building would send after commit: it never commits.
        connection.run_on_commit.clear()
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def signed_in(world):
    """A test client per persona, signed in once for the module (anonymous: none).
    The inactive person signed in while still active and was deactivated afterwards:
    their session cookie lives on, and Django must treat them as anonymous."""
    people = get_user_model().objects
    people.filter(pk=world.users["inactive_user"].pk).update(is_active=True)
    clients = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        clients[persona] = client
    people.filter(pk=world.users["inactive_user"].pk).update(is_active=False)
    connection.run_on_commit.clear()
    return clients
