"""How fast are the registry page and the admin's channel list on a large registry?

A standalone script, not a test (see bench/README.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/registry.py

It creates the database if needed, migrates it, fills it once with --channels channels
(kept for the next run), then times each page with Django's test client and prints the
median and 95th percentile in milliseconds and the number of SQL queries per request.
It exits with status 1 if any page does not answer 200.
"""

import argparse
import logging
import math
import os
import platform as python_platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("registry, first page", "/registry/"),
    ("registry, search + filter", "/registry/?q=library&platform=instagram"),
    ("admin changelist", "/admin/accounts/channel/"),
    ("admin, search + filter", "/admin/accounts/channel/?q=library&platform__exact=instagram"),
]
WARM_UP = 3
BATCH = 5_000
UNITS = 50
OWNERS = 500
ADMIN = "bench-admin"

SUBJECTS = [
    "Architecture", "Art History", "Biology", "Chemistry", "Civil Engineering",
    "Computer Science", "Economics", "Education", "Electrical Engineering", "English",
    "Geography", "Geology", "History", "Law", "Linguistics", "Mathematics", "Medicine",
    "Music", "Nursing", "Philosophy", "Physics", "Political Science", "Psychology",
    "Sociology", "Statistics",
]  # fmt: skip
# 1 in 10 channel names contains "library", the word the searches look for.
TOPICS = [
    "News", "Library", "Students", "Research", "Alumni", "Events", "Careers", "Sport",
    "International", "Outreach",
]  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=100_000, help="default: 100000")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--show-queries", action="store_true", help="print each page's SQL with its time"
    )
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(
            "The benchmark measures PostgreSQL, as in production. Point DATABASE_URL at a "
            "dedicated database, e.g.\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
            "portal_bench .venv/bin/python bench/registry.py"
        )
    database = unquote(urlsplit(database_url).path.lstrip("/"))
    if "bench" not in database:
        sys.exit(
            f"The database {database!r} does not look like a benchmark database: the "
            "benchmark adds up to 100,000 channels to it. Use a dedicated one whose name "
            "contains 'bench', e.g. portal_bench."
        )
    create_database(database_url, database)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrated in {time.perf_counter() - started:.1f} s.")
    admin = fill(args.channels)

    # As in production: no debug pages, and requests come from the test client's host.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    results = measure(admin, args.runs)
    report(results, args.runs)
    if args.show_queries:
        show_queries(results)
    # Cold: a channel's details are edited before each request, as the registry's edit
    # page saves them, so that every cached registry page and the reader's facts are
    # computed again (accounts/caching.py); the warning counts stay (they change with a
    # channel's status, due date or people only).
    print("\nCold cache: a channel's name edited before each request.")
    cold = measure(admin, args.runs, cold=True)
    report(cold, args.runs)
    failed = [
        label for label, result in [*results.items(), *cold.items()] if result["status"] != 200
    ]
    if failed:
        print(f"\nNot every page answered 200: {', '.join(failed)}.", file=sys.stderr)
        return 1
    return 0


def create_database(database_url, database):
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    maintenance = parts._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            print(f"Created the database {database}.")


