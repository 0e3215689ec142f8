"""The CPU a request of bench/load.py's mix costs, in this process, without a server.

A standalone script, not a test (see bench/README.md, "Load", "The mix in process"):

    .venv/bin/python bench/mix.py [--requests 3000] [--warm 1500] [--seed 1] [--sql]
                                  [--profile N] [--only KIND] [--cache URL]

It reuses bench/load.py's data and plan (run bench/load.py once first) and its
production settings, empties the bench cache (Redis database 12), warms it as load.py
does (every unit report and listing once, then --warm requests of the mix), and then
sends --requests requests of the mix, drawn with a fixed seed, straight through
Django's WSGI handler: every middleware, the session, the cache, the database, no
socket and no gunicorn. It prints the CPU time each kind of page costs on average and
the mean over the mix, and the CPU its PostgreSQL backend spent (from /proc); --sql
adds the queries and their time per kind of page and the costliest statements,
--profile cProfile's costliest functions. The same seed draws the same requests, and
CPU time depends far less than response times on what else the machine is doing: two
commits measured one after the other compare well on a shared machine.

The mix is bench/locustfile.py's (people 4:4:1:1, each person's pages with the same
weights); keep the two alike.
"""

import argparse
import collections
import cProfile
import io
import json
import os
import pstats
import random
import re
import sys
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import WORK_DIR, server_environment  # noqa: E402

CACHE_URL = "redis://127.0.0.1:6379/12"
DIRECTORY_SEARCHES = ["library", "news", "physics", "research", "@bench1", "alumni 12"]
REGISTRY_SEARCHES = [
    "?q=library&platform=instagram",
    "?q=students",
    "?platform=mastodon&status=active",
    "?status=dormant&sort=-due",
    "?overdue=on",
    "?no_deputy=on&sort=unit",
]


def mix(plan, rnd):
    """(person or None, address, kind) of one request, as bench/locustfile.py draws it."""
    people = plan["people"]

    def weighted(pages):
        return rnd.choices([page for _weight, page in pages], [w for w, _page in pages])[0]

    role = rnd.choices(["visitor", "staff", "head", "reviewer"], [4, 4, 1, 1])[0]
    if role == "visitor":
        return None, *weighted(
            [
                (4, ("/directory/", "directory")),
                (3, (f"/directory/?q={rnd.choice(DIRECTORY_SEARCHES)}", "directory search")),
                (1, (f"/directory/?page={rnd.randint(2, 10)}", "directory page")),
                (
                    3,
                    (f"/directory/verify/?url={rnd.choice(plan['verify_urls'])}", "verify"),
                ),
            ]
        )
    if role == "staff":
        person = rnd.choice(people["staff"][:25])
        return person, *weighted(
            [
                (4, ("/registry/", "registry")),
                (3, (f"/registry/{rnd.choice(REGISTRY_SEARCHES)}", "registry filter")),
                (1, (f"/registry/?sort=platform&page={rnd.randint(2, 20)}", "registry page")),
                (3, (f"/registry/{rnd.choice(plan['channels'])}/", "channel")),
                (1, (f"/proposals/{rnd.choice(person['proposals'])}/", "own proposal")),
                (1, ("/proposals/", "proposals")),
            ]
        )
    if role == "head":
        person = rnd.choice(people["heads"])
        return person, *weighted(
            [
                (3, ("/review/", "head: review queue")),
                (3, (f"/proposals/{rnd.choice(person['proposals'])}/", "head: proposal")),
                (1, (f"/metrics/units/{person['unit']}/report/", "head: unit report")),
                (1, ("/metrics/", "head: portfolio")),
            ]
        )
    person = rnd.choice(people["reviewers"])
    return person, *weighted(
        [
            (3, ("/review/", "office: review queue")),
            (1, ("/review/?platform=mastodon", "office: review filter")),
            (3, (f"/proposals/{rnd.choice(plan['in_review'])}/", "office: proposal")),
            (2, ("/metrics/", "office: portfolio")),
            (1, ("/metrics/?sort=-followers&platform=mastodon", "office: portfolio sorted")),
            (2, (f"/metrics/channels/{rnd.choice(plan['channels'])}/", "office: figures")),
        ]
    )


