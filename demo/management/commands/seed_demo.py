"""Load the demo organisation: a fictional university, its units, demo logins, a
registry of about forty channels, the guidelines, proposals in every state and a year
of figures.

The demo is the portal's own operations, played at the moments they happened (see
demo/history.py, which also holds their e-mail back): the communications office
registered each channel (Channel.register) and, once it was live, opened it; owners
recertified it; the nightly review marked the quiet ones dormant; the office closed
some. demo-former left the university (their account was deactivated), which orphaned
the channels they owned. The office published the guidelines (Guideline.publish) and
revised one; the people running channels acknowledged them, except that demo-staff6 has
not acknowledged the revision yet. The proposals (demo/proposals.py) were written,
submitted, endorsed, sent back, approved, rejected or withdrawn through their
transitions; two approved ones (demo/metrics.py) are where running channels came from,
so that goals can be shown. Dates are relative to the day of the first run. So the
demo can hold no state the portal could not reach itself.

Written directly, because no operation makes them: the people (single sign-on creates
them in a real portal) and their groups, the units and their heads (the admin), the
guidelines' principles (the admin), a proposal's draft with its answers and goals (as
the proposal form saves them), and the year of figures (demo/metrics.py: marked as
demo data), but for the last five weeks of the Mastodon channels, which the collector
gathered through the Mastodon provider from what the server would have answered
(demo/answers.py).

Idempotent: people and units are looked up by their natural keys, channels by
(platform, profile address), guidelines by slug, proposals by name and submitter, and
only what is missing is played, so a second run changes nothing (except resetting the
demo passwords, so that the printed logins always work): the demo's history is not
rewritten. A run on a day whose figures are there already writes none.
"""

import datetime
import importlib
import types

from dateutil.relativedelta import relativedelta
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Channel, Recertification, Unit
from accounts.platforms import parse_profile
from checklist.models import Answer, ChecklistTemplate, Goal, Proposal
from core import roles
from core.models import OutboxMessage
from demo import guidelines as demo_guidelines
from demo import history as history_module
from demo import metrics as demo_metrics
from demo import proposals as demo_proposals
from demo import watch as demo_watch
from demo.history import History, deliver_held, held_mail, nine_o_clock
from demo.university import (
    CHANNELS,
    CLOSE_REASONS,
    HANDED_OVER,
    HOST,
    NOTICE,
    NOTICE_DAYS_AGO,
    NOTICE_UNREAD,
    PEOPLE,
    STAFF,
    UNITS,
)
from guidelines.models import Guideline, Principle, SiteNotice, acknowledge

# Printed with the logins; seed_demo refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "demo"  # nosec B105

# The guidelines' first versions were published this many days before the first run,
# later versions this many.
GUIDELINES_PUBLISHED_DAYS_AGO = 200
GUIDELINES_REVISED_DAYS_AGO = 21
# Has acknowledged only the first version of each guideline for owners.
BEHIND_ON_GUIDELINES = "demo-staff6"
# Acknowledges the guidelines even if not running a channel: the browser test hands a
# channel over to them.
GUIDELINE_READERS = ["demo-staff3"]
# demo-former left the university this many days before the first run.
FORMER_LEFT_DAYS_AGO = 60


def _parse_notes(notes):
    """("dormant internal",) -> {"dormant": None, "internal": None}; "overdue=12" ->
    {"overdue": "12"}."""
    words = " ".join(notes).split()
    return {word.partition("=")[0]: word.partition("=")[2] or None for word in words}


def _days_before(day, days):
    return day - datetime.timedelta(days=days)


def _channel(key):
    platform, url = key
    return Channel.objects.get(platform=platform, profile_url=url)


