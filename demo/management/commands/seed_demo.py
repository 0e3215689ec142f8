"""Load the demo organisation: a fictional university, its units, demo logins and a
registry of about forty channels.

Idempotent: people and units are looked up by their natural keys, channels by
(platform, profile address), so a second run changes nothing (except resetting the
demo passwords, so that the printed logins always work). Channels already there are
left as they are: the demo's history is not rewritten.

The channels are written directly (not through Channel.register(), which sends
e-mail), each with its people and a "channel.created" event by the communications
office; the closed ones also have their "channel.closed" event. Dates are relative to
the day of the first run. The registry shows every state the portal deals with:
orphaned channels (their owner has left), overdue recertifications, closed, planned
and dormant channels, and internal ones missing from the public directory.

The guidelines (demo/guidelines.py) are written directly too, not through
Guideline.publish(), which e-mails every channel owner: seeding sends no e-mail. A
guideline already there (by slug) is left as it is. "Principles for official channels"
has two versions, so that the demo shows a history and a difference. Every active demo
person who runs a channel has acknowledged the guidelines for owners, except that
demo-staff6 has not yet acknowledged the latest version of that guideline: the
reminder banner and the list of people who have not acknowledged show them.

The proposals for new accounts (demo/proposals.py), at least one in every state,
are written directly too, with the history their state needs (not through submit(),
which e-mails the unit head), against the current checklist. A proposal already there
(by name and submitter) is left as it is. Two of them are approved proposals that
running channels came from (demo/metrics.py), so that goals can be shown.

Last, a year of daily figures for the active and dormant channels, marked as demo data
(demo/metrics.py), and the nightly review that refreshes the summaries: a run on
a day whose figures are there already writes none.
"""

import datetime
import importlib

from dateutil.relativedelta import relativedelta
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Channel, ChannelEvent, ChannelRole, Unit
from accounts.platforms import Platform, parse_profile
from checklist.models import Answer, ChecklistTemplate, Goal, Proposal, Transition
from demo import guidelines as demo_guidelines
from demo import metrics as demo_metrics
from demo import proposals as demo_proposals
from guidelines.models import Acknowledgement, Guideline, GuidelineVersion, Principle
from portal import roles

# Printed with the logins; seed_demo refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "demo"  # nosec B105

# username: (first name, last name, role groups, what they show in the demo)
PEOPLE = {
    "demo-staff": ("Siri", "Staff", [], "staff member who proposes accounts"),
    "demo-staff2": ("Stig", "Colleague", [], "a second staff member"),
    "demo-head": ("Hedda", "Head", [], "head of the School of Engineering"),
    "demo-head2": ("Hugo", "Head", [], "head of the School of Humanities"),
    "demo-rector": ("Rut", "Rector", [], "head of the university"),
    "demo-comms": ("Carl", "Comms", [roles.COMMUNICATIONS], "communications office (reviewer)"),
    "demo-admin": ("Ada", "Admin", [roles.PORTAL_ADMINS], "portal administrator"),
}

# More people who run channels; not printed with the logins. username: (first name,
# last name, active?). demo-former has left the university: the channels they still
# own are orphaned.
STAFF = {
    "demo-staff3": ("Sara", "Social", True),
    "demo-staff4": ("Viktor", "Video", True),
    "demo-staff5": ("Lena", "Librarian", True),
    "demo-staff6": ("Henrik", "Historian", True),
    "demo-former": ("Frida", "Former", False),
}

# name: (parent name, head username); parents come before their children.
UNITS = {
    "Fictional University": (None, "demo-rector"),
    "School of Engineering": ("Fictional University", "demo-head"),
    "Department of Computer Science": ("School of Engineering", "demo-head"),
    "School of Humanities": ("Fictional University", "demo-head2"),
    "Communications Office": ("Fictional University", "demo-comms"),
}

