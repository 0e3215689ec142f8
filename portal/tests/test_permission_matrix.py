"""Who gets what: every URL of the project (the admin's are in
test_permission_admin.py) for every persona of shared/DESIGN.md's roles table, against
the objects that matter (own, a colleague's, another unit's, closed, unlisted...).

MATRIX has one row per (URL name, object) and one column per persona: the status of
a GET. The convention (shared/CONVENTIONS.md): not visible, 404; visible but not
allowed, 403; a state change answers a GET with 405. A URL of the project without a
row fails test_every_url_has_a_row: a new view needs a decision here.

POSTs and "nothing changed" are in test_permission_actions.py; what lists and exports
show, in test_permission_lists.py.
"""

from urllib.parse import urlparse

import pytest
from django.urls import reverse

from portal.tests.permission_world import PERSONAS
from portal.tests.urlwalk import all_urls

LOGIN = "login"  # 302 to the login page (LoginRequiredMiddleware)
HOME = "home"  # 302 to /
L, H = LOGIN, HOME

# Whole rows that repeat.
ANYONE = (200,) * 8
STAFF = (L, L) + (200,) * 6  # every signed-in member of staff
OFFICE = (L, L, 403, 403, 403, 403, 200, 200)  # the communications office and admins
RUNS_IT = (L, L, 200, 200, 403, 403, 200, 200)  # the channel's owner and deputy, the office
NOBODY = (L, L) + (403,) * 6
POST_ONLY = (L, L) + (405,) * 6

