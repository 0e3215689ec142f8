"""One realistic world for the permission tests (test_permission_*.py): two units with
their heads, the personas of shared/DESIGN.md's roles table, proposals in every state,
channels that are the staff member's own, another unit's, closed, public or not, with
figures, guidelines with versions, notices and a suspicious-account report.

Every object has a name that appears nowhere else, so that a test can say "this page
shows exactly these" and "nothing else of the world appears anywhere in the body".
It is built once per test module (``world`` in portal/tests/conftest.py) inside a
transaction that is rolled back at the module's end; each test runs in a savepoint.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import (
    Channel,
    ChannelEvent,
    ChannelRole,
    ChannelVerification,
    RegistryImport,
    SuspiciousAccountReport,
)
from checklist.models import ItemComment, Proposal, Transition
from checklist.tests.factories import make_proposal
from guidelines.models import Acknowledgement, Guideline, Principle, SiteNotice
from lookalikes.models import Candidate, SearchRecord, WatchDigest
from metrics.models import (
    ApiVersionState,
    ChannelSummary,
    ChannelToken,
    CollectionAttempt,
    CollectionRequest,
    CollectionRun,
    Snapshot,
)
from portal.tests.factories import make_channel, make_persona, make_unit, make_user

# The personas (portal/tests/factories.py's, the root conftest.py's fixtures), in the
# order of the matrix's columns.
PERSONAS = [
    "anonymous",
    "inactive_user",
    "submitter",  # a staff member: proposes, and owns the unit's channels
    "colleague",  # same unit; deputy of the submitter's channels
    "outsider",  # staff with no relation to anything in the world
    "unit_head",  # head of the School of Engineering (the submitter's unit)
    "reviewer",  # the communications office
    "portal_admin",  # a portal administrator (by group)
]

# Proposal key -> (name, submitter persona or "musician", unit key, state)
PROPOSALS = {
    "draft": ("Alder Proposal", "submitter", "engineering", Proposal.State.DRAFT),
    "awaiting": ("Birch Proposal", "submitter", "engineering", Proposal.State.AWAITING_UNIT_HEAD),
    "in_review": ("Cedar Proposal", "submitter", "engineering", Proposal.State.IN_REVIEW),
    "changes": ("Damson Proposal", "submitter", "engineering", Proposal.State.CHANGES_REQUESTED),
    "approved": ("Elm Proposal", "submitter", "engineering", Proposal.State.APPROVED),
    "rejected": ("Fir Proposal", "submitter", "engineering", Proposal.State.REJECTED),
    "withdrawn": ("Ginkgo Proposal", "submitter", "engineering", Proposal.State.WITHDRAWN),
    "colleague_review": ("Hazel Proposal", "colleague", "engineering", Proposal.State.IN_REVIEW),
    "colleague_draft": ("Holly Proposal", "colleague", "engineering", Proposal.State.DRAFT),
    "music_awaiting": (
        "Juniper Proposal",
        "musician",
        "music",
        Proposal.State.AWAITING_UNIT_HEAD,
    ),
    "music_review": ("Kapok Proposal", "musician", "music", Proposal.State.IN_REVIEW),
    # Units below Engineering whose own head cannot endorse: the Engineering head does.
    "headless_awaiting": (
        "Maple Proposal",
        "colleague",
        "robotics",  # no head
        Proposal.State.AWAITING_UNIT_HEAD,
    ),
    "former_head_awaiting": (
        "Nutmeg Proposal",
        "colleague",
        "optics",  # headed by the inactive persona, who has left
        Proposal.State.AWAITING_UNIT_HEAD,
    ),
}

# Channel key -> what makes it matter. Handles and credential places are unique too.
CHANNELS = {
    # The staff member's own (owner), the colleague deputy; public, figures collected.
    "own": dict(name="Otter Mastodon", platform="mastodon", is_public=True),
    # The staff member's own, not public; Instagram without a token: figures by hand.
    "own_private": dict(name="Heron Instagram", platform="instagram", is_public=False),
    # Another unit's (School of Music), public.
    "other_unit": dict(name="Badger Mastodon", platform="mastodon", is_public=True),
    # Another unit's, not public, with an API token saved.
    "other_private": dict(name="Puffin Facebook", platform="facebook", is_public=False),
    # The staff member's unit's, closed (its roles ended): never in the directory.
    "closed": dict(name="Walrus Archive", platform="youtube", is_public=True, status="closed"),
    # The staff member's own, planned (approved, not opened): never in the directory.
    "planned": dict(name="Lynx Bluesky", platform="bluesky", is_public=True, status="planned"),
}
CHANNEL_HANDLES = {key: f"{key.replace('_', '')}handle" for key in CHANNELS}
CHANNEL_HANDLES["planned"] = "plannedhandle.bsky.social"
# Internal fields: never in public output, only for owner, deputy and office.
VAULT = {key: f"VAULT-{key.upper()}" for key in CHANNELS}
RECOVERY = {key: f"RECOVERY-{key.upper()}" for key in CHANNELS}
# Each channel's latest follower count: unique numbers to look for in the figures.
FOLLOWERS = {
    "own": 91001,
    "own_private": 92002,
    "other_unit": 93003,
    "other_private": 94004,
    "closed": 95005,
    "planned": 96006,
}

NOTICES = {
    "current": ("Exams Notice", SiteNotice.Level.WARNING, 0),
    "crisis": ("Fire Crisis", SiteNotice.Level.CRISIS, 0),
    "scheduled": ("Later Notice", SiteNotice.Level.INFO, 3),  # starts in three days
}

REPORTED_URL = "https://impostor.example/FAKE-OTTER"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    proposals: dict = field(default_factory=dict)
    channels: dict = field(default_factory=dict)
    guidelines: dict = field(default_factory=dict)
    notices: dict = field(default_factory=dict)
    report: SuspiciousAccountReport | None = None
    imports: dict = field(default_factory=dict)

    def user(self, persona):
        return self.users.get(persona)


def build_world():
    world = World()
    users = world.users
    # Every persona but "anonymous"; the inactive user has left (the signed_in fixture
    # signs them in while still active).
    for persona in PERSONAS[1:]:
        users[persona] = make_persona(persona)
    # The School of Music's people, for "another unit's".
    users["music_head"] = make_user(username="music-head", first_name="Magnus")
    users["musician"] = make_user(username="musician", first_name="Mira")

    world.units["engineering"] = make_unit(name="School of Engineering", head=users["unit_head"])
    world.units["music"] = make_unit(name="School of Music", head=users["music_head"])
    engineering = world.units["engineering"]
    world.units["robotics"] = make_unit(name="Department of Robotics", parent=engineering)
    world.units["optics"] = make_unit(
        name="Department of Optics", parent=engineering, head=users["inactive_user"]
    )

    now = timezone.now()
    for key, (name, submitter, unit, state) in PROPOSALS.items():
        proposal = make_proposal(
            submitter=users[submitter],
            unit=world.units[unit],
            complete=True,
            name=name,
            platform="mastodon",
            profile=f"@{key.replace('_', '')}@mastodon.example",
        )
        if state != Proposal.State.DRAFT:
            Transition.objects.create(
                proposal=proposal,
                actor=users[submitter],
                action="proposal.submitted",
                from_state=Proposal.State.DRAFT,
                to_state=state,
                comment=f"Moved to {state}.",
            )
            Proposal.objects.filter(pk=proposal.pk).update(state=state, submitted_at=now)
            proposal.refresh_from_db()
        world.proposals[key] = proposal
    reviewed = world.proposals["changes"]
    ItemComment.objects.create(
        proposal=reviewed,
        item=reviewed.template.items.first(),
        author=users["reviewer"],
        text="Please say more.",
    )

    submitter, colleague, musician = users["submitter"], users["colleague"], users["musician"]
    people = {
        "own": (submitter, colleague, "engineering"),
        "own_private": (submitter, colleague, "engineering"),
        "other_unit": (musician, None, "music"),
        "other_private": (musician, None, "music"),
        "closed": (None, None, "engineering"),
        "planned": (submitter, None, "engineering"),
    }
    today = timezone.localdate()
    for key, fields in CHANNELS.items():
        owner, deputy, unit = people[key]
        channel = make_channel(
            unit=world.units[unit],
            owner=owner,
            deputy=deputy,
            handle=CHANNEL_HANDLES[key],
            credentials_location=VAULT[key],
            recovery_contact=RECOVERY[key],
            **fields,
        )
        world.channels[key] = channel
        for days_ago, followers in [(30, FOLLOWERS[key] - 100), (1, FOLLOWERS[key])]:
            Snapshot.objects.create(
                channel=channel,
                date=today - datetime.timedelta(days=days_ago),
                source="api",
                followers=followers,
                posts=10,
            )
    # The closed channel was the staff member's: the role ended when it closed.
    ChannelRole.objects.create(
        channel=world.channels["closed"],
        user=submitter,
        kind=ChannelRole.Kind.OWNER,
        started_at=now - datetime.timedelta(days=400),
        ended_at=now - datetime.timedelta(days=30),
    )
    ChannelEvent.objects.create(
        channel=world.channels["closed"],
        actor=users["reviewer"],
        action=ChannelEvent.Action.CLOSED,
        comment="No longer used.",
    )
    ChannelSummary.objects.refresh(Channel.objects.all())
    ChannelToken.objects.create(
        channel=world.channels["other_private"], encrypted=b"opaque", saved_by=musician
    )
    CollectionAttempt.objects.create(
        channel=world.channels["own"],
        date=today,
        started_at=now,
        finished_at=now,
        outcome=CollectionAttempt.Outcome.OK,
    )
    CollectionRun.objects.create(date=today)
    CollectionRequest.objects.create(
        channel=world.channels["own"],
        requested_by=users["reviewer"],
        day=today,
        expires_at=now,
        state=CollectionRequest.State.DONE,
    )
    ApiVersionState.record_refusal("linkedin", "202411", "426 NONEXISTENT_VERSION")
    ChannelVerification.record(world.channels["own"], day=today, linked=True, evidence={})

    office = users["reviewer"]
    tone = Guideline.objects.create(slug="tone-of-voice")
    tone.publish(by=office, title="Tone Guide", summary="Be kind.", body="Answer within a day.")
    tone.publish(
        by=office,
        title="Tone Guide",
        summary="Be kind.",
        body="Answer within two hours.",
        change_note="Faster answers.",
    )
    world.guidelines["published"] = tone
    world.guidelines["unpublished"] = Guideline.objects.create(slug="quiet-rules")
    Principle.objects.create(text="Be kind", guideline=tone)
    Acknowledgement.objects.create(user=submitter, version=tone.current_version)

    for key, (title, level, days_ahead) in NOTICES.items():
        world.notices[key] = SiteNotice.publish(
            by=office,
            level=level,
            title=title,
            body=f"About {title}.",
            starts_at=now + datetime.timedelta(days=days_ahead) if days_ahead else None,
        )

    world.notices["current"].acknowledge(submitter)

    world.report = SuspiciousAccountReport.objects.create(
        reported_url=REPORTED_URL, description="It pretends to be us."
    )
    # The impersonation watch's records (lookalikes/): a search, a candidate, a digest.
    search = SearchRecord.objects.create(
        date=today, search="bluesky", platform="bluesky", query="Fictional University"
    )
    lookalike, _created = SuspiciousAccountReport.objects.found_lookalike(
        url="https://bsky.app/profile/fake.bsky.social",
        platform="bluesky",
        evidence={"score": 0.9},
        key="bluesky:did:plc:fake",
    )
    Candidate.objects.create(
        key="bluesky:did:plc:fake",
        platform="bluesky",
        url=lookalike.reported_url,
        score=0.9,
        report=lookalike,
        search=search,
        first_seen=now,
        last_seen=now,
    )
    WatchDigest.objects.create(week=today, candidate_count=1, open_count=1)
    # A spreadsheet the office uploaded and has not yet confirmed (accounts/imports.py).
    world.imports["office_upload"] = RegistryImport.objects.create(
        uploaded_by=users["reviewer"],
        filename="registry.csv",
        rows=[
            ["Name", "Platform", "Address", "Unit", "Owner's e-mail"],
            [
                "Yak Imported",
                "Mastodon",
                "@yak@mastodon.example",
                "School of Engineering",
                "submitter",
            ],
        ],
    )
    return world
