"""Can gunicorn on this machine serve 50 busy people on a registry of 100,000 channels?

A standalone script, not a test (see bench/README.md, "Load"):

    .venv/bin/python bench/load.py [--rebuild] [--servers sync:3,gthread:2x4]

It needs PostgreSQL (user postgres, trust) and Redis on 127.0.0.1. It creates the
database portal_bench_load if it does not exist (--rebuild drops it first), migrates
it and, unless the data is already there, fills it: 20 units under a root unit, their
heads, 2,000 staff, 5 people of the communications office, 100,000 channels (owner and,
for most, a deputy), 10,000 proposals in every state with their answers, goals and
transitions (the approved ones are where 6,000 channels came from), --days days of
snapshots for every channel (one INSERT ... SELECT over generate_series on the
server) and every channel's summary.

Then, for each server setting of --servers, it starts gunicorn on 127.0.0.1 as in
production (DJANGO_DEBUG=false, a generated secret key, a Redis cache, collected
static files; only HTTPS is off: no redirect, no Secure cookies), signs the people in
ahead (sessions written with Django's login, cookies handed to locust in a JSON file,
so the login form is never hit), asks every page once to warm the caches, runs
bench/locustfile.py headless with --users simulated people for --run-time, and prints
requests per second, median, p95, p99 and errors per page and in all, with the
machine's load. Everything it started is stopped at the end, also on Ctrl-C or an
error. It exits with status 1 if the target is missed.
"""

import argparse
import concurrent.futures
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DATABASE = "portal_bench_load"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
WORK_DIR = ROOT / "var" / "bench-load"
CHANNELS = 100_000
PROPOSALS = 10_000
UNITS = 20
STAFF = 2_000
REVIEWERS = 5
BATCH = 5_000
ROOT_UNIT = "Bench University"
# Target (issue 9): no errors, p95 under 150 ms, at least 150 requests per second.
TARGET_P95_MS = 150
TARGET_RPS = 150
# The share of proposals in each state (of 100), in the order they are numbered.
STATES = [
    ("approved", 60),
    ("awaiting_unit_head", 8),
    ("in_review", 10),
    ("changes_requested", 5),
    ("rejected", 7),
    ("withdrawn", 3),
    ("draft", 7),
]

_started = []  # the processes to stop, whatever happens


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rebuild", action="store_true", help=f"drop {DATABASE} and build the data again"
    )
    parser.add_argument(
        "--days", type=int, default=35, help="days of snapshots per channel; default 35"
    )
    parser.add_argument(
        "--servers",
        default="sync:3",
        help="gunicorn settings to measure, comma-separated: sync:WORKERS or "
        "gthread:WORKERSxTHREADS (default sync:3, the best of those compared in "
        "bench/README.md)",
    )
    parser.add_argument("--users", type=int, default=50, help="simulated people; default 50")
    parser.add_argument("--spawn-rate", type=int, default=10, help="people started per second")
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load; default 60")
    parser.add_argument(
        "--include-ramp-up",
        action="store_true",
        help="count the requests made while the users are still starting (left out by "
        "default: the figures are the steady state's)",
    )
    parser.add_argument(
        "--user-rate",
        type=float,
        default=3.5,
        help="pages a second each person asks for at most (default 3.5: 175 offered in all)",
    )
    parser.add_argument("--port", type=int, default=8765, help="gunicorn's port on 127.0.0.1")
    parser.add_argument(
        "--pages",
        action="store_true",
        help="instead of the load: time each page of the mix in this process (test client), "
        "with its Python CPU time, queries and SQL time, to see where a request's time goes",
    )
    parser.add_argument(
        "--cache",
        default="redis://127.0.0.1:6379/12",
        help="the server's CACHE_URL (emptied before each run); default redis db 12",
    )
    args = parser.parse_args(argv)
    servers = [parse_server(text) for text in args.servers.split(",")]

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # Ctrl-C, also when started in the background (where SIGINT comes in ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run(args, servers)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    finally:
        stop_all()