# The objects a URL is tried on; each is a key of the world (permission_world.py).
# fmt: off
MATRIX = {
    # (url name, object):                   (anon, inactive, staff, colleague, outsider,
    #                                          head, comms, admin)
    # --- portal ---------------------------------------------------------------------
    ("home", None):                           ANYONE,  # anonymous: the front page
    ("healthz", None):                        ANYONE,
    ("login", None):                          (200, 200, H, H, H, H, H, H),  # signed in: home
    ("logout", None):                         POST_ONLY,
    ("set_language", None):                   (H,) * 8,  # a GET changes nothing, goes back
    # --- signing in (django-allauth; portal/urls.py routes only these) ----------------
    ("account_login", None):                  (200, 200, H, H, H, H, H, H),  # = login
    ("account_logout", None):                 POST_ONLY,
    ("account_inactive", None):               ANYONE,  # "this account is inactive"
    ("account_reauthenticate", None):         STAFF,
    ("mfa_index", None):                      STAFF,
    # Turning TOTP on or off asks for the password again first.
    ("mfa_activate_totp", None):              (L, L) + ("302 /accounts/reauthenticate/",) * 6,
    ("mfa_reauthenticate", None):             (L, L) + ("302 /accounts/reauthenticate/",) * 6,
    ("mfa_deactivate_totp", None):            (L, L) + (404,) * 6,  # nothing to turn off
    ("mfa_authenticate", None):               (L, L, H, H, H, H, H, H),  # no sign-in pending
    ("mfa_view_recovery_codes", None):        (L, L) + (404,) * 6,  # nobody has codes here
    ("mfa_generate_recovery_codes", None):    (L, L) + ("302 /accounts/reauthenticate/",) * 6,
    ("socialaccount_login_cancelled", None):  ANYONE,
    ("socialaccount_login_error", None):      (L, L) + (401,) * 6,
    ("socialaccount_signup", None):           (L,) * 8,  # no identity-provider sign-in pending
    # Single sign-on is off in the tests: its provider's pages do not exist.
    ("portal_oidc_login", None):              (404,) * 8,
    ("portal_oidc_callback", None):           (404,) * 8,
    ("saml_login", None):                     (404,) * 8,
    ("saml_metadata", None):                  (404,) * 8,
    ("saml_sls", None):                       (404,) * 8,
    ("saml_finish_acs", None):                (404,) * 8,
    # The identity provider posts here; a GET is sent on to the finish, which is a 404.
    ("saml_acs", None):                       ("302 /accounts/saml/saml/acs/finish/",) * 8,
    # --- accounts: the registry (open to all staff; operations for owner, deputy, office)
    ("accounts:registry", None):              STAFF,
    ("accounts:export", None):                STAFF,
    ("accounts:export_xlsx", None):           STAFF,
    ("accounts:register", None):              OFFICE,
    # Importing a spreadsheet: the office; an upload is its uploader's only.
    ("accounts:import", None):                OFFICE,
    ("accounts:import_preview", "office_upload"): (L, L, 403, 403, 403, 403, 200, 404),
    ("accounts:import_confirm", "office_upload"): POST_ONLY,
    ("accounts:import_cancel", "office_upload"): POST_ONLY,
    ("accounts:detail", "own"):               STAFF,
    ("accounts:detail", "other_unit"):        STAFF,
    ("accounts:detail", "other_private"):     STAFF,  # unlisted is not secret inside
    ("accounts:detail", "closed"):            STAFF,
    ("accounts:edit", "own"):                 RUNS_IT,
    ("accounts:edit", "planned"):             (L, L, 200, 403, 403, 403, 200, 200),  # no deputy
    ("accounts:edit", "other_unit"):          OFFICE,
    ("accounts:edit", "closed"):              NOBODY,  # closed: nobody edits
    ("accounts:hand_over", "own"):            (L, L, 200, 200, 403, 200, 200, 200),  # + head
    ("accounts:take_over", "own"):            POST_ONLY,
    ("accounts:hand_over", "other_unit"):     OFFICE,
    ("accounts:hand_over", "closed"):         NOBODY,
    ("accounts:deputy", "own"):               RUNS_IT,
    ("accounts:deputy", "other_unit"):        OFFICE,
    ("accounts:deputy", "closed"):            NOBODY,
    ("accounts:recertify", "own"):            RUNS_IT,
    ("accounts:recertify", "other_unit"):     OFFICE,
    ("accounts:recertify", "closed"):         NOBODY,
    ("accounts:close", "own"):                OFFICE,  # owners do not close: the office does
    ("accounts:open", "planned"):             (L, L, 200, 403, 403, 403, 200, 200),  # no deputy
    ("accounts:open", "own"):                 RUNS_IT,  # the form; opening it again is refused
    ("accounts:open", "other_unit"):          OFFICE,
    ("accounts:open", "closed"):              NOBODY,
    ("accounts:close", "closed"):             NOBODY,
    # --- accounts: the office's triage of suspicious accounts ------------------------
    ("accounts:reports", None):               OFFICE,
    ("accounts:report_detail", "report"):     OFFICE,
    ("accounts:report_decide", "report"):     POST_ONLY,
    ("accounts:report_note", "report"):       POST_ONLY,
    ("accounts:report_reopen", "report"):     POST_ONLY,
    # --- accounts: the public directory ---------------------------------------------
    ("accounts:directory", None):             ANYONE,
    ("accounts:verify", None):                ANYONE,
    ("accounts:report", None):                ANYONE,
    ("accounts:directory_json", None):        ANYONE,
    ("accounts:channel_page", "own"):         ANYONE,
    ("accounts:channel_page", "other_private"): (404,) * 8,  # not in the directory
    ("accounts:channel_page", "closed"):      (404,) * 8,
    ("accounts:api_verify", None):            (400,) * 8,  # no address asked about
    ("accounts:api_openapi", None):           ANYONE,
    # Answers only on a Bluesky handle's host (accounts/tests/test_atproto_did.py).
    ("accounts:atproto_did", None):           (404,) * 8,
    # --- guidelines -------------------------------------------------------------------
    ("guidelines:list", None):                STAFF,
    ("guidelines:new", None):                 OFFICE,
    ("guidelines:status", None):              OFFICE,
    ("guidelines:detail", "published"):       STAFF,
    ("guidelines:detail", "unpublished"):     (L, L) + (404,) * 6,  # even for the office
    ("guidelines:edit", "published"):         OFFICE,
    ("guidelines:edit", "unpublished"):       OFFICE,  # the office publishes its first version
    ("guidelines:acknowledge", "published"):  POST_ONLY,
    ("guidelines:version", "published"):      STAFF,
    ("guidelines:diff", "published"):         STAFF,
    ("guidelines:notices", None):             OFFICE,
    ("guidelines:notice_new", None):          OFFICE,
    ("guidelines:notice", "current"):         STAFF,
    ("guidelines:notice", "scheduled"):       (L, L, 404, 404, 404, 404, 200, 200),  # not started
    ("guidelines:notice_rate", "crisis"):     OFFICE,
    ("guidelines:notice_rate", "current"):    (L, L, 403, 403, 403, 403, 404, 404),  # no rate
    ("guidelines:notice_acknowledge", "current"): POST_ONLY,
    ("guidelines:notice_end", "current"):     POST_ONLY,
    # --- checklist: proposals ---------------------------------------------------------
    # Seen by: the submitter (every state), their unit's head (submitted ones), the
    # office and admins (submitted ones). Drafts are nobody else's business. (A
    # platform's own reviewer group: the tests at the end of this module.)
    ("checklist:list", None):                 STAFF,
    # The list's exports: what the reader may see (test_permission_lists.py).
    ("checklist:export", None):               STAFF,
    ("checklist:export_xlsx", None):          STAFF,
    ("checklist:new", None):                  STAFF,
    ("checklist:matches", None):              STAFF,
    ("checklist:review", None):               STAFF,  # an empty queue for those without one
    ("checklist:detail", "draft"):            (L, L, 200, 404, 404, 404, 404, 404),
    ("checklist:detail", "awaiting"):         (L, L, 200, 404, 404, 200, 200, 200),
    ("checklist:detail", "in_review"):        (L, L, 200, 404, 404, 200, 200, 200),
    ("checklist:detail", "changes"):          (L, L, 200, 404, 404, 200, 200, 200),
    ("checklist:detail", "approved"):         (L, L, 200, 404, 404, 200, 200, 200),
    ("checklist:detail", "rejected"):         (L, L, 200, 404, 404, 200, 200, 200),
    ("checklist:detail", "withdrawn"):        (L, L, 200, 404, 404, 200, 200, 200),
    ("checklist:detail", "colleague_review"): (L, L, 404, 200, 404, 200, 200, 200),
    ("checklist:detail", "colleague_draft"):  (L, L, 404, 200, 404, 404, 404, 404),
    ("checklist:detail", "music_awaiting"):   (L, L, 404, 404, 404, 404, 200, 200),  # other unit
    ("checklist:detail", "music_review"):     (L, L, 404, 404, 404, 404, 200, 200),
    # A sub-unit without an active head of its own: the head above endorses, so sees it.
    ("checklist:detail", "headless_awaiting"):    (L, L, 404, 200, 404, 200, 200, 200),
    ("checklist:detail", "former_head_awaiting"): (L, L, 404, 200, 404, 200, 200, 200),
    # Only the submitter edits, and only a draft or a returned proposal.
    ("checklist:edit", "draft"):              (L, L, 200, 404, 404, 404, 404, 404),
    ("checklist:edit", "changes"):            (L, L, 200, 404, 404, 403, 403, 403),
    ("checklist:edit", "in_review"):          (L, L, 403, 404, 404, 403, 403, 403),
    ("checklist:edit", "colleague_draft"):    (L, L, 404, 200, 404, 404, 404, 404),
    ("checklist:edit", "music_review"):       (L, L, 404, 404, 404, 404, 403, 403),
    # The exports show what the page shows, to the same people.
    ("checklist:export_markdown", "draft"):   (L, L, 200, 404, 404, 404, 404, 404),
    ("checklist:export_markdown", "colleague_review"): (L, L, 404, 200, 404, 200, 200, 200),
    ("checklist:export_markdown", "music_review"): (L, L, 404, 404, 404, 404, 200, 200),
    ("checklist:export_html", "draft"):       (L, L, 200, 404, 404, 404, 404, 404),
    ("checklist:export_html", "colleague_review"): (L, L, 404, 200, 404, 200, 200, 200),
    ("checklist:export_html", "music_review"): (L, L, 404, 404, 404, 404, 200, 200),
    ("checklist:decide", "in_review"):        POST_ONLY,
    ("checklist:comment", "in_review"):       POST_ONLY,
    ("checklist:meeting", "in_review"):       POST_ONLY,
    # --- metrics: figures for the office, the unit's head, owner and deputy -----------
    ("metrics:portfolio", None):              STAFF,  # lists only what each may see
    ("metrics:export", None):                 STAFF,
    ("metrics:export_xlsx", None):            STAFF,
    ("metrics:channel", "own"):               (L, L, 200, 200, 404, 200, 200, 200),
    ("metrics:channel", "planned"):           (L, L, 200, 404, 404, 200, 200, 200),  # no deputy
    ("metrics:channel", "other_unit"):        (L, L, 404, 404, 404, 404, 200, 200),
    ("metrics:channel", "closed"):            (L, L, 404, 404, 404, 200, 200, 200),  # roles ended
    ("metrics:unit_report", "engineering"):   (L, L, 403, 403, 403, 200, 200, 200),
    ("metrics:unit_report", "music"):         (L, L, 403, 403, 403, 403, 200, 200),
    # The owner's pages: those who edit the channel (owner, deputy, office).
    ("metrics:token", "own_private"):         RUNS_IT,
    # Mastodon needs no token: 404 for those who may edit, 403 first for the others.
    ("metrics:token", "own"):                 (L, L, 404, 404, 403, 403, 404, 404),
    ("metrics:token", "other_private"):       OFFICE,
    ("metrics:token", "closed"):              NOBODY,
    ("metrics:delete_token", "own_private"):  POST_ONLY,
    ("metrics:figures", "own_private"):       RUNS_IT,
    ("metrics:figures", "own"):               RUNS_IT,  # "collected"
    ("metrics:figures", "other_unit"):        OFFICE,
    ("metrics:figures", "closed"):            NOBODY,
    # "Collect now": a GET answers its state (the page polls it); the same people.
    ("metrics:collect", "own"):               RUNS_IT,
    ("metrics:collect", "other_unit"):        OFFICE,
    ("metrics:collect", "closed"):            NOBODY,
    # Signing in to the platform starts with a POST; the platform sends the person back
    # to the callback, which without a sign-in of theirs in progress refuses (400).
    ("metrics:connect", "own_private"):       POST_ONLY,
    ("metrics:oauth_callback", None):         (L, L) + (400,) * 6,
}
# fmt: on