UNIVERSITY = "Fictional University"
HOST = "fictional-university.example"  # the university's (fictional) domain
MASTODON = f"social.{HOST}"  # its own Mastodon instance
LIBRARY = "Fictional University Library"
ALUMNI = "Fictional University Alumni"
STUDENT_LIFE = "Student Life at Fictional University"
ENGINEERING = "School of Engineering"
CS = "Department of Computer Science"
HUMANITIES = "School of Humanities"
P = Platform

# The registry, by unit: (name, platform, profile address as people paste it, owner,
# deputy). Owners and deputies are usernames without "demo-"; demo-former has left, so
# the channels they own are orphaned. Then notes: "dormant", "planned", "internal" (not
# in the public directory), "overdue=N" (recertification N days late), "closed=N"
# (closed N days ago, for the reason in CLOSE_REASONS). Running channels without an
# "overdue" note are due for recertification within the coming year.
CHANNELS = {
    "Communications Office": [
        (UNIVERSITY, P.FACEBOOK, "facebook.com/FictionalUniversity", "comms", "staff3"),
        (UNIVERSITY, P.INSTAGRAM, "@fictionaluniversity", "comms", "staff3"),
        (UNIVERSITY, P.LINKEDIN, "linkedin.com/school/fictionaluni", "staff3", "comms"),
        (UNIVERSITY, P.X, "@fictionaluni", "comms", "staff4"),
        (UNIVERSITY, P.YOUTUBE, "youtube.com/@fictionaluniversity", "staff4", "comms"),
        (UNIVERSITY, P.TIKTOK, "@fictionaluni", "staff4", "staff3"),
        (UNIVERSITY, P.MASTODON, f"@news@{MASTODON}", "comms", "staff4"),
        (UNIVERSITY, P.BLUESKY, HOST, "comms", "staff3"),
        (UNIVERSITY, P.THREADS, "@fictionaluniversity", "staff3", "comms"),
        ("Photo Archive", P.FLICKR, "flickr.com/photos/fictionaluni/", "staff4", None, "dormant"),
        ("University Newsroom", P.OTHER, f"https://news.{HOST}/press/", "comms", "staff3"),
    ],
    UNIVERSITY: [
        (LIBRARY, P.INSTAGRAM, "instagram.com/FictionalUni.Library", "staff5", "staff6"),
        (LIBRARY, P.FACEBOOK, "fictionaluni.library", "staff5", "staff6"),
        (LIBRARY, P.BLUESKY, f"library.{HOST}", "staff6", "staff5"),
        (LIBRARY, P.MASTODON, f"@library@{MASTODON}", "staff6", None),
        (ALUMNI, P.LINKEDIN, "linkedin.com/company/fictionaluni-alumni", "staff5", "staff"),
        (ALUMNI, P.FACEBOOK, "fictionaluni.alumni", "former", "staff5"),
        ("Careers Service", P.FACEBOOK, "fictionaluni.careers", "staff6", "staff2", "overdue=12"),
        (STUDENT_LIFE, P.INSTAGRAM, "@fictionaluni.studentlife", "staff", "staff6"),
        (STUDENT_LIFE, P.TIKTOK, "@fictionaluni.studentlife", "staff", "staff5"),
        (STUDENT_LIFE, P.THREADS, "@fictionaluni.studentlife", "staff", "staff6", "planned"),
        ("University Sports", P.X, "@fu_sports", "former", None),
        ("Staff News", P.OTHER, f"intranet.{HOST}/news/", "staff3", "comms", "internal"),
        ("Open Day 2019", P.FACEBOOK, "fictionaluni.openday2019", "staff", "staff2", "closed=900"),
    ],
    ENGINEERING: [
        (ENGINEERING, P.LINKEDIN, "linkedin.com/showcase/fictionaluni-eng", "head", "staff2"),
        (ENGINEERING, P.INSTAGRAM, "@fictionaluni.engineering", "staff2", "staff"),
        (ENGINEERING, P.YOUTUBE, "@fictionaluni-engineering", "staff2", "head", "overdue=45"),
        (ENGINEERING, P.X, "@fu_engineering", "staff2", "staff", "dormant"),
        ("Engineering Students", P.TIKTOK, "@fictionaluni.engineers", "staff", None, "dormant"),
        ("Robotics Lab", P.YOUTUBE, "@fictionaluni-robotics", "former", "staff2"),
        ("Lab Safety", P.OTHER, f"teams.{HOST}/lab-safety", "head", "staff2", "internal"),
        ("Summer School 2021", P.INSTAGRAM, "@fictionaluni.summer21", "staff2", None, "closed=500"),
    ],
    CS: [
        (CS, P.MASTODON, f"https://{MASTODON}/@cs", "staff", "staff2"),
        (CS, P.BLUESKY, f"bsky.app/profile/cs.{HOST}", "staff", "staff2"),
        (CS, P.X, "https://twitter.com/fu_compsci", "staff2", "staff", "overdue=90"),
        ("CS Seminars", P.YOUTUBE, "@fictionaluni-cs-seminars", "staff", None, "dormant internal"),
        ("CS Podcast", P.OTHER, f"podcasts.{HOST}/cs/", "staff2", "staff"),
        ("CS Hackathon", P.X, "@fu_hackathon", "staff", None, "closed=200"),
    ],
    HUMANITIES: [
        (HUMANITIES, P.FACEBOOK, "fictionaluni.humanities", "head2", "staff6", "overdue=30"),
        (HUMANITIES, P.INSTAGRAM, "@fictionaluni.humanities", "staff6", "head2"),
        ("Book Talks", P.YOUTUBE, "@fictionaluni-booktalks", "staff6", None, "overdue=160"),
        ("Humanities Archive", P.FLICKR, "flickr.com/photos/fu-hum", "head2", "staff6", "dormant"),
        (HUMANITIES, P.THREADS, "@fictionaluni.humanities", "staff6", "head2", "planned"),
    ],
}

