"""How fast does one worker collect the metrics of 10,000 channels, within the limits?

A standalone script, not a test (see bench/README.md, "Metrics collection"):

    .venv/bin/python bench/collect.py [--channels 10000] [--pool prefork --concurrency 16]

It needs PostgreSQL and Redis on 127.0.0.1. It recreates the database
portal_bench_collect, migrates it, fills it with --channels active channels spread
evenly over Mastodon (25 servers), Bluesky, YouTube and X, and empties the `metrics`
queue and the limiter's slots in Redis. Then it starts the local platform server
(metrics.fake_api, with --latency) and ONE Celery worker on the `metrics` queue, sends
`collect_all` for a fixed day through the broker, and times it until every channel has
its snapshot. Meanwhile it samples the memory of the worker's process tree.

It prints the total time, channels per second, peak memory, the CPU time each part took,
the highest number of requests the server saw in any one second per platform (and per
Mastodon server) against the configured limit, and the collection attempts by outcome.
It exits with status 1 if a limit was exceeded or not every channel was collected.
"""

import argparse
import contextlib
import json
import math
import os
import platform as python_platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "portal_bench_collect"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
BROKER_URL = "redis://127.0.0.1:6379/0"
FAKE_X_TOKEN = "bench-token"  # nosec B105  # made up: only the local fake API sees it
DAY = "2026-03-02"
PLATFORMS = ["mastodon", "bluesky", "youtube", "x"]
MASTODON_SERVERS = 25
# Requests per second; Mastodon's is per server (the limiter's key is mastodon:<server>),
# the others per platform. With the limiter's 90 % headroom and an even mix (a quarter of
# the channels each), Bluesky (2 requests a channel) caps a run at 4 x 0.9 x 40 / 2 = 72
# channels/s, YouTube and X (1 request) at 4 x 0.9 x 20 = 72: the target of 50 is
# reachable, and at 50 these platforms get 70 % of what the limiter lets through, so that
# bursts meet the limits. Mastodon's 8 per server (4 x 0.9 x 8 x 25 / 3 = 240 channels/s,
# a channel's three requests being WebFinger, the account and its posts) spaces a
# channel's requests by 0.14 s; a tighter one keeps worker processes asleep (the
# limiter waits in the task), which costs throughput, not requests (bench/README.md).
DEFAULT_RATES = "mastodon=8,bluesky=40,youtube=20,x=20"
# --published-rates: the portal's own defaults (portal/settings.py), each inside the
# platform's published limit.
PUBLISHED_RATES = ""
REQUESTS_PER_CHANNEL = {"mastodon": 3, "bluesky": 2, "youtube": 1}
X_BATCH = 100  # X users one request looks up (metrics/providers/x.py)
# The limits the platforms publish: (requests, seconds), Mastodon's per server. The
# AppView publishes none; Bluesky's PDS figure stands in. YouTube has a daily quota.
PUBLISHED_LIMITS = {
    "mastodon": (300, 300),  # docs.joinmastodon.org/api/rate-limits
    "bluesky": (3000, 300),  # docs.bsky.app/docs/advanced-guides/rate-limits (PDS)
    "youtube": (10_000, 86_400),  # quota units a day, channels.list 1 unit
    "x": (300, 900),  # docs.x.com/x-api/fundamentals/rate-limits, per app
}
TARGET = 50  # channels per second
BATCH = 2_000
POLL = 0.5  # seconds between two looks at the snapshot count and the memory (RSS)


