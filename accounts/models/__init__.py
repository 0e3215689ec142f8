"""The registry of official social media accounts ("channels") and the units that own them.

One module per object: ``units`` (``Unit``), ``channels`` (``Channel`` and its
``ChannelQuerySet``), ``operations`` (what may happen to a channel, mixed into
``Channel``), ``people`` (``ChannelRole``), ``events`` (``ChannelEvent``, its history),
``reports`` (``SuspiciousAccountReport``), and ``caches`` (the cache versions and
timeouts of the registry's and the directory's pages). Everything is imported from here:
``from accounts.models import Channel``.
"""

from accounts.models.caches import (
    DIRECTORY_SEARCH_TIMEOUT,
    DIRECTORY_TIMEOUT,
    DIRECTORY_VERSION,
    REGISTRY_SEARCH_TIMEOUT,
    REGISTRY_TIMEOUT,
    REGISTRY_VERSION,
    WARNING_COUNTS_TIMEOUT,
    WARNING_COUNTS_VERSION,
)
from accounts.models.channels import REMINDER_INTERVAL_DAYS, Channel, ChannelQuerySet, name_key
from accounts.models.events import ChannelEvent
from accounts.models.operations import (
    CHANNEL_EDITABLE_FIELDS,
    ChannelOperations,
    Recertification,
    recertification_due,
)
from accounts.models.people import ChannelRole, ChannelRoleQuerySet
from accounts.models.reports import SuspiciousAccountReport
from accounts.models.units import Unit, UnitQuerySet

__all__ = [
    "CHANNEL_EDITABLE_FIELDS",
    "DIRECTORY_SEARCH_TIMEOUT",
    "DIRECTORY_TIMEOUT",
    "DIRECTORY_VERSION",
    "REGISTRY_SEARCH_TIMEOUT",
    "REGISTRY_TIMEOUT",
    "REGISTRY_VERSION",
    "REMINDER_INTERVAL_DAYS",
    "WARNING_COUNTS_TIMEOUT",
    "WARNING_COUNTS_VERSION",
    "Channel",
    "ChannelEvent",
    "ChannelOperations",
    "ChannelQuerySet",
    "ChannelRole",
    "ChannelRoleQuerySet",
    "Recertification",
    "SuspiciousAccountReport",
    "Unit",
    "UnitQuerySet",
    "name_key",
    "recertification_due",
]