def parse_server(text):
    kind, _, size = text.partition(":")
    if kind == "sync" and size.isdigit():
        return {"label": text, "class": "sync", "workers": int(size), "threads": 1}
    workers, _, threads = size.partition("x")
    if kind == "gthread" and workers.isdigit() and threads.isdigit():
        return {"label": text, "class": "gthread", "workers": int(workers), "threads": int(threads)}
    sys.exit(f"--servers: {text!r} is neither sync:WORKERS nor gthread:WORKERSxTHREADS.")


def server_environment(cache_url):
    """The production-like settings of the server, shared with this script (which signs
    the sessions with the same secret key)."""
    return {
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: no redirect to HTTPS, no Secure (__Host-) cookies.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "CACHE_URL": cache_url,
        "DJANGO_STATIC_ROOT": str(WORK_DIR / "static"),
        "PORTAL_LOG_LEVEL": "WARNING",
    }


def run(args, servers):
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    from metrics_pages import create_database

    create_database(database=DATABASE, rebuild=args.rebuild)
    environment = server_environment(args.cache)
    os.environ.update(environment)
    import django

    django.setup()

    from django.core.cache import cache
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrated in {time.perf_counter() - started:.1f} s.", flush=True)
    timings = {}
    fill(timings)
    fill_snapshots(args.days, timings)
    refresh_summaries(timings)
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"Collected the static files in {time.perf_counter() - started:.1f} s.", flush=True)

    plan = sign_in_and_plan()
    plan_path = WORK_DIR / "plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    if args.pages:
        measure_pages(plan)
        return 0

    if timings:
        # New data: drop what the server cached about the old (the benchmark's Redis
        # database only). Otherwise the cache stays, as on a server that runs a while.
        cache.clear()
    results = []
    for server in servers:
        results.append(measure(server, args, environment, plan, plan_path))
    print_summary(results, args, timings)
    met = all(result["met"] for result in results[-1:])
    return 0 if met else 1


# --- The data --------------------------------------------------------------------------


def fill(timings):
    """People, units, channels, proposals; kept when they are already there."""
    from django.db import connection, transaction

    from accounts.models import Channel

    existing = Channel.objects.count()
    if existing == CHANNELS:
        print(f"The database already holds {existing:,} channels.", flush=True)
        with connection.cursor() as cursor:
            # As autovacuum keeps it in production (index-only scans need it), also
            # after a migration added an index.
            cursor.execute("VACUUM ANALYZE accounts_channel")
        return
    if existing:
        sys.exit(f"{DATABASE} holds {existing:,} channels, not {CHANNELS:,}: run with --rebuild.")
    started = time.perf_counter()
    with transaction.atomic():
        _create_people_and_units()
        _create_proposals()
        _create_channels()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            for statement in FILL_SQL:
                cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["registry"] = time.perf_counter() - started
    print(
        f"Created {CHANNELS:,} channels and {PROPOSALS:,} proposals with their people in "
        f"{timings['registry']:.1f} s.",
        flush=True,
    )


def _create_people_and_units():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from metrics_pages import SUBJECTS

    from accounts.models import Unit
    from core import roles

    User = get_user_model()
    password = "!bench-no-password"  # nosec B105  # an unusable hash: nobody signs in with it
    rector = User.objects.create(username="bench-rector", first_name="Rut", last_name="Rector")
    heads = User.objects.bulk_create(
        User(username=f"bench-head-{n:02d}", first_name="Head", last_name=str(n), password=password)
        for n in range(UNITS)
    )
    User.objects.bulk_create(
        User(
            username=f"bench-staff-{n:04d}",
            first_name=["Anna", "Bo", "Cecilia", "David", "Eva"][n % 5],
            last_name=f"Staff {n}",
            email=f"staff{n}@bench.example",
            password=password,
        )
        for n in range(STAFF)
    )
    reviewers = User.objects.bulk_create(
        User(username=f"bench-comms-{n}", first_name="Comms", last_name=str(n), password=password)
        for n in range(REVIEWERS)
    )
    Group.objects.get(name=roles.COMMUNICATIONS).user_set.add(*reviewers)
    root = Unit.objects.create(name=ROOT_UNIT, head=rector)
    Unit.objects.bulk_create(
        Unit(name=f"School of {subject}", parent=root, head=heads[n])
        for n, subject in enumerate(SUBJECTS[:UNITS])
    )


