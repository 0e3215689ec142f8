"""Connecting a channel by signing in to its platform: the OAuth 2.0 authorization-code
flow with Meta (Facebook Login for Business), LinkedIn and Google, through Authlib's
httpx client.

What each platform gives, and what the portal keeps (ChannelToken.connect):

- Meta: no PKCE in the plain (non-OIDC) flow; a short-lived user token, exchanged for a
  long-lived one (``grant_type=fb_exchange_token``), then ``/me/accounts``: the Pages
  the person manages, each with a Page token that does not expire (a Page token made
  from a long-lived user token). The portal keeps the token of the channel's Page; for
  an Instagram channel, of the Page whose ``instagram_business_account`` is the
  channel's account. No refresh token: the owner reconnects if Meta withdraws it.
- LinkedIn: no PKCE for web applications; a 60-day token and, for Community Management
  partners, a refresh token valid a year. ``/rest/organizationAcls`` must show the
  person as an administrator of the channel's organization.
- Google (YouTube, optional, for the private figures: metrics/providers/youtube.py):
  PKCE, ``access_type=offline`` for a refresh token, a one-hour access token;
  ``channels?mine=true`` must list the channel.

The endpoints are the platforms' own; ``METRICS_OAUTH_BASE_URL`` sends every request
(and the browser) to one local server instead, for the tests only. Nothing here knows
the models: the views and ChannelToken call ``authorization_url``, ``finish`` and
``refresh``, which answer a ``Grant`` or raise ``Refused``, ``NotSuitable`` or
``Unreachable``.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from authlib.integrations.httpx_client import OAuth2Client, OAuthError
from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    authorize_url: str
    token_url: str
    api_url: str
    scopes: tuple
    pkce: bool = False
    authorize_params: dict = field(default_factory=dict)

    def url(self, default):
        """``default`` with the configured Graph API version in place of ``{graph}``
        (metrics/versions.py), or the same path on the local test server."""
        default = default.replace("{graph}", settings.METRICS_META_GRAPH_VERSION)
        override = settings.METRICS_OAUTH_BASE_URL
        if not override:
            return default
        path = default.split("://", 1)[1].split("/", 1)[1]
        return f"{override.rstrip('/')}/{path}"


PLATFORMS = {
    "meta": Platform(
        name="meta",
        label="Facebook",
        authorize_url="https://www.facebook.com/{graph}/dialog/oauth",
        token_url="https://graph.facebook.com/{graph}/oauth/access_token",  # nosec B106  # an address
        api_url="https://graph.facebook.com/{graph}",
        # Reading a Page's and its Instagram account's figures, and listing the Pages.
        scopes=(
            "pages_show_list",
            "pages_read_engagement",
            "read_insights",
            "instagram_basic",
            "business_management",
        ),
    ),
    "linkedin": Platform(
        name="linkedin",
        label="LinkedIn",
        authorize_url="https://www.linkedin.com/oauth/v2/authorization",
        token_url="https://www.linkedin.com/oauth/v2/accessToken",  # nosec B106  # an address
        api_url="https://api.linkedin.com",
        # The least that covers the three calls, per LinkedIn's documentation pages:
        # - openid, profile: /v2/userinfo's ``name`` ("connected as"), "Sign In with
        #   LinkedIn using OpenID Connect", learn.microsoft.com/linkedin/consumer/
        #   integrations/self-serve/sign-in-with-linkedin-v2;
        # - rw_organization_admin: /rest/networkSizes (the follower count), the only
        #   Community Management permission "Organization Lookup API" lists for it,
        #   learn.microsoft.com/linkedin/marketing/community-management/organizations/
        #   organization-lookup-api; it also covers /rest/organizationAcls?q=roleAssignee
        #   ("Organization Access Control by Role", .../organization-access-control-by-role,
        #   which takes r_organization_admin too, but that one does not cover networkSizes).
        # Not asked: r_organization_social (posts) and r_organization_followers (follower
        # details): the portal reads neither.
        scopes=("openid", "profile", "rw_organization_admin"),
    ),
    "google": Platform(
        name="google",
        label="Google",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",  # nosec B106  # an address
        api_url="https://www.googleapis.com",
        # youtube.readonly: channels?mine=true when connecting; yt-analytics.readonly: the
        # private figures (developers.google.com/youtube/analytics/reference/reports/query).
        scopes=(
            "openid",
            "email",
            "https://www.googleapis.com/auth/youtube.readonly",
            "https://www.googleapis.com/auth/yt-analytics.readonly",
        ),
        pkce=True,
        authorize_params={"access_type": "offline", "prompt": "consent"},
    ),
}

#: Which sign-in serves each channel platform.
SIGN_IN_FOR = {
    "facebook": "meta",
    "instagram": "meta",
    "linkedin": "linkedin",
    "youtube": "google",
}


class ConnectError(Exception):
    """The sign-in did not give a usable token; ``message`` is for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Refused(ConnectError):
    """The platform refused a code or a refresh token (used, expired, revoked)."""


