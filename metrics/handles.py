"""The daily check that a Bluesky channel's handle still names its account: the
"atproto-handle" method of accounts.models.verification.METHODS.

A Bluesky handle is a host name, and it proves itself both ways (atproto.com/specs/
handle): the host says which account (DID) it belongs to, and the account's own record
names the handle. The host says it in either of two ways, and the check asks both:

- DNS: a TXT record at ``_atproto.<handle>`` whose value is ``did=<DID>``. Values not
  starting with ``did=`` are ignored; two different DIDs make the record unusable.
- HTTPS: ``GET https://<handle>/.well-known/atproto-did`` answering 200 with the bare
  DID as text (leading and trailing white space ignored; the content type need not be
  checked). The specification allows a few redirects; the check follows at most
  ``MAX_REDIRECTS``, and only to another HTTPS address on the default port of a named
  host, as only HTTPS on port 443 counts in the real world. The body is read up to
  ``BODY_LIMIT`` bytes: a DID is at most 2 KB.

When the two disagree, the specification prefers DNS, and so does the check. The other
direction is the AppView's ``app.bsky.actor.getProfile`` for the registered DID: Bluesky
answers the account's current handle, which must be the channel's (``handle.invalid``
when Bluesky itself no longer finds the handle pointing back).

The registered DID is the channel's ``platform_id``. A channel registered by its handle
only has it filled in by its first check, from the AppView's answer for that handle
(``ChannelVerification.register_did``); from then on a handle that resolves to another
DID is a broken link, and only the office changes the DID (in the admin).

Only a handle under one of the organisation's domains (PORTAL_HANDLE_DOMAINS) links the
account to the organisation: a handle under bsky.social is Bluesky's name, not ours.
Such a channel is looked up (to register its DID), but its handle is not resolved.

Network failures (timeouts, refused connections, 5xx, a DNS server that fails or does
not answer) are TransientError: the task retries, and after its last try the day is
recorded as not checked, the state kept. A missing record, an address that answers
404, or an answer that is not a DID are findings, not failures. Every request, DNS
included, waits for its slot in the shared limiter (metrics/limiter.py), one key per
organisation domain (rate ``atproto-handle`` in METRICS_RATE_LIMITS, else the default).
"""

import re
from urllib.parse import urljoin, urlsplit

import dns.exception
import dns.name
import dns.nameserver
import dns.resolver
import httpx
from django.conf import settings

from accounts.models import ChannelVerification
from accounts.models.verification import bluesky_handle, handle_domain, registered_did
from metrics import limiter
from metrics.providers.base import (
    BadResponse,
    NotCollectable,
    RateLimited,
    TransientError,
    Unavailable,
    shared_client,
)
from metrics.providers.bluesky import PUBLIC_APPVIEW, BlueskyProvider

METHOD = "atproto-handle"
WELL_KNOWN = "/.well-known/atproto-did"
# A DID is at most 2 KB (atproto.com/specs/did); a little room for white space.
BODY_LIMIT = 2048 + 64
MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
# atproto.com/specs/did: the syntax every DID must have.
DID = re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$")
HOST = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")

# What each method found (the evidence's ``finding``, shown in words on the channel's
# page): the registered DID, another DID, nothing, something that is not a DID.
MATCH, OTHER, ABSENT, INVALID = "match", "other", "absent", "invalid"


def _acquire(domain):
    try:
        limiter.acquire(f"{METHOD}:{domain}", METHOD)
    except limiter.RateLimitWait as wait:
        raise RateLimited(str(wait), retry_after=wait.wait) from None


def _finding(did, registered, **facts):
    return {"finding": MATCH if did == registered else OTHER, "did": did, **facts}


# --- DNS -------------------------------------------------------------------------------


def resolver():
    """A DNS resolver: the machine's, or METRICS_DNS_NAMESERVERS (address[:port])."""
    servers = settings.METRICS_DNS_NAMESERVERS
    if servers:
        found = dns.resolver.Resolver(configure=False)
        found.nameservers = [_nameserver(server) for server in servers]
    else:
        found = dns.resolver.Resolver()
    found.lifetime = settings.METRICS_HTTP_TIMEOUT
    found.timeout = min(5.0, settings.METRICS_HTTP_TIMEOUT)
    return found


def _nameserver(text):
    if text.startswith("["):  # [::1]:5353
        address, _sep, port = text[1:].partition("]")
        port = port.removeprefix(":")
    elif text.count(":") == 1:  # 127.0.0.1:5353
        address, _sep, port = text.partition(":")
    else:  # an address alone, IPv4 or IPv6
        address, port = text, ""
    return dns.nameserver.Do53Nameserver(address, int(port) if port else 53)


