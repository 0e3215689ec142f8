"""The people every test talks about, as named fixtures (the personas of
shared/DESIGN.md's roles table, defined once in portal/tests/factories.py), what they
work on, and test-wide settings."""

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import settings as hypothesis_settings

from checklist.tests.factories import make_proposal
from guidelines.tests.factories import make_guideline
from portal.celery import app as celery_app
from portal.tests.factories import make_channel, make_persona, make_unit

# Property-based tests: 50 fixed examples each ("ci", the default: the same every run,
# nothing written to disk); HYPOTHESIS_PROFILE=explore for a long random exploration.
hypothesis_settings.register_profile(
    "ci", max_examples=50, deadline=None, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.register_profile("explore", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- Parallel runs (pytest-xdist, `make test`) ---------------------------------------


def pytest_configure(config):
    """Under pytest-xdist each worker is a process with a test database of its own
    (pytest-django names it after the worker). What else the suite shares is given to
    each worker here: its own Redis database for the broker and the limiter, its own
    folders for the embedded broker, and its own database for the limiter's and the
    cache's Redis tests (which empty theirs), so that no worker takes another's tasks,
    request slots or keys. The environment is updated too, for the worker processes
    the tests start."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw"):
        _keep_to_worker(int(worker.removeprefix("gw")))


def _keep_to_worker(index):
    from django.conf import settings

    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        own = _redis_database(broker, index, upwards=True)
        if broker == settings.METRICS_LIMITER_URL:
            settings.METRICS_LIMITER_URL = own
        settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"] = own
        celery_app.conf.broker_url = own
    elif broker.startswith("filesystem://"):
        options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS}
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            folder = Path(options[key]).with_name(f"{Path(options[key]).name}-gw{index}")
            folder.mkdir(parents=True, exist_ok=True)
            options[key] = str(folder)
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
        celery_app.conf.broker_transport_options = options
    tests_redis = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ["PORTAL_TEST_REDIS_URL"] = _redis_database(tests_redis, index, upwards=False)


def _redis_database(url, index, *, upwards):
    """``url`` with its database number moved by ``index``: up from the broker's (0, 1,
    ... in CI), down from the tests' own (15, 14, ...), so that the two never meet."""
    base, _, number = url.rpartition("/")
    if not (number.isascii() and number.isdigit()):
        base, number = url.rstrip("/"), "0"
    moved = int(number) + index if upwards else int(number) - index
    return f"{base}/{moved % 16}"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing cost is irrelevant to what the tests check and slows every login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, cached counts)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another language leaves
    it active in the thread (LocaleMiddleware does not switch back), and a later test
    would see Swedish where it expects English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


def _end_workers_connections():
    """A worker thread (``start_worker``) keeps its own database connection, and a killed
    worker's lingers until PostgreSQL notices: end them, so that the test database can be
    dropped at the end of the run."""
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(scope="session", autouse=True)
def _drop_lingering_connections(django_db_setup, django_db_blocker):
    """Whatever connection a thread or a child process still holds at the end of the run
    (a live server's, a worker's) is ended before the test database is dropped. A run
    whose tests use no database has none (pytest-django creates it only when needed)."""
    yield
    if connection.vendor == "postgresql" and connection.settings_dict["NAME"].startswith("test_"):
        with django_db_blocker.unblock():
            connection.close()  # a fault test may have ended this one too
            connection.ensure_connection()
            _end_workers_connections()


@pytest.fixture(autouse=True)
def _celery_eager(request, django_db_blocker):
    """Tasks run at once, in the test's process, unless the test is marked real_celery
    (those send them through the broker to a real worker)."""
    if request.node.get_closest_marker("real_celery"):
        yield
        # Also after a real-Celery test without the database: a connection an earlier
        # test (or a module's fixture) left open would otherwise be refused here.
        with django_db_blocker.unblock():
            _end_workers_connections()
        return
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_eager_propagates = False


# --- The personas (portal/tests/factories.py's PERSONAS) and their unit ------------


@pytest.fixture
def unit_head(db):
    return make_persona("unit_head")


@pytest.fixture
def unit(unit_head):
    return make_unit(name="School of Engineering", head=unit_head)


@pytest.fixture
def submitter(db):
    """A staff member who proposes an account for ``unit``."""
    return make_persona("submitter")


@pytest.fixture
def colleague(db):
    """Another staff member of the same unit."""
    return make_persona("colleague")


@pytest.fixture
def deputy(db):
    """A staff member who deputises for ``channel``."""
    return make_persona("deputy")


@pytest.fixture
def outsider(db):
    """A staff member with no relation to the unit or its proposals."""
    return make_persona("outsider")


@pytest.fixture
def reviewer(db):
    """A member of the communications office."""
    return make_persona("reviewer")


@pytest.fixture
def portal_admin(db):
    """A portal administrator (by group, not by the superuser flag)."""
    return make_persona("portal_admin")


@pytest.fixture
def inactive_user(db):
    return make_persona("inactive_user")


