"""Fixtures of the accounts tests."""

import pytest

from portal.tests.factories import make_unit


@pytest.fixture
def physics(db):
    """A second unit, beside the root conftest's School of Engineering."""
    return make_unit(name="Department of Physics")