# What test_every_url_has_a_row asks to add (the statuses are to be decided).
ROW_TEMPLATE = '    ("{name}", None): (L, L, 200, 200, 200, 200, 200, 200),  # {path}'


def url_arguments(world, name, target):
    """The reverse() arguments of ``name`` for the world's object ``target``."""
    if name.startswith("saml_"):
        return {"organization_slug": "saml"}
    if name.startswith("portal_oidc_"):
        return {"provider_id": "oidc"}
    if target is None:
        return {}
    if target == "report":
        return {"pk": world.report.pk}
    if name.startswith("checklist:"):
        arguments = {"pk": world.proposals[target].pk}
        return arguments | ({"action": "approve"} if name == "checklist:decide" else {})
    if name.startswith("accounts:import_"):
        return {"pk": world.imports[target].pk}
    if name.startswith(("accounts:", "metrics:")) and name != "metrics:unit_report":
        return {"pk": world.channels[target].pk}
    if name == "metrics:unit_report":
        return {"pk": world.units[target].pk}
    if name.startswith("guidelines:notice"):
        return {"pk": world.notices[target].pk}
    slug = world.guidelines[target].slug
    if name == "guidelines:version":
        return {"slug": slug, "number": 1}
    if name == "guidelines:diff":
        return {"slug": slug, "old": 1, "new": 2}
    return {"slug": slug}