def main(argv=None):
    global DATABASE, DATABASE_URL
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=10_000, help="default: 10000")
    parser.add_argument("--latency", type=float, default=0.1, help="server latency, s")
    parser.add_argument("--pool", choices=["prefork", "threads"], default="prefork")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--rates",
        default=DEFAULT_RATES,
        help=f"METRICS_RATE_LIMITS for the worker (default: {DEFAULT_RATES}); Mastodon's "
        "is per server",
    )
    parser.add_argument(
        "--published-rates",
        action="store_true",
        help="use the portal's default rates (each inside the platform's published "
        "limit) instead of --rates",
    )
    parser.add_argument(
        "--database",
        default=DATABASE,
        help=f"the database to drop, create and fill (default {DATABASE})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=330,
        help="give up this many seconds after sending collect_all (default 330)",
    )
    parser.add_argument("--broker", default=BROKER_URL, help=f"default: {BROKER_URL}")
    parser.add_argument(
        "--keep-log", action="store_true", help="keep the server's request log (its path is shown)"
    )
    parser.add_argument(
        "--serve-fake-api", nargs=2, metavar=("PORT", "LOG"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.serve_fake_api:
        return serve(int(args.serve_fake_api[0]), args.latency, args.serve_fake_api[1])
    if args.published_rates:
        args.rates = PUBLISHED_RATES
    DATABASE = args.database
    DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"

    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": args.broker,
        "PORTAL_LOG_LEVEL": "WARNING",
        # As in production: with DEBUG on, Django keeps every query in memory.
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    os.environ.update(env)

    recreate_database()
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    print(f"Migrated {DATABASE} in {time.perf_counter() - started:.1f} s.", flush=True)

    import django

    django.setup()
    rates = parse_rates(args.rates)  # before any work: a wrong --rates stops here
    fill(args.channels)
    reset_broker()

    workdir = Path(tempfile.mkdtemp(prefix="bench-collect-"))
    log_path = workdir / "requests.jsonl"
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--latency",
            str(args.latency),
            "--serve-fake-api",
            str(port),
            str(log_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if not server.stdout.readline().startswith("Serving"):
        server.wait(timeout=10)
        raise SystemExit("The fake API server did not start.")
    worker_env = {
        **os.environ,
        **env,
        "METRICS_API_BASE_URL": f"http://127.0.0.1:{port}",
        "METRICS_RATE_LIMITS": args.rates,
        "YOUTUBE_API_KEY": "bench-key",
        "X_BEARER_TOKEN": FAKE_X_TOKEN,
        "METRICS_HTTP_TIMEOUT": "10",
    }
    worker_args = [
        "worker",
        "--queues", "metrics",
        "--pool", args.pool,
        "--concurrency", str(args.concurrency),
        "--loglevel", "WARNING",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    command = [sys.executable, "-m", "celery", "-A", "portal", *worker_args]
    worker = subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_env,
        stdout=(workdir / "worker.out").open("w"),  # the banner; warnings go to stderr
        start_new_session=True,
    )
    try:
        wait_until_ready(worker)
        run = measure(worker, server, args.channels, args.timeout)
    finally:
        stop_worker(worker)
        server_summary = stop_server(server)
        reset_broker()  # what a run that timed out left in the queue
    requests = read_log(log_path)
    ok = report(args, rates, run, requests, server_summary)
    if args.keep_log:
        print(f"\nThe server's request log: {log_path}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


# --- The database and the broker ----------------------------------------------------


def recreate_database():
    import psycopg
    from psycopg import sql

    maintenance = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


def fill(count):
    """``count`` active channels, one platform after the other (so that the queue mixes
    them), each with an owner, in 10 units."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Channel, ChannelRole, Unit
    from accounts.platforms import parse_profile

    started = time.perf_counter()
    User = get_user_model()
    units = Unit.objects.bulk_create([Unit(name=f"Bench unit {n}") for n in range(10)])
    owners = User.objects.bulk_create(
        [User(username=f"bench-owner-{n}", email=f"owner{n}@example.org") for n in range(100)]
    )
    now = timezone.now()
    for first in range(0, count, BATCH):
        channels = []
        for n in range(first, min(first + BATCH, count)):
            platform = PLATFORMS[n % len(PLATFORMS)]
            profile = parse_profile(platform, address(platform, n))
            channels.append(
                Channel(
                    name=f"Bench {platform} {n}",
                    platform=platform,
                    profile_url=profile.url,
                    handle=profile.handle,
                    unit=units[n % len(units)],
                    status="active",
                )
            )
        with transaction.atomic():
            Channel.objects.bulk_create(channels)
            ChannelRole.objects.bulk_create(
                ChannelRole(
                    channel=channel,
                    user=owners[n % len(owners)],
                    kind=ChannelRole.Kind.OWNER,
                    started_at=now,
                )
                for n, channel in enumerate(channels, start=first)
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Created {count:,} channels in {time.perf_counter() - started:.1f} s.", flush=True)


def address(platform, n):
    """Mastodon user names carry their server's number (u<n>s<k>), so that the server's
    log, which does not know the host, can tell the servers apart."""
    server = n // len(PLATFORMS) % MASTODON_SERVERS
    return {
        "mastodon": f"https://bench{server}.example/@u{n}s{server}",
        "bluesky": f"b{n}.bench.example",
        "youtube": f"@bench-{n}",
        "x": f"bench_{n}",
    }[platform]


def reset_broker():
    """An empty `metrics` queue and no booked request slots."""
    import redis

    from metrics import limiter
    from portal.celery import app

    with app.connection_for_write() as conn, contextlib.suppress(conn.channel_errors):
        conn.default_channel.queue_purge("metrics")
    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    for key in client.scan_iter(match=limiter.PREFIX + "*"):
        client.delete(key)


# --- The server and the worker -------------------------------------------------------


def serve(port, latency, log_path):
    """metrics.fake_api's server, logging each request's query string too (Mastodon's
    lookup names the account only there, acct=..., and the per-server rate needs it),
    and without Nagle's delay."""
    from metrics.fake_api import FakePlatformServer, per_platform_rates

    class Server(FakePlatformServer):
        current = threading.local()

        def handle(self, handler):
            self.current.target = handler.path
            super().handle(handler)

        def _record(self, arrived, path, status):
            super()._record(arrived, getattr(self.current, "target", path), status)

    # Started from a shell's background job, the process inherits SIGINT ignored, and
    # would never write its log: SIGINT is how the script stops it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server = Server(latency=latency, port=port)
    # The handler writes the headers and the body in two sends; with Nagle's algorithm
    # the body waits for the client's delayed ACK, about 40 ms on Linux, so that every
    # answer would take latency + 40 ms. Answer after the latency, as the issue asks.
    server.httpd.RequestHandlerClass.disable_nagle_algorithm = True
    print(f"Serving fake platform APIs at {server.url} (latency {latency} s)", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        with open(log_path, "w") as out:
            for entry in server.requests():
                out.write(json.dumps(entry) + "\n")
        print(json.dumps(per_platform_rates(server.requests())), flush=True)
    return 0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(worker, timeout=60):
    """Until the worker answers a ping (its pool is started by then)."""
    from portal.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"The worker exited with status {worker.returncode}.")
        if app.control.ping(timeout=0.5):
            return
    raise SystemExit("The worker did not answer a ping within a minute.")


def stop_worker(worker, grace=15):
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGTERM)  # warm shutdown
    try:
        worker.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def stop_server(server):
    """SIGINT: the server writes its log and prints its per-platform maxima."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(server.pid, signal.SIGINT)
    try:
        output, _ = server.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        output, _ = server.communicate()
    lines = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


# --- Measuring -----------------------------------------------------------------------


def measure(worker, server, count, timeout):
    """Send collect_all and wait for ``count`` snapshots, sampling memory and CPU."""
    from metrics.models import Snapshot
    from metrics.tasks import collect_all

    sessions_before = database_sessions()
    cpu = CpuAccount(worker.pid, server.pid)
    machine_before = machine_cpu()
    sent = time.perf_counter()
    collect_all.apply_async(args=[DAY, False])
    peak_rss = peak_pss = done = 0
    first_at = None
    processes = 0
    deadline = sent + timeout
    polls = 0
    while True:
        # Reading every process's CPU time and PSS (smaps_rollup) costs CPU: the first
        # every second, the second every two seconds; RSS every half second.
        if polls % 2 == 0:
            pids = cpu.sample()
        rss, pss = tree_memory(pids, pss=polls % 4 == 0)
        polls += 1
        if rss > peak_rss:
            peak_rss, processes = rss, len(pids)
        peak_pss = max(peak_pss, pss)
        done = Snapshot.objects.filter(date=DAY).count()
        if done and first_at is None:
            first_at = time.perf_counter() - sent
        if done >= count or time.perf_counter() > deadline or worker.poll() is not None:
            break
        time.sleep(POLL)
    elapsed = time.perf_counter() - sent
    cpu.sample()
    machine_after = machine_cpu()
    return {
        "sessions": database_sessions() - sessions_before,
        "machine_seconds": machine_seconds(machine_before, machine_after),
        "done": done,
        "seconds": elapsed,
        "first": first_at,
        "peak_rss": peak_rss,
        "peak_pss": peak_pss,
        "processes": processes,
        "cpu": cpu.parts(),
        "machine": machine_share(machine_before, machine_after),
        "timed_out": done < count,
    }


def tree_memory(pids, pss=True):
    """Sums of VmRSS and (if ``pss``) of Pss, shared pages divided among their users, in
    bytes."""
    rss_sum = pss_sum = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            rss_sum += _kib(Path(f"/proc/{pid}/status").read_text(), "VmRSS") * 1024
        if pss:
            with contextlib.suppress(OSError):
                pss_sum += _kib(Path(f"/proc/{pid}/smaps_rollup").read_text(), "Pss") * 1024
    return rss_sum, pss_sum


def _kib(text, field):
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _stat(pid):
    """(comm, ppid, utime+stime ticks) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return comm, int(fields[1]), int(fields[11]) + int(fields[12])


class CpuAccount:
    """CPU time per part of the set-up, from /proc: each sample reads every process's
    utime + stime. A process that starts and ends between two samples (1 s apart) is
    missed; the report shows the machine's busy time that no part accounts for."""

    def __init__(self, worker_pid, server_pid):
        self.worker_pid, self.server_pid = worker_pid, server_pid
        self.first = {}  # pid: ticks when first seen (0 if it started during the run)
        self.last = {}  # pid: ticks when last seen
        self.part = {}  # pid: part
        self.started = False
        self.sample()
        self.started = True

    def sample(self):
        """Take a sample; the pids of the worker's process tree."""
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = _stat(int(entry))
                if stat:
                    stats[int(entry)] = stat
        children = defaultdict(list)
        for pid, (_comm, ppid, _ticks) in stats.items():
            children[ppid].append(pid)
        tree, todo = [], [self.worker_pid] if self.worker_pid in stats else []
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        tree_set = set(tree)
        for pid, (comm, _ppid, ticks) in stats.items():
            if pid not in self.first:
                self.first[pid] = ticks if not self.started else 0
            self.last[pid] = ticks
            if pid not in self.part or self.part[pid] == "postgresql, other":
                self.part[pid] = self._part(pid, comm, tree_set)
        return tree

    def _part(self, pid, comm, tree):
        if pid == self.worker_pid:
            return "worker main process"
        if pid in tree:
            return "worker pool processes"
        if pid == self.server_pid:
            return "fake API server"
        if pid == os.getpid():
            return "this script"
        if comm == "postgres":
            title = _cmdline(pid)
            if f" {DATABASE} " in title:
                return "postgresql, bench database backends"
            if re.search(r"\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]", title):
                return "other: postgresql, other databases"
            return "postgresql, other"  # the server's own processes (for now)
        if comm.startswith("redis"):
            return "redis"
        return f"other: {comm}"

    def parts(self):
        tick = os.sysconf("SC_CLK_TCK")
        parts = Counter()
        for pid, ticks in self.last.items():
            parts[self.part[pid]] += (ticks - self.first[pid]) / tick
        return parts


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


CPU_FIELDS = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]


def machine_cpu():
    """The machine's CPU ticks by kind, from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n")[0].split()[1:9]
    return dict(zip(CPU_FIELDS, map(int, fields), strict=True))


def machine_share(before, after):
    """{kind: share of all CPU time during the run}."""
    used = {kind: after[kind] - before[kind] for kind in CPU_FIELDS}
    total = sum(used.values())
    return {kind: ticks / total for kind, ticks in used.items()} if total else {}


def machine_seconds(before, after):
    """CPU seconds the whole machine spent busy."""
    busy = [kind for kind in CPU_FIELDS if kind not in ("idle", "iowait")]
    return sum(after[kind] - before[kind] for kind in busy) / os.sysconf("SC_CLK_TCK")


def database_sessions():
    """Sessions PostgreSQL has opened on the bench database so far (statistics are
    flushed when a session ends, so this counts the sessions that ended)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [DATABASE])
        row = cursor.fetchone()
    return row[0] if row else 0


def read_log(path):
    try:
        with open(path) as lines:
            return [json.loads(line) for line in lines if line.strip()]
    except OSError:
        return []


def max_in_window(times, window=1.0):
    times = sorted(times)
    best = start = 0
    for end, arrival in enumerate(times):
        while arrival - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


# The account in the lookup (acct=), the posts (/accounts/id-) and WebFinger
# (resource=acct:, URL-encoded).
_MASTODON_USER = re.compile(r"(?:acct=|acct%3A|acct:|/accounts/id-)u\d+s(\d+)")


def rates_seen(requests, window=1.0):
    """{key: (requests, highest number in any ``window`` seconds)}, per platform and,
    for Mastodon, per server (mastodon:bench<k>.example)."""
    by_key = defaultdict(list)
    for arrived, platform, target, _status in requests:
        by_key[platform].append(arrived)
        if platform == "mastodon":
            match = _MASTODON_USER.search(target)
            server = f"bench{match.group(1)}.example" if match else "?"
            by_key[f"mastodon:{server}"].append(arrived)
    return {key: (len(times), max_in_window(times, window)) for key, times in by_key.items()}


def expected_requests(platform, channels):
    """Requests a run should send for ``channels`` channels of ``platform`` (X: one per
    batch of X_BATCH)."""
    if platform == "x":
        return math.ceil(channels / X_BATCH)
    return channels * REQUESTS_PER_CHANNEL[platform]


def published_limits(requests, per_platform):
    """Per platform (Mastodon: its busiest server), the most requests in any window of
    the length the platform publishes its limit for, against that limit; and the
    platforms over it."""
    over = []
    print(
        f"\n{'published limit':<28}{'per channel':>12}{'window':>9}{'most in it':>12}{'limit':>8}"
    )
    for platform in PLATFORMS:
        number, seconds = PUBLISHED_LIMITS[platform]
        seen = rates_seen([r for r in requests if r[1] == platform], window=seconds)
        total = seen.get(platform, (0, 0))[0]
        keys = (
            [k for k in seen if k.startswith("mastodon:")] if platform == "mastodon" else [platform]
        )
        most = max((seen[k][1] for k in keys if k in seen), default=0)
        label = "OK" if most <= number else "EXCEEDED"
        if label != "OK":
            over.append(f"{platform} (published)")
        name = "mastodon (busiest server)" if platform == "mastodon" else platform
        per_channel = total / per_platform[platform] if per_platform[platform] else 0
        print(f"{name:<28}{per_channel:>12.2f}{seconds:>8}s{most:>12,}{number:>8,}  {label}")
    return over


def parse_rates(text):
    """The limits the worker will apply: ``text`` merged over the product's defaults,
    as portal.settings does with METRICS_RATE_LIMITS."""
    from django.conf import settings

    from core.env import env_rates

    os.environ["BENCH_RATES"] = text
    try:
        return env_rates("BENCH_RATES", settings.METRICS_RATE_LIMITS)
    finally:
        del os.environ["BENCH_RATES"]


def code_version():
    """The commit measured, and the files of the tree that differ from it."""

    def git(*args):
        # The developer's own git, found on PATH, with fixed arguments.
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)  # nosec B607
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("log", "-1", "--format=%h %s")[:80] or "unknown (not a git checkout)"
    changed = git("status", "--porcelain", "--untracked-files=no").splitlines()
    return commit + (f" (+{len(changed)} modified files)" if changed else "")


