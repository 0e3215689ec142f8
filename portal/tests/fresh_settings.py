"""The settings module is read once per process: tests of what it builds from the
environment run a script in a fresh interpreter with exactly the environment given."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_with_settings(script, tmp_path, *, cleared, **variables):
    """Runs ``script`` (it calls ``django.setup()``) with portal.settings, in this
    environment less the variables whose names start with one of ``cleared``, plus
    ``variables``; the portal's files go to ``tmp_path``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(cleared)}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", PORTAL_VAR_DIR=str(tmp_path))
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
