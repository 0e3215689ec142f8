"""State changes in the permission matrix: every POST action of the portal, for every
persona, on the objects that matter. Whoever may not act gets the matrix's answer and
NOTHING happens: no row of the portal's tables changes (no state change, no
Transition, ChannelEvent, comment, acknowledgement, snapshot or token), and no e-mail
is sent, not even after commit. Whoever may act passes the gate (the operation's own
checks may still refuse with a message, which other tests cover).

GET on these URLs answers 405 where they are POST-only: see test_permission_matrix.py.
"""

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal.tests.permission_world import PERSONAS
from portal.tests.test_permission_matrix import LOGIN, outcome, url_arguments

L = LOGIN
ACT = "act"  # may do it: passes the gate
OFFICE = (L, L, 403, 403, 403, 403, ACT, ACT)
RUNS_IT = (L, L, ACT, ACT, 403, 403, ACT, ACT)  # owner, deputy and the office
NOBODY = (L, L) + (403,) * 6
# What a permitted request may answer: the page again, a redirect, a refused form.
PASSED = {200, 204, 302, 400}


def edited(target):
    """The channel's edit form with a new name."""
    return lambda world: _channel_form(world.channels[target])


def _channel_form(channel):
    return {
        "name": f"{channel.name} renamed",
        "profile_url": channel.profile_url,
        "handle": channel.handle,
        "purpose": "Renamed.",
        "audience": channel.audience,
        "languages": channel.languages,
        "is_public": "on" if channel.is_public else "",
        "credentials_location": channel.credentials_location,
        "recovery_contact": channel.recovery_contact,
    }


def _today():
    return timezone.localdate().isoformat()