class NotSuitable(ConnectError):
    """The person signed in, but the account cannot read the channel."""


class Unreachable(ConnectError):
    """The platform did not answer, or not sensibly."""


@dataclass(frozen=True)
class Grant:
    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    connected_as: str = ""
    scopes: str = ""
    account_id: str = ""


def platform_for(channel_platform):
    """The configured sign-in for a channel platform, or None (no button then)."""
    name = SIGN_IN_FOR.get(channel_platform)
    if name is None or not settings.METRICS_OAUTH_CLIENTS.get(name, ("", ""))[0]:
        return None
    return PLATFORMS[name]


def redirect_uri():
    """The one address every platform sends the person back to (registered there)."""
    from django.urls import reverse

    return settings.PORTAL_BASE_URL + reverse("metrics:oauth_callback")


def _client(platform, **kwargs):
    client_id, client_secret = settings.METRICS_OAUTH_CLIENTS[platform.name]
    return OAuth2Client(
        client_id,
        client_secret,
        token_endpoint_auth_method="client_secret_post",  # nosec B106  # a method name
        scope=" ".join(platform.scopes),
        redirect_uri=redirect_uri(),
        code_challenge_method="S256" if platform.pkce else None,
        timeout=settings.METRICS_HTTP_TIMEOUT,
        headers={"User-Agent": settings.METRICS_USER_AGENT},
        **kwargs,
    )


def new_verifier(platform):
    """A PKCE code verifier where the platform takes one, else ""."""
    return secrets.token_urlsafe(64) if platform.pkce else ""


def authorization_url(platform, *, state, verifier):
    params = dict(platform.authorize_params)
    if platform.name == "meta" and settings.METRICS_META_CONFIG_ID:
        # Facebook Login for Business: the configuration made in the app's dashboard
        # names the permissions (and the kind of token) instead of a scope.
        params.update(config_id=settings.METRICS_META_CONFIG_ID, scope=None)
    with _client(platform) as client:
        url, _state = client.create_authorization_url(
            platform.url(platform.authorize_url),
            state=state,
            code_verifier=verifier or None,
            **params,
        )
    return url


def _token_call(platform, **kwargs):
    """A token endpoint request; the token dict, or Refused / Unreachable."""
    try:
        with _client(platform) as client:
            return dict(client.fetch_token(platform.url(platform.token_url), **kwargs))
    except OAuthError as error:
        code = error.error if isinstance(error.error, str) else "error"
        raise Refused(_("The platform refused it (%(error)s).") % {"error": code[:50]}) from error
    except (httpx.HTTPError, ValueError) as error:
        raise Unreachable(
            _("The platform did not answer as expected. Try again in a while.")
        ) from error


def _expires_at(token):
    expires_at = token.get("expires_at")
    if isinstance(expires_at, int) and not isinstance(expires_at, bool):
        return datetime.fromtimestamp(expires_at, tz=UTC)
    return None


def _scopes(token):
    scope = token.get("scope") or ""
    return " ".join(scope.replace(",", " ").split())


def _get(platform, path, token, *, params=None, headers=None):
    """GET one of the platform's API resources with the new token; the decoded JSON."""
    url = platform.url(f"{platform.api_url}/{path}")
    try:
        response = httpx.get(
            url,
            params=params,
            headers={
                **(headers or {}),
                "Authorization": f"Bearer {token}",
                "User-Agent": settings.METRICS_USER_AGENT,
            },
            timeout=settings.METRICS_HTTP_TIMEOUT,
        )
        payload = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise Unreachable(
            _("The platform did not answer as expected. Try again in a while.")
        ) from error
    if response.status_code in (401, 403):
        raise NotSuitable(_("The platform did not grant the permissions the portal asks for."))
    if not response.is_success or not isinstance(payload, dict):
        raise Unreachable(_("The platform did not answer as expected. Try again in a while."))
    return payload


def finish(platform, channel, *, code, verifier):
    """Exchange ``code`` for a token and find ``channel``'s account with it: a Grant."""
    extra = {"code_verifier": verifier} if verifier else {}
    token = _token_call(platform, code=code, grant_type="authorization_code", **extra)
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise Unreachable(_("The platform did not answer as expected. Try again in a while."))
    return {"meta": _meta, "linkedin": _linkedin, "google": _google}[platform.name](
        platform, channel, token
    )