def _staff():
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(username__startswith="bench-staff-").order_by("username")
    )


def _units():
    from accounts.models import Unit

    return list(Unit.objects.exclude(name=ROOT_UNIT).order_by("name"))


def _state(n):
    """The state of the n-th proposal: STATES' shares, interleaved over the numbers (and
    over each unit's proposals: the unit is n % UNITS)."""
    slot = ((n // UNITS) * 37) % 100
    for state, share in STATES:
        if slot < share:
            return state
        slot -= share
    raise AssertionError


def _create_proposals():
    import datetime

    from django.utils import timezone
    from metrics_pages import _address

    from accounts.platforms import Platform
    from checklist.models import Proposal
    from checklist.tests.factories import current_template

    template = current_template()
    staff, units = _staff(), _units()
    platforms = [p for p in Platform if p != Platform.OTHER]
    now = timezone.now()
    proposals = []
    for n in range(PROPOSALS):
        state = _state(n)
        platform = platforms[(n // UNITS) % len(platforms)]
        # Submitted 1 to 700 days ago; those waiting now mostly in the last weeks.
        age = 1 + (n * 7) % (30 if state in {"awaiting_unit_head", "in_review"} else 700)
        proposals.append(
            Proposal(
                template=template,
                submitter=staff[(n * 3) % STAFF],
                state=state,
                unit=units[n % UNITS],
                platform=platform,
                name=f"{units[n % UNITS].name} proposal {n}",
                profile=_address(platform, 200_000 + n),
                proposed_owner=staff[(n * 3) % STAFF],
                proposed_deputy=staff[(n * 3 + 1) % STAFF] if n % 5 else None,
                languages="English, Swedish",
                submitted_at=None if state == "draft" else now - datetime.timedelta(days=age),
            )
        )
    Proposal.objects.bulk_create(proposals, batch_size=BATCH)


def _create_channels():
    """The channels with bulk_create (their addresses parsed as the forms do, so that
    "is this official?" finds them); the roles, answers, goals and transitions follow
    in FILL_SQL."""
    import datetime

    from django.utils import timezone
    from metrics_pages import _address

    from accounts.models import Channel, name_key
    from accounts.platforms import Platform, parse_profile
    from checklist.models import Proposal

    units = _units()
    platforms = list(Platform)
    today = timezone.localdate()
    approved = list(
        Proposal.objects.filter(state="approved").order_by("pk").values_list("pk", flat=True)
    )
    topics = ["News", "Library", "Students", "Research", "Alumni", "Events", "Outreach"]
    statuses = ["active"] * 16 + ["dormant"] * 2 + ["planned", "closed"]
    for first in range(0, CHANNELS, BATCH):
        channels = []
        for n in range(first, min(first + BATCH, CHANNELS)):
            platform = platforms[n % len(platforms)]
            profile = parse_profile(platform, _address(platform, n))
            name = f"{units[n % UNITS].name} {topics[n % len(topics)]} {n}"
            # Unit and platform follow n % 20 and n % 11; status, listing and origin
            # follow n // 20, so that every unit has its share of each.
            k = n // UNITS
            status = statuses[(k * 7) % len(statuses)]
            channels.append(
                Channel(
                    name=name,
                    name_key=name_key(name),  # save() keeps it; bulk_create does not
                    platform=platform,
                    profile_url=profile.url,
                    handle=profile.handle,
                    unit=units[n % UNITS],
                    status=status,
                    is_public=k % 10 != 3,
                    purpose="What the unit does, for its audience.",
                    languages="English",
                    approved_on=today - datetime.timedelta(days=400 + n % 700),
                    opened_on=today - datetime.timedelta(days=390 + n % 700),
                    closed_on=today - datetime.timedelta(days=n % 300)
                    if status == "closed"
                    else None,
                    recertification_due_on=today + datetime.timedelta(days=n % 420 - 30),
                    origin_proposal_id=approved[(k // 16) * UNITS + n % UNITS]
                    if k % 16 == 0 and (k // 16) * UNITS + n % UNITS < len(approved)
                    else None,
                )
            )
        Channel.objects.bulk_create(channels)


# The rest on the server, in one transaction with the above: each channel's owner (a
# staff member) and, for 85 %, a deputy; every submitted proposal's answers to every
# item, one or two goals, and its transitions up to its state.
FILL_SQL = [
    """
    WITH staff AS (
        SELECT id, (row_number() OVER (ORDER BY username) - 1)::int AS k
        FROM auth_user WHERE username LIKE 'bench-staff-%'
    ), channels AS (
        SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n FROM accounts_channel
    )
    INSERT INTO accounts_channelrole (channel_id, user_id, kind, started_at, ended_at)
    SELECT c.id, s.id, r.kind, now() - interval '400 days', NULL
    FROM channels c
    CROSS JOIN (VALUES ('owner', 0), ('deputy', 1)) AS r(kind, shift)
    JOIN staff s ON s.k = (c.n * 7 + r.shift * 13) % 2000
    WHERE r.kind = 'owner' OR c.n % 20 >= 3
    """,
    """
    INSERT INTO checklist_answer (proposal_id, item_id, text)
    SELECT p.id, i.id, 'How ' || p.name || ' answers "' || i.title || '": we post twice '
        || 'a week, the unit''s press officer moderates comments within a working day, '
        || 'and the account is kept in the unit''s password manager.'
    FROM checklist_proposal p
    JOIN checklist_checklistitem i ON i.template_id = p.template_id
    WHERE p.state <> 'draft' OR p.id % 2 = 0
    """,
    """
    INSERT INTO checklist_goal (proposal_id, metric, target_value, target_date)
    SELECT p.id, g.metric, g.target, current_date + (60 + p.id % 300)::int
    FROM checklist_proposal p
    CROSS JOIN (VALUES ('followers', 1000), ('posts_per_week', 3)) AS g(metric, target)
    WHERE g.metric = 'followers' OR p.id % 2 = 0
    """,
    # Submitted, then endorsed by the unit head (all but those still waiting for it and
    # the withdrawn ones), then decided.
    """
    INSERT INTO checklist_transition
        (proposal_id, actor_id, action, from_state, to_state, comment, payload, at)
    SELECT p.id, p.submitter_id, 'proposal.submitted', 'draft', 'awaiting_unit_head', '',
        '{}'::jsonb, p.submitted_at
    FROM checklist_proposal p WHERE p.state <> 'draft'
    """,
    """
    INSERT INTO checklist_transition
        (proposal_id, actor_id, action, from_state, to_state, comment, payload, at)
    SELECT p.id, u.head_id, 'proposal.endorsed', 'awaiting_unit_head', 'in_review',
        'Fits the unit''s plan.', '{}'::jsonb, p.submitted_at + interval '2 days'
    FROM checklist_proposal p JOIN accounts_unit u ON u.id = p.unit_id
    WHERE p.state IN ('in_review', 'approved', 'rejected', 'changes_requested')
    """,
    """
    INSERT INTO checklist_transition
        (proposal_id, actor_id, action, from_state, to_state, comment, payload, at)
    SELECT p.id, (SELECT min(id) FROM auth_user WHERE username LIKE 'bench-comms-%'),
        CASE p.state WHEN 'approved' THEN 'proposal.approved'
            WHEN 'rejected' THEN 'proposal.rejected'
            WHEN 'withdrawn' THEN 'proposal.withdrawn'
            ELSE 'proposal.changes_requested' END,
        CASE p.state WHEN 'withdrawn' THEN 'awaiting_unit_head' ELSE 'in_review' END,
        p.state, 'Decided at the review meeting.', '{}'::jsonb,
        p.submitted_at + interval '9 days'
    FROM checklist_proposal p
    WHERE p.state IN ('approved', 'rejected', 'withdrawn', 'changes_requested')
    """,
]


def fill_snapshots(days, timings):
    """--days days of figures up to today for every channel (metrics_pages' generator)."""
    import datetime

    from django.db import connection
    from django.utils import timezone
    from metrics_pages import SNAPSHOTS_SQL

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
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            # n * 104729 passes the integer range beyond 20,000 channels.
            SNAPSHOTS_SQL.replace("(n * 104729)", "(n::bigint * 104729)"),
            {"first": first, "from_day": from_day, "to_day": (today - first).days},
        )
        written = cursor.rowcount
        cursor.execute("VACUUM ANALYZE metrics_snapshot")
    timings["snapshots"] = time.perf_counter() - started
    print(f"Wrote {written:,} snapshots in {timings['snapshots']:.1f} s.", flush=True)


def refresh_summaries(timings):
    """Every channel's summary, unless they are current."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Channel
    from metrics.models import ChannelSummary

    today = timezone.localdate()
    if ChannelSummary.objects.filter(as_of=today).count() == CHANNELS:
        print("The summaries are current.", flush=True)
        return
    print("Refreshing every channel's summary…", flush=True)
    started = time.perf_counter()
    ChannelSummary.objects.refresh(Channel.objects.all(), today=today)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE metrics_channelsummary")
    timings["summaries"] = time.perf_counter() - started
    print(f"Refreshed {CHANNELS:,} summaries in {timings['summaries']:.1f} s.", flush=True)


# --- The people signed in, and what they visit -------------------------------------------


def sign_in_and_plan():
    """Sessions for 20 staff, every unit head and the office, written as Django's login
    writes them; with the ids each of them visits. Returns the plan for locustfile.py."""
    from django.conf import settings
    from django.test import Client

    from accounts.models import Channel, Unit
    from checklist.models import Proposal

    def session(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    staff = [user for user in _staff()[:200] if Proposal.objects.filter(submitter=user).exists()][
        :20
    ]
    people = {"staff": [], "heads": [], "reviewers": []}
    for user in staff:
        people["staff"].append(
            {
                "user": user.username,
                "session": session(user),
                "proposals": list(
                    Proposal.objects.filter(submitter=user).values_list("pk", flat=True)
                ),
            }
        )
    for unit in Unit.objects.exclude(name=ROOT_UNIT).select_related("head"):
        waiting = list(
            Proposal.objects.filter(unit=unit, state="awaiting_unit_head")
            .exclude(submitter=unit.head)
            .values_list("pk", flat=True)
        )
        people["heads"].append(
            {
                "user": unit.head.username,
                "session": session(unit.head),
                "unit": unit.pk,
                "proposals": waiting,
            }
        )
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__startswith="bench-comms-"):
        people["reviewers"].append({"user": user.username, "session": session(user)})
    channels = list(Channel.objects.order_by("?").values_list("pk", "profile_url", "status")[:2000])
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "people": people,
        "channels": [pk for pk, _url, _status in channels],
        "in_review": list(Proposal.objects.filter(state="in_review").values_list("pk", flat=True)),
        # Mostly official addresses, some that are not (closed, or never registered).
        "verify_urls": [url for _pk, url, _status in channels[:300]]
        + [f"https://mastodon.social/@not{n}" for n in range(30)],
    }


def measure_pages(plan, runs=10):
    """Each page of the mix, in this process with Django's test client (no server, no
    network): the median of ``runs`` requests, the Python CPU time of the fastest, and
    the queries of one more request with their time as Django measures it. The CPU
    time is what a gunicorn worker spends on the page, the SQL time roughly what
    PostgreSQL does: on 2 cores the two together bound the requests per second."""
    import statistics

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    people = plan["people"]
    staff, head, reviewer = people["staff"][0], people["heads"][0], people["reviewers"][0]
    channel = plan["channels"][0]
    pages = [
        (None, "/directory/"),
        (None, "/directory/?q=library"),
        (None, "/directory/?page=5"),
        (None, f"/directory/verify/?url={plan['verify_urls'][0]}"),
        (staff, "/registry/"),
        (staff, "/registry/?q=library&platform=instagram"),
        (staff, "/registry/?sort=platform&page=10"),
        (staff, f"/registry/{channel}/"),
        (staff, "/proposals/"),
        (staff, f"/proposals/{staff['proposals'][0]}/"),
        (head, "/review/"),
        (head, f"/proposals/{head['proposals'][0]}/"),
        (head, f"/metrics/units/{head['unit']}/report/"),
        (head, "/metrics/"),
        (reviewer, "/review/"),
        (reviewer, f"/proposals/{plan['in_review'][0]}/"),
        (reviewer, "/metrics/"),
        (reviewer, "/metrics/?sort=-followers&platform=mastodon"),
        (reviewer, f"/metrics/channels/{channel}/"),
    ]
    clients = {}
    print(f"\nEach page in this process, {runs} requests; machine load {machine_load()}.")
    print(f"{'page':<48}{'who':<17}{'median ms':>10}{'CPU ms':>8}{'queries':>8}{'SQL ms':>8}")
    for person, url in pages:
        who = person["user"] if person else "anonymous"
        if who not in clients:
            clients[who] = Client()
            if person:
                clients[who].force_login(get_user_model().objects.get(username=who))
        client = clients[who]
        status = client.get(url).status_code
        timings, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql = sum(float(query["time"]) for query in queries) * 1000
        figures = (
            f"{statistics.median(timings):>10.0f}{min(cpu):>8.0f}{len(queries):>8}{sql:>8.0f}"
            if status == 200
            else f"{'HTTP ' + str(status):>10}"
        )
        print(f"{url[:47]:<48}{who:<17}{figures}")


# --- The measurement ---------------------------------------------------------------------


def start(command, *, env=None, log=None):
    """A process of our own, in its own process group (stopped with its children)."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        start_new_session=True,
    )
    _started.append(process)
    return process


def stop(process):
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
    if process in _started:
        _started.remove(process)


def stop_all():
    for process in list(_started):
        stop(process)


class LoadSampler:
    """While the load runs, every 2 seconds: the machine's 1-minute load average, and
    the CPU time of the server (gunicorn's process group), of the bench database's
    PostgreSQL backends and of locust, read from /proc. The CPU time per request does
    not depend on what else the machine runs, unlike the times locust measures."""

    TICKS = os.sysconf("SC_CLK_TCK")

    def __init__(self, server_group, skip=0):
        self.server_group = server_group
        # The CPU time counts from ``skip`` seconds on (the ramp-up the figures leave
        # out), to the nearest sample.
        self.skip_until = time.monotonic() + skip
        self.locust_group = None
        self.samples = []
        self.first, self.last = {}, {}  # (part, pid) -> CPU seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self):
        ticks = 0
        while not self._stop.wait(2):
            self._sample()
            ticks += 1
            if ticks % 3 == 0:
                self.samples.append(os.getloadavg()[0])

    def _sample(self):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                part = None
                if int(fields[2]) == self.server_group:
                    part = "gunicorn"
                elif self.locust_group and int(fields[2]) == self.locust_group:
                    part = "locust"
                else:
                    with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                        title = f.read()  # "postgres: 15/main: postgres <database> ..."
                    if title.startswith(b"postgres: ") and f" {DATABASE} ".encode() in title:
                        part = "postgresql"
                if part:
                    seconds = (int(fields[11]) + int(fields[12])) / self.TICKS
                    if time.monotonic() < self.skip_until:
                        self.first[(part, entry.name)] = seconds
                    self.first.setdefault((part, entry.name), seconds)
                    self.last[(part, entry.name)] = seconds
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile

    def cpu_seconds(self):
        """CPU seconds per part during the run; a process that started during it counts
        from its first sample (a backend's first request is missed, ~ms)."""
        spent = {"gunicorn": 0.0, "postgresql": 0.0, "locust": 0.0}
        for key, last in self.last.items():
            spent[key[0]] += last - self.first[key]
        return spent

    def describe(self):
        if not self.samples:
            return "n/a"
        return f"mean {sum(self.samples) / len(self.samples):.1f}, max {max(self.samples):.1f}"


def machine_load():
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def measure(server, args, environment, plan, plan_path):
    label = server["label"]
    print(f"\n=== gunicorn {label}; machine load (1, 5, 15 min): {machine_load()}", flush=True)
    server_log = open(WORK_DIR / f"gunicorn-{label.replace(':', '-')}.log", "w")  # noqa: SIM115
    env = {**os.environ, **environment}
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--worker-class",
        server["class"],
        "--workers",
        str(server["workers"]),
        "--threads",
        str(server["threads"]),
        "--timeout",
        "60",
        "--access-logfile",
        "-" if os.environ.get("LOAD_ACCESS_LOG") else "/dev/null",
    ]
    gunicorn = start(command, env=env, log=server_log)
    base = f"http://127.0.0.1:{args.port}"
    wait_until_up(base, gunicorn)
    started = time.perf_counter()
    warm_up(base, plan)
    print(f"Warmed up every page in {time.perf_counter() - started:.1f} s.", flush=True)
    prefix = WORK_DIR / f"locust-{label.replace(':', '-')}"
    locust_command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "--run-time",
        f"{args.run_time}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        # The figures of the steady state: from when every user has started (the
        # ramp-up's burst of new users on processes that have not served each page
        # yet is left out), unless --include-ramp-up.
        *([] if args.include_ramp_up else ["--reset-stats"]),
    ]
    locust_env = {**os.environ, "LOAD_PLAN": str(plan_path), "LOAD_USER_RATE": str(args.user_rate)}
    load_before = machine_load()
    locust_log = open(WORK_DIR / f"locust-{label.replace(':', '-')}.log", "w")  # noqa: SIM115
    ramp_up = 0 if args.include_ramp_up else args.users / args.spawn_rate
    with LoadSampler(server_group=gunicorn.pid, skip=ramp_up) as sampler:
        locust = start(locust_command, env=locust_env, log=locust_log)
        sampler.locust_group = locust.pid
        try:
            locust.wait(timeout=args.run_time + 60)
        except subprocess.TimeoutExpired:
            print("locust did not finish in time; stopped.", file=sys.stderr)
        stop(locust)
    stop(gunicorn)
    server_log.close()
    locust_log.close()
    rows = read_stats(f"{prefix}_stats.csv")
    result = {
        "server": server,
        "rows": rows,
        "load_before": load_before,
        "load_during": sampler.describe(),
        "load_after": machine_load(),
        "cpu": sampler.cpu_seconds(),
    }
    total = rows.get("Aggregated")
    result["met"] = bool(
        total
        and total["failures"] == 0
        and total["p95"] < TARGET_P95_MS
        and total["rps"] >= TARGET_RPS
    )
    print_table(result, args)
    return result


def wait_until_up(base, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with status {process.returncode}; see {WORK_DIR}.")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # nosec B310  # http://127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer within {timeout} s.")


def warm_up(base, plan):
    """Every page of the mix once per person (the unit reports and the portfolio fill the
    cache; each worker opens its database connection), as a server that has been up a
    while. A page that does not answer 200 stops the benchmark: the mix is broken."""
    cookie = plan["cookie_name"]
    pages = [(None, "/directory/"), (None, "/directory/?q=library")]
    pages.append((None, f"/directory/verify/?url={plan['verify_urls'][0]}"))
    for person in plan["people"]["staff"][:3]:
        pages += [(person, "/registry/"), (person, "/registry/?q=library&platform=instagram")]
        pages += [(person, f"/registry/{plan['channels'][0]}/"), (person, "/proposals/")]
    for person in plan["people"]["heads"]:
        pages += [(person, "/review/"), (person, f"/metrics/units/{person['unit']}/report/")]
        pages += [(person, "/metrics/")]
    for person in plan["people"]["reviewers"][:1]:
        pages += [(person, "/review/"), (person, "/metrics/")]
        pages += [(person, f"/metrics/channels/{plan['channels'][0]}/")]

    def fetch(page):
        person, path = page
        request = urllib.request.Request(base + path)
        if person:
            request.add_header("Cookie", f"{cookie}={person['session']}")
        with urllib.request.urlopen(request, timeout=180) as response:  # nosec B310  # http://127.0.0.1
            if response.status != 200 or response.url != base + path:
                return f"Warming up: {path} answered {response.status} at {response.url}."
        return None

    # Four at a time: the cold unit reports take seconds each.
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        problems = [problem for problem in pool.map(fetch, pages) if problem]
    if problems:
        sys.exit(problems[0])


def read_stats(path):
    """locust's *_stats.csv: per name, its count, failures, requests/s and percentiles."""
    rows = {}
    with open(path, newline="", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "median": _number(row["50%"]),
                "p95": _number(row["95%"]),
                "p99": _number(row["99%"]),
                "max": _number(row["Max Response Time"]),
            }
    return rows


def _number(text):
    return float(text) if text not in {"", "N/A"} else float("nan")


def print_table(result, args):
    server = result["server"]
    print(
        f"\ngunicorn {server['class']}, {server['workers']} workers x {server['threads']} "
        f"threads; {args.users} users, at most {args.user_rate:g} pages/s each, "
        f"{args.run_time} s (ramp-up {args.users / args.spawn_rate:.0f} s "
        f"{'included' if args.include_ramp_up else 'left out of the figures'})."
    )
    print(
        f"Machine load (1 min): before {result['load_before'].split(',')[0]}, during "
        f"{result['load_during']}, after {result['load_after'].split(',')[0]}; "
        f"{os.cpu_count()} CPUs."
    )
    print(
        f"\n{'page':<36}{'requests':>9}{'req/s':>8}{'median':>8}{'p95':>8}{'p99':>8}"
        f"{'max':>8}{'errors':>8}"
    )
    rows = result["rows"]
    for name in sorted(rows, key=lambda name: (name == "Aggregated", name)):
        row = rows[name]
        if name == "Aggregated":
            print("-" * 93)
            name = "total"
        print(
            f"{name[:35]:<36}{row['count']:>9,}{row['rps']:>8.1f}{row['median']:>8.0f}"
            f"{row['p95']:>8.0f}{row['p99']:>8.0f}{row['max']:>8.0f}{row['failures']:>8}"
        )
    print("(times in ms)")
    total = rows.get("Aggregated")
    if total and total["count"]:
        cpu = result["cpu"]
        per_request = {part: seconds * 1000 / total["count"] for part, seconds in cpu.items()}
        serving = per_request["gunicorn"] + per_request["postgresql"]
        print(
            f"CPU per request: gunicorn {per_request['gunicorn']:.1f} ms, PostgreSQL "
            f"{per_request['postgresql']:.1f} ms (locust {per_request['locust']:.1f} ms); "
            f"so {os.cpu_count()} idle cores would serve at most "
            f"{os.cpu_count() * 1000 / (serving + per_request['locust']):.0f} req/s with "
            f"locust on the same machine."
        )
        result["ceiling"] = os.cpu_count() * 1000 / (serving + per_request["locust"])
    if total:
        verdict = "MET" if result["met"] else "NOT met"
        print(
            f"Target (no errors, p95 < {TARGET_P95_MS} ms, >= {TARGET_RPS} req/s): {verdict} "
            f"({total['failures']} errors, p95 {total['p95']:.0f} ms, {total['rps']:.1f} req/s)."
        )
    failures = WORK_DIR / f"locust-{server['label'].replace(':', '-')}_failures.csv"
    if total and total["failures"] and failures.exists():
        print(f"Errors: {failures}")
        print(failures.read_text(encoding="utf-8")[:2000])


def print_summary(results, args, timings):
    import platform

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    for key, what in [
        ("registry", "creating the channels, proposals and people"),
        ("snapshots", f"writing {args.days} days of snapshots"),
        ("summaries", "refreshing every summary"),
    ]:
        if key in timings:
            print(f"  {what}: {timings[key]:.1f} s")
    print(
        f"\nPostgreSQL {version.split()[0]}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs. Summary:"
    )
    print(
        f"{'server':<16}{'req/s':>8}{'median':>8}{'p95':>8}{'p99':>8}{'errors':>8}"
        f"{'ceiling':>9}  load during"
    )
    for result in results:
        total = result["rows"].get("Aggregated")
        if total:
            print(
                f"{result['server']['label']:<16}{total['rps']:>8.1f}{total['median']:>8.0f}"
                f"{total['p95']:>8.0f}{total['p99']:>8.0f}{total['failures']:>8}"
                f"{result.get('ceiling', float('nan')):>9.0f}  {result['load_during']}"
            )


if __name__ == "__main__":
    sys.exit(main())
