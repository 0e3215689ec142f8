"""The registry of official social media accounts ("channels") and the units that own them.

One module per object: ``units`` (``Unit``), ``channels`` (``Channel`` and its
``ChannelQuerySet``), ``operations`` (what may happen to a channel, mixed into
``Channel``), ``people`` (``ChannelRole``), ``events`` (``ChannelEvent``, its history),
``reports`` (``SuspiciousAccountReport``, its triage and its ``ReportEvent``
history) and ``imports`` (``RegistryImport``, an uploaded spreadsheet awaiting
confirmation), ``verification`` (``ChannelVerification``: whether the account
links back, and its ``VerificationCheck`` evidence). What the registry caches is declared in
accounts/caching.py. Everything is imported from here:
``from accounts.models import Channel``.
"""

from accounts.models.channels import REMINDER_INTERVAL_DAYS, Channel, ChannelQuerySet, name_key
from accounts.models.events import ChannelEvent
from accounts.models.imports import RegistryImport
from accounts.models.operations import (
    CHANNEL_EDITABLE_FIELDS,
    ChannelOperations,
    Recertification,
    recertification_due,
)
from accounts.models.people import (
    ChannelRole,
    ChannelRoleQuerySet,
    check_responsible,
    responsibility_problem,
)
from accounts.models.reports import ReportDigest, ReportEvent, SuspiciousAccountReport
from accounts.models.units import Unit, UnitQuerySet
from accounts.models.verification import (
    ChannelVerification,
    VerificationCheck,
    page_url,
    verification_possible,
)

__all__ = [
    "CHANNEL_EDITABLE_FIELDS",
    "REMINDER_INTERVAL_DAYS",
    "Channel",
    "ChannelEvent",
    "ChannelOperations",
    "ChannelQuerySet",
    "ChannelRole",
    "ChannelRoleQuerySet",
    "ChannelVerification",
    "Recertification",
    "RegistryImport",
    "ReportDigest",
    "ReportEvent",
    "SuspiciousAccountReport",
    "Unit",
    "UnitQuerySet",
    "VerificationCheck",
    "check_responsible",
    "name_key",
    "recertification_due",
    "page_url",
    "responsibility_problem",
    "verification_possible",
]