CLOSE_REASONS = {
    "Open Day 2019": "The event is over; followers were pointed to the university's page.",
    "Summer School 2021": "The summer school now posts on the school's main account.",
    "CS Hackathon": "Nobody had posted for two years.",
}

# The guidelines' first versions were published this many days before the first run,
# later versions this many.
GUIDELINES_PUBLISHED_DAYS_AGO = 200
GUIDELINES_REVISED_DAYS_AGO = 21
# Has acknowledged only the first version of each guideline for owners.
BEHIND_ON_GUIDELINES = "demo-staff6"
# Acknowledges the guidelines even if not running a channel: the browser test hands a
# channel over to them.
GUIDELINE_READERS = ["demo-staff3"]


def _parse_notes(notes):
    """("dormant internal",) -> {"dormant": None, "internal": None}; "overdue=12" ->
    {"overdue": "12"}."""
    words = " ".join(notes).split()
    return {word.partition("=")[0]: word.partition("=")[2] or None for word in words}


def _nine_o_clock(day):
    """09:00 on ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


S = Proposal.State

# A demo proposal's history: (its date's key in the data, who acts, action, the state it
# moves to, the key of the comment). A step is taken when the proposal's data has that
# date; the steps come in this order.
_PROPOSAL_HISTORY = [
    ("submitted_days_ago", "submitter", "proposal.submitted", S.AWAITING_UNIT_HEAD, None),
    ("withdrawn_days_ago", "submitter", "proposal.withdrawn", S.WITHDRAWN, "withdrawal_comment"),
    ("endorsed_days_ago", "head", "proposal.endorsed", S.IN_REVIEW, None),
    (
        "changes_days_ago",
        "office",
        "proposal.changes_requested",
        S.CHANGES_REQUESTED,
        "review_comment",
    ),
    ("resubmitted_days_ago", "submitter", "proposal.resubmitted", S.IN_REVIEW, None),
    ("approved_days_ago", "office", "proposal.approved", S.APPROVED, "approval_comment"),
    ("rejected_days_ago", "office", "proposal.rejected", S.REJECTED, "rejection_comment"),
]


class Command(BaseCommand):
    help = "Load demo data (a fictional university and demo logins). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Demo logins have the password 'demo'.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo logins have a "
                "known password. Use --force if you really want demo data here."
            )
        with transaction.atomic():
            people = self.seed_people()
            people |= self.seed_staff()
            units = self.seed_units(people)
            added = self.seed_channels(people, units)
            added_guidelines = self.seed_guidelines(people)
            added_proposals = self.seed_proposals(people, units)
        with transaction.atomic():
            written = demo_metrics.seed(self.demo_channels())
        self.print_logins()
        self.stdout.write(
            f"Demo registry: {Channel.objects.count()} channels ({added} added by this run)."
        )
        self.stdout.write(
            f"Demo guidelines: {Guideline.objects.count()} ({added_guidelines} added by this run)."
        )
        self.stdout.write(
            f"Demo proposals: {Proposal.objects.count()} ({added_proposals} added by this run)."
        )
        self.stdout.write(
            f"Demo figures: {written} daily snapshots written by this run"
            + ("." if written else " (today's were there already).")
        )

    def seed_people(self):
        User = get_user_model()
        people = {}
        for username, (first, last, groups, _role) in PEOPLE.items():
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "is_active": True,
                    "is_staff": roles.PORTAL_ADMINS in groups,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            # get_or_create: the migration made these groups, but a database flushed
            # since (as transactional tests do) no longer has them.
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])
            people[username] = user
        return people

    def seed_staff(self):
        User = get_user_model()
        people = {}
        for username, (first, last, active) in STAFF.items():
            # Created once, not updated: saving demo-former again as inactive would look
            # like a fresh deactivation and queue the orphaned-channel report each run.
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                    "is_active": active,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            people[username] = user
        return people

    def seed_units(self, people):
        units = {}
        for name, (parent, head) in UNITS.items():
            units[name], _created = Unit.objects.update_or_create(
                name=name, defaults={"parent": units.get(parent), "head": people[head]}
            )
        return units

    def seed_channels(self, people, units):
        """Create the demo channels not in the registry yet; returns how many."""
        existing = set(Channel.objects.values_list("platform", "profile_url"))
        today = timezone.localdate()
        added = 0
        number = 0
        for unit, rows in CHANNELS.items():
            for name, platform, address, owner, deputy, *notes in rows:
                number += 1
                if (platform, parse_profile(platform, address).url) in existing:
                    continue
                self.create_channel(
                    number,
                    today,
                    name=name,
                    platform=platform,
                    address=address,
                    unit=units[unit],
                    owner=people[f"demo-{owner}"],
                    deputy=people[f"demo-{deputy}"] if deputy else None,
                    notes=_parse_notes(notes),
                    office=people["demo-comms"],
                )
                added += 1
        return added

    def create_channel(
        self, number, today, *, name, platform, address, unit, owner, deputy, notes, office
    ):
        if "closed" in notes:
            status = Channel.Status.CLOSED
        elif "planned" in notes:
            status = Channel.Status.PLANNED
        elif "dormant" in notes:
            status = Channel.Status.DORMANT
        else:
            status = Channel.Status.ACTIVE
        channel = Channel(
            name=name,
            platform=platform,
            profile_url=address,
            unit=unit,
            purpose=f"News and stories from {name}.",
            audience="Students, staff, alumni and the public.",
            languages="English",
            status=status,
            is_public="internal" not in notes,
            credentials_location=f"Password manager: Social media / {name} ({platform})",
            two_factor_enabled=number % 5 != 0,
            recovery_contact=f"social-media@{HOST}",
        )
        if status == Channel.Status.CLOSED:
            channel.closed_on = today - datetime.timedelta(days=int(notes["closed"]))
            channel.close_reason = CLOSE_REASONS[name]
        if status == Channel.Status.PLANNED:
            channel.approved_on = today - datetime.timedelta(days=10 + number)
        else:
            # Spread over the four years before today (or before closing).
            last_day = channel.closed_on or today
            channel.approved_on = last_day - datetime.timedelta(days=400 + (number * 37) % 1100)
            channel.opened_on = channel.approved_on + datetime.timedelta(days=14)
        if status in (Channel.Status.ACTIVE, Channel.Status.DORMANT):
            if "overdue" in notes:
                due = today - datetime.timedelta(days=int(notes["overdue"]))
            else:
                due = today + datetime.timedelta(days=20 + (number * 53) % 330)
            recertified = due - relativedelta(months=settings.PORTAL_RECERTIFICATION_MONTHS)
            if recertified > channel.approved_on:
                channel.last_recertified_on = recertified
            channel.recertification_due_on = due
        channel.full_clean()  # tidies the profile address and fills in the handle
        channel.save()

        started = _nine_o_clock(channel.approved_on)
        ended = _nine_o_clock(channel.closed_on) if channel.closed_on else None
        for person, kind in [(owner, ChannelRole.Kind.OWNER), (deputy, ChannelRole.Kind.DEPUTY)]:
            if person is not None:
                ChannelRole.objects.create(
                    channel=channel, user=person, kind=kind, started_at=started, ended_at=ended
                )
        ChannelEvent.objects.create(
            channel=channel,
            actor=office,
            action=ChannelEvent.Action.CREATED,
            at=started,
            payload={"owner": owner.pk, "deputy": deputy.pk if deputy else None},
        )
        if status == Channel.Status.CLOSED:
            ChannelEvent.objects.create(
                channel=channel,
                actor=office,
                action=ChannelEvent.Action.CLOSED,
                at=ended,
                comment=channel.close_reason,
                payload={"previous_status": Channel.Status.ACTIVE},
            )

    def seed_guidelines(self, people):
        """Create the demo guidelines not there yet, with their versions and who has
        acknowledged them, and the principles not there yet; returns how many
        guidelines were added."""
        existing = set(Guideline.objects.values_list("slug", flat=True))
        readers = self.guideline_readers(people)
        added = 0
        for data in demo_guidelines.GUIDELINES:
            if data["slug"] not in existing:
                self.create_guideline(data, office=people["demo-comms"], readers=readers)
                added += 1
        slugs = {guideline.slug: guideline for guideline in Guideline.objects.all()}
        for ordering, data in enumerate(demo_guidelines.PRINCIPLES, start=1):
            Principle.objects.get_or_create(
                text=data["text"],
                defaults={
                    "explanation": data["explanation"],
                    "guideline": slugs.get(data["guideline"]),
                    "ordering": ordering * 10,
                },
            )
        return added

    def guideline_readers(self, people):
        """The active demo people who run a channel (and GUIDELINE_READERS)."""
        usernames = set(GUIDELINE_READERS)
        for rows in CHANNELS.values():
            for _name, _platform, _address, owner, deputy, *_notes in rows:
                usernames |= {f"demo-{person}" for person in (owner, deputy) if person}
        return [people[username] for username in sorted(usernames) if people[username].is_active]

    def create_guideline(self, data, *, office, readers):
        """The guideline with its versions, oldest first, written directly: publish()
        would e-mail every channel owner."""
        today = timezone.localdate()
        guideline = Guideline.objects.create(
            slug=data["slug"],
            ordering=data["ordering"],
            applies_to_owners=data["applies_to_owners"],
        )
        versions = []
        for number, text in enumerate([*data.get("earlier", []), data], start=1):
            days_ago = GUIDELINES_PUBLISHED_DAYS_AGO if number == 1 else GUIDELINES_REVISED_DAYS_AGO
            version = GuidelineVersion(
                guideline=guideline,
                number=number,
                title=text["title"],
                summary=text["summary"],
                body=text["body"],
                change_note=text.get("change_note", ""),
                published_at=_nine_o_clock(today - datetime.timedelta(days=days_ago)),
                published_by=office,
            )
            version.full_clean()
            version.save()
            versions.append(version)
        guideline.current_version = versions[-1]
        guideline.save(update_fields=["current_version"])
        if guideline.applies_to_owners:
            # Each reader acknowledged each version a few days after it came out.
            Acknowledgement.objects.bulk_create(
                Acknowledgement(
                    user=reader,
                    version=version,
                    acknowledged_at=version.published_at
                    + datetime.timedelta(days=1 + index % 9, hours=index % 7),
                )
                for version in versions
                for index, reader in enumerate(readers)
                if version.number == 1 or reader.username != BEHIND_ON_GUIDELINES
            )

    def seed_proposals(self, people, units):
        """Create the demo proposals not there yet; returns how many."""
        existing = set(Proposal.objects.values_list("name", "submitter__username"))
        template = ChecklistTemplate.objects.current()
        if template is None:
            # The migration made the default checklist, but a database flushed since
            # (as transactional tests do) no longer has it.
            default = importlib.import_module("checklist.migrations.0002_default_checklist")
            default.create_default_checklist(django_apps, None)
            template = ChecklistTemplate.objects.current()
        added = 0
        today = timezone.localdate()
        for data in [*demo_proposals.PROPOSALS, *demo_metrics.origin_proposals(today)]:
            submitter = people[f"demo-{data['submitter']}"]
            if (data["name"], submitter.username) not in existing:
                self.create_proposal(data, template, submitter, people, units)
                added += 1
        return added

    def create_proposal(self, data, template, submitter, people, units):
        today = timezone.localdate()

        def when(key, hour=9):
            day = today - datetime.timedelta(days=data[key])
            return _nine_o_clock(day) + datetime.timedelta(hours=hour - 9)

        unit = units[data["unit"]]
        proposal = Proposal.objects.create(
            template=template,
            submitter=submitter,
            state=data["state"],
            unit=unit,
            platform=data["platform"],
            name=data["name"],
            profile=data["profile"],
            proposed_owner=people[f"demo-{data['owner']}"],
            proposed_deputy=people[f"demo-{data['deputy']}"],
            languages=data["languages"],
            why_new_channel=data["why_new_channel"],
            submitted_at=when("submitted_days_ago", hour=10)
            if "submitted_days_ago" in data
            else None,
        )
        items = {item.key: item for item in template.items.all()}
        Answer.objects.bulk_create(
            Answer(proposal=proposal, item=items[key], text=text)
            for key, text in data["answers"].items()
            if key in items
        )
        Goal.objects.bulk_create(
            Goal(
                proposal=proposal,
                metric=metric,
                target_value=target,
                target_date=today + datetime.timedelta(days=days),
            )
            for metric, target, days in data["goals"]
        )
        office, head = people["demo-comms"], unit.head
        state = Proposal.State.DRAFT
        last_change = when("created_days_ago")
        for key, actor, action, to_state, comment_key in _PROPOSAL_HISTORY:
            if key not in data:
                continue
            at = when(key, hour=10)
            Transition.objects.create(
                proposal=proposal,
                actor={"submitter": submitter, "head": head, "office": office}[actor],
                action=action,
                from_state=state,
                to_state=to_state,
                comment=data.get(comment_key, "") if comment_key else "",
                at=at,
            )
            state, last_change = to_state, at
        if state != data["state"]:  # a mistake in demo/proposals.py
            raise CommandError(f"{data['name']}: its history ends in {state}")
        # The dates of a proposal written over the past weeks (update() leaves them).
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=when("created_days_ago", hour=8), updated_at=last_change
        )
        if "channel" in data:  # the running channel it became: its goals are the channel's
            Channel.objects.filter(pk=data["channel"].pk).update(origin_proposal=proposal)

    def demo_channels(self):
        """The demo registry's channels (by platform and profile address)."""
        keys = Q()
        for rows in CHANNELS.values():
            for _name, platform, address, *_rest in rows:
                keys |= Q(platform=platform, profile_url=parse_profile(platform, address).url)
        return Channel.objects.filter(keys)

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins:"))
        width = max(len(username) for username in PEOPLE)
        for username, (*_names, role) in PEOPLE.items():
            self.stdout.write(f"  {username:<{width}}  password: {DEMO_PASSWORD}  ({role})")