# (url name, object, action or None) -> (the form posted, the answer per persona)
# fmt: off
ACTIONS = {
    # --- accounts: registry operations ------------------------------------------------
    ("accounts:import", None, None): (lambda w: {}, OFFICE),  # the office: 400, no file
    # An upload is its uploader's: another member of the office finds nothing (404).
    ("accounts:import_confirm", "office_upload", None): (
        lambda w: {}, (L, L, 403, 403, 403, 403, ACT, 404)),
    ("accounts:import_cancel", "office_upload", None): (
        lambda w: {}, (L, L, 403, 403, 403, 403, ACT, 404)),
    ("accounts:register", None, None): (
        lambda w: {"name": "Zebra Mastodon", "platform": "mastodon",
                   "profile_url": "@zebra@mastodon.example", "unit": w.units["engineering"].pk,
                   "status": "active", "owner": "submitter"},
        OFFICE),
    ("accounts:edit", "own", None): (edited("own"), RUNS_IT),
    ("accounts:edit", "other_unit", None): (edited("other_unit"), OFFICE),
    ("accounts:edit", "closed", None): (edited("closed"), NOBODY),
    # The unit's head names a new owner too (asked to when the owner leaves).
    ("accounts:hand_over", "own", None): (lambda w: {"to": "outsider", "comment": "Moving."},
                                          (L, L, ACT, ACT, 403, ACT, ACT, ACT)),
    # Only the deputy takes over (here refused with a message: the owner is active).
    ("accounts:take_over", "own", None): (lambda w: {}, (L, L, 403, ACT, 403, 403, 403, 403)),
    ("accounts:take_over", "closed", None): (lambda w: {}, NOBODY),
    ("accounts:hand_over", "other_unit", None): (lambda w: {"to": "submitter"}, OFFICE),
    ("accounts:deputy", "own", None): (lambda w: {"to": "outsider"}, RUNS_IT),
    ("accounts:deputy", "other_unit", None): (lambda w: {"to": "submitter"}, OFFICE),
    ("accounts:recertify", "own", None): (
        lambda w: {"outcome": "change", "comment": "Needs a new logo."}, RUNS_IT),
    ("accounts:recertify", "other_unit", None): (
        lambda w: {"outcome": "change", "comment": "Needs a new logo."}, OFFICE),
    ("accounts:recertify", "closed", None): (
        lambda w: {"outcome": "change", "comment": "Again."}, NOBODY),
    # Closing is the office's, not the owner's.
    ("accounts:close", "own", None): (lambda w: {"reason": "Not needed.",
                                                  "closed_on": _today()}, OFFICE),
    ("accounts:close", "closed", None): (lambda w: {"reason": "Again."}, NOBODY),
    # --- accounts: the office's triage of suspicious accounts -------------------------
    ("accounts:report_decide", "report", None): (lambda w: {"outcome": "unfounded"}, OFFICE),
    ("accounts:report_note", "report", None): (lambda w: {"text": "Asked the unit."}, OFFICE),
    ("accounts:report_reopen", "report", None): (lambda w: {"note": "Again."}, OFFICE),
    # --- checklist: writing a proposal: the submitter, a draft or a returned one -------
    ("checklist:new", None, None): (lambda w: {"name": "Quince Proposal"}, (L, L) + (ACT,) * 6),
    ("checklist:edit", "changes", None): (
        lambda w: {"name": "Damson renamed"}, (L, L, ACT, 404, 404, 403, 403, 403)),
    ("checklist:edit", "in_review", None): (
        lambda w: {"name": "Cedar renamed"}, (L, L, 403, 404, 404, 403, 403, 403)),
    ("checklist:edit", "colleague_draft", None): (
        lambda w: {"name": "Holly renamed"}, (L, L, 404, ACT, 404, 404, 404, 404)),
    # --- checklist: decisions (each on a proposal in the state where it applies) -------
    # Endorse / return: the unit's head (and an admin standing in). Not the submitter,
    # not the office; another unit's head does not even see it (404).
    ("checklist:decide", "awaiting", "endorse"): (
        lambda w: {"comment": "Fine."}, (L, L, 403, 404, 404, ACT, 403, ACT)),
    ("checklist:decide", "awaiting", "request_changes"): (
        lambda w: {"comment": "More detail."}, (L, L, 403, 404, 404, ACT, 403, ACT)),
    ("checklist:decide", "headless_awaiting", "endorse"): (
        lambda w: {"comment": "Fine."}, (L, L, 404, 403, 404, ACT, 403, ACT)),
    ("checklist:decide", "former_head_awaiting", "endorse"): (
        lambda w: {"comment": "Fine."}, (L, L, 404, 403, 404, ACT, 403, ACT)),
    ("checklist:decide", "music_awaiting", "endorse"): (
        lambda w: {"comment": "Fine."}, (L, L, 404, 404, 404, 404, 403, ACT)),
    # Approve / reject / request changes in review: the office and admins; never the
    # submitter (own proposal), never the unit head.
    ("checklist:decide", "in_review", "approve"): (
        lambda w: {"comment": "Good."}, (L, L, 403, 404, 404, 403, ACT, ACT)),
    ("checklist:decide", "in_review", "reject"): (
        lambda w: {"comment": "No."}, (L, L, 403, 404, 404, 403, ACT, ACT)),
    ("checklist:decide", "in_review", "request_changes"): (
        lambda w: {"comment": "More."}, (L, L, 403, 404, 404, 403, ACT, ACT)),
    ("checklist:decide", "colleague_review", "approve"): (
        lambda w: {"comment": "Good."}, (L, L, 404, 403, 404, 403, ACT, ACT)),
    ("checklist:decide", "music_review", "approve"): (
        lambda w: {"comment": "Good."}, (L, L, 404, 404, 404, 404, ACT, ACT)),
    # Withdraw and resubmit: the submitter only.
    ("checklist:decide", "draft", "withdraw"): (
        lambda w: {}, (L, L, ACT, 404, 404, 404, 404, 404)),
    ("checklist:decide", "in_review", "withdraw"): (
        lambda w: {}, (L, L, ACT, 404, 404, 403, 403, 403)),
    ("checklist:decide", "colleague_review", "withdraw"): (
        lambda w: {}, (L, L, 404, ACT, 404, 403, 403, 403)),
    ("checklist:decide", "changes", "resubmit"): (
        lambda w: {}, (L, L, ACT, 404, 404, 403, 403, 403)),
    ("checklist:decide", "in_review", "frobnicate"): (  # no such action
        lambda w: {}, (L, L) + (404,) * 6),
    # Item comments and the review meeting: the reviewers, once in review.
    ("checklist:comment", "in_review", None): (
        lambda w: {"item": "need", "text": "Which need?"}, (L, L, 403, 404, 404, 403, ACT, ACT)),
    ("checklist:comment", "awaiting", None): (
        lambda w: {"item": "need", "text": "Too early."}, (L, L, 403, 404, 404, 403, 403, 403)),
    ("checklist:comment", "music_review", None): (
        lambda w: {"item": "need", "text": "Hm."}, (L, L, 404, 404, 404, 404, ACT, ACT)),
    ("checklist:meeting", "in_review", None): (
        lambda w: {"meeting_place": "Room 1", "meeting_at": "2030-01-01T10:00"},
        (L, L, 403, 404, 404, 403, ACT, ACT)),
    ("checklist:meeting", "music_review", None): (
        lambda w: {"meeting_place": "Room 1"}, (L, L, 404, 404, 404, 404, ACT, ACT)),
    # --- guidelines and notices: the office publishes; everyone acknowledges ----------
    ("guidelines:new", None, None): (
        lambda w: {"slug": "new-rules", "ordering": 1, "title": "New Rules",
                   "summary": "S.", "body": "B."}, OFFICE),
    ("guidelines:edit", "published", None): (
        lambda w: {"title": "Tone Guide", "summary": "S.", "body": "Changed.",
                   "change_note": "Changed."}, OFFICE),
    ("guidelines:edit", "unpublished", None): (
        lambda w: {"title": "Quiet Rules", "summary": "S.", "body": "B."}, OFFICE),
    ("guidelines:acknowledge", "published", None): (lambda w: {}, (L, L) + (ACT,) * 6),
    ("guidelines:acknowledge", "unpublished", None): (lambda w: {}, (L, L) + (404,) * 6),
    ("guidelines:notice_new", None, None): (
        lambda w: {"level": "info", "title": "New Notice", "body": "B."}, OFFICE),
    ("guidelines:notice_end", "current", None): (lambda w: {}, OFFICE),
    ("guidelines:notice_end", "scheduled", None): (lambda w: {}, OFFICE),  # 403 before 404
    ("guidelines:notice_acknowledge", "current", None): (lambda w: {}, (L, L) + (ACT,) * 6),
    ("guidelines:notice_acknowledge", "scheduled", None): (  # not started: the office's
        lambda w: {}, (L, L, 404, 404, 404, 404, ACT, ACT)),
    # --- metrics: the owner's token and figures ---------------------------------------
    ("metrics:token", "own_private", None): (
        lambda w: {"token": "EAAB-secret-token-value"}, RUNS_IT),
    ("metrics:token", "other_private", None): (
        lambda w: {"token": "EAAB-secret-token-value"}, OFFICE),
    ("metrics:delete_token", "other_private", None): (lambda w: {}, OFFICE),
    ("metrics:figures", "own_private", None): (
        lambda w: {"date": _today(), "followers": 123}, RUNS_IT),
    ("metrics:figures", "other_unit", None): (
        lambda w: {"date": _today(), "followers": 123}, (L, L) + (403,) * 6),  # collected
    ("metrics:figures", "closed", None): (
        lambda w: {"date": _today(), "followers": 123}, NOBODY),
    ("metrics:collect", "own", None): (lambda w: {}, RUNS_IT),
    ("metrics:collect", "other_unit", None): (lambda w: {}, OFFICE),
    ("metrics:collect", "closed", None): (lambda w: {}, NOBODY),
}
# fmt: on

