"""Lists and exports in the permission matrix: for each list page and export and each
persona, exactly the world's objects the persona may see, by their unique names
(permission_world.py); and, anywhere in any of these bodies, nothing the persona may
not see: another person's or another unit's proposals, where credentials are kept,
figures of channels whose metrics are not theirs, notices not yet started.
"""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.tests.permission_world import (
    CHANNELS,
    FOLLOWERS,
    NOTICES,
    PROPOSALS,
    RECOVERY,
    REPORTED_URL,
    VAULT,
)
from portal.tests.test_permission_matrix import MATRIX

SIGNED_IN = ["submitter", "colleague", "outsider", "unit_head", "reviewer", "portal_admin"]
OFFICE = ["reviewer", "portal_admin"]


def proposals(*keys):
    return {PROPOSALS[key][0] for key in keys}


def channels(*keys):
    return {CHANNELS[key]["name"] for key in keys}


SUBMITTED_HERE = ["awaiting", "in_review", "changes", "approved", "rejected", "withdrawn"]
MINE = ["draft", *SUBMITTED_HERE]
BELOW = ["headless_awaiting", "former_head_awaiting"]  # sub-units the head endorses for
COLLEAGUE_S = ["colleague_review", "colleague_draft", *BELOW]
ALL_SUBMITTED = [
    *SUBMITTED_HERE,
    "colleague_review",
    "music_awaiting",
    "music_review",
    *BELOW,
]
RUNNING = ["own", "own_private", "other_unit", "other_private", "planned"]

# What may be seen where at all, per persona (the roles table of shared/DESIGN.md):
# - credentials (vault entry, recovery contact): the channel's owner and deputy, the office;
CREDENTIALS = {
    "submitter": {"own", "own_private", "planned"},
    "colleague": {"own", "own_private"},
    "outsider": set(),
    "unit_head": set(),
    "reviewer": set(CHANNELS),
    "portal_admin": set(CHANNELS),
}
# - figures: owner and deputy, the unit's head, the office (metrics:channel's rows).
FIGURES = {
    "submitter": {"own", "own_private", "planned"},
    "colleague": {"own", "own_private"},
    "outsider": set(),
    "unit_head": {"own", "own_private", "planned", "closed"},
    "reviewer": set(CHANNELS),
    "portal_admin": set(CHANNELS),
}
# - proposals: those whose page the matrix opens for them.
PERSONA_COLUMN = {
    "submitter": 2,
    "colleague": 3,
    "outsider": 4,
    "unit_head": 5,
    "reviewer": 6,
    "portal_admin": 7,
}


def visible_proposals(persona):
    column = PERSONA_COLUMN[persona]
    return {key for key in PROPOSALS if MATRIX["checklist:detail", key][column] == 200}


def figure_spellings(number):
    """How a follower count may be written: 91001, 91,001, 91 001 (with a no-break or
    narrow no-break space)."""
    thousands, rest = divmod(number, 1000)
    return {f"{number}", *(f"{thousands}{sep}{rest:03d}" for sep in [",", " ", "\xa0", "\u202f"])}


def never_for(persona):
    """Every marker of the world that ``persona`` may not see on any page."""
    hidden = {PROPOSALS[key][0] for key in set(PROPOSALS) - visible_proposals(persona)}
    for key in set(CHANNELS) - CREDENTIALS[persona]:
        hidden |= {VAULT[key], RECOVERY[key]}
    for key in set(CHANNELS) - FIGURES[persona]:
        hidden |= figure_spellings(FOLLOWERS[key])
    if persona not in OFFICE:
        hidden |= {NOTICES["scheduled"][0], REPORTED_URL}
    return hidden


def found(body, markers):
    return {marker for marker in markers if marker in body}


def body_of(response):
    assert response.status_code == 200, response.status_code
    if response.streaming:
        content = b"".join(response.streaming_content)
        if response["Content-Type"].startswith("application/vnd.openxmlformats"):
            return xlsx_text(content)
        return content.decode()
    return response.content.decode()