class SqlLog:
    """Counts the queries of each kind of page and times each statement (its literals
    left out), through Django's execute wrapper on the default connection."""

    NUMBERS = re.compile(r"\b\d+\b|'[^']*'")

    def __init__(self):
        from django.db import connection

        self.kind = None
        self.per_kind = collections.defaultdict(lambda: [0, 0.0])
        self.statements = collections.defaultdict(lambda: [0, 0.0])
        self.connection = connection
        self.wrapper = connection.execute_wrapper(self)
        self.wrapper.__enter__()

    def __call__(self, execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            for counts, key in [
                (self.per_kind, self.kind),
                (self.statements, (self.kind, self.NUMBERS.sub("?", statement))),
            ]:
                counts[key][0] += 1
                counts[key][1] += seconds

    def close(self):
        self.wrapper.__exit__(None, None, None)


TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu():
    """(pid, CPU seconds so far) of this process's PostgreSQL backend, or None when no
    connection is open: read from /proc, without a query."""
    from django.db import connection

    if connection.connection is None:
        return None
    pid = connection.connection.info.backend_pid
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / TICKS


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warm", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sql",
        action="store_true",
        help="also count each kind of page's queries and their time (as the client sees "
        "it), and print the statements that take the most time over the measured requests",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print cProfile's N costliest functions"
    )
    parser.add_argument(
        "--only",
        metavar="KIND",
        help="measure only the requests of this kind of page (e.g. 'registry'); the others "
        "still warm the cache",
    )
    parser.add_argument(
        "--cache",
        default=CACHE_URL,
        help=f"the Redis cache to use (emptied first); default {CACHE_URL}, as load.py's",
    )
    args = parser.parse_args()
    plan_file = WORK_DIR / "plan.json"
    if not plan_file.exists():
        sys.exit(f"{plan_file} is missing: run bench/load.py once first.")
    plan = json.loads(plan_file.read_text())
    os.environ.update(server_environment(args.cache))
    redis.Redis.from_url(args.cache).flushdb()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client

    handler = WSGIHandler()
    cookies = {}

    def cookie(person):
        if person["user"] not in cookies:
            client = Client()
            client.force_login(get_user_model().objects.get(username=person["user"]))
            cookies[person["user"]] = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
        return cookies[person["user"]]

    def get(person, address):
        path, _, query = address.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8765",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if person:
            environ["HTTP_COOKIE"] = cookie(person)
        status = []
        body = handler(environ, lambda line, headers, exc_info=None: status.append(line))
        for _chunk in body:
            pass
        body.close()
        return status[0]

    rnd = random.Random(args.seed)  # nosec B311  # picks pages, not secrets
    requests = [mix(plan, rnd) for _ in range(args.warm + args.requests)]
    for person, *_ in requests:
        if person:
            cookie(person)
    # As load.py warms up: what each person asks for without an id, once.
    for head in plan["people"]["heads"]:
        for address in [f"/metrics/units/{head['unit']}/report/", "/metrics/", "/review/"]:
            get(head, address)
    for person, address, _kind in requests[: args.warm]:
        get(person, address)
    cpu, failed = collections.defaultdict(list), collections.Counter()
    postgres = collections.Counter()  # kind -> CPU seconds of the backend
    sql = SqlLog() if args.sql else None
    profiler = cProfile.Profile() if args.profile else None
    started = time.process_time()
    measured = [r for r in requests[args.warm :] if args.only in (None, r[2])]
    for person, address, kind in measured:
        backend = backend_cpu()
        before = time.process_time()
        if sql:
            sql.kind = kind
        if profiler:
            profiler.enable()
        status = get(person, address)
        if profiler:
            profiler.disable()
        cpu[kind].append(time.process_time() - before)
        after = backend_cpu()
        if after:
            postgres[kind] += after[1] - (backend[1] if backend and backend[0] == after[0] else 0)
        if not status.startswith("200"):
            failed[f"{kind}: {status}"] += 1
    total = time.process_time() - started
    if sql:
        sql.close()
    print(f"{'page':<26}{'requests':>9}{'CPU ms':>8}{'share':>7}{'PG ms':>7}", end="")
    print(f"{'queries':>9}{'SQL ms':>8}" if sql else "")
    for kind, times in sorted(cpu.items(), key=lambda item: -sum(item[1])):
        mean = 1000 * sum(times) / len(times)
        print(f"{kind:<26}{len(times):>9}{mean:>8.2f}{100 * sum(times) / total:>6.1f}%", end="")
        print(f"{1000 * postgres[kind] / len(times):>7.2f}", end="")
        if sql:
            count, seconds = sql.per_kind[kind]
            print(f"{count / len(times):>9.2f}{1000 * seconds / len(times):>8.2f}")
        else:
            print()
    print(f"mix: {1000 * total / len(measured):.2f} ms of CPU a request over {len(measured)}")
    print(
        f"PostgreSQL: {1000 * sum(postgres.values()) / len(measured):.2f} ms of CPU a request "
        f"(this process's backend, from /proc, {TICKS} ticks a second)"
    )
    if sql:
        count = sum(count for count, _seconds in sql.per_kind.values())
        seconds = sum(seconds for _count, seconds in sql.per_kind.values())
        print(
            f"SQL: {count / len(measured):.2f} queries, {1000 * seconds / len(measured):.2f} ms "
            "a request (wall time as the client sees it); the costliest statements:"
        )
        top = sorted(sql.statements.items(), key=lambda item: -item[1][1])[:15]
        for (kind, statement), (count, seconds) in top:
            print(f"{1000 * seconds:>9.0f} ms {count:>6} x  {kind}: {statement[:300]}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    if failed:
        print(f"not 200: {dict(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
