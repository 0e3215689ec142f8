"""The daily check that each public channel's account links back to the channel's
public page (accounts/views/public.py ``channel_page``), recorded as the channel's
verification state (accounts.models.ChannelVerification).

Mastodon (and fediverse servers that verify the same way) proves the link itself: the
owner puts the page's address in a profile field, and the server fetches that page
and marks the field verified (``verified_at``) when the page links back to the
account. Mastodon's app/services/verify_link_service.rb is what the page is built
to: the server asks for the field's address over HTTPS, accepts only a 200 answer,
reads at most 1 MB of it (``body_with_limit``), runs no JavaScript, and looks for an
``<a>`` or ``<link>`` whose rel contains "me" and whose href is the account's own
address (its ``url``, compared exactly, in recent versions without regard to case).
The portal's page therefore serves a small static page with exactly that ``<link
rel="me">`` in its head, and the check here only reads what the server concluded,
through the public account lookup (``GET /api/v1/accounts/lookup?acct=``,
docs.joinmastodon.org methods/accounts#lookup; ``fields[]`` with ``name``,
``value`` (HTML) and ``verified_at``, entities/Account#Field).

A check that cannot be made (timeout, 5xx, a redirect, an answer that is not an
account) never changes the state: it is recorded as such, and transient failures
are retried by the task with the collectors' backoff.

On YouTube, X, Facebook and Instagram ("profile-link" in METHODS) no platform proves
anything: the portal reads the profile itself, from the answer the daily collection of
figures already gets (the provider's ``Reading.profile``), so the check costs no
request of its own and runs only after a successful collection (metrics/collector.py);
a failed one leaves the state as it was. The account links back when its website field
or its bio holds the page's address (``links_back``: scheme and host in any case, with
or without the trailing slash, a bio's address also without its scheme). The evidence
also says whether the display name or bio names the organisation
(PORTAL_ORGANISATION_NAME or one of PORTAL_ORGANISATION_ALIASES), which the owner
should see but which does not decide the state. A handle or display name other than
the one read the day before is a ChannelEvent and a message to the owner and deputy
(``ChannelVerification.record_profile``).
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

from accounts.models import Channel, ChannelVerification, page_url, verification_possible
from accounts.models.verification import METHODS
from metrics.handles import check_atproto_handle
from metrics.providers.base import BadResponse, FetchError, NotCollectable
from metrics.providers.mastodon import MastodonProvider, split_handle

# The most of a lookup answer read (an account with its fields is a few kB); the same
# bound as Mastodon's own on the pages it fetches.
LOOKUP_LIMIT = 1024 * 1024


def due(day):
    """The channels to check for ``day``: public channels on a platform that verifies
    links with a request of its own (CHECKS), not yet checked that day."""
    return (
        Channel.objects.public()
        .filter(platform__in=[platform for platform, method in METHODS.items() if method in CHECKS])
        .exclude(verification__checked_on__gte=day)
        .order_by("pk")
    )


class _Links(HTMLParser):
    """The href of every link in a field's HTML value, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)

    def handle_data(self, data):
        self.text.append(data)


def links_to(value, page):
    """Whether a profile field's ``value`` (HTML, as Mastodon gives it) links to
    ``page``: a link to it, or its address as the whole text."""
    if not isinstance(value, str):
        return False
    parser = _Links()
    parser.feed(value)
    parser.close()
    return page in parser.hrefs or "".join(parser.text).strip() == page


def check_mastodon(channel, client=None):
    """(linked, evidence) for a Mastodon channel: whether a profile field links to the
    channel's page and the server verified it, and what was asked and found. Raises
    FetchError (or NotCollectable) when the lookup could not be made."""
    provider = MastodonProvider(client=client)
    user, domain = split_handle(channel)
    base = provider.base_url(f"https://{provider.server(channel, user, domain)}")
    lookup = f"{base}/api/v1/accounts/lookup"
    account, response = provider.get_json_response(channel, lookup, params={"acct": user})
    if len(response.content) > LOOKUP_LIMIT:
        raise BadResponse("The account answer is larger than 1 MB.")
    if not isinstance(account, dict):
        raise BadResponse("The account answer is not an object.")
    page = page_url(channel)
    fields = account.get("fields")
    matching = [
        field
        for field in (fields if isinstance(fields, list) else [])
        if isinstance(field, dict) and links_to(field.get("value"), page)
    ]
    verified = [field for field in matching if field.get("verified_at")]
    found = (verified or matching or [None])[0]
    evidence = {
        "method": METHODS[channel.platform],
        "lookup": f"{lookup}?acct={user}",
        "page": page,
        "account_url": account.get("url"),
        "field": str(found.get("name", "")) if found else "",
        "verified_at": str(found.get("verified_at") or "") if found else "",
    }
    return bool(verified), evidence