def xlsx_text(content):
    """Every cell of a workbook, as text."""
    sheets = load_workbook(io.BytesIO(content), read_only=True).worksheets
    return "\n".join(
        "\t".join("" if value is None else str(value) for value in row)
        for sheet in sheets
        for row in sheet.iter_rows(values_only=True)
    )


ALL_PROPOSALS = {name for name, *_rest in PROPOSALS.values()}
ALL_CHANNELS = channels(*CHANNELS)
ALL_VAULTS = set(VAULT.values()) | set(RECOVERY.values())


# URL name -> {persona: the proposals the page shows}.
# fmt: off
LISTS = {
    "checklist:list": {
        "submitter": proposals(*MINE),
        "colleague": proposals(*COLLEAGUE_S),
        "outsider": set(),
        "unit_head": proposals(*SUBMITTED_HERE, "colleague_review", *BELOW),  # not Music's
        "reviewer": proposals(*ALL_SUBMITTED),  # no drafts
        "portal_admin": proposals(*ALL_SUBMITTED),
    },
    # The list's exports hold every proposal the reader may see (their own included).
    "checklist:export": {
        "submitter": proposals(*MINE),
        "colleague": proposals(*COLLEAGUE_S),
        "outsider": set(),
        "unit_head": proposals(*SUBMITTED_HERE, "colleague_review", *BELOW),
        "reviewer": proposals(*ALL_SUBMITTED),
        "portal_admin": proposals(*ALL_SUBMITTED),
    },
    "checklist:review": {
        "submitter": set(),
        "colleague": set(),
        "outsider": set(),
        "unit_head": proposals("awaiting", *BELOW),  # awaiting them; never Music's
        "reviewer": proposals("in_review", "colleague_review", "music_review"),
        "portal_admin": proposals("awaiting", "music_awaiting", "in_review", "colleague_review",
                           "music_review", *BELOW),
    },
    # The dashboard: my proposals, the review queue's first rows.
    "home": {
        "submitter": proposals(*MINE),
        "colleague": proposals(*COLLEAGUE_S),
        "outsider": set(),
        "unit_head": proposals("awaiting", *BELOW),
        "reviewer": proposals("in_review", "colleague_review", "music_review"),
        "portal_admin": proposals("awaiting", "music_awaiting", "in_review", "colleague_review",
                           "music_review", *BELOW),
    },
}
LISTS["checklist:export_xlsx"] = LISTS["checklist:export"]
FIGURES_LISTED = {
    "submitter": channels("own", "own_private", "planned"),
    "colleague": channels("own", "own_private"),
    "outsider": set(),
    "unit_head": channels("own", "own_private", "planned"),
    "reviewer": channels(*RUNNING),
    "portal_admin": channels(*RUNNING),
}
CHANNEL_LISTS = {
    # The registry is open to all staff: every channel, closed and unlisted ones too.
    "accounts:registry": {persona: channels(*CHANNELS) for persona in SIGNED_IN},
    "accounts:export": {persona: channels(*CHANNELS) for persona in SIGNED_IN},
    "accounts:export_xlsx": {persona: channels(*CHANNELS) for persona in SIGNED_IN},
    # Figures, on the page and in its export: running channels whose metrics the persona
    # may see.
    "metrics:portfolio": FIGURES_LISTED,
    "metrics:export": FIGURES_LISTED,
    "metrics:export_xlsx": FIGURES_LISTED,
    # The dashboard's "my channels": running ones they own or deputise.
    "home": {
        "submitter": channels("own", "own_private", "planned"),
        "colleague": channels("own", "own_private"),
        "outsider": set(),
        "unit_head": set(),
        "reviewer": set(),
        "portal_admin": set(),
    },
}
# Where credentials are shown in a list: only the office's CSV export.
CREDENTIAL_LISTS = {
    "accounts:registry": {persona: set() for persona in SIGNED_IN},
    "accounts:export": {persona: ALL_VAULTS if persona in OFFICE else set()
                        for persona in SIGNED_IN},
    "accounts:export_xlsx": {persona: ALL_VAULTS if persona in OFFICE else set()
                             for persona in SIGNED_IN},
}
# fmt: on