# What "nothing changed" compares: every row of the portal's own tables, the users and
# groups and who is in them (but not when people last signed in), and the admin's log.
WATCHED_APPS = ["accounts", "checklist", "guidelines", "metrics", "auth", "admin"]
UNWATCHED = {"auth.Permission"}  # made by migrations, never by a view


def everything():
    state = {}
    for app in WATCHED_APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            if model._meta.label in UNWATCHED:
                continue
            rows = model.objects.order_by("pk").values()
            state[model._meta.label] = [
                {k: v for k, v in row.items() if k != "last_login"} for row in rows
            ]
    return state


def path_of(world, name, target, action):
    arguments = url_arguments(world, name, target)
    if action is not None:
        arguments["action"] = action
    return reverse(name, kwargs=arguments)


@pytest.mark.parametrize(
    ("name", "target", "action"),
    list(ACTIONS),
    ids=[f"{n}[{t}]" + (f"/{a}" if a else "") for n, t, a in ACTIONS],
)
def test_who_may_not_act_is_refused_and_nothing_happens(
    world, signed_in, db, mailoutbox, django_capture_on_commit_callbacks, name, target, action
):
    form, expected = ACTIONS[name, target, action]
    path = path_of(world, name, target, action)
    before = everything()
    refused = [p for p, e in zip(PERSONAS, expected, strict=True) if e != ACT]
    got = {}
    for persona in refused:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            got[persona] = outcome(signed_in[persona].post(path, form(world)))
        assert (callbacks, mailoutbox) == ([], []), persona
    assert got == {p: e for p, e in zip(PERSONAS, expected, strict=True) if e != ACT}
    after = everything()  # once for all: a change by any of them stays until the end
    assert [table for table in before if after[table] != before[table]] == []


