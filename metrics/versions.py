"""The platform API versions the portal asks for, and how long each is supported.

Two platforms version their APIs by date and switch old versions off: LinkedIn (the
``LinkedIn-Version`` header, ``METRICS_LINKEDIN_VERSION``) and Meta (the Graph API
path, ``METRICS_META_GRAPH_VERSION``, for Facebook and Instagram). The end-of-support
dates the platforms publish are kept here, per version, so that an operator who sets
another version still sees its own date, and a version nobody has looked up shows
"unknown" rather than a wrong date.

When a platform refuses the configured version (``VersionRefused``), collection of
every platform on that API pauses: the refusal is stored per (API, version), so it
survives restarts, and collection resumes by itself once the configured version is
another one. The portal administrators are told once; owners never, since nothing
they can do helps. A daily task warns the administrators once per (API, version)
``METRICS_API_VERSION_WARNING_DAYS`` before the end of support.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metrics.models import ApiVersionState

# LinkedIn Marketing API programme (Community Management is one of its products):
# sunset dates from "API Migration Status",
# https://learn.microsoft.com/it-it/linkedin/marketing/integrations/migrations and
# https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations, and the
# deprecation notices on https://learn.microsoft.com/en-us/linkedin/marketing/
# community-management/community-management-overview?view=li-lms-2026-08 (read
# 2026-12-06). Versions not listed are monthly ones whose date LinkedIn has not
# published yet: "supported and stable for a minimum of one year"
# (https://learn.microsoft.com/it-it/linkedin/marketing/versioning), so their end is
# estimated as the first day of the same month a year later, the earliest it can be.
LINKEDIN_SUNSETS = {
    "202407": datetime.date(2025, 7, 22),
    "202408": datetime.date(2025, 8, 18),
    "202409": datetime.date(2025, 9, 15),
    "202410": datetime.date(2025, 10, 15),
    "202411": datetime.date(2025, 11, 17),
    "202508": datetime.date(2026, 8, 17),
    "202510": datetime.date(2026, 10, 15),
    "202511": datetime.date(2026, 11, 16),
    "202601": datetime.date(2027, 1, 15),
    "202602": datetime.date(2027, 2, 15),
    "202603": datetime.date(2027, 3, 16),
}

# Meta Graph API: "Available Graph API versions" on the Graph API changelog,
# https://developers.facebook.com/docs/graph-api/changelog?locale=de_DE (the same
# table in every locale; read 2026-12-06). A version's end is set when the next one is
# released ("no longer usable two years after the date that the subsequent version is
# released", https://developers.facebook.com/docs/apps/versions), so the newest one
# has none yet: None, shown as unknown.
META_GRAPH_EXPIRIES = {
    "v20.0": datetime.date(2026, 9, 24),
    "v21.0": datetime.date(2027, 1, 21),
    "v22.0": datetime.date(2027, 5, 20),
    "v23.0": datetime.date(2027, 10, 8),
    "v24.0": datetime.date(2028, 2, 18),
    "v25.0": datetime.date(2028, 7, 29),
    "v26.0": None,  # released 29 July 2026; "TBD"
}


@dataclass(frozen=True)
class Api:
    key: str
    label: str
    platforms: tuple
    setting: str
    docs: str

    @property
    def version(self):
        """The version the portal asks for now."""
        return getattr(settings, self.setting)


LINKEDIN = Api(
    key="linkedin",
    label=_("LinkedIn Community Management API"),
    platforms=("linkedin",),
    setting="METRICS_LINKEDIN_VERSION",
    docs="https://learn.microsoft.com/linkedin/marketing/integrations/migrations",
)
META = Api(
    key="meta",
    label=_("Meta Graph API (Facebook, Instagram)"),
    platforms=("facebook", "instagram"),
    setting="METRICS_META_GRAPH_VERSION",
    docs="https://developers.facebook.com/docs/graph-api/changelog",
)
APIS = {api.key: api for api in (LINKEDIN, META)}
API_OF_PLATFORM = {platform: api for api in APIS.values() for platform in api.platforms}


def end_of_support(api_key, version):
    """(the last day ``version`` of the API is known to work or None, estimated):
    LinkedIn's published sunset, or for a monthly version without one the earliest its
    one-year support allows (estimated); Meta's published expiry, or None."""
    if api_key == LINKEDIN.key:
        if version in LINKEDIN_SUNSETS:
            return LINKEDIN_SUNSETS[version], False
        if len(version) >= 6 and version[:6].isdigit() and 1 <= int(version[4:6]) <= 12:
            return datetime.date(int(version[:4]) + 1, int(version[4:6]), 1), True
        return None, False
    return META_GRAPH_EXPIRIES.get(version), False


@dataclass(frozen=True)
class VersionStatus:
    """One API's version as the administrators see it."""

    api: Api
    version: str
    ends_on: datetime.date | None
    estimated: bool
    days_left: int | None
    ending_soon: bool
    refused_at: datetime.datetime | None
    refusal: str


def overview(today=None):
    """Every versioned API's configured version, its end of support and whether the
    platform refused it (one query)."""
    today = today or timezone.localdate()
    refusals = {(state.api, state.version): state for state in ApiVersionState.objects.refused()}
    rows = []
    for api in APIS.values():
        version = api.version
        ends_on, estimated = end_of_support(api.key, version)
        days_left = (ends_on - today).days if ends_on else None
        refused = refusals.get((api.key, version))
        rows.append(
            VersionStatus(
                api=api,
                version=version,
                ends_on=ends_on,
                estimated=estimated,
                days_left=days_left,
                ending_soon=days_left is not None
                and days_left <= settings.METRICS_API_VERSION_WARNING_DAYS,
                refused_at=refused.refused_at if refused else None,
                refusal=refused.refusal if refused else "",
            )
        )
    return rows


def paused_platforms():
    """The platforms whose API refused the version the portal asks for now (one
    query): their channels are not collected until the version is changed."""
    paused = set()
    for api_key, version in ApiVersionState.objects.refused().values_list("api", "version"):
        api = APIS.get(api_key)
        if api is not None and api.version == version:
            paused.update(api.platforms)
    return paused
