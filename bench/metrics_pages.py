"""How fast are the metrics pages on 10,000 channels with two years of daily figures?

A standalone script, not a test (see bench/README.md, "Metrics pages at scale"):

    .venv/bin/python bench/metrics_pages.py [--rebuild] [--runs 30] [--show-queries]

It needs PostgreSQL on 127.0.0.1. It creates the database portal_bench_metrics if it
does not exist (--rebuild drops it first), migrates it and, unless the data is already
there, fills it: 20 units with their heads, --channels active channels (default 10,000)
spread over the units and platforms, each with an owner, 30 % of them with the approved
proposal they came from and its goals, and --days days of snapshots per channel
(default 730: 7.3 million rows) written by ONE server-side INSERT ... SELECT over
generate_series. Then ANALYZE, and the nightly refresh of every channel's summary,
timed. A later run reuses the data (and adds the days up to today if it is older).

Then, with Django's test client, signed in as the communications office and as a unit
head, it requests each page 3 times to warm up and then --runs times, and prints the
median and 95th percentile in milliseconds, the number and time of the SQL queries of
one more request, the time of the first request on an empty cache, and the size of the
snapshot table. A page whose median misses the target (200 ms) gets its slowest query
explained (EXPLAIN ANALYZE) and one request profiled (cProfile); --explain and --profile
do so for every page. --no-cache times every request without the cache. It exits with
status 1 if a page does not answer 200.
"""

import argparse
import datetime
import logging
import math
import os
import platform as python_platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "portal_bench_metrics"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
TARGET_MS = 200
WARM_UP = 3
BATCH = 5_000
UNITS = 20
OWNERS = 500
WITH_PROPOSAL = 0.3  # share of channels that came from an approved proposal
COMMS = "bench-comms"
ROOT_UNIT = "Bench University"
SUBJECTS = [
    "Architecture", "Biology", "Chemistry", "Computer Science", "Economics", "Education",
    "Engineering", "History", "Law", "Languages", "Mathematics", "Medicine", "Music",
    "Nursing", "Philosophy", "Physics", "Psychology", "Sociology", "Statistics", "Library",
]  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=10_000, help="default: 10000")
    parser.add_argument("--days", type=int, default=730, help="days of figures; default 730")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--rebuild", action="store_true", help=f"drop {DATABASE} and build the data again"
    )
    parser.add_argument(
        "--no-refresh",
        action="store_true",
        help="do not refresh the summaries when they are already current (saves time)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="time every request without the cache (a dummy cache): the cost of a cache miss",
    )
    parser.add_argument("--show-queries", action="store_true", help="print each page's SQL")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of every page"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile one request of every page (not only of those over the target)",
    )
    args = parser.parse_args(argv)

    create_database(rebuild=args.rebuild)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrated in {time.perf_counter() - started:.1f} s.", flush=True)

    timings = {}
    people = fill(args.channels, timings)
    fill_snapshots(args.days, timings)
    refresh_summaries(timings, force=not args.no_refresh)

    # As in production: no debug pages (nor the query log that DEBUG keeps), and
    # requests come from the test client's host.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    if args.no_cache:
        from django.test import override_settings

        with override_settings(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        ):
            results = measure(pages(people), args.runs)
    else:
        results = measure(pages(people), args.runs)
    report(results, args.runs, timings, cached=not args.no_cache)
    if args.show_queries:
        show_queries(results)
    explain(results, every=args.explain)
    profile(results, every=args.profile)
    failed = [label for label, result in results.items() if result["status"] != 200]
    if failed:
        print(f"\nNot every page answered 200: {', '.join(failed)}.", file=sys.stderr)
        return 1
    return 0


# --- The data --------------------------------------------------------------------------