# --- The report ----------------------------------------------------------------------


def report(args, rates, run, requests, server_summary):
    from django.db import connection
    from django.db.models import Count

    from accounts.models import Channel
    from metrics.models import CollectionAttempt, CollectionRun

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    count = args.channels
    per_platform = Counter(Channel.objects.values_list("platform", flat=True))
    collection_run = CollectionRun.objects.filter(date=DAY).first()
    seconds = run["seconds"]
    print(
        f"\n{count:,} channels ({', '.join(f'{per_platform[p]:,} {p}' for p in PLATFORMS)}; "
        f"Mastodon on {MASTODON_SERVERS} servers), server latency {args.latency * 1000:.0f} ms."
    )
    print(
        f"One worker: --pool {args.pool} --concurrency {args.concurrency}. Machine: "
        f"{os.cpu_count()} CPUs; PostgreSQL {version}, Redis broker, Python "
        f"{python_platform.python_version()}."
    )
    limits = ", ".join(f"{platform}={rates[platform]:g}" for platform in PLATFORMS)
    print(f"Rate limits (requests/s; Mastodon per server): {limits}")
    print(f"Code: {code_version()}\n")

    verdict = "met" if run["done"] >= count and run["done"] / seconds >= TARGET else "NOT met"
    print(
        f"collected           {run['done']:,} of {count:,}"
        + (" (TIMED OUT)" if run["timed_out"] else "")
    )
    print(f"total time          {seconds:.1f} s (from sending collect_all to the last snapshot)")
    print(f"channels per second {run['done'] / seconds:.1f} (target {TARGET}: {verdict})")
    if run["first"] is not None:
        print(f"first snapshot      after {run['first']:.1f} s")
    if collection_run and collection_run.enqueued_at and collection_run.started_at:
        enqueue = (collection_run.enqueued_at - collection_run.started_at).total_seconds()
        print(f"collect_all         enqueued {collection_run.enqueued:,} tasks in {enqueue:.1f} s")
    print(
        f"peak memory         {run['peak_rss'] / 2**20:.0f} MB RSS summed over "
        f"{run['processes']} processes (worker and its children); "
        f"{run['peak_pss'] / 2**20:.0f} MB PSS (shared pages counted once)"
    )
    cpu, machine = run["cpu"], run["machine"]
    busy = 1 - machine.get("idle", 0) - machine.get("iowait", 0)
    print(
        f"CPU during the run  {busy * 100:.0f} % of {os.cpu_count()} cores busy ("
        + ", ".join(
            f"{kind} {machine[kind] * 100:.0f} %"
            for kind in ["user", "system", "softirq", "steal", "iowait"]
            if machine.get(kind, 0) >= 0.005
        )
        + ")"
    )
    done = max(run["done"], 1)
    cpu["not attributed (processes that lived < 1 s)"] = max(
        0.0, run["machine_seconds"] - sum(cpu.values())
    )
    foreign = sum(seconds for part, seconds in cpu.items() if part.startswith("other: "))
    parts = sorted((part for part in cpu if cpu[part] >= 0.5), key=cpu.get, reverse=True)
    worker_cpu = cpu["worker main process"] + cpu["worker pool processes"]
    print(
        f"CPU seconds         {run['machine_seconds']:.1f} in all, "
        f"{run['machine_seconds'] / done * 1000:.1f} ms per channel; the worker "
        f"{worker_cpu / done * 1000:.1f} ms per channel"
    )
    for part in parts:
        print(f"  {cpu[part]:7.1f}  {part}")
    if foreign > 0.05 * run["machine_seconds"]:
        print(
            f"  WARNING: processes outside the benchmark used {foreign:.0f} CPU seconds; "
            "the machine was not quiet, so the figures are low. Run it again."
        )
    print(
        f"database sessions   {run['sessions']:,} opened and closed during the run "
        f"({run['sessions'] / done:.2f} per channel)"
    )

    seen = rates_seen(requests)
    exceeded = []
    print(f"\n{'requests':<28}{'count':>8}{'expected':>10}{'max in 1 s':>12}{'limit':>8}")
    for platform in PLATFORMS:
        total, peak = seen.get(platform, (0, 0))
        expected = expected_requests(platform, per_platform[platform])
        limit = rates.get(platform)
        if platform == "mastodon":
            servers = {k: v for k, v in seen.items() if k.startswith("mastodon:")}
            worst_key, (worst_total, worst) = max(
                servers.items(), key=lambda item: item[1][1], default=("-", (0, 0))
            )
            over = [k for k, (_t, p) in servers.items() if limit and p > math.ceil(limit)]
            exceeded += over
            label = "OK" if not over else f"EXCEEDED on {len(over)} servers"
            print(f"{'mastodon (all servers)':<28}{total:>8,}{expected:>10,}{peak:>12}{'-':>8}")
            print(
                f"{'  busiest server':<28}{worst_total:>8,}{expected // MASTODON_SERVERS:>10,}"
                f"{worst:>12}{limit:>8g}  {label} ({len(servers)} servers seen; "
                f"{worst_key.removeprefix('mastodon:')})"
            )
        else:
            label = "OK" if not limit or peak <= math.ceil(limit) else "EXCEEDED"
            if label != "OK":
                exceeded.append(platform)
            print(f"{platform:<28}{total:>8,}{expected:>10,}{peak:>12}{limit:>8g}  {label}")
    published = published_limits(requests, per_platform)
    others = Counter(status for _t, _p, _path, status in requests if status != 200)
    if others:
        print(f"non-200 answers: {dict(others)}")
    if server_summary:
        print(f"(the server's own per-platform maxima: {server_summary})")

    outcomes = dict(
        CollectionAttempt.objects.values_list("outcome").annotate(n=Count("id")).order_by("outcome")
    )
    print(f"\nattempts by outcome: {outcomes}")
    problems = {outcome: n for outcome, n in outcomes.items() if outcome != "ok"}
    if problems:
        print("NOT OK: attempts that did not collect:")
        for outcome, message, n in (
            CollectionAttempt.objects.exclude(outcome="ok")
            .values_list("outcome", "message")
            .annotate(n=Count("id"))
            .order_by("-n")[:10]
        ):
            print(f"  {n:>6}  {outcome}: {message[:150]}")

    if args.published_rates:  # the bench's own --rates are above them on purpose
        exceeded += published
    ok = not exceeded and run["done"] >= count
    if exceeded:
        print(f"\nA rate limit was EXCEEDED: {', '.join(exceeded)}.", file=sys.stderr)
    if run["done"] < count:
        print(f"\nOnly {run['done']:,} of {count:,} channels were collected.", file=sys.stderr)
    return ok


if __name__ == "__main__":
    sys.exit(main())