def fill(count):
    """Units, owners, a portal admin and ``count`` channels, each with its owner role;
    what is already there from an earlier run is kept."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Channel, ChannelRole, Unit
    from accounts.platforms import Platform, parse_profile
    from core import roles

    User = get_user_model()
    admin, _created = User.objects.get_or_create(username=ADMIN, defaults={"is_staff": True})
    admin.groups.add(Group.objects.get(name=roles.PORTAL_ADMINS))

    existing = Channel.objects.count()
    if existing >= count:
        print(f"The database already holds {existing:,} channels.")
        _analyze()
        return admin

    started = time.perf_counter()
    units = list(Unit.objects.filter(name__startswith="Bench: "))
    if len(units) < UNITS:
        names = [
            f"Bench: {kind} {subject}"
            for kind in ["School of", "Centre for"]
            for subject in SUBJECTS
        ]
        Unit.objects.bulk_create([Unit(name=name) for name in names[:UNITS]], ignore_conflicts=True)
        units = list(Unit.objects.filter(name__startswith="Bench: "))
    owners = list(User.objects.filter(username__startswith="bench-owner-"))
    if len(owners) < OWNERS:
        User.objects.bulk_create(
            [
                User(username=f"bench-owner-{n:04d}", first_name="Owner", last_name=str(n))
                for n in range(OWNERS)
            ],
            ignore_conflicts=True,
        )
        owners = list(User.objects.filter(username__startswith="bench-owner-"))

    platforms = list(Platform)
    today = timezone.localdate()
    now = timezone.now()
    statuses = ["active"] * 16 + ["dormant", "dormant", "planned"] + ["closed"]
    print(f"Creating {count - existing:,} channels in batches of {BATCH:,}…", flush=True)
    for first in range(existing, count, BATCH):
        channels = []
        for n in range(first, min(first + BATCH, count)):
            platform = platforms[n % len(platforms)]
            profile = parse_profile(platform, _address(platform, n))
            status = statuses[n % len(statuses)]
            unit = units[n % len(units)]
            topic = TOPICS[(n // len(platforms)) % len(TOPICS)]
            channels.append(
                Channel(
                    name=f"{unit.name.removeprefix('Bench: ')} {topic} {n}",
                    platform=platform,
                    profile_url=profile.url,
                    handle=profile.handle,
                    unit=unit,
                    status=status,
                    is_public=n % 7 != 0,
                    approved_on=today - datetime.timedelta(days=30 + n % 1500),
                    recertification_due_on=None
                    if status == "planned"
                    else today + datetime.timedelta(days=n % 400 - 30),
                    closed_on=today - datetime.timedelta(days=n % 300)
                    if status == "closed"
                    else None,
                    close_reason="No longer used." if status == "closed" else "",
                )
            )
        with transaction.atomic():
            Channel.objects.bulk_create(channels)
            ChannelRole.objects.bulk_create(
                ChannelRole(
                    channel=channel,
                    user=owners[n % len(owners)],
                    kind=ChannelRole.Kind.OWNER,
                    started_at=now - datetime.timedelta(days=400),
                    ended_at=now if channel.status == "closed" else None,
                )
                for n, channel in enumerate(channels, start=first)
            )
        print(f"  {first + len(channels):,}", flush=True)
    _analyze()
    print(f"Created {count - existing:,} channels in {time.perf_counter() - started:.1f} s.")
    return admin


def _analyze():
    """Fresh planner statistics, as autovacuum would give a live database: also after a
    migration added an index (an expression index has no statistics until analysed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _address(platform, n):
    """A unique, valid profile address on ``platform``."""
    return {
        "facebook": f"bench.page.{n}",
        "instagram": f"bench.{n}",
        "linkedin": f"linkedin.com/company/bench-{n}",
        "x": f"bench_{n}",
        "youtube": f"@bench-{n}",
        "tiktok": f"@bench.{n}",
        "mastodon": f"@bench{n}@social.bench.example",
        "bluesky": f"bench{n}.bench.example",
        "flickr": f"flickr.com/photos/bench-{n}",
        "threads": f"@bench.{n}",
        "other": f"https://bench.example/channels/{n}",
    }[platform]


def measure(admin, runs, *, cold=False):
    """For each page: its status, timings of ``runs`` requests after WARM_UP ones, and
    the queries of one more request (counted apart, so that capturing them does not
    slow the timed requests). With ``cold``, a channel is saved (untimed) before each
    request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Channel

    changed = Channel.objects.order_by("pk").first()

    def edit():
        changed.name = changed.name.removesuffix(" (edited)") + " (edited)"
        changed.save(update_fields=["name", "updated_at"])  # as update_details does

    def get(url):
        if cold:
            edit()
        return client.get(url)

    logging.getLogger("django.request").setLevel(logging.ERROR)  # no "Not Found: ..." lines
    client = Client(raise_request_exception=False)  # a failing page is reported, not raised
    client.force_login(admin)
    results = {}
    for label, url in PAGES:
        statuses = {get(url).status_code for _ in range(WARM_UP)}
        if statuses != {200}:
            results[label] = {"url": url, "status": max(statuses - {200})}
            continue
        timings = []
        for _ in range(runs):
            if cold:
                edit()
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
        if cold:
            edit()
        with CaptureQueriesContext(connection) as queries:
            statuses.add(client.get(url).status_code)
        results[label] = {
            "url": url,
            "status": max(statuses - {200}, default=200),
            "median": statistics.median(timings),
            "p95": sorted(timings)[math.ceil(0.95 * len(timings)) - 1],
            "queries": len(queries),
            "sql": [(float(query["time"]) * 1000, query["sql"]) for query in queries],
        }
    return results


def report(results, runs):
    from django.db import connection

    from accounts.models import Channel, Unit

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    print(
        f"\nPostgreSQL {version}, {Channel.objects.count():,} channels in "
        f"{Unit.objects.count()} units; Python {python_platform.python_version()}, "
        f"{os.cpu_count()} CPUs; {runs} requests per page after {WARM_UP} warm-up ones.\n"
    )
    print(f"{'page':<28}{'median ms':>10}{'p95 ms':>10}{'queries':>9}  url")
    for label, result in results.items():
        if result["status"] != 200:
            figures = f"{'not available (HTTP ' + str(result['status']) + ')':>29}"
        else:
            figures = f"{result['median']:>10.1f}{result['p95']:>10.1f}{result['queries']:>9}"
        print(f"{label:<28}{figures}  {result['url']}")

    print("\nTarget: the registry page no slower than the admin changelist, under 50 ms median.")
    for (registry_label, _url), (admin_label, _admin_url) in zip(PAGES[:2], PAGES[2:], strict=True):
        registry, admin = results[registry_label], results[admin_label]
        if registry["status"] != 200 or admin["status"] != 200:
            verdict = "not measured"
        elif registry["median"] <= admin["median"] and registry["median"] < 50:
            verdict = "met"
        else:
            verdict = "NOT met"
        print(f"  {registry_label} vs {admin_label}: {verdict}")


def show_queries(results):
    for label, result in results.items():
        if result["status"] != 200:
            continue
        print(f"\n{label} ({result['url']}):")
        for milliseconds, query in result["sql"]:
            print(f"  {milliseconds:7.1f} ms  {query[:300]}")


if __name__ == "__main__":
    sys.exit(main())