def create_database(*, rebuild, database=DATABASE):
    """Creates ``database`` (dropping it first with ``rebuild``) unless it is there."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True
    ) as connection:
        if rebuild:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
            )
            print(f"Dropped the database {database}.")
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            print(f"Created the database {database}.")


def fill(count, timings):
    """The people, units, channels and proposals; kept when they are already there.
    Returns {"comms": user, "head": user, "unit": unit, "root": unit}."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from accounts.models import Channel, Unit
    from core import roles

    User = get_user_model()
    existing = Channel.objects.count()
    if existing and existing != count:
        sys.exit(
            f"{DATABASE} holds {existing:,} channels, not {count:,}: run with --rebuild to "
            "start again with the new number."
        )
    if not existing:
        started = time.perf_counter()
        with transaction.atomic():
            _create_registry(count)
        timings["channels"] = time.perf_counter() - started
        print(
            f"Created {count:,} channels, their people and proposals in "
            f"{timings['channels']:.1f} s.",
            flush=True,
        )
    comms = User.objects.get(username=COMMS)
    comms.groups.add(Group.objects.get_or_create(name=roles.COMMUNICATIONS)[0])
    unit = Unit.objects.exclude(name=ROOT_UNIT).order_by("name").first()
    root = Unit.objects.get(name=ROOT_UNIT)
    return {"comms": comms, "head": unit.head, "unit": unit, "root": root}


def _create_registry(count):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import Channel, ChannelRole, Unit, name_key
    from accounts.platforms import Platform, parse_profile
    from checklist.models import Goal, Proposal
    from checklist.tests.factories import current_template

    User = get_user_model()
    today = timezone.localdate()
    now = timezone.now()
    User.objects.create(username=COMMS, first_name="Carl", last_name="Comms")
    rector = User.objects.create(username="bench-rector", first_name="Rut", last_name="Rector")
    heads = User.objects.bulk_create(
        User(username=f"bench-head-{n:02d}", first_name="Head", last_name=str(n))
        for n in range(UNITS)
    )
    owners = User.objects.bulk_create(
        User(username=f"bench-owner-{n:04d}", first_name="Owner", last_name=str(n))
        for n in range(OWNERS)
    )
    root = Unit.objects.create(name=ROOT_UNIT, head=rector)
    units = Unit.objects.bulk_create(
        Unit(name=f"School of {subject}", parent=root, head=heads[n])
        for n, subject in enumerate(SUBJECTS[:UNITS])
    )
    platforms = list(Platform)
    template = current_template()
    every = round(1 / WITH_PROPOSAL)
    for first in range(0, count, BATCH):
        numbers = range(first, min(first + BATCH, count))
        proposals = {}
        for n in numbers:
            if n % every == 0:
                proposals[n] = Proposal(
                    template=template,
                    submitter=owners[n % OWNERS],
                    state=Proposal.State.APPROVED,
                    unit=units[n % UNITS],
                    platform=platforms[n % len(platforms)],
                    name=_name(n, units),
                    profile=_address(platforms[n % len(platforms)], n),
                    proposed_owner=owners[n % OWNERS],
                    languages="English",
                    submitted_at=now - datetime.timedelta(days=800),
                )
        Proposal.objects.bulk_create(proposals.values())
        goals = []
        for n, proposal in proposals.items():
            # A followers goal, and for every other one a posting rhythm too.
            followers = _base_followers(n) * (1.5 + (n % 7) / 10)
            goals.append(
                Goal(
                    proposal=proposal,
                    metric=Goal.Metric.FOLLOWERS,
                    target_value=round(followers),
                    target_date=today + datetime.timedelta(days=60 + n % 300),
                )
            )
            if n % 2 == 0:
                goals.append(
                    Goal(
                        proposal=proposal,
                        metric=Goal.Metric.POSTS_PER_WEEK,
                        target_value=1 + n % 5,
                        target_date=today + datetime.timedelta(days=30 + n % 200),
                    )
                )
        Goal.objects.bulk_create(goals)
        channels = []
        for n in numbers:
            platform = platforms[n % len(platforms)]
            profile = parse_profile(platform, _address(platform, n))
            name = _name(n, units)
            channels.append(
                Channel(
                    name=name,
                    name_key=name_key(name),  # save() keeps it; bulk_create does not
                    platform=platform,
                    profile_url=profile.url,
                    handle=profile.handle,
                    unit=units[n % UNITS],
                    status=Channel.Status.ACTIVE,
                    approved_on=today - datetime.timedelta(days=800 + n % 300),
                    opened_on=today - datetime.timedelta(days=780 + n % 300),
                    recertification_due_on=today + datetime.timedelta(days=n % 400),
                    origin_proposal=proposals.get(n),
                )
            )
        Channel.objects.bulk_create(channels)
        ChannelRole.objects.bulk_create(
            ChannelRole(
                channel=channel,
                user=owners[n % OWNERS],
                kind=ChannelRole.Kind.OWNER,
                started_at=now - datetime.timedelta(days=800),
            )
            for n, channel in zip(numbers, channels, strict=True)
        )


