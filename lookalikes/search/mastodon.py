"""Mastodon: the account search of each server in ``LOOKALIKES_MASTODON_SERVERS``.

``GET https://SERVER/api/v2/search?q=…&type=accounts&limit=40&offset=N`` with
``Authorization: Bearer <token>`` (docs.joinmastodon.org methods/search#v2). The token
is a user token of an account the portal keeps on that server, with the ``read:search``
scope (or ``read``): without a user token a server answers only the first page (401
"Search queries pagination is not supported without authentication" as soon as
``offset`` is given, Mastodon 4.0 and later). ``resolve`` is left off, so the server
does no WebFinger lookups on our behalf: it searches the accounts it already knows,
its own and the remote ones its users have met. An account on a server no configured
server has heard of is not found (``KNOWN_ACCOUNTS_ONLY`` says so to the office).

Paging is by ``offset``: a page of 40 (the most the method gives) is followed by the
next, whose ``offset`` is the cursor; a shorter page is the last.

An account is remembered by its ``uri``, the address of its ActivityPub actor: the
same account found through two servers has the same ``uri`` (where each server has
its own ``id`` for it), and a Mastodon user name never changes (a user who wants
another one moves to a new account, which is a new ``uri``). Its handle is ``acct``
made full: a remote account's ``acct`` is already ``user@domain``; a local account's
is ``user`` alone, and is given the configured server's name as its domain (for a
server whose handles carry another domain than its address, such as
``@alice@example.com`` served from ``mastodon.example.com``, that shows the address's
domain; the ``uri`` is right either way).

The server's ``X-RateLimit-*`` headers and 429s pause the shared limiter
(metrics/limiter.py) under the key ``search:mastodon:SERVER``, at Mastodon's rate of
``METRICS_RATE_LIMITS``: servers allow 300 requests per 5 minutes per account, and
this token's account is the portal's search account, not the collectors' (which ask
without a token, counted per address). Errors are the collectors' (401/403
``AuthFailed``, 429 ``RateLimited``, 5xx and timeouts ``TransientError``, an answer
that is not JSON or not a search result ``BadResponse``).
"""

from html.parser import HTMLParser

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lookalikes.profiles import Found
from metrics.providers.base import BadResponse, count, parse_time

from .base import Page, Search

#: Accounts a page: the most ``/api/v2/search`` gives per type.
PAGE_SIZE = 40

#: For the watch's page: why an imitation on Mastodon can go unseen.
KNOWN_ACCOUNTS_ONLY = _(
    "On Mastodon, each configured server finds only the accounts it already knows: "
    "its own, and those on other servers that its users have come across. An "
    "account on a server none of them has heard of is not found."
)


class _Text(HTMLParser):
    """The text of a Mastodon note (HTML): paragraphs and line breaks as new lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(value):
    """The text of an HTML fragment, without tags, its entities decoded."""
    if not isinstance(value, str) or not value:
        return ""
    parser = _Text()
    parser.feed(value)
    parser.close()
    return "".join(parser.parts).strip()


def _text(value):
    return value if isinstance(value, str) else ""


class MastodonSearch(Search):
    platform = "mastodon"

    def __init__(self, server, token, client=None):
        super().__init__(client=client)
        self.server = server
        self.token = token

    @classmethod
    def configured(cls):
        """One search per configured server (none without servers)."""
        return [
            cls(server, token) for server, token in settings.LOOKALIKES_MASTODON_SERVERS.items()
        ]

    @property
    def name(self):
        return f"mastodon:{self.server}"

    def search(self, query, *, cursor=None):
        offset = int(cursor) if cursor and cursor.isascii() and cursor.isdigit() else 0
        params = {"q": query, "type": "accounts", "limit": str(PAGE_SIZE)}
        if offset:
            params["offset"] = str(offset)
        answer = self.get_json(
            None,
            f"{self.base_url(f'https://{self.server}')}/api/v2/search",
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        accounts = answer.get("accounts") if isinstance(answer, dict) else None
        if not isinstance(accounts, list):
            raise BadResponse("The search answer has no list of accounts.", raw=answer)
        found = [self.found(account) for account in accounts if isinstance(account, dict)]
        found = [one for one in found if one is not None]
        following = str(offset + len(accounts)) if len(accounts) >= PAGE_SIZE else None
        return Page(found=found, cursor=following, cost=1)

    def found(self, account):
        """The account as a ``Found``; None for one without an actor address (which no
        server of Mastodon 4.2 or later sends)."""
        uri = _text(account.get("uri")) or _text(account.get("url"))
        acct = _text(account.get("acct")) or _text(account.get("username"))
        if not uri or not acct:
            return None
        handle = acct if "@" in acct else f"{acct}@{self.server}"
        return Found(
            platform=self.platform,
            account_id=uri,
            handle=handle,
            display_name=_text(account.get("display_name")),
            url=_text(account.get("url")) or uri,
            bio=html_to_text(account.get("note")),
            avatar_url=_text(account.get("avatar")),
            created_at=parse_time(account.get("created_at")),
            followers=count(account.get("followers_count")),
            raw=account,
        )
