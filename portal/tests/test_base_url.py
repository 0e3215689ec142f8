"""Links in e-mail start with the address the portal was started on (B3): `make run
PORT=8601` mails links to port 8601, unless PORTAL_BASE_URL says otherwise; in
production it must be set (a deployment check)."""

import os
import subprocess  # nosec B404: runs make and a stand-in honcho, both ours
from pathlib import Path

import pytest
from django.conf import settings

from portal.checks import public_base_url

ROOT = Path(settings.BASE_DIR)

# Stands in for honcho: prints the base URL the portal's settings read from the
# environment that `make run` gives the processes.
HONCHO = """#!/bin/sh
exec "{python}" -c 'import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
from django.conf import settings
print(settings.PORTAL_BASE_URL)'
"""


def base_url_of_make_run(tmp_path, *arguments, environment=None):
    """The PORTAL_BASE_URL the processes of `make run <arguments>` would see."""
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    (stand_in / "honcho").write_text(HONCHO.format(python=ROOT / ".venv/bin/python"))
    (stand_in / "honcho").chmod(0o755)
    dry_run = subprocess.run(  # nosec B603 B607
        ["make", "--no-print-directory", "-n", "run", f"BIN={stand_in}", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Only the last command, the one that starts the processes (not migrate, seed_demo).
    start = dry_run[dry_run.rindex("PATH=") :]
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"}
    env.update(environment or {})
    return subprocess.run(  # nosec B603 B607
        ["sh", "-c", start], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_make_run_links_to_the_port_it_was_started_on(tmp_path):
    assert base_url_of_make_run(tmp_path, "PORT=8601") == "http://127.0.0.1:8601"


def test_make_run_links_to_the_host_it_was_started_on(tmp_path):
    assert base_url_of_make_run(tmp_path, "HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"


def test_an_explicit_base_url_wins(tmp_path):
    found = base_url_of_make_run(
        tmp_path, "PORT=8601", environment={"PORTAL_BASE_URL": "https://social.example.edu/"}
    )
    assert found == "https://social.example.edu"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8601"])
def test_a_local_base_url_is_a_warning_of_the_deployment(settings, url):
    settings.PORTAL_BASE_URL = url
    [warning] = public_base_url(None)
    assert warning.id == "portal.W002"


def test_a_public_base_url_is_fine(settings):
    settings.PORTAL_BASE_URL = "https://social.example.edu"
    assert public_base_url(None) == []