def _name(n, units):
    topic = ["News", "Research", "Students", "Alumni", "Events", "Outreach"][n % 6]
    return f"{units[n % UNITS].name} {topic} {n}"


def _base_followers(n):
    """The channel's followers on the first day: mostly hundreds, a few 100,000s (the
    same formula as in SNAPSHOTS_SQL)."""
    return 50 + ((n * 7919) % 1000 / 1000) ** 3 * 200_000


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


# Every channel's figures for the days first + %(from_day)s .. first + %(to_day)s, as a
# function of the channel's number n (its rank by id) and the day d: a growth curve of
# 0 to 0.2 % a day from a base of 50 to 200,000 followers, a post every 1 to 14 days.
# One channel in 20 stopped posting on day 300 to 599 and slowly loses followers; one
# in 25 misses every ninth week (collection failed); one in 50 has no follower count
# every eleventh day; one in 10 has no time of the latest post (the platform does not
# give it); one in 3 has views. Engagement: likes, comments and shares of the posts of
# the last 30 days, 0.1 to 5 % of the followers per post. The rows land day after day,
# every channel's row of one day next to each other, as the daily collection writes them
# (the report shows the date's correlation with the physical order).
SNAPSHOTS_SQL = """
INSERT INTO metrics_snapshot (
    channel_id, date, followers, posts, likes, comments, shares, views,
    engagement_posts, engagement_partial, last_post_at, source, collected_at
)
SELECT
    p.id,
    %(first)s::date + d,
    CASE WHEN p.n %% 50 = 3 AND d %% 11 = 0 THEN NULL ELSE f.followers END,
    p.posts0 + f.posted,
    round(f.recent * f.followers * p.eng),
    round(f.recent * f.followers * p.eng * 0.08),
    round(f.recent * f.followers * p.eng * 0.12),
    CASE WHEN p.n %% 3 = 0 THEN round(f.recent * f.followers * p.eng * 30) END,
    f.recent,
    false,
    CASE WHEN p.n %% 10 <> 7 AND f.posted > 0 THEN
        (%(first)s::date + f.posted * p.every)::timestamp AT TIME ZONE 'UTC'
        + make_interval(hours => 7 + p.n %% 10)
    END,
    'api',
    (%(first)s::date + d)::timestamp AT TIME ZONE 'UTC' + interval '3 hours 15 minutes'
FROM generate_series(%(from_day)s, %(to_day)s) AS d
CROSS JOIN (
    SELECT
        id,
        n,
        (50 + power(((n * 7919) %% 1000) / 1000.0, 3) * 200000)::float8 AS base,
        ((n * 104729) %% 21) / 10000.0::float8 AS growth,
        1 + (n * 31) %% 14 AS every,
        (n * 13) %% 500 AS posts0,
        (1 + (n * 17) %% 50) / 1000.0::float8 AS eng,
        CASE WHEN n %% 20 = 0 THEN 300 + (n * 7) %% 300 ELSE 1000000 END AS stop
    FROM (
        SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM accounts_channel
    ) numbered
) p
CROSS JOIN LATERAL (
    SELECT
        greatest(0, round(
            p.base * exp(p.growth * least(d, p.stop))
            * (1 - 0.0005 * greatest(0, d - p.stop))
            + (p.n * 31 + d * 17) %% 23 - 11
        ))::bigint AS followers,
        least(d, p.stop) / p.every AS posted,
        least(d, p.stop) / p.every - greatest(0, least(d - 30, p.stop)) / p.every AS recent
) f
WHERE NOT (p.n %% 25 = 1 AND (d / 7) %% 9 = 4)
"""