@pytest.mark.parametrize(
    ("name", "target", "action"),
    list(ACTIONS),
    ids=[f"{n}[{t}]" + (f"/{a}" if a else "") for n, t, a in ACTIONS],
)
def test_who_may_act_passes_the_gate(world, signed_in, db, name, target, action):
    form, expected = ACTIONS[name, target, action]
    path = path_of(world, name, target, action)
    got = {}
    for persona, answer in zip(PERSONAS, expected, strict=True):
        if answer != ACT:
            continue
        with transaction.atomic():  # each starts from the same world
            got[persona] = signed_in[persona].post(path, form(world)).status_code
            transaction.set_rollback(True)
    assert {p: s for p, s in got.items() if s not in PASSED} == {}


def test_the_check_sees_a_permitted_decision(
    world, signed_in, db, mailoutbox, django_capture_on_commit_callbacks
):
    """The "nothing happens" check can fail: an endorsement by the unit head writes a
    transition, changes the state and tells the reviewers and the submitter."""
    before = everything()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in["unit_head"].post(
            path_of(world, "checklist:decide", "awaiting", "endorse"), {"comment": "Fine."}
        )
    assert response.status_code == 302
    after = everything()
    assert len(after["checklist.Transition"]) == len(before["checklist.Transition"]) + 1
    assert after["checklist.Proposal"] != before["checklist.Proposal"]
    assert sorted(message.to for message in mailoutbox) == [
        ["reviewer@example.org"],
        ["submitter@example.org"],
    ]


def test_a_refused_post_leaves_no_trace_even_with_valid_data(world, signed_in, db, mailoutbox):
    """The outsider's hand-over form is valid; only the gate stops it."""
    before = everything()
    response = signed_in["outsider"].post(
        path_of(world, "accounts:hand_over", "own", None), {"to": "outsider"}
    )
    assert (response.status_code, everything() == before, mailoutbox) == (403, True, [])
    assert world.channels["own"].owner == world.users["submitter"]
