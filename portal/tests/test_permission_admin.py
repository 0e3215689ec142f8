"""The Django admin in the permission matrix (shared/DESIGN.md: "Django admin: admin
only"): every admin URL of the walk, for every persona. Portal administrators get in;
everyone else is sent away (to sign in, or to the admin's login, which refuses them).

The admin persona's answer is decided by the kind of URL (ADMIN_PAGES, ADMIN_SITE), and
by the models that the admin keeps read-only or append-only (NO_ADD, NO_DELETE). A URL
that no rule covers fails test_every_admin_url_has_a_rule.
"""

import re
from urllib.parse import urlparse

import pytest
from django.apps import apps

from portal.tests.permission_world import PERSONAS
from portal.tests.urlwalk import all_urls

# The admin's own pages for the admin persona (GET, with the world's objects).
ADMIN_SITE = {
    "admin:index": 200,
    "admin:app_list": 200,
    "admin:login": 403,  # signed in already: it has no form of its own
    "admin:logout": 405,  # POST only
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:autocomplete": 403,  # without its parameters
    "admin:jsi18n": 200,
    "admin:view_on_site": 404,  # /admin/r/1/1/: no such object
    "<URLPattern '(?P<url>.*)$'>": 404,  # anything else under /admin/
}
# Per model page, by the URL name's ending.
ADMIN_PAGES = {"changelist": 200, "add": 200, "change": 200, "history": 200, "delete": 200}
SHORTCUT = "<URLPattern '<path:object_id>/'>"  # /admin/<app>/<model>/<id>/: to its change page
PASSWORD = "password_change"  # /admin/auth/user/<id>/password/

# Records that the registry's and the workflow's operations write (with their events,
# e-mails and checks) or that are append-only: the admin cannot add them.
NO_ADD = {
    "accounts.channel",
    # Written by the daily link checks (metrics/verification.py) only.
    "accounts.channelverification",
    "accounts.verificationcheck",
    "accounts.channelrole",
    "accounts.channelevent",
    "accounts.suspiciousaccountreport",
    "checklist.proposal",
    "checklist.transition",
    "checklist.itemcomment",
    "guidelines.guidelineversion",
    "guidelines.acknowledgement",
    "guidelines.sitenotice",
    "guidelines.noticerecipient",
    "guidelines.noticeacknowledgement",
    "metrics.collectionattempt",
    "metrics.collectionrun",
    "metrics.collectionrequest",
    "metrics.channeltoken",
    # Written by the collector and the daily warning; the admin only resumes collection.
    "metrics.apiversionstate",
    # Written by the impersonation watch's job only (lookalikes/admin.py).
    "lookalikes.searchrecord",
    "lookalikes.candidate",
    "lookalikes.watchdigest",
    # The access audit (portal/admin.py): written by sign-ins and refusals only.
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "portal.accessdenial",
    # The outbox (portal/models.py): written by the actions it sends for.
    "core.outboxmessage",
}
# History is kept: the admin cannot delete these.
NO_DELETE = {
    "accounts.channel",
    "accounts.channelverification",
    "accounts.verificationcheck",
    "accounts.channelrole",
    "accounts.channelevent",
    # Triaged in the portal, with a history (ReportEvent) that refers to it.
    "accounts.suspiciousaccountreport",
    "checklist.checklisttemplate",
    "checklist.proposal",
    "checklist.transition",
    "checklist.itemcomment",
    "guidelines.guideline",
    "guidelines.guidelineversion",
    "guidelines.acknowledgement",
    "guidelines.sitenotice",
    "guidelines.noticerecipient",
    "guidelines.noticeacknowledgement",
    "metrics.collectionattempt",
    "metrics.collectionrun",
    "metrics.collectionrequest",
    "metrics.apiversionstate",
    "lookalikes.searchrecord",
    "lookalikes.candidate",
    "lookalikes.watchdigest",
    # Pruned by its own job once delivered; a pending message is never dropped by hand.
    "core.outboxmessage",
    # The access audit is never deleted from the admin; only a lockout (an access
    # attempt) may be deleted, which lifts it early.
    "axes.accesslog",
    "axes.accessfailurelog",
    "portal.accessdenial",
}

