"""Load the demo organisation: a fictional university, its units and demo logins.

Idempotent: people and units are looked up by their natural keys, so a second run
changes nothing (except resetting the demo passwords, so that the printed logins
always work).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Unit
from portal import roles

DEMO_PASSWORD = "demo"

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

# name: (parent name, head username); parents come before their children.
UNITS = {
    "Fictional University": (None, "demo-rector"),
    "School of Engineering": ("Fictional University", "demo-head"),
    "Department of Computer Science": ("School of Engineering", "demo-head"),
    "School of Humanities": ("Fictional University", "demo-head2"),
    "Communications Office": ("Fictional University", "demo-comms"),
}


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
            self.seed_units(people)
        self.print_logins()

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
            user.groups.set(Group.objects.filter(name__in=groups))
            people[username] = user
        return people

    def seed_units(self, people):
        units = {}
        for name, (parent, head) in UNITS.items():
            units[name], _created = Unit.objects.update_or_create(
                name=name, defaults={"parent": units.get(parent), "head": people[head]}
            )

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Demo logins:"))
        width = max(len(username) for username in PEOPLE)
        for username, (*_names, role) in PEOPLE.items():
            self.stdout.write(f"  {username:<{width}}  password: {DEMO_PASSWORD}  ({role})")
