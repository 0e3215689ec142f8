"""LinkedIn organization pages, on the versioned Community Management API, with the
owner's token (``channel.api_token``, scope ``rw_organization_admin``: metrics/oauth.py
says why) and the organization's numeric id (``channel.platform_id``; a pasted
``urn:li:organization:ID`` is read too; without one, the id in a registry address
``linkedin.com/company/<ID>/``, which is what a page's administrator view shows).

- ``GET /rest/networkSizes/urn%3Ali%3Aorganization%3AID?edgeType=COMPANY_FOLLOWED_BY_MEMBER``:
  ``firstDegreeSize``, the follower count (see "Organization Follower Statistics", which
  points to networkSizes for the total). No other figure is collected (all None).

Every request carries ``LinkedIn-Version`` (``settings.METRICS_LINKEDIN_VERSION``, see
metrics/versions.py) and ``X-Restli-Protocol-Version``. Errors come as ``{"status",
"serviceErrorCode", "code", "message"}``; 401 and 403 are the token's, 404 the
organization's, 429 a quota (LinkedIn's reset daily, with no Retry-After).

A version LinkedIn has sunset is answered ``426 {"code": "NONEXISTENT_VERSION",
"message": "Requested version 202411 is not active"}`` (HTTP 426 Upgrade Required; the
body as LinkedIn sends it, seen in public reports since 2023: the versioning page says
only that a sunset version stops working, "Marketing API versioning",
learn.microsoft.com/linkedin/marketing/versioning). Any 426, and the version codes
``NONEXISTENT_VERSION`` and ``VERSION_MISSING`` whatever the status, are
``VersionRefused``: the portal's configuration, not the channel's.
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import (
    AuthFailed,
    BadResponse,
    FetchError,
    NotCollectable,
    RateLimited,
    Reading,
    Unavailable,
    VersionRefused,
    count,
    retry_after,
)
from .owner_token import OwnerTokenProvider

LINKEDIN_API = "https://api.linkedin.com"
RESTLI_VERSION = "2.0.0"
ORGANIZATION_URN = "urn:li:organization:"
# Error codes that say the LinkedIn-Version header names no version LinkedIn serves.
VERSION_CODES = {"NONEXISTENT_VERSION", "VERSION_MISSING"}
# The registry's canonical address of a page named by its id (accounts.platforms).
_ORGANIZATION_URL = re.compile(
    r"^https://www\.linkedin\.com/(?:company|showcase|school)/([0-9]+)/$"
)


class LinkedInProvider(OwnerTokenProvider):
    platform = "linkedin"
    needs = _("The organization's numeric id and an access token from a page administrator.")

    def account_id(self, channel):
        value = (channel.platform_id or "").strip().removeprefix(ORGANIZATION_URN)
        from_url = _ORGANIZATION_URL.match(channel.profile_url or "")
        if from_url and not (channel.platform_id or "").strip():
            value = from_url.group(1)
        if not value:
            raise NotCollectable("The channel has no platform id.")
        if not (value.isascii() and value.isdigit()):
            raise NotCollectable("The channel's platform id is not a numeric id.")
        return value

    def fetch(self, channel):
        token = self.token(channel)
        urn = quote(ORGANIZATION_URN + self.account_id(channel), safe="")
        payload = self.get_with_token(
            channel,
            token,
            f"{self.base_url(LINKEDIN_API)}/rest/networkSizes/{urn}",
            params={"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"},
            headers={
                "LinkedIn-Version": settings.METRICS_LINKEDIN_VERSION,
                "X-Restli-Protocol-Version": RESTLI_VERSION,
            },
        )
        if not isinstance(payload, dict):
            raise BadResponse("The network size answer is not an object.")
        return Reading(followers=count(payload.get("firstDegreeSize")), raw=payload)

    def error_from(self, response, payload):
        status = response.status_code
        if response.is_success or status >= 500:
            return None
        body = payload if isinstance(payload, dict) else {}
        code = body.get("code") or body.get("serviceErrorCode")
        detail = ": ".join(str(part) for part in (code, body.get("message")) if part)
        detail = f" ({detail})" if detail else ""
        if status == 426 or code in VERSION_CODES:
            version = settings.METRICS_LINKEDIN_VERSION
            return VersionRefused(
                f"LinkedIn no longer serves API version {version}{detail}. The portal "
                "administrators have been told; collection resumes once they update it.",
                api="linkedin",
                version=version,
            )
        if status == 401:
            return AuthFailed(f"The access token was refused{detail}.")
        if status == 403:
            return AuthFailed(f"The token may not read this organization{detail}.")
        if status in (404, 410):
            return Unavailable(f"The organization was not found{detail}.")
        if status == 429:
            return RateLimited(
                f"LinkedIn's request quota is spent{detail}.",
                retry_after=retry_after(response.headers),
            )
        return FetchError(f"The platform answered {status}{detail}.")
