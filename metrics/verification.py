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
"""

from html.parser import HTMLParser

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
    links, not yet checked that day."""
    return (
        Channel.objects.public()
        .filter(platform__in=list(METHODS))
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