def refresh(channel_platform, refresh_token):
    """A new access token from a refresh token: a Grant, or Refused / Unreachable."""
    platform = PLATFORMS[SIGN_IN_FOR[channel_platform]]
    token = _token_call(platform, grant_type="refresh_token", refresh_token=refresh_token)
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise Unreachable(_("The platform did not answer as expected. Try again in a while."))
    return Grant(
        access_token=access,
        refresh_token=token.get("refresh_token") or "",
        expires_at=_expires_at(token),
        scopes=_scopes(token),
    )


# --- Finding the channel's account -------------------------------------------------


def _meta(platform, channel, token):
    from metrics.providers.meta import FacebookProvider

    long_lived = _token_call(
        platform, grant_type="fb_exchange_token", fb_exchange_token=token["access_token"]
    )
    user_token = long_lived.get("access_token") or token["access_token"]
    me = _get(platform, "me", user_token, params={"fields": "name"})
    pages = _get(
        platform,
        "me/accounts",
        user_token,
        params={"fields": "id,name,access_token,instagram_business_account", "limit": "100"},
    ).get("data")
    pages = [page for page in pages if isinstance(page, dict)] if isinstance(pages, list) else []
    wanted = (channel.platform_id or "").strip()
    if channel.platform == "facebook":
        wanted = _account_or_none(FacebookProvider(), channel)
        chosen = [page for page in pages if str(page.get("id")) == wanted]
        account_id = ""
    else:
        linked = [page for page in pages if _instagram_id(page)]
        chosen = [page for page in linked if _instagram_id(page) == wanted] if wanted else linked
        account_id = _instagram_id(chosen[0]) if len(chosen) == 1 else ""
    if len(chosen) != 1 or not chosen[0].get("access_token"):
        raise NotSuitable(
            _(
                "The account you signed in with does not manage this channel's %(what)s. "
                "Sign in with an account that does, and allow the portal to see it."
            )
            % {"what": _("Page") if channel.platform == "facebook" else _("Instagram account")}
        )
    return Grant(
        access_token=str(chosen[0]["access_token"]),
        connected_as=str(me.get("name") or ""),
        scopes=_scopes(token),
        account_id=account_id,
    )


def _instagram_id(page):
    linked = page.get("instagram_business_account")
    return str(linked.get("id") or "") if isinstance(linked, dict) else ""


def _account_or_none(provider, channel):
    from metrics.providers.base import NotCollectable

    try:
        return provider.account_id(channel)
    except NotCollectable:
        return None


def _linkedin(platform, channel, token):
    from metrics.providers.linkedin import ORGANIZATION_URN, LinkedInProvider

    access = token["access_token"]
    organization = _account_or_none(LinkedInProvider(), channel)
    me = _get(platform, "v2/userinfo", access)
    acls = _get(
        platform,
        "rest/organizationAcls",
        access,
        params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
        headers={
            "LinkedIn-Version": settings.METRICS_LINKEDIN_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
        },
    ).get("elements")
    administered = {
        str(acl.get("organization") or "").removeprefix(ORGANIZATION_URN)
        for acl in (acls if isinstance(acls, list) else [])
        if isinstance(acl, dict)
    }
    if organization is None or organization not in administered:
        raise NotSuitable(
            _(
                "The account you signed in with is not an administrator of this channel's "
                "LinkedIn page. Sign in with an account that is."
            )
        )
    return Grant(
        access_token=access,
        refresh_token=token.get("refresh_token") or "",
        expires_at=_expires_at(token),
        connected_as=str(me.get("name") or ""),
        scopes=_scopes(token),
    )


def _google(platform, channel, token):
    access = token["access_token"]
    me = _get(platform, "oauth2/v3/userinfo", access)
    channels = _get(
        platform, "youtube/v3/channels", access, params={"part": "id", "mine": "true"}
    ).get("items")
    ids = [
        str(item.get("id"))
        for item in (channels or [])
        if isinstance(item, dict) and item.get("id")
    ]
    wanted = (channel.platform_id or "").strip()
    if not ids or (wanted and wanted not in ids) or (not wanted and len(ids) != 1):
        raise NotSuitable(
            _(
                "The account you signed in with does not own this YouTube channel. Sign in "
                "with the Google account of the channel."
            )
        )
    return Grant(
        access_token=access,
        refresh_token=token.get("refresh_token") or "",
        expires_at=_expires_at(token),
        connected_as=str(me.get("email") or me.get("name") or ""),
        scopes=_scopes(token),
        account_id="" if wanted else ids[0],
    )