CHECKS = {"rel-me": check_mastodon, "atproto-handle": check_atproto_handle}


def verify(channel, day, *, client=None, can_retry=False):
    """Check ``channel`` for ``day`` and record the outcome. Answers the state after
    the check (None when the day was already checked), or raises the FetchError when
    it is transient and ``can_retry``: the caller retries."""
    if (
        not verification_possible(channel.platform)
        or METHODS[channel.platform] not in CHECKS
        or ChannelVerification.objects.filter(channel=channel, checked_on__gte=day).exists()
    ):
        return None
    try:
        linked, evidence = CHECKS[METHODS[channel.platform]](channel, client)
    except FetchError as error:
        if error.transient and can_retry:
            raise
        linked, evidence = None, {"page": page_url(channel), "error": error.message}
    except NotCollectable as error:
        linked, evidence = None, {"page": page_url(channel), "error": str(error)}
    return ChannelVerification.record(channel, day=day, linked=linked, evidence=evidence)


# --- The profile check of the platforms whose collectors read the profile ------------

PROFILE_LINK = "profile-link"
# The most of a bio the evidence keeps, and of a name or handle.
BIO_EXCERPT = 500
NAME_LIMIT = 200
# What ends an address written in a text, besides white space.
_SEPARATORS = re.compile(r"[\s<>\"'()\[\]{}]+")


def _address_key(address, scheme):
    """(host, path) of an address as compared: the host in lower case, the path
    without its trailing slash, query and fragment; None if it names another scheme."""
    address = address.rstrip(".,;:!?")
    written, sep, rest = address.partition("://")
    if not sep:
        rest = address
    elif written.lower() != scheme:
        return None
    host, _slash, path = rest.partition("/")
    path = re.split(r"[?#]", path, maxsplit=1)[0]
    return host.lower(), "/" + path.rstrip("/")


def names_page(text, page):
    """Whether ``text`` holds the address ``page`` (as ``_address_key`` compares)."""
    parts = urlsplit(page)
    wanted = _address_key(page, parts.scheme.lower())
    return any(
        _address_key(word, parts.scheme.lower()) == wanted
        for word in _SEPARATORS.split(text or "")
        if word
    )


def links_back(profile, page):
    """Where the profile gives the page's address: "website", "bio", or ""."""
    if any(names_page(site, page) for site in profile.websites):
        return "website"
    if names_page(profile.bio, page):
        return "bio"
    return ""


def organisation_named(profile):
    """The organisation's name or alias that the display name or bio gives (whole words,
    any case), or ""."""
    names = [settings.PORTAL_ORGANISATION_NAME, *settings.PORTAL_ORGANISATION_ALIASES]
    for name in filter(None, (name.strip() for name in names)):
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        if pattern.search(profile.display_name) or pattern.search(profile.bio):
            return name
    return ""


def _excerpt(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_profile(channel, day, profile):
    """Record the profile check of ``channel`` for ``day`` from the ``profile`` its
    collection read (None where the answer had none). Answers the state after the
    check, or None where there was nothing to check: a platform without a profile
    read, a channel not in the directory (it has no public page), a day already
    checked."""
    if profile is None or METHODS.get(channel.platform) != PROFILE_LINK:
        return None
    if not channel.in_directory:
        return None
    page = page_url(channel)
    found_in = links_back(profile, page)
    named = organisation_named(profile)
    evidence = {
        "method": PROFILE_LINK,
        "page": page,
        "read": profile.read,
        "profile": {
            "handle": _excerpt(profile.handle, NAME_LIMIT),
            "display_name": _excerpt(profile.display_name, NAME_LIMIT),
            "websites": [_excerpt(site, NAME_LIMIT) for site in profile.websites[:5]],
            "bio": _excerpt(profile.bio, BIO_EXCERPT),
        },
        "links_back": bool(found_in),
        "found_in": found_in,
        "names_organisation": bool(named),
        "organisation_named": named,
        "day": day.isoformat(),
    }
    return ChannelVerification.record_profile(
        channel, day=day, linked=bool(found_in), evidence=evidence
    )
