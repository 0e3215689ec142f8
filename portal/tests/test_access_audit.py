"""The access audit: sign-ins, sign-outs, failed sign-ins and refused requests are
written down, and only portal administrators read them, in the admin, read-only."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AccessDenial
from portal.tests.factories import PASSWORD

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_in(client, username, password):
    return client.post(
        "/login/",
        {"login": username, "password": password},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT=BROWSER,
    )


def test_a_sign_in_and_its_sign_out_are_recorded(client, submitter, clock):
    sign_in(client, "submitter", PASSWORD)
    clock.shift(dt.timedelta(minutes=30))
    client.post("/logout/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT=BROWSER)

    rows = list(
        AccessLog.objects.values_list(
            "username", "ip_address", "user_agent", "attempt_time", "logout_time"
        )
    )
    assert rows == [
        ("submitter", "192.0.2.10", BROWSER, NOW, NOW + dt.timedelta(minutes=30)),
    ]


def test_a_failed_sign_in_is_recorded_with_the_username_tried(client, submitter):
    sign_in(client, "submiter", "a guess")

    rows = list(
        AccessFailureLog.objects.values_list(
            "username", "ip_address", "user_agent", "attempt_time", "locked_out"
        )
    )
    assert rows == [("submiter", "192.0.2.10", BROWSER, NOW, False)]
    assert AccessLog.objects.count() == 0


def test_a_refused_page_is_recorded_with_one_insert(client, submitter):
    client.force_login(submitter)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/login/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 403
    denial = AccessDenial.objects.get()
    assert (
        denial.reason,
        denial.user,
        denial.username,
        denial.method,
        denial.path,
        denial.ip_address,
        denial.user_agent,
        denial.at,
    ) == ("forbidden", submitter, "submitter", "GET", "/admin/login/", "192.0.2.10", BROWSER, NOW)
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert '"portal_accessdenial"' in inserts[0]


def test_a_refused_form_post_without_csrf_is_recorded(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"login": "someone", "password": "x"})
    assert response.status_code == 403
    assert list(AccessDenial.objects.values_list("reason", "username", "method", "path")) == [
        ("forbidden", "", "POST", "/login/")
    ]


def test_a_paused_sign_in_is_recorded_as_a_denial(client, submitter):
    for _ in range(5):
        sign_in(client, "submitter", "wrong")

    assert list(
        AccessDenial.objects.values_list("reason", "user", "username", "path", "ip_address")
    ) == [("locked_out", None, "submitter", "/login/", "192.0.2.10")]
    assert AccessFailureLog.objects.filter(locked_out=True).count() == 1


def test_allowed_and_missing_pages_are_not_denials(client, submitter):
    client.force_login(submitter)
    assert client.get("/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    assert AccessDenial.objects.count() == 0


def test_a_denial_is_never_changed_or_deleted(submitter):
    denial = AccessDenial.objects.create(reason="forbidden", method="GET", path="/admin/")
    with pytest.raises(TypeError):
        denial.save()
    with pytest.raises(TypeError):
        AccessDenial.objects.all().delete()


AUDIT_PAGES = [
    "/admin/portal/accessdenial/",
    "/admin/axes/accesslog/",
    "/admin/axes/accessfailurelog/",
    "/admin/axes/accessattempt/",
]


@pytest.mark.parametrize("page", AUDIT_PAGES)
def test_portal_admins_read_the_audit_in_the_admin(client, portal_admin, submitter, page):
    sign_in(client, "submitter", "wrong")
    client.force_login(submitter)
    client.get("/admin/login/")
    client.force_login(portal_admin)

    response = client.get(page)

    assert response.status_code == 200
    assert "submitter" in response.content.decode()


@pytest.mark.parametrize("persona", ["submitter", "reviewer", "unit_head"])
@pytest.mark.parametrize("page", AUDIT_PAGES)
def test_nobody_else_reads_the_audit(client, request, unit, persona, page):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(page, follow=True)
    assert response.status_code == 403


def test_the_audit_cannot_be_added_changed_or_deleted_in_the_admin(client, portal_admin):
    denial = AccessDenial.objects.create(reason="forbidden", method="GET", path="/admin/")
    client.force_login(portal_admin)

    assert client.get("/admin/portal/accessdenial/add/").status_code == 403
    assert client.get(f"/admin/portal/accessdenial/{denial.pk}/delete/").status_code == 403
    response = client.post(
        f"/admin/portal/accessdenial/{denial.pk}/change/", {"path": "/elsewhere/"}
    )
    assert response.status_code == 403
    response = client.post(
        "/admin/portal/accessdenial/",
        {"action": "delete_selected", "_selected_action": [denial.pk], "post": "yes"},
    )
    denial.refresh_from_db()
    assert denial.path == "/admin/"
    assert client.get("/admin/axes/accesslog/add/").status_code == 403


def test_a_portal_admin_lifts_a_lockout_by_deleting_the_attempt(client, portal_admin, submitter):
    for _ in range(5):
        sign_in(client, "submitter", "wrong")
    attempt = AccessAttempt.objects.get()
    client.force_login(portal_admin)

    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "submitter", PASSWORD).status_code == 302


# --- Retention -------------------------------------------------------------------------


def _audit_rows_at(clock, when, user):
    """One row of each of the audit's three tables, written at ``when`` (axes stamps
    its rows with the current time itself)."""
    clock.move_to(when)
    AccessDenial.objects.create(reason=AccessDenial.Reason.FORBIDDEN, method="GET", path="/")
    AccessLog.objects.create(username=user.username, ip_address="192.0.2.10", user_agent="")
    AccessFailureLog.objects.create(username=user.username, ip_address="192.0.2.10", user_agent="")
    clock.move_to(NOW)


def test_the_audit_forgets_rows_older_than_its_retention_and_keeps_the_rest(
    submitter, settings, clock
):
    from portal.tasks import prune_access_audit

    settings.PORTAL_ACCESS_AUDIT_RETENTION_DAYS = 30
    old = NOW - dt.timedelta(days=30, seconds=1)  # past the retention
    recent = NOW - dt.timedelta(days=29, hours=23)  # within it
    _audit_rows_at(clock, old, submitter)
    _audit_rows_at(clock, recent, submitter)

    assert prune_access_audit() == 3

    assert list(AccessDenial.objects.values_list("at", flat=True)) == [recent]
    assert list(AccessLog.objects.values_list("attempt_time", flat=True)) == [recent]
    assert list(AccessFailureLog.objects.values_list("attempt_time", flat=True)) == [recent]


def test_the_audit_is_still_never_deleted_by_hand(db):
    row = AccessDenial.objects.create(
        reason=AccessDenial.Reason.FORBIDDEN, method="GET", path="/review/"
    )
    with pytest.raises(TypeError):
        AccessDenial.objects.filter(pk=row.pk).delete()
    with pytest.raises(TypeError):
        row.delete()


def test_the_pruning_runs_every_week(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["portal-prune-access-audit"]
    assert entry["task"] == "portal.tasks.prune_access_audit"
    assert (entry["schedule"].day_of_week, entry["schedule"].hour) == ({0}, {4})