MODEL_PATH = re.compile(r"^/admin/(?P<app>\w+)/(?P<model>\w+)/")
ADMIN_URLS = [(name, path) for name, path in all_urls() if (path or "").startswith("/admin/")]


def model_of(path):
    """'app.model' of a model page's path, or None for the admin's own pages."""
    match = MODEL_PATH.match(path)
    if match is None or match["app"] == "r":
        return None
    try:
        model = apps.get_model(match["app"], match["model"])
    except LookupError:  # /admin/auth/ (the app's list), /admin/1
        return None
    return model._meta.label_lower


def with_world_object(path, model):
    """``path`` with the sample id 1 replaced by the id of one of the world's rows, or
    None when the world has none (permission_world.py makes one of each of the portal's
    models; a model that another app brings may have none)."""
    row = apps.get_model(model).objects.order_by("pk").first()
    return None if row is None else path.replace("/1/", f"/{row.pk}/", 1)


def admin_expectation(name, path):
    """What the admin persona gets, or None when no rule decides."""
    if name in ADMIN_SITE:
        return ADMIN_SITE[name]
    model = model_of(path)
    if model is None:
        return None
    if name == SHORTCUT:
        return f"302 {path}change/"
    kind = name.rsplit("_", 1)[-1]
    if name.endswith(PASSWORD):
        kind = "change"
    if (kind == "add" and model in NO_ADD) or (kind == "delete" and model in NO_DELETE):
        return 403
    return ADMIN_PAGES.get(kind)


def sent_away(persona, name):
    """Everyone but the admin: anonymous visitors (and deactivated people, whose session
    is anonymous) to sign in, signed-in staff to the admin's login, which refuses them."""
    if persona in ("anonymous", "inactive_user"):
        return {"302 /login/", "302 /admin/login/"}
    if name == "admin:login":
        return {403}
    if name == "admin:logout":
        return {"302 /admin/"}
    return {"302 /admin/login/"}


def outcome(response):
    if response.status_code == 302:
        return f"302 {urlparse(response['Location']).path}"
    return response.status_code


def test_every_admin_url_has_a_rule():
    unruled = [name for name, path in ADMIN_URLS if admin_expectation(name, path) is None]
    assert unruled == [], (
        "No rule in portal/tests/test_permission_admin.py says what a portal admin gets "
        "on these admin URLs: add them to ADMIN_SITE (the admin's own pages) or their "
        "kind to ADMIN_PAGES, and the model to NO_ADD / NO_DELETE if the admin refuses it"
    )


def test_the_world_has_a_row_of_each_of_the_portal_s_models(world, db):
    portal_apps = {"accounts", "checklist", "guidelines", "metrics", "auth"}
    missing = [
        model
        for model in {model_of(path) for _name, path in ADMIN_URLS}
        if model
        and model.split(".")[0] in portal_apps
        and not apps.get_model(model).objects.exists()
    ]
    assert missing == []


def test_the_walk_covers_every_registered_model():
    from django.contrib import admin

    walked = {model_of(path) for _name, path in ADMIN_URLS}
    assert {model._meta.label_lower for model in admin.site._registry} <= walked


@pytest.mark.parametrize(("name", "path"), ADMIN_URLS, ids=[p for _n, p in ADMIN_URLS])
def test_only_portal_admins_get_into_the_django_admin(world, signed_in, db, name, path):
    model = model_of(path)
    expected = admin_expectation(name, path)
    if model is not None and "/1/" in path:
        path, sample = with_world_object(path, model), path
        # No such object: the admin says so and goes back to its index. The shortcut
        # forwards to the change page without looking, and a refused deletion is
        # refused before the admin looks.
        if path is None and name == SHORTCUT:
            expected = f"302 {sample}change/"
        elif path is None:
            expected = 403 if admin_expectation(name, sample) == 403 else "302 /admin/"
        else:
            expected = admin_expectation(name, path)
        path = path or sample
    wrong = {}
    for persona in PERSONAS:
        got = outcome(signed_in[persona].get(path))
        allowed = {expected} if persona == "portal_admin" else sent_away(persona, name)
        if got not in allowed:
            wrong[persona] = (got, allowed)
    assert wrong == {}, (
        f"{name} ({path}): (got, expected). If the admin refuses this on purpose, add "
        f"{model} to NO_ADD or NO_DELETE in portal/tests/test_permission_admin.py"
    )