def get(signed_in, persona, name, **kwargs):
    return body_of(signed_in[persona].get(reverse(name, kwargs=kwargs)))


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("name", list(LISTS))
def test_proposal_lists_show_exactly_what_the_persona_may_see(world, signed_in, db, name, persona):
    body = get(signed_in, persona, name)
    assert found(body, ALL_PROPOSALS) == LISTS[name][persona]
    assert found(body, never_for(persona)) == set()


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("name", list(CHANNEL_LISTS))
def test_channel_lists_show_exactly_what_the_persona_may_see(world, signed_in, db, name, persona):
    body = get(signed_in, persona, name)
    assert found(body, ALL_CHANNELS) == CHANNEL_LISTS[name][persona]
    if name in CREDENTIAL_LISTS:
        assert found(body, ALL_VAULTS) == CREDENTIAL_LISTS[name][persona]
    assert found(body, never_for(persona)) == set()


def test_the_metrics_export_has_the_figures_of_the_channels_it_lists(world, signed_in, db):
    body = get(signed_in, "colleague", "metrics:export")
    rows = {line.split(",")[0]: line for line in body.lstrip("\ufeff").splitlines()[1:]}
    assert sorted(rows) == ["Heron Instagram", "Otter Mastodon"]
    assert str(FOLLOWERS["own"]) in rows["Otter Mastodon"]


@pytest.mark.parametrize("persona", ["unit_head", *OFFICE])
def test_a_unit_report_shows_only_that_unit_s_channels(world, signed_in, db, persona):
    body = get(signed_in, persona, "metrics:unit_report", pk=world.units["engineering"].pk)
    # Not the planned one (no figures yet), nor the one closed before this month.
    assert found(body, ALL_CHANNELS) == channels("own", "own_private")
    assert found(body, never_for(persona)) == set()


EXPORTS = [
    (name, proposal, persona)
    for name in ["checklist:export_markdown", "checklist:export_html"]
    for proposal in ["draft", "in_review", "colleague_review", "colleague_draft", "music_review"]
    for persona in SIGNED_IN
    if proposal in visible_proposals(persona)  # else 404: test_permission_matrix.py
]


@pytest.mark.parametrize(("name", "proposal", "persona"), EXPORTS)
def test_a_proposal_export_holds_that_proposal_only(world, signed_in, db, name, proposal, persona):
    body = get(signed_in, persona, name, pk=world.proposals[proposal].pk)
    assert found(body, ALL_PROPOSALS) == proposals(proposal)
    assert found(body, never_for(persona)) == set()


# --- The office's lists ----------------------------------------------------------------


@pytest.mark.parametrize("persona", OFFICE)
def test_the_notice_list_shows_every_notice_to_the_office(world, signed_in, db, persona):
    body = get(signed_in, persona, "guidelines:notices")
    assert found(body, {title for title, *_rest in NOTICES.values()}) == {
        "Exams Notice",
        "Fire Crisis",
        "Later Notice",
    }


@pytest.mark.parametrize("persona", OFFICE)
def test_the_acknowledgement_status_lists_the_people_who_still_owe_one(
    world, signed_in, db, persona
):
    body = get(signed_in, persona, "guidelines:status")
    # Siri (the staff member) acknowledged; the colleague deputises, the musician owns.
    assert found(body, {"Siri", "Cole", "Mira", "Otto", "Hedda"}) == {"Cole", "Mira"}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_unpublished_guidelines_are_listed_for_the_office_only(world, signed_in, db, persona):
    body = get(signed_in, persona, "guidelines:list")
    assert ("quiet-rules" in body) is (persona in OFFICE)
    assert "Tone Guide" in body


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_notices_in_force_are_shown_but_not_those_still_to_come(world, signed_in, db, persona):
    body = get(signed_in, persona, "home")
    shown = found(body, {title for title, *_rest in NOTICES.values()})
    # The staff member has read the current notice; the crisis is shown until read.
    assert shown == ({"Fire Crisis"} if persona == "submitter" else {"Exams Notice", "Fire Crisis"})