# A demo proposal's history: (its date's key in the data, who acts, the transition, the
# key of its comment). A step is taken when the proposal's data has that date; the
# steps come in this order.
_PROPOSAL_HISTORY = [
    ("submitted_days_ago", "submitter", "submit", None),
    ("withdrawn_days_ago", "submitter", "withdraw", "withdrawal_comment"),
    ("endorsed_days_ago", "endorser", "endorse", None),
    ("changes_days_ago", "office", "request_changes", "review_comment"),
    ("resubmitted_days_ago", "submitter", "resubmit", None),
    ("approved_days_ago", "office", "approve", "approval_comment"),
    ("rejected_days_ago", "office", "reject", "rejection_comment"),
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
        if history_module.time_machine is None:
            raise CommandError(
                "The demo is played with time-machine, a development requirement: "
                "pip install -r requirements-dev.txt"
            )
        self.today = timezone.localdate()
        self.planned_proposals = []
        history = History()
        with held_mail():
            with transaction.atomic():
                people = self.seed_people()
                people |= self.seed_staff(history)
                units = self.seed_units(people)
                self.office = people["demo-comms"]
                self.template = self.checklist()
                added = self.seed_channels(history, people, units)
                added_guidelines = self.seed_guidelines(history, people)
                self.seed_proposals(history, people, units)
                self.seed_notices(history, people)
                history.play()
                self.check_proposals()
                self.seed_principles()
                # What the portal's daily clean-up (portal.tasks.prune_outbox) forgets.
                OutboxMessage.objects.prune(
                    before=timezone.now()
                    - datetime.timedelta(days=settings.PORTAL_OUTBOX_RETENTION_DAYS)
                )
            with transaction.atomic():
                written = demo_metrics.seed(self.demo_channels())
                demo_metrics.seed_verification(self.demo_channels(), self.today)
            # The impersonation watch's searches of the day (demo/watch.py).
            demo_watch.seed(self.today)
            deliver_held()  # the broken link's notice, to nobody (held_mail)
        self.print_logins()
        self.stdout.write(
            f"Demo registry: {Channel.objects.count()} channels ({added} added by this run)."
        )
        self.stdout.write(
            f"Demo guidelines: {Guideline.objects.count()} ({added_guidelines} added by this run)."
        )
        self.stdout.write(
            f"Demo proposals: {Proposal.objects.count()} "
            f"({len(self.planned_proposals)} added by this run)."
        )
        self.stdout.write(
            f"Demo figures: {written} daily snapshots written by this run"
            + ("." if written else " (today's were there already).")
        )

    # --- People and units (no operation makes them) -----------------------------------

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

    def seed_staff(self, history):
        """Created once, not updated, all active: the ones who have left leave in the
        demo's history (saving them again as inactive would look like a fresh
        deactivation each run)."""
        User = get_user_model()
        people = {}
        for username, (first, last, active) in STAFF.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            people[username] = user
            if created and not active:
                left = nine_o_clock(_days_before(self.today, FORMER_LEFT_DAYS_AGO), hour=16)
                history.at(left, self.deactivate, user)
        return people

    def deactivate(self, user):
        """What the admin (or the single sign-on sync) does when someone leaves: the
        save queues the orphaned-channel report."""
        user.is_active = False
        user.save(update_fields=["is_active"])

    def seed_units(self, people):
        units = {}
        for name, (parent, head) in UNITS.items():
            units[name], _created = Unit.objects.update_or_create(
                name=name, defaults={"parent": units.get(parent), "head": people[head]}
            )
        return units

    # --- The registry -----------------------------------------------------------------

    def seed_channels(self, history, people, units):
        """Plan the history of the demo channels not in the registry yet; returns how
        many."""
        existing = set(Channel.objects.values_list("platform", "profile_url"))
        added = 0
        number = 0
        for unit, rows in CHANNELS.items():
            for name, platform, address, owner, deputy, *notes in rows:
                number += 1
                key = (platform, parse_profile(platform, address).url)
                if key in existing:
                    continue
                self.plan_channel(
                    history,
                    number,
                    key,
                    name=name,
                    address=address,
                    unit=units[unit],
                    owner=people[f"demo-{owner}"],
                    deputy=people[f"demo-{deputy}"] if deputy else None,
                    notes=_parse_notes(notes),
                    people=people,
                    units=units,
                )
                added += 1
        return added

    def plan_channel(
        self, history, number, key, *, name, address, unit, owner, deputy, notes, people, units
    ):
        today = self.today
        platform = key[0]
        if "closed" in notes:
            status, closed_on = Channel.Status.CLOSED, _days_before(today, int(notes["closed"]))
        else:
            status, closed_on = Channel.Status.ACTIVE, None
            if "planned" in notes:
                status = Channel.Status.PLANNED
            elif "dormant" in notes:
                status = Channel.Status.DORMANT
        if status == Channel.Status.PLANNED:
            approved_on = _days_before(today, 10 + number)
        else:
            # Spread over the four years before today (or before closing).
            approved_on = _days_before(closed_on or today, 400 + (number * 37) % 1100)
        recertified_on = None
        if status in (Channel.Status.ACTIVE, Channel.Status.DORMANT):
            if "overdue" in notes:
                due = _days_before(today, int(notes["overdue"]))
            else:
                due = today + datetime.timedelta(days=20 + (number * 53) % 330)
            recertified_on = due - relativedelta(months=settings.PORTAL_RECERTIFICATION_MONTHS)
            if recertified_on <= approved_on + datetime.timedelta(days=14):
                # Not recertified yet: approved a year before it is due.
                approved_on, recertified_on = recertified_on, None
        opened_on = approved_on + datetime.timedelta(days=14)

        origin = demo_metrics.origin_proposal(*key, approved_on=approved_on, today=today)
        if origin is not None:  # approving the proposal put the channel in the registry
            self.plan_proposal(history, origin, people, units)
            history.at(
                nine_o_clock(approved_on, hour=11),
                self.fill_in,
                key,
                **self.details(number, name, notes),
            )
        else:
            first_owner = owner
            if "handed" in notes:
                previous, days_ago, why = HANDED_OVER[name]
                first_owner = people[previous]
                handed = nine_o_clock(_days_before(today, days_ago), hour=13)
                history.at(handed, self.hand_over, key, owner, why)
            history.at(
                nine_o_clock(approved_on),
                Channel.register,
                by=self.office,
                owner=first_owner,
                deputy=deputy,
                name=name,
                platform=platform,
                profile_url=address,
                unit=unit,
                status=Channel.Status.PLANNED,
                approved_on=approved_on,
                **self.details(number, name, notes),
            )
        if status == Channel.Status.PLANNED:
            return
        history.at(nine_o_clock(opened_on), self.open, key)
        if recertified_on is not None:
            history.at(nine_o_clock(recertified_on, hour=14), self.recertify, key)
        if status == Channel.Status.DORMANT:
            seen = types.SimpleNamespace(name=name, platform=platform, status=status)
            quiet_since = demo_metrics.last_post_day(seen, today)
            went_dormant = quiet_since + datetime.timedelta(days=settings.METRICS_DORMANT_DAYS)
            history.at(nine_o_clock(went_dormant, hour=4), self.mark_dormant, key, quiet_since)
        if status == Channel.Status.CLOSED:
            history.at(nine_o_clock(closed_on), self.close, key, CLOSE_REASONS[name], closed_on)

    @staticmethod
    def details(number, name, notes):
        """What the office enters about a channel besides its name, address and people."""
        return {
            "purpose": f"News and stories from {name}.",
            "audience": "Students, staff, alumni and the public.",
            "languages": "English",
            "is_public": "internal" not in notes,
            "credentials_location": f"Password manager: Social media / {name}",
            "two_factor_enabled": number % 5 != 0,
            "recovery_contact": f"social-media@{HOST}",
        }

    def fill_in(self, key, **details):
        _channel(key).update_details(by=self.office, **details)

    def hand_over(self, key, to, comment):
        _channel(key).hand_over(to=to, by=self.office, comment=comment)

    def open(self, key):
        _channel(key).open(by=self.office)

    def recertify(self, key):
        """The owner's yearly confirmation (their deputy's, when they have left)."""
        channel = _channel(key)
        people = [person for person in (channel.owner, channel.deputy) if person]
        by = next((person for person in people if person.is_active), self.office)
        channel.recertify(by=by, outcome=Recertification.KEEP, answers={})

    def mark_dormant(self, key, quiet_since):
        _channel(key).mark_dormant(quiet_since=quiet_since, days=settings.METRICS_DORMANT_DAYS)

    def close(self, key, reason, on):
        _channel(key).close(by=self.office, reason=reason, on=on)

    # --- Notices ----------------------------------------------------------------------

    def seed_notices(self, history, people):
        """Plan the demo's past crisis notice, unless it is there; returns how many."""
        if SiteNotice.objects.filter(title_en=NOTICE["title"]).exists():
            return 0
        published = nine_o_clock(_days_before(self.today, NOTICE_DAYS_AGO), hour=11)
        notice = {}
        history.at(published, self.publish_notice, notice)
        readers = [person for name, person in sorted(people.items()) if name not in NOTICE_UNREAD]
        for index, person in enumerate(readers):
            read = published + datetime.timedelta(hours=1 + index * 5)
            history.at(read, self.acknowledge_notice, notice, person)
        history.at(published + datetime.timedelta(days=3), self.end_notice, notice)
        return 1

    def publish_notice(self, notice):
        notice["notice"] = SiteNotice.publish(by=self.office, **NOTICE)

    @staticmethod
    def acknowledge_notice(notice, person):
        """A recipient reads it (the others are not asked to)."""
        if notice["notice"].recipients.filter(user=person).exists():
            notice["notice"].acknowledge(person)

    def end_notice(self, notice):
        notice["notice"].end(by=self.office)

    def demo_channels(self):
        """The demo registry's channels (by platform and profile address)."""
        keys = Q()
        for rows in CHANNELS.values():
            for _name, platform, address, *_rest in rows:
                keys |= Q(platform=platform, profile_url=parse_profile(platform, address).url)
        return Channel.objects.filter(keys)

    # --- Guidelines -------------------------------------------------------------------

    def seed_guidelines(self, history, people):
        """Plan the publication of the demo guidelines not there yet, and who
        acknowledged them; returns how many guidelines will be added."""
        existing = set(Guideline.objects.values_list("slug", flat=True))
        readers = self.guideline_readers(people)
        added = 0
        for data in demo_guidelines.GUIDELINES:
            if data["slug"] in existing:
                continue
            added += 1
            for number, text in enumerate([*data.get("earlier", []), data], start=1):
                days_ago = (
                    GUIDELINES_PUBLISHED_DAYS_AGO if number == 1 else GUIDELINES_REVISED_DAYS_AGO
                )
                published = nine_o_clock(_days_before(self.today, days_ago))
                history.at(published, self.publish, data, text)
                if not data["applies_to_owners"]:
                    continue
                # Each reader acknowledged each version a few days after it came out.
                for index, reader in enumerate(readers):
                    if number > 1 and reader.username == BEHIND_ON_GUIDELINES:
                        continue
                    history.at(
                        published + datetime.timedelta(days=1 + index % 9, hours=index % 7),
                        self.acknowledge,
                        reader,
                        data["slug"],
                        number,
                    )
        return added

    def guideline_readers(self, people):
        """The demo people who run a channel and have not left (and GUIDELINE_READERS)."""
        usernames = set(GUIDELINE_READERS)
        for rows in CHANNELS.values():
            for _name, _platform, _address, owner, deputy, *_notes in rows:
                usernames |= {f"demo-{person}" for person in (owner, deputy) if person}
        return [
            people[username]
            for username in sorted(usernames)
            if STAFF.get(username, (None, None, True))[2]
        ]

    def publish(self, data, text):
        guideline, _created = Guideline.objects.get_or_create(
            slug=data["slug"],
            defaults={"ordering": data["ordering"], "applies_to_owners": data["applies_to_owners"]},
        )
        guideline.publish(
            by=self.office,
            title=text["title"],
            summary=text["summary"],
            body=text["body"],
            change_note=text.get("change_note", ""),
        )

    @staticmethod
    def acknowledge(reader, slug, number):
        acknowledge(reader, Guideline.objects.get(slug=slug).versions.filter(number=number))

    def seed_principles(self):
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

    # --- Proposals --------------------------------------------------------------------

    def checklist(self):
        template = ChecklistTemplate.objects.current()
        if template is None:
            # The migration made the default checklist, but a database flushed since
            # (as transactional tests do) no longer has it.
            default = importlib.import_module("checklist.migrations.0002_default_checklist")
            default.create_default_checklist(django_apps, None)
            template = ChecklistTemplate.objects.current()
        return template

    def seed_proposals(self, history, people, units):
        """Plan the history of the demo proposals not there yet (those that running
        channels came from are planned with their channel)."""
        existing = set(Proposal.objects.values_list("name", "submitter__username"))
        for data in demo_proposals.PROPOSALS:
            if (data["name"], f"demo-{data['submitter']}") not in existing:
                self.plan_proposal(history, data, people, units)

    def plan_proposal(self, history, data, people, units):
        def when(key, hour=10):
            return nine_o_clock(_days_before(self.today, data[key]), hour=hour)

        proposal = {}  # the draft, once written
        history.at(
            when("created_days_ago", hour=8), self.write_draft, proposal, data, people, units
        )
        for key, actor, transition, comment_key in _PROPOSAL_HISTORY:
            if key in data:
                kwargs = {"comment": data.get(comment_key, "")} if comment_key else {}
                history.at(when(key), self.move, proposal, actor, transition, **kwargs)
        self.planned_proposals.append((proposal, data))

    def check_proposals(self):
        """Each proposal played ends in the state its data says (or demo/proposals.py
        has a mistake)."""
        for proposal, data in self.planned_proposals:
            state = Proposal.objects.get(pk=proposal["draft"].pk).state
            if state != data["state"]:
                raise CommandError(f"{data['name']}: its history ends in {state}")

    def write_draft(self, proposal, data, people, units):
        """What the proposal form saves: the draft, its answers and goals."""
        today = self.today
        draft = Proposal.objects.create(
            template=self.template,
            submitter=people[f"demo-{data['submitter']}"],
            unit=units[data["unit"]],
            platform=data["platform"],
            name=data["name"],
            profile=data["profile"],
            proposed_owner=people[f"demo-{data['owner']}"],
            proposed_deputy=people[f"demo-{data['deputy']}"],
            languages=data["languages"],
            why_new_channel=data["why_new_channel"],
        )
        items = {item.key: item for item in self.template.items.all()}
        Answer.objects.bulk_create(
            Answer(proposal=draft, item=items[key], text=text)
            for key, text in data["answers"].items()
            if key in items
        )
        Goal.objects.bulk_create(
            Goal(
                proposal=draft,
                metric=metric,
                target_value=target,
                target_date=today + datetime.timedelta(days=days),
            )
            for metric, target, days in data["goals"]
        )
        proposal["draft"] = draft

    def move(self, proposal, actor, transition, **kwargs):
        draft = proposal["draft"]
        by = {
            "submitter": draft.submitter,
            "endorser": draft.endorser(),
            "office": self.office,
        }[actor]
        getattr(draft, transition)(by=by, **kwargs)

    # --- The logins -------------------------------------------------------------------

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins:"))
        width = max(len(username) for username in PEOPLE)
        for username, (*_names, role) in PEOPLE.items():
            self.stdout.write(f"  {username:<{width}}  password: {DEMO_PASSWORD}  ({role})")
