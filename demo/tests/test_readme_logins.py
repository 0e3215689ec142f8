"""The README's table of demo logins is the list seed_demo prints, and each login works
with the password the README gives, so the two cannot drift apart."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

README = Path(settings.BASE_DIR) / "README.md"


def readme_logins():
    """The usernames in the first column of the README's login table."""
    text = README.read_text(encoding="utf-8")
    table = text.split("| login | what they show |", 1)[1].split("\n\n", 1)[0]
    logins = []
    for row in table.splitlines()[2:]:
        logins += re.findall(r"`([^`]+)`", row.split("|")[1])
    return logins


def printed_logins(out):
    return re.findall(r"^\s+(\S+)\s+password: demo\b", out, flags=re.MULTILINE)


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_the_readme_lists_exactly_the_logins_seed_demo_prints(db, debug_on, capsys, rf):
    call_command("seed_demo")
    printed = printed_logins(capsys.readouterr().out)

    assert len(printed) == 7
    assert sorted(readme_logins()) == sorted(printed)
    for username in printed:
        assert authenticate(rf.post("/login/"), username=username, password="demo") is not None