def outcome(response):
    if response.status_code == 302:
        location = urlparse(response["Location"]).path
        return {"/login/": LOGIN, "/": HOME}.get(location, f"302 {location}")
    return response.status_code


def project_urls():
    """URL name -> sample path of every URL outside the Django admin."""
    return {name: path for name, path in all_urls() if not (path or "").startswith("/admin/")}


def test_every_url_has_a_row():
    missing = sorted(set(project_urls()) - {name for name, _target in MATRIX})
    rows = "\n".join(ROW_TEMPLATE.format(name=name, path=project_urls()[name]) for name in missing)
    assert missing == [], (
        "These URLs have no row in MATRIX (portal/tests/test_permission_matrix.py). Decide "
        "what each persona gets on a GET and add rows like these (where the URL takes an "
        "object, one row per object that matters, with url_arguments() taught its key):\n" + rows
    )


def test_every_row_names_an_existing_url():
    assert {name for name, _target in MATRIX} - set(project_urls()) == set()


def test_the_inactive_column_is_the_anonymous_one():
    differ = [key for key, row in MATRIX.items() if row[0] != row[1]]
    assert differ == []


def test_a_deactivated_person_s_session_is_anonymous(signed_in, db):
    response = signed_in["inactive_user"].get(reverse("accounts:directory"))
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated is False
    assert signed_in["submitter"].get("/").wsgi_request.user.username == "submitter"


