"""Importing an existing registry from a spreadsheet (CSV or XLSX) with the export's
columns: what each row would do (``plan``), and doing it (``apply``).

A row is matched to the registry by its canonical profile address (the registration
form's parser, accounts.platforms), so importing the same file twice changes nothing
the second time. New channels go through ``Channel.register`` (its event, its e-mail,
the owner's checks); a channel already in the registry is changed only through its own
operations (``update_details``, ``hand_over``, ``set_deputy``). Its status, unit and
dates are not changed by an import: those have operations of their own in the portal.

The plan reads units, people, acknowledgements and existing channels in a handful of
bulk queries, however many rows there are.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import IMPORT_MAX_ROWS as MAX_ROWS
from accounts.forms import looks_like_password
from accounts.models import Channel, Unit
from accounts.platforms import Platform, detect_platform, parse_profile
from accounts.spreadsheets import Formula
from core.names import person_name
from core.notifications import notify
from core.validators import EARLIEST_YEAR, LATEST_YEAR
from guidelines.models import Acknowledgement, Guideline

# The export's columns (accounts.views.registry._export), by key.
COLUMNS = {
    "name": gettext_lazy("Name"),
    "platform": gettext_lazy("Platform"),
    "handle": gettext_lazy("Handle"),
    "address": gettext_lazy("Address"),
    "unit": gettext_lazy("Unit"),
    "status": gettext_lazy("Status"),
    "owner": gettext_lazy("Responsible owner"),
    "owner_email": gettext_lazy("Owner's e-mail"),
    "deputy": gettext_lazy("Deputy"),
    "deputy_email": gettext_lazy("Deputy's e-mail"),
    "due": gettext_lazy("Recertification due"),
    "last_recertified": gettext_lazy("Last recertified"),
    "public": gettext_lazy("In the public directory"),
    "credentials": gettext_lazy("Credentials kept in"),
    "two_factor": gettext_lazy("Two-factor"),
    "recovery": gettext_lazy("Recovery contact"),
}
REQUIRED = ["name", "platform", "unit"]

_YES = {"yes", "ja", "true", "1", "x", "y", "j", "sant"}
_NO = {"no", "nej", "false", "0", "n", "falskt"}
_NEW_STATUSES = {Channel.Status.PLANNED, Channel.Status.ACTIVE, Channel.Status.DORMANT}


class BadFile(ValueError):
    """The file as a whole cannot be imported (its header): the message says why."""


def _in_every_language(label):
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(label).strip().casefold())
    return names


def read_header(row):
    """{key: column index} from the header row, and the labels not read. BadFile if a
    required column is missing or one appears twice."""
    labels = {}
    for key, label in COLUMNS.items():
        for name in _in_every_language(label):
            labels[name] = key
    columns, ignored = {}, []
    for index, cell in enumerate(row):
        text = str(cell).strip().lstrip("\ufeff")
        if not text:
            continue
        key = labels.get(text.casefold())
        if key is None:
            ignored.append(text)
        elif key in columns:
            raise BadFile(_("The column “%(column)s” appears twice.") % {"column": text})
        else:
            columns[key] = index
    missing = [str(COLUMNS[key]) for key in REQUIRED if key not in columns]
    if "address" not in columns and "handle" not in columns:
        missing.append(str(COLUMNS["address"]))
    if "owner" not in columns and "owner_email" not in columns:
        missing.append(str(COLUMNS["owner_email"]))
    if missing:
        raise BadFile(
            _(
                "The first row must name the columns, as the registry's export does. "
                "Missing: %(columns)s."
            )
            % {"columns": ", ".join(missing)}
        )
    return columns, ignored


@dataclass
class Row:
    """What one row of the file would do."""

    number: int  # as the spreadsheet counts rows: the header is row 1
    name: str = ""
    address: str = ""
    action: str = ""  # create, update, unchanged, error, empty
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # [(label, before, after)]
    notes: list = field(default_factory=list)
    register: dict = field(default_factory=dict)  # Channel.register()'s arguments
    channel: Channel | None = None
    details: dict = field(default_factory=dict)  # update_details()'s arguments
    owner: object = None
    deputy: object = None


@dataclass
class Plan:
    rows: list
    ignored_columns: list

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {
            action: self.count(action)
            for action in ("create", "update", "unchanged", "error", "empty")
        }

    @property
    def has_work(self):
        return any(row.action in ("create", "update") for row in self.rows)


# --- Reading the cells -------------------------------------------------------------


def _spellings(choices):
    """{value or label in any language, case-folded: value} of ``choices``, made once
    per plan (switching languages per cell was most of a 5,000-row plan's time)."""
    spellings = {}
    for value, label in choices:
        for name in _in_every_language(label):
            spellings.setdefault(name, value)
        spellings[str(value).casefold()] = value
    return spellings


def _flag(text, default):
    wanted = text.strip().casefold()
    if not wanted:
        return default
    if wanted in _YES:
        return True
    if wanted in _NO:
        return False
    raise ValueError


def _date(text):
    if not text:
        return None
    value = datetime.date.fromisoformat(text.strip()[:10])
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError
    return value


class _People:
    """The people the file names, found by user name or e-mail address in one query;
    and which of them have acknowledged the owner guidelines, in two more."""

    def __init__(self, names):
        keys = {name.casefold() for name in names if name}
        found = list(
            get_user_model()
            .objects.annotate(username_key=Lower("username"), email_key=Lower("email"))
            .filter(Q(username_key__in=keys) | Q(email_key__in=keys))
        )
        self.by_username = {person.username.casefold(): person for person in found}
        self.by_email = {}
        for person in found:
            if person.email:
                self.by_email.setdefault(person.email.casefold(), []).append(person)
        current = list(
            Guideline.objects.filter(
                applies_to_owners=True, current_version__isnull=False
            ).values_list("current_version", flat=True)
        )
        done = {}
        if current and found:
            for user_id, version_id in Acknowledgement.objects.filter(
                user__in=found, version__in=current
            ).values_list("user_id", "version_id"):
                done.setdefault(user_id, set()).add(version_id)
        self.pending = {person.pk for person in found if done.get(person.pk, set()) < set(current)}

    def find(self, *names):
        """The person named by the first of ``names`` that is given, or an error."""
        name = next((name for name in names if name), "")
        if not name:
            return None, None
        key = name.casefold()
        if key in self.by_username:
            person = self.by_username[key]
        else:
            people = self.by_email.get(key, [])
            if not people:
                return None, _("Nobody with the user name or e-mail address “%(value)s”.") % {
                    "value": name
                }
            if len(people) > 1:
                return None, _(
                    "Several people have the e-mail address “%(value)s”: use the user name."
                ) % {"value": name}
            person = people[0]
        label = person_name(person)
        if not person.is_active:
            return None, _("%(name)s no longer has an active account.") % {"name": label}
        if person.pk in self.pending:
            return None, _(
                "%(name)s has not acknowledged the current guidelines for owners yet."
            ) % {"name": label}
        return person, None


def _cells(raw, columns):
    """{key: text} of a row, and the keys whose cell held a formula."""
    values, formulas = {}, []
    for key, index in columns.items():
        cell = raw[index] if index < len(raw) else ""
        if isinstance(cell, Formula):
            formulas.append(key)
            cell = ""
        values[key] = str(cell).strip()
    return values, formulas


def stored(rows):
    """``rows`` as JSON can keep them (a formula cell becomes {"formula": text})."""
    return [
        [{"formula": str(cell)} if isinstance(cell, Formula) else cell for cell in row]
        for row in rows
    ]


def restored(rows):
    """The rows ``stored`` kept, formula cells marked again."""
    return [
        [Formula(cell["formula"]) if isinstance(cell, dict) else str(cell) for cell in row]
        for row in rows
    ]


# --- The plan ----------------------------------------------------------------------


def plan(rows):
    """What importing ``rows`` (the header first) would do, row by row. BadFile if the
    header is wrong or there are no rows."""
    if not rows:
        raise BadFile(_("The file is empty."))
    columns, ignored = read_header(rows[0])
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise BadFile(
            _("The file has more than %(count)d rows: split it into smaller files.")
            % {"count": MAX_ROWS}
        )
    read = [(number, *_cells(raw, columns)) for number, raw in enumerate(body, start=2)]
    names = set()
    for _number, values, _formulas in read:
        names |= {values.get(key, "") for key in ("owner", "owner_email", "deputy", "deputy_email")}
    people = _People(names)
    units = {}
    for unit in Unit.objects.all():
        units.setdefault(unit.name.strip().casefold(), unit)

    choices = {
        "platform": _spellings(Platform.choices),
        "status": _spellings(Channel.Status.choices),
    }
    planned = [
        _read_row(number, values, formulas, people, units, choices)
        for number, values, formulas in read
    ]
    _match_registry(planned)
    return Plan(rows=planned, ignored_columns=ignored)


def _read_row(number, values, formulas, people, units, choices):
    row = Row(number=number, name=values.get("name", ""))
    if not any(values.values()) and not formulas:
        row.action = "empty"
        row.notes.append(_("The row is empty and is left out."))
        return row
    errors = row.errors
    for key in formulas:
        errors.append(
            _("The column “%(column)s” holds a formula: type the value itself.")
            % {"column": COLUMNS[key]}
        )
    if not row.name:
        errors.append(_("The name is missing."))
    elif len(row.name) > 200:
        errors.append(_("The name is longer than 200 characters."))

    address = values.get("address") or values.get("handle", "")
    row.address = address
    platform = None
    if values.get("platform"):
        platform = choices["platform"].get(values["platform"].casefold())
        if platform is None:
            errors.append(
                _("“%(value)s” is not a platform the registry knows.")
                % {"value": values["platform"]}
            )
    elif address:
        platform = detect_platform(address)
    if platform is None and not values.get("platform"):
        errors.append(_("The platform is missing."))
    profile = None
    if not address:
        errors.append(_("The profile address is missing."))
    elif platform is not None:
        try:
            profile = parse_profile(platform, address)
        except ValidationError as error:
            errors.extend(error.messages)

    unit = None
    if values.get("unit"):
        unit = units.get(values["unit"].casefold())
        if unit is None:
            errors.append(_("There is no unit named “%(value)s”.") % {"value": values["unit"]})
    else:
        errors.append(_("The unit is missing."))

    status = Channel.Status.ACTIVE
    if values.get("status"):
        status = choices["status"].get(values["status"].casefold())
        if status is None:
            errors.append(_("“%(value)s” is not a status.") % {"value": values["status"]})
        elif status not in _NEW_STATUSES:
            errors.append(_("Closed channels are not imported."))

    owner, problem = people.find(values.get("owner_email", ""), values.get("owner", ""))
    if problem:
        errors.append(_("Responsible owner: %(problem)s") % {"problem": problem})
    elif owner is None:
        errors.append(_("The responsible owner is missing."))
    deputy, problem = people.find(values.get("deputy_email", ""), values.get("deputy", ""))
    if problem:
        errors.append(_("Deputy: %(problem)s") % {"problem": problem})
    elif deputy is not None and deputy == owner:
        errors.append(_("The deputy must be someone else than the owner."))

    dates = {}
    for key in ("due", "last_recertified"):
        try:
            dates[key] = _date(values.get(key, ""))
        except ValueError:
            errors.append(
                _("“%(value)s” in “%(column)s” is not a date (write it as 2026-03-31).")
                % {"value": values[key], "column": COLUMNS[key]}
            )
    flags = {}
    for key, default in (("public", True), ("two_factor", False)):
        try:
            flags[key] = _flag(values.get(key, ""), default)
        except ValueError:
            errors.append(
                _("“%(value)s” in “%(column)s” is neither yes nor no.")
                % {"value": values[key], "column": COLUMNS[key]}
            )
    for key in ("credentials", "recovery"):
        if looks_like_password(values.get(key, "")):
            errors.append(
                _("“%(column)s” looks like a password: give where it is kept, never the password.")
                % {"column": COLUMNS[key]}
            )
        elif len(values.get(key, "")) > 200:
            errors.append(
                _("“%(column)s” is longer than 200 characters.") % {"column": COLUMNS[key]}
            )

    if errors:
        row.action = "error"
        return row
    row.address = profile.url
    row.owner, row.deputy = owner, deputy
    row.register = {
        "owner": owner,
        "deputy": deputy,
        "name": row.name,
        "platform": platform,
        "profile_url": profile.url,
        "handle": profile.handle,
        "unit": unit,
        "status": status,
        "is_public": flags["public"],
        "recertification_due_on": dates["due"],
        "last_recertified_on": dates["last_recertified"],
    }
    optional = {
        "credentials": ("credentials_location", values.get("credentials", "")),
        "two_factor": ("two_factor_enabled", flags["two_factor"]),
        "recovery": ("recovery_contact", values.get("recovery", "")),
    }
    for key, (name, value) in optional.items():
        if key in values:
            row.register[name] = value
    row.action = "create"
    return row


def _match_registry(rows):
    """Rows naming the same channel as an earlier row are errors; rows naming a channel
    already in the registry update it, or change nothing."""
    ready = [row for row in rows if row.action == "create"]
    keys = {(row.register["platform"], row.register["profile_url"]) for row in ready}
    existing = {}
    if keys:
        condition = Q()
        for platform, url in keys:
            condition |= Q(platform=platform, profile_url=url)
        for channel in Channel.objects.filter(condition).select_related("unit").with_people():
            existing[channel.platform, channel.profile_url] = channel
    seen = {}
    for row in ready:
        key = (row.register["platform"], row.register["profile_url"])
        if key in seen:
            row.action = "error"
            row.errors.append(
                _("The same channel as row %(number)d: %(address)s")
                % {"number": seen[key], "address": key[1]}
            )
            continue
        seen[key] = row.number
        channel = existing.get(key)
        if channel is not None:
            _compare(row, channel)


_DETAILS = {
    "name": gettext_lazy("Name"),
    "is_public": gettext_lazy("In the public directory"),
    "credentials_location": gettext_lazy("Credentials kept in"),
    "two_factor_enabled": gettext_lazy("Two-factor"),
    "recovery_contact": gettext_lazy("Recovery contact"),
}


def _shown(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value or "—"


def _compare(row, channel):
    wanted = row.register
    row.channel = channel
    row.register = {}
    for name, label in _DETAILS.items():
        if name in wanted and getattr(channel, name) != wanted[name]:
            row.details[name] = wanted[name]
            row.changes.append((label, _shown(getattr(channel, name)), _shown(wanted[name])))
    if channel.owner != row.owner:
        row.changes.append(
            (COLUMNS["owner"], person_name(channel.owner) or "—", person_name(row.owner))
        )
    else:
        row.owner = None
    if row.deputy is not None and channel.deputy != row.deputy:
        row.changes.append(
            (COLUMNS["deputy"], person_name(channel.deputy) or "—", person_name(row.deputy))
        )
    else:
        row.deputy = None
    if channel.status == Channel.Status.CLOSED:
        row.action = "error"
        row.errors.append(_("This channel is closed in the registry; it is not changed."))
        return
    for label, ours, theirs in [
        (COLUMNS["unit"], channel.unit, wanted["unit"]),
        (COLUMNS["status"], channel.status, wanted["status"]),
    ]:
        if ours != theirs:
            row.notes.append(
                _("%(column)s differs from the registry's; an import does not change it.")
                % {"column": label}
            )
    row.action = "update" if row.changes else "unchanged"


# --- Doing it ----------------------------------------------------------------------


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    failed: list = field(default_factory=list)  # [(row number, message)]


def apply(the_plan, *, by):
    """Register and change what the plan says, each row through the registry's own
    operations; a row the operation refuses is reported, the others go ahead."""
    outcome = Outcome()
    registered = {}  # person -> the channels registered for them
    for row in the_plan.rows:
        try:
            if row.action == "create":
                channel = Channel.register(
                    by=by,
                    comment=_("Imported from a spreadsheet."),
                    tell_people=False,
                    **row.register,
                )
                for person in (row.register["owner"], row.register["deputy"]):
                    if person is not None:
                        registered.setdefault(person, []).append(channel)
                outcome.created += 1
            elif row.action == "update":
                channel = row.channel
                if row.details:
                    channel.update_details(by=by, **row.details)
                if row.owner is not None:
                    channel.hand_over(
                        to=row.owner, by=by, comment=_("Imported from a spreadsheet.")
                    )
                if row.deputy is not None:
                    channel.set_deputy(
                        to=row.deputy, by=by, comment=_("Imported from a spreadsheet.")
                    )
                outcome.updated += 1
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            outcome.failed.append((row.number, " ".join(messages)))
    # One mail per person for all their new channels, not one per channel.
    for person, channels in registered.items():
        notify([person], "accounts/email/imported", {"person": person, "channels": channels})
    return outcome