def resolve_dns(handle, registered, domain):
    """What ``_atproto.<handle>`` TXT says: a finding dict. TransientError when the
    DNS servers fail or do not answer."""
    name = f"_atproto.{handle}"
    facts = {"record": name}
    _acquire(domain)
    try:
        answer = resolver().resolve(name, "TXT", search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return {"finding": ABSENT, "did": "", **facts}
    except dns.exception.Timeout as error:
        raise TransientError(f"The DNS look-up of {name} timed out.") from error
    except dns.resolver.NoNameservers as error:
        raise TransientError(f"No DNS server answered for {name}.") from error
    except (dns.name.NameTooLong, dns.name.LabelTooLong):
        return {"finding": INVALID, "did": "", **facts}
    except dns.exception.DNSException as error:
        raise TransientError(f"The DNS look-up of {name} failed.") from error
    values = []
    for rdata in answer:
        try:
            values.append(b"".join(rdata.strings).decode())
        except UnicodeDecodeError:
            continue
    dids = {value.removeprefix("did=").strip() for value in values if value.startswith("did=")}
    if not dids:
        return {"finding": ABSENT, "did": "", **facts}
    if len(dids) > 1 or not DID.match(next(iter(dids))):
        return {"finding": INVALID, "did": "", **facts}
    return _finding(dids.pop(), registered, **facts)


# --- HTTPS -----------------------------------------------------------------------------


def _request_url(url):
    """(URL to connect to, headers): ``url`` itself, or with METRICS_HANDLE_BASE_URL
    (tests only) the same path there, the host named in the Host header."""
    override = settings.METRICS_HANDLE_BASE_URL
    if not override:
        return url, {}
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return override.rstrip("/") + path, {"Host": parts.hostname}


def _allowed_target(url):
    """Whether a redirect may be followed to ``url``: HTTPS on the default port of a
    named host (no address, no credentials)."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return (
        parts.scheme == "https"
        and port in (None, 443)
        and not parts.username
        and bool(HOST.match(host))
    )


def resolve_https(handle, registered, domain, client):
    """What ``https://<handle>/.well-known/atproto-did`` says: a finding dict.
    TransientError on timeouts, refused connections and 5xx."""
    url = f"https://{handle}{WELL_KNOWN}"
    facts = {"url": url}
    for _hop in range(MAX_REDIRECTS + 1):
        _acquire(domain)
        target, headers = _request_url(url)
        try:
            with client.stream("GET", target, headers=headers, follow_redirects=False) as answer:
                status = answer.status_code
                location = answer.headers.get("location", "")
                body = b""
                if status == 200:
                    for chunk in answer.iter_bytes():
                        body += chunk
                        if len(body) > BODY_LIMIT:
                            break
        except httpx.TimeoutException as error:
            raise TransientError(f"{url} did not answer in time.") from error
        except httpx.TransportError as error:
            raise TransientError(f"{url} could not be reached: {type(error).__name__}.") from error
        facts["status"] = status
        if status in REDIRECTS:
            following = urljoin(url, location) if location else ""
            if not following or not _allowed_target(following):
                return {"finding": INVALID, "did": "", **facts, "redirect": following}
            url = facts["redirect"] = following
            continue
        if status == 429 or status >= 500:
            raise TransientError(f"{url} answered {status}.")
        if status != 200:
            return {"finding": ABSENT, "did": "", **facts}
        if len(body) > BODY_LIMIT:
            return {"finding": INVALID, "did": "", **facts, "too_large": True}
        try:
            text = body.decode().strip()
        except UnicodeDecodeError:
            text = ""
        if not DID.match(text):
            return {"finding": INVALID, "did": "", **facts}
        return _finding(text, registered, **facts)
    return {"finding": INVALID, "did": "", **facts, "too_many_redirects": True}


# --- The check -------------------------------------------------------------------------


def profile(channel, actor, client):
    """The AppView's profile for ``actor`` (a DID or handle): (DID, handle), or
    (None, None) when Bluesky has no such account (deleted, suspended, deactivated)."""
    provider = BlueskyProvider(client=client)
    base = provider.base_url(PUBLIC_APPVIEW)
    try:
        answer = provider.get_json(
            channel, f"{base}/xrpc/app.bsky.actor.getProfile", params={"actor": actor}
        )
    except Unavailable:
        return None, None
    if not isinstance(answer, dict):
        raise BadResponse("The profile answer is not an object.")
    did, handle = answer.get("did"), answer.get("handle")
    if not isinstance(did, str) or not DID.match(did) or not isinstance(handle, str):
        raise BadResponse("The profile answer lacks the account's DID or handle.")
    return did, handle.lower()


def check_atproto_handle(channel, client=None):
    """(linked, evidence) for a Bluesky channel: whether its handle, under one of the
    organisation's domains, resolves to its registered DID (by DNS or HTTPS) and the
    account's profile names that handle. Raises FetchError when a request could not be
    made (TransientError: retry), NotCollectable without a handle."""
    client = client or shared_client()
    handle = bluesky_handle(channel)
    if not handle:
        raise NotCollectable("The channel has no Bluesky handle to check.")
    registered = registered_did(channel)
    evidence = {"method": METHOD, "handle": handle, "did": registered}
    if not registered:
        # First check: ask Bluesky who the handle is now, and keep that DID.
        did, shown = profile(channel, handle, client)
        if did is None or shown != handle:
            evidence.update(profile_handle=shown or "", no_did=True)
            return False, evidence
        ChannelVerification.register_did(channel, did)
        registered = evidence["did"] = did
        evidence["registered_now"] = True
    else:
        _did, shown = profile(channel, registered, client)
    evidence["profile_handle"] = shown or ""
    evidence["profile_found"] = shown is not None

    domain = handle_domain(handle)
    evidence["domain"] = domain or ""
    if domain is None:
        return False, evidence

    findings, failures = {}, []
    for name, resolve in (("dns", resolve_dns), ("https", resolve_https)):
        arguments = (handle, registered, domain) + ((client,) if name == "https" else ())
        try:
            findings[name] = resolve(*arguments)
        except TransientError as error:
            findings[name] = {"finding": "failed", "did": "", "error": error.message}
            failures.append(error)
    evidence.update(findings)

    dns_finding, https_finding = findings["dns"]["finding"], findings["https"]["finding"]
    if dns_finding == OTHER:
        resolves = False  # DNS is preferred when the two disagree
    elif MATCH in (dns_finding, https_finding):
        resolves = True
    elif failures and shown == handle:
        # Nothing definite either way, and Bluesky still shows the handle: try again.
        raise failures[0]
    else:
        resolves = False
    return resolves and shown == handle, evidence
