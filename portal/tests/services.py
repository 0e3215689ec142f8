"""Servers of the fault-injection tests' own, on ports of their own: a Redis, a
PostgreSQL and an SMTP server that a test may stop, restart or slow down. The shared
PostgreSQL (5432) and Redis (6379) that the rest of the suite and CI use are never
touched.

Each class starts its server in ``__enter__`` and removes it in ``__exit__``;
``stop()`` and ``start()`` in between simulate an outage on the same port and data (a
Redis keeps no data across them; its ``pause()`` and ``resume()`` make an outage that
keeps it).
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require(condition, reason):
    """Skip where the machine lacks a server binary; in CI (PORTAL_CI) fail instead."""
    if condition:
        return
    if os.environ.get("PORTAL_CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def wait_until(predicate, timeout=30, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {message}")


def worker_database_url():
    """The address of the test database, for a process of another kind (a worker)."""
    from django.db import connection

    db = connection.settings_dict
    require(connection.vendor == "postgresql", "a worker in another process needs PostgreSQL")
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_process(env, queues="celery"):
    """A Celery worker of the portal in a process of its own (prefork, 2 children), as in
    production, with ``env`` over this process's environment.

    kombu looks for the messages a killed worker held every second here (not every
    100 s), under a lock in Redis kept 2 s (not 300 s): a worker killed while it held the
    lock would otherwise stop the next one from looking for 5 minutes."""
    script = (
        "import django; django.setup()\n"
        "from portal.celery import app\n"
        "app.conf.broker_transport_options.update("
        "unacked_restore_interval=1, unacked_restore_throttle=1, unacked_mutex_expire=2)\n"
        f"app.worker_main(['worker', '--queues', '{queues}', '--pool', 'prefork',"
        " '--concurrency', '2', '--loglevel', 'WARNING', '--without-gossip',"
        " '--without-mingle', '--without-heartbeat'])\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        start_new_session=True,
    )


def kill(process):
    """SIGKILL to the worker and its children: no warm shutdown, nothing acknowledged."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@contextlib.contextmanager
def running(process):
    try:
        yield process
    finally:
        kill(process)


def _answers(port):
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


class RedisServer:
    """``redis-server`` on a free port, in memory only."""

    def __init__(self):
        require(shutil.which("redis-server"), "redis-server is not installed")
        self.port = free_port()
        self.process = None

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )
        wait_until(lambda: _answers(self.port), message=f"redis on {self.port}")

    def stop(self):
        """Killed: connections are refused at once, and what it held is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None
        wait_until(lambda: not _answers(self.port), message=f"redis on {self.port} to stop")

    def pause(self):
        """Frozen (SIGSTOP), as a hung server or a lost network looks: connections are
        still accepted by the kernel, but no command is answered until ``resume()``,
        and every key is still there afterwards."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def _postgres_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """A PostgreSQL cluster of its own in a temporary folder, on a free port. As root
    (CI) the server runs as the ``postgres`` user, since PostgreSQL refuses root."""

    def __init__(self):
        self.bin = _postgres_bin()
        require(self.bin is not None, "PostgreSQL's server programs are not installed")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _ctl(self, *args):
        subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self):
        """A fast shutdown, as a restart does: every client's connection is
        terminated ("terminating connection due to administrator command")."""
        self._ctl("-m", "fast", "-w", "stop")

    def create_database(self, name):
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True,
        )

    def __enter__(self):
        subprocess.run(
            [*self.as_user, str(self.bin / "initdb"), "-D", str(self.folder / "data")]
            + ["-A", "trust", "-U", "postgres", "--no-sync"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start()
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class SMTPServer:
    """An SMTP server (aiosmtpd) that keeps the messages it accepted, in order. While
    ``hold`` is set, a session waits at its first recipient until ``release()``: a
    client killed meanwhile never had its message accepted, as with a real server."""

    def __init__(self):
        self.port = free_port()
        self.accepted = []
        self.hold = threading.Event()
        self.holding = threading.Event()  # a session is waiting in the hold
        self._released = threading.Event()
        self.controller = None

    def release(self):
        self.hold.clear()
        self._released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        if self.hold.is_set():
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.accepted.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def __enter__(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.controller.stop()