@pytest.fixture
def submitter_client(client, submitter):
    """The test client, signed in as ``submitter``."""
    client.force_login(submitter)
    return client


@pytest.fixture
def portal_admin_client(client, portal_admin):
    """The test client, signed in as ``portal_admin`` (pytest-django's ``admin_client``
    is a superuser's: the portal's administrators are not superusers)."""
    client.force_login(portal_admin)
    return client


# --- What they work on ---------------------------------------------------------------


@pytest.fixture
def channel(unit, submitter, deputy):
    """The unit's running channel: ``submitter`` owns it, ``deputy`` deputises."""
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        name="Engineering news",
        handle="eng.news",
        credentials_location="Vault: Social/Instagram/Engineering",
    )


@pytest.fixture
def in_review(submitter, unit, unit_head, colleague):
    """A complete proposal, endorsed by the unit head, in the office's review."""
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True)
    proposal.proposed_deputy = colleague
    proposal.save()
    proposal.submit(by=submitter)
    proposal.endorse(by=unit_head)
    return proposal


@pytest.fixture
def guideline(reviewer):
    """The office's "Tone of voice" guideline (/guidelines/tone-of-voice/), version 1
    (guidelines/tests/factories.py's GUIDELINE_TITLE, _SUMMARY and _BODY)."""
    return make_guideline(by=reviewer)


# --- Browser tests -------------------------------------------------------------------
# Playwright drives Debian's Chromium (the browser Playwright would download cannot be
# fetched here). Where Chromium is missing the browser tests are skipped, except when
# PORTAL_REQUIRE_BROWSER is set (as .ci/run does): there they fail.

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make around it are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _watch(tab, failed):
    """Record in ``failed`` every request of ``tab`` that failed: any 5xx, any 4xx
    except the answer to a form post (an invalid form answers 400), and any request
    that got no answer, except those the browser aborted on leaving the page."""

    def check(response):
        form_refused = response.request.method == "POST" and response.status < 500
        if response.status >= 400 and not form_refused:
            failed.append(f"{response.status} {response.request.method} {response.url}")

    tab.on("response", check)

    def broke(request):
        # A request the browser itself gave up because the page moved on (a favicon
        # still loading when a link was followed) is not a failure of the portal.
        if request.failure != "net::ERR_ABORTED":
            failed.append(f"failed {request.url} ({request.failure})")

    tab.on("requestfailed", broke)


@pytest.fixture
def demo_data(transactional_db, settings):
    """The demo organisation (``seed_demo``): its people sign in with the password "demo"
    (portal/tests/browser.py's sign_in)."""
    settings.DEBUG = True  # seed_demo refuses to run with DEBUG off
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server. Fails the test if a request failed: any
    5xx, and any 4xx except the answer to a form post (an invalid form answers 400)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = context.new_page()
    failed = []
    _watch(tab, failed)
    yield tab
    context.close()
    assert failed == [], "requests failed while the page was used"


@pytest.fixture
def new_page(browser, live_server):
    """Opens a tab in a browser context of its own, one per person: cookies (and so
    sign-ins) are not shared. Fails the test like ``page`` if a request failed."""
    contexts = []
    failed = []

    def open_page(locale="en-GB"):
        context = browser.new_context(base_url=live_server.url, locale=locale)
        contexts.append(context)
        tab = context.new_page()
        _watch(tab, failed)
        return tab

    yield open_page
    for context in contexts:
        context.close()
    assert failed == [], "requests failed while the pages were used"


# --- Screenshots of browser tests, kept when the test fails ----------------------------

BROWSER_ARTIFACTS = Path(__file__).resolve().parent / "var" / "browser-artifacts"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that fixtures can tell at teardown
    whether the test failed (``item.failed_phases``)."""
    report = yield
    if report.failed:
        item.failed_phases = getattr(item, "failed_phases", set()) | {report.when}
    return report


@pytest.fixture
def screenshots(request):
    """``screenshots(page, "step")`` takes a full-page screenshot after a named step. When
    the test fails they are written to var/browser-artifacts/<test>/NN-<step>.png, with a
    last one of each open page; when it passes nothing is left behind."""
    folder = BROWSER_ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)  # what an earlier failed run left
    taken = []
    pages = []

    def take(page, step):
        taken.append((step, page.screenshot(full_page=True)))
        if page not in pages:
            pages.append(page)

    yield take
    if not getattr(request.node, "failed_phases", set()) & {"setup", "call"}:
        return
    for number, page in enumerate(pages, start=1):
        if not page.is_closed():
            # A crashed page must not hide the test's own failure.
            with contextlib.suppress(Exception):
                taken.append((f"at-failure-page-{number}", page.screenshot(full_page=True)))
    folder.mkdir(parents=True, exist_ok=True)
    for number, (step, png) in enumerate(taken, start=1):
        name = re.sub(r"[^\w.-]+", "-", step)
        (folder / f"{number:02d}-{name}.png").write_bytes(png)