@pytest.mark.parametrize(
    ("name", "target"), list(MATRIX), ids=[f"{name}[{target}]" for name, target in MATRIX]
)
def test_each_persona_gets_what_the_matrix_says(world, signed_in, db, name, target):
    path = reverse(name, kwargs=url_arguments(world, name, target))
    got = tuple(outcome(signed_in[persona].get(path)) for persona in PERSONAS)
    assert dict(zip(PERSONAS, got, strict=True)) == dict(
        zip(PERSONAS, MATRIX[name, target], strict=True)
    ), path


# --- A platform's own reviewer group (PORTAL_REVIEWER_GROUPS) ------------------------------


@pytest.fixture
def showcase(world, db, settings):
    """A LinkedIn showcase page in review, and a member of the working group that
    decides LinkedIn proposals instead of the office."""
    from checklist.models import Proposal
    from checklist.tests.factories import make_proposal
    from portal.tests.factories import make_user

    settings.PORTAL_REVIEWER_GROUPS = {"linkedin": "linkedin-working-group"}
    proposal = make_proposal(
        submitter=world.users["submitter"],
        unit=world.units["engineering"],
        complete=True,
        name="Showcase Proposal",
        platform="linkedin",
    )
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.IN_REVIEW)
    member = make_user(username="linkedin-member", groups=["linkedin-working-group"])
    return proposal, member


def test_a_platform_s_reviewer_group_opens_and_decides_what_its_queue_lists(
    client, world, showcase
):
    proposal, member = showcase
    client.force_login(member)
    assert [row["name"] for row in client.get(reverse("checklist:review")).context["rows"]] == [
        "Showcase Proposal"
    ]
    page = reverse("checklist:detail", args=[proposal.pk])
    approve = reverse("checklist:decide", args=[proposal.pk, "approve"])
    assert client.get(page).status_code == 200
    assert client.post(approve).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "approved"


def test_a_platform_s_reviewer_group_finds_its_queue_everywhere_the_office_does(
    client, world, showcase
):
    """One rule (checklist/access.py) for the queue, the navigation, the home page and
    the proposals list: before it, the home page's "Awaiting my review" was empty and
    /proposals/ left the proposal out for this reviewer."""
    proposal, member = showcase
    client.force_login(member)
    home = client.get(reverse("home")).context
    assert home["shows_review_queue"]
    assert [p.pk for p in home["awaiting_my_review"]] == [proposal.pk]
    assert home["awaiting_count"] == 1
    assert "Review" in [item["label"] for item in home["nav_items"]]
    listing = client.get(reverse("checklist:list")).content.decode()
    assert "Showcase Proposal" in listing


def test_a_platform_s_reviewer_group_sees_nothing_else(client, world, showcase):
    _proposal, member = showcase
    client.force_login(member)
    for key in PROPOSALS_OF_OTHERS:
        path = reverse("checklist:detail", args=[world.proposals[key].pk])
        assert client.get(path).status_code == 404, key


def test_the_office_sees_a_showcase_page_but_does_not_decide_it(client, world, showcase):
    proposal, _member = showcase
    client.force_login(world.users["reviewer"])
    assert client.get(reverse("checklist:detail", args=[proposal.pk])).status_code == 200
    approve = reverse("checklist:decide", args=[proposal.pk, "approve"])
    assert client.post(approve).status_code == 403


PROPOSALS_OF_OTHERS = ["draft", "in_review", "colleague_review", "music_review"]
