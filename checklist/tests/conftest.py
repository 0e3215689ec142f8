"""Fixtures of the checklist tests."""

import pytest

from portal.tests.factories import make_channel


@pytest.fixture
def library(unit, colleague):
    """A colleague's running channel that proposals of the same name or address
    resemble (the duplicate check)."""
    return make_channel(
        unit=unit,
        owner=colleague,
        name="Fictional Library",
        platform="instagram",
        handle="fictional.library",
    )