# --- The public directory ----------------------------------------------------------------

PUBLIC = channels("own", "other_unit")  # listed, and active or dormant
PUBLIC_NEVER = (
    (ALL_CHANNELS - PUBLIC)
    | ALL_VAULTS
    | ALL_PROPOSALS
    | {title for title, *_rest in NOTICES.values()}
    | {REPORTED_URL}
    | {spelling for n in FOLLOWERS.values() for spelling in figure_spellings(n)}
)


@pytest.mark.parametrize("persona", ["anonymous", "inactive_user", *SIGNED_IN])
def test_the_public_directory_lists_public_channels_only(world, signed_in, db, persona):
    body = get(signed_in, persona, "accounts:directory")
    assert found(body, ALL_CHANNELS) == PUBLIC
    if persona in ("anonymous", "inactive_user"):
        assert found(body, PUBLIC_NEVER) == set()
    else:
        assert found(body, never_for(persona)) == set()


@pytest.mark.parametrize("persona", ["anonymous", "inactive_user", *SIGNED_IN])
def test_directory_json_lists_public_channels_and_their_public_fields(
    world, signed_in, db, persona
):
    body = get(signed_in, persona, "accounts:directory_json")
    data = json.loads(body)
    assert sorted(channel["name"] for channel in data["channels"]) == sorted(PUBLIC)
    assert {key for channel in data["channels"] for key in channel} == {
        "name",
        "platform",
        "platform_name",
        "url",
        "handle",
        "unit",
        "page",
        "closed_on",
        "verification",
    }
    assert found(body, PUBLIC_NEVER) == set()


@pytest.mark.parametrize("target", list(CHANNELS))
def test_verifying_an_account_reveals_nothing_internal(world, signed_in, db, target):
    channel = world.channels[target]
    body = body_of(
        signed_in["anonymous"].get(reverse("accounts:verify"), {"url": channel.profile_url})
    )
    listed = target in ("own", "other_unit", "closed")  # closed: "no longer official"
    assert (channel.name in body) is listed
    assert found(body, ALL_VAULTS | ALL_PROPOSALS) == set()


# --- A channel's page: its internal fields -------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("target", list(CHANNELS))
def test_a_channel_page_shows_credentials_and_figures_to_whom_they_belong(
    world, signed_in, db, target, persona
):
    body = get(signed_in, persona, "accounts:detail", pk=world.channels[target].pk)
    shown = {
        "credentials": {VAULT[target], RECOVERY[target]} <= set(found(body, ALL_VAULTS)),
        "figures": bool(found(body, figure_spellings(FOLLOWERS[target]))),
    }
    assert shown == {
        "credentials": target in CREDENTIALS[persona],
        "figures": target in FIGURES[persona],
    }
    assert found(body, never_for(persona)) == set()


FIGURE_PAGES = [
    (target, persona)
    for target in CHANNELS
    for persona in SIGNED_IN
    if MATRIX.get(("metrics:channel", target), (None,) * 8)[PERSONA_COLUMN[persona]] == 200
]


@pytest.mark.parametrize(("target", "persona"), FIGURE_PAGES)
def test_a_channel_s_figures_page_shows_that_channel_s_figures_only(
    world, signed_in, db, target, persona
):
    body = get(signed_in, persona, "metrics:channel", pk=world.channels[target].pk)
    others = {n for key, n in FOLLOWERS.items() if key != target}
    assert found(body, figure_spellings(FOLLOWERS[target])) != set()
    assert found(body, {s for n in others for s in figure_spellings(n)}) == set()
    assert found(body, never_for(persona) | ALL_VAULTS) == set()