def fill_snapshots(days, timings):
    """--days days of figures up to today for every channel, in one INSERT ... SELECT;
    on a later run only the days since the last one."""
    from django.db import connection
    from django.utils import timezone

    from metrics.models import Snapshot

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(date), max(date) FROM metrics_snapshot")
        first, last = cursor.fetchone()
    if last is not None and last >= today:
        print(f"The snapshots are there ({first} to {last}).", flush=True)
        return
    if first is None:
        first, from_day = today - datetime.timedelta(days=days - 1), 0
        print(f"Writing {days} days of snapshots for every channel…", flush=True)
    else:
        from_day = (last - first).days + 1
        print(f"Adding the snapshots from {last + datetime.timedelta(days=1)} on…", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            SNAPSHOTS_SQL, {"first": first, "from_day": from_day, "to_day": (today - first).days}
        )
        written = cursor.rowcount
    timings["snapshots"] = time.perf_counter() - started
    print(f"Wrote {written:,} snapshots in {timings['snapshots']:.1f} s.", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Snapshot._meta.db_table}")
        cursor.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - started
    print(f"VACUUM ANALYZE in {timings['analyze']:.1f} s.", flush=True)


def refresh_summaries(timings, *, force):
    """The nightly refresh of every channel's summary, timed."""
    from django.utils import timezone

    from accounts.models import Channel
    from metrics.models import ChannelSummary

    today = timezone.localdate()
    current = ChannelSummary.objects.filter(as_of=today).count() == Channel.objects.count()
    if current and not force:
        print("The summaries are current (not refreshed: --no-refresh).", flush=True)
        return
    print("Refreshing every channel's summary…", flush=True)
    started = time.perf_counter()
    refreshed = ChannelSummary.objects.refresh(Channel.objects.all(), today=today)
    timings["refresh"] = time.perf_counter() - started
    print(f"Refreshed {refreshed:,} summaries in {timings['refresh']:.1f} s.", flush=True)


# --- The measurements ------------------------------------------------------------------


def pages(people):
    """(label, who, URL) of each page to time."""
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import Channel

    channel = (
        Channel.objects.filter(origin_proposal__isnull=False, unit=people["unit"])
        .order_by("pk")
        .first()
    )
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime(
        "%Y-%m"
    )
    portfolio = reverse("metrics:portfolio")
    channel_url = reverse("metrics:channel", args=[channel.pk])
    report_url = reverse("metrics:unit_report", args=[people["unit"].pk])
    comms, head = people["comms"], people["head"]
    return [
        ("portfolio, first page", comms, portfolio),
        ("portfolio, sorted + filtered", comms, f"{portfolio}?sort=-followers&platform=mastodon"),
        ("portfolio, unit head", head, portfolio),
        ("channel, default range", comms, channel_url),
        ("channel, all time", comms, f"{channel_url}?range=all"),
        ("unit report", head, report_url),
        ("unit report, last month", head, f"{report_url}?month={last_month}"),
        (
            "unit report, whole university",
            comms,
            reverse("metrics:unit_report", args=[people["root"].pk]),
        ),
    ]


def measure(page_list, runs):
    """For each page: its status, the time of its first request on an empty cache, the
    timings of ``runs`` requests after WARM_UP ones, and the queries of one more request
    (counted apart, so that capturing them does not slow the timed requests)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.getLogger("django.request").setLevel(logging.ERROR)  # no "Not Found: ..." lines
    clients = {}
    results = {}
    for label, user, url in page_list:
        if user.pk not in clients:
            clients[user.pk] = Client(raise_request_exception=False)
            clients[user.pk].force_login(user)
        client = clients[user.pk]
        cache.clear()  # what the first reader after a change (or the nightly refresh) waits
        started = time.perf_counter()
        statuses = {client.get(url).status_code}
        cold = (time.perf_counter() - started) * 1000
        statuses |= {client.get(url).status_code for _ in range(WARM_UP - 1)}
        if statuses != {200}:
            results[label] = {"url": url, "user": user.username, "status": max(statuses - {200})}
            continue
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            statuses.add(response.status_code)
        with CaptureQueriesContext(connection) as queries:
            statuses.add(client.get(url).status_code)
        results[label] = {
            "url": url,
            "user": user.username,
            "status": max(statuses - {200}, default=200),
            "cold": cold,
            "median": statistics.median(timings),
            "p95": sorted(timings)[math.ceil(0.95 * len(timings)) - 1],
            "queries": len(queries),
            "sql": [(float(query["time"]) * 1000, query["sql"]) for query in queries],
            "sql_ms": sum(float(query["time"]) * 1000 for query in queries),
            "client": client,
        }
        print(f"  measured {label}", flush=True)
    return results


def report(results, runs, timings, *, cached):
    from django.db import connection

    from accounts.models import Channel, Unit
    from metrics.models import Snapshot

    table = Snapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), min(date), max(date), pg_total_relation_size(%s), "
            "pg_relation_size(%s), pg_indexes_size(%s) FROM metrics_snapshot",
            [table, table, table],
        )
        rows, first, last, total, heap, indexes = cursor.fetchone()
        cursor.execute(
            "SELECT correlation FROM pg_stats WHERE tablename = %s AND attname = 'date'", [table]
        )
        (correlation,) = cursor.fetchone() or (None,)
    print(
        f"\nPostgreSQL {version}, {Channel.objects.count():,} channels in "
        f"{Unit.objects.count()} units, {rows:,} snapshots ({first} to {last}); Python "
        f"{python_platform.python_version()}, {os.cpu_count()} CPUs; {runs} requests per "
        f"page after {WARM_UP} warm-up ones, "
        + ("with the cache." if cached else "WITHOUT the cache (--no-cache).")
    )
    print(
        f"Snapshot table: {_size(total)} in all ({_size(heap)} of rows, {_size(indexes)} of "
        f"indexes); the date's correlation with the physical order: {correlation}."
    )
    for key, what in [
        ("channels", "creating the channels, people and proposals"),
        ("snapshots", "writing the snapshots (one INSERT ... SELECT)"),
        ("analyze", "VACUUM ANALYZE"),
        ("refresh", "refreshing every summary (the nightly cost)"),
    ]:
        if key in timings:
            print(f"  {what}: {timings[key]:.1f} s")

    print(
        f"\n{'page':<32}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'SQL ms':>8}"
        f"{'cold ms':>9}  user, url"
    )
    for label, result in results.items():
        if result["status"] != 200:
            figures = f"{'not available (HTTP ' + str(result['status']) + ')':>46}"
        else:
            figures = (
                f"{result['median']:>10.1f}{result['p95']:>10.1f}{result['queries']:>9}"
                f"{result['sql_ms']:>8.0f}{result['cold']:>9.0f}"
            )
        print(f"{label:<32}{figures}  {result['user']}, {result['url']}")
    measured = [r for r in results.values() if r["status"] == 200]
    missed = [
        label for label, r in results.items() if r["status"] == 200 and r["median"] >= TARGET_MS
    ]
    print(
        "SQL ms: the time of the queries of one more request, as Django measures it; the "
        "rest of the\nmedian is Python (view, templates, middleware). Cold ms: the first "
        "request on an empty cache,\nwhat the first reader after a change or the nightly "
        "refresh waits."
    )
    print(f"\nTarget: every page under {TARGET_MS} ms median.", end=" ")
    if not measured:
        print("Not measured.")
    elif missed:
        print(f"NOT met by: {', '.join(missed)}.")
    else:
        print("Met." if len(measured) == len(results) else "Met by every page measured.")


def _size(size):
    return f"{size / 1024**2:,.0f} MB" if size < 1024**3 else f"{size / 1024**3:,.2f} GB"


def show_queries(results):
    for label, result in results.items():
        if result["status"] != 200:
            continue
        print(f"\n{label} ({result['url']}):")
        for milliseconds, query in result["sql"]:
            print(f"  {milliseconds:7.1f} ms  {query[:300]}")


def explain(results, *, every):
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each page over the target
    (of every page with ``every``)."""
    from django.db import connection

    for label, result in results.items():
        if result["status"] != 200 or not (every or result["median"] >= TARGET_MS):
            continue
        milliseconds, query = max(result["sql"])
        print(f"\n{label}: slowest query, {milliseconds:.1f} ms (page: {result['median']:.0f} ms)")
        print(f"  {query}\n")
        if not query.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}")
            for (line,) in cursor.fetchall():
                print(f"  {line}")


def profile(results, *, every):
    """cProfile of one request of each page over the target (of every page with
    ``every``): where the time goes when it is not in the database."""
    import cProfile
    import pstats

    for label, result in results.items():
        if result["status"] != 200 or not (every or result["median"] >= TARGET_MS):
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        result["client"].get(result["url"])
        profiler.disable()
        print(f"\n{label}: one request profiled, the 25 calls with the most time inside them")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
        print(f"{label}: the 15 functions with the most time of their own")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    sys.exit(main())
