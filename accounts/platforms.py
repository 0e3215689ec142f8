"""The social media platforms, and how to read a profile address on each.

``parse_profile(platform, text)`` accepts what people paste: a full address, one
without ``https://``, a mobile or old host name (``m.facebook.com``, ``twitter.com``),
an ``@handle``, and returns the profile's canonical address and handle. Two spellings
of the same account give the same canonical address, which is what makes the
registry's uniqueness check work. Where a platform ignores case in account names, the
canonical form is lower case.

``detect_platform(text)`` tells, from an address alone, which platform it belongs to
(the public "is this account official?" check uses it).
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    FLICKR = "flickr", "Flickr"
    THREADS = "threads", "Threads"
    OTHER = "other", _("Other")


@dataclass(frozen=True)
class Profile:
    """A profile's canonical address and its handle: without a leading @, "user@domain"
    on Mastodon, a handle or DID on Bluesky, "" where the address names the account by a
    number (Facebook's ``profile.php?id=``, YouTube's ``/channel/UC…``) or by a legacy
    name (YouTube's ``/user/``). The collectors read those numbers and names from the
    canonical address itself (metrics/providers)."""

    url: str
    handle: str


# Host names (without "www."/"m."/"mobile." prefixes) each platform answers on.
HOSTS = {
    Platform.FACEBOOK: {"facebook.com", "fb.com", "web.facebook.com"},
    Platform.INSTAGRAM: {"instagram.com"},
    Platform.LINKEDIN: {"linkedin.com"},
    Platform.X: {"x.com", "twitter.com"},
    Platform.YOUTUBE: {"youtube.com"},
    Platform.TIKTOK: {"tiktok.com", "vm.tiktok.com", "vt.tiktok.com"},
    Platform.BLUESKY: {"bsky.app"},
    Platform.FLICKR: {"flickr.com"},
    Platform.THREADS: {"threads.com", "threads.net"},
}

_PREFIXES = ("www.", "m.", "mobile.", "web.")

_FACEBOOK_NAME = re.compile(r"^[a-z0-9.\-]{3,75}$")
_INSTAGRAM_NAME = re.compile(r"^[a-z0-9._]{1,30}$")
_X_NAME = re.compile(r"^[a-z0-9_]{1,15}$")
_TIKTOK_NAME = re.compile(r"^[a-z0-9._]{2,24}$")
_THREADS_NAME = _INSTAGRAM_NAME  # Threads profiles are Instagram accounts
_LINKEDIN_SLUG = re.compile(r"^[a-z0-9\-_%.]{2,100}$")
_YOUTUBE_HANDLE = re.compile(r"^[a-z0-9._\-]{3,30}$")  # also a legacy /user/ name
# YouTube handles are 3 to 30 letters and digits of any script (with their combining
# marks: Devanagari vowel signs, say), "_", "-", "." and the Catalan middle dot.
_YOUTUBE_HANDLE_PUNCTUATION = {"_", "-", ".", "\u00b7"}
# youtube.com/<this> is one of YouTube's own pages, not an old custom channel address.
_YOUTUBE_PAGES = {
    "watch",
    "shorts",
    "playlist",
    "results",
    "feed",
    "embed",
    "live",
    "hashtag",
    "redirect",
    "premium",
    "account",
}
_YOUTUBE_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_\-]{22}$")
_MASTODON_USER = re.compile(r"^[a-z0-9_]{1,30}$")
# atproto.com/specs/handle: ASCII labels of 1 to 63 letters, digits and hyphens, not
# starting or ending with a hyphen; at least two labels; the last (the top-level domain)
# not starting with a digit ("xn--p1ai" is one); at most 253 characters in all.
_BLUESKY_HANDLE = re.compile(
    r"^([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9\-]{0,61}[a-z0-9])?$"
)
# atproto.com/specs/did: did:plc: and 24 base32 characters; did:web: and a host name
# (no path), under the handles' rules. A port (":" written "%3A") is allowed only for
# localhost in development, so the registry, whose accounts Bluesky's public servers
# must reach, refuses it and says why.
_BLUESKY_PLC = re.compile(r"^did:plc:[a-z2-7]{24}$")
_FLICKR_NAME = re.compile(r"^[A-Za-z0-9_\-@]{2,60}$")
_HOST = re.compile(r"^([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
HOST_MAX_LENGTH = 253  # the longest host name DNS allows
_ASCII_DIGITS = re.compile(r"[0-9]+")  # str.isdigit() also takes other scripts' digits

# Paths on a platform's host that are not profiles (e.g. facebook.com/groups/...).
_RESERVED = {
    Platform.FACEBOOK: {
        "groups",
        "events",
        "watch",
        "marketplace",
        "login",
        "share",
        "sharer",
        "photo",
        "photo.php",
        "permalink.php",
        "story.php",
        "reel",
        "hashtag",
        "search",
        "help",
    },
    Platform.INSTAGRAM: {"p", "reel", "reels", "explore", "stories", "accounts"},
    Platform.X: {"home", "search", "explore", "i", "intent", "share", "hashtag", "settings"},
}


def _invalid(message, **params):
    return ValidationError(message, code="invalid", params=params)


def _split(text):
    """(host without www./m. prefixes, path segments, query) of an address, adding
    https:// when it is missing; ValidationError for anything that cannot be read as
    a profile's address (a user name or port in it, a host that is not a host name)."""
    typed = text = text.strip()
    if not re.match(r"^[a-z][a-z0-9+.\-]*://", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # unbalanced brackets, characters that read as "/" or "@"
        raise _not_an_address(typed) from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise _invalid(_("Use a web address starting with https://."))
    _userinfo, at, host_and_port = parts.netloc.rpartition("@")
    if at:
        raise _invalid(
            _(
                "Remove the part before “@”, and the “@”, from the address: a profile's "
                "address has no user name or password."
            )
        )
    if host_and_port.startswith("["):  # an IPv6 address, or brackets around anything
        raise _not_an_address(typed)
    host, colon, port = host_and_port.partition(":")
    host = host.lower().rstrip(".")
    _check_host(host, typed)
    if colon:
        raise _invalid(
            _("Leave out “:%(port)s” after the host name: a profile's address has no port."),
            port=port,
        )
    for prefix in _PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host.removeprefix(prefix)
            break
    if re.match(r"^[a-z]{2}\.linkedin\.com$", host):  # country editions: se.linkedin.com
        host = "linkedin.com"
    segments = [segment for segment in parts.path.split("/") if segment]
    return host, segments, parts.query


def _not_an_address(text):
    return _invalid(_("“%(value)s” is not a web address."), value=text)


def _check_host(host, text):
    """ValidationError unless ``host`` (lower case) is a host name: no IP address, no
    brackets, at most 253 characters."""
    if len(host) > HOST_MAX_LENGTH:
        raise _invalid(
            _("The host name in this address is longer than %(limit)s characters."),
            limit=HOST_MAX_LENGTH,
        )
    if not _HOST.match(host):
        raise _not_an_address(text)


def check_address(text):
    """ValidationError when ``text`` is meant as a web address (it has a scheme or a
    "/") but cannot be read as one. For what is checked before, or without, knowing
    the platform: a draft proposal's address, a reported account. Anything else (a
    handle, plain text) passes: the platform decides about those."""
    text = (text or "").strip()
    if _looks_like_address(text):
        _split(text)


def _looks_like_address(text):
    return "/" in text or re.match(r"^[a-z][a-z0-9+.\-]*://", text, re.IGNORECASE) is not None


def detect_platform(text):
    """The platform an address belongs to, Platform.OTHER for any other web address,
    or None when the text is not an address (a bare handle, say)."""
    if not _looks_like_address(text.strip()):
        return None
    try:
        host, segments, _query = _split(text)
    except ValidationError:
        return None
    for platform, hosts in HOSTS.items():
        if host in hosts:
            return platform
    # Mastodon runs on any host; its profile addresses look like /@user.
    if len(segments) == 1 and re.match(r"^@[A-Za-z0-9_]+$", segments[0]):
        return Platform.MASTODON
    return Platform.OTHER


def parse_profile(platform, text):
    """The canonical Profile for ``text`` on ``platform``; ValidationError if ``text``
    is not a profile of that platform."""
    text = (text or "").strip()
    if not text:
        raise _invalid(_("Enter the profile's address or handle."))
    platform = Platform(platform)
    if platform == Platform.OTHER:
        return _parse_other(text)
    if platform == Platform.MASTODON:
        return _parse_mastodon(text)
    if not _looks_like_address(text):
        return _from_handle(platform, text)
    host, segments, query = _split(text)
    if host not in HOSTS[platform]:
        detected = detect_platform(text)
        if detected not in (None, Platform.OTHER, Platform.MASTODON):
            raise _invalid(
                _("This address is on %(detected)s, but the platform chosen is %(platform)s."),
                detected=detected.label,
                platform=platform.label,
            )
        raise _invalid(
            _("%(platform)s addresses are on %(hosts)s."),
            platform=platform.label,
            hosts=" or ".join(sorted(HOSTS[platform])),
        )
    if segments and segments[0].lower() in _RESERVED.get(platform, ()):
        raise _invalid(
            _("This %(platform)s address is not a profile: open the profile and copy its address."),
            platform=platform.label,
        )
    return _PARSERS[platform](segments, query)


def _no_profile(platform):
    return _invalid(
        _("This %(platform)s address does not name a profile."), platform=platform.label
    )


def _bad_name(platform, name):
    return _invalid(
        _("“%(name)s” is not a valid %(platform)s account name."),
        name=name,
        platform=platform.label,
    )


def _simple(platform, pattern, url_format, *, at_prefix=False):
    """A parser for platforms whose profile is /<name> or /@<name>, case-insensitive."""

    def parse(segments, query):
        if not segments:
            raise _no_profile(platform)
        name = segments[0]
        if at_prefix:
            name = name.removeprefix("@")
        name = name.lower()
        if not pattern.match(name):
            raise _bad_name(platform, name)
        return Profile(url_format.format(name=name), name)

    return parse


# A Page without a user name: facebook.com/p/<Name>-<ID>/, facebook.com/<Name>-<ID>/ and
# facebook.com/pages/category/<Category>/<Name>-<ID>/. User names have no hyphens.
_FACEBOOK_NAME_AND_ID = re.compile(r"^.+-([0-9]{5,})$")


def _facebook_id(number):
    """The Profile of the account with the numeric id ``number``: every address naming
    an account by its id has this one canonical form."""
    return Profile(f"https://www.facebook.com/profile.php?id={number}", "")


def _parse_facebook(segments, query):
    if not segments:
        raise _no_profile(Platform.FACEBOOK)
    first = segments[0].lower()
    if first == "profile.php":
        ids = parse_qs(query).get("id", [])
        if not ids or not _ASCII_DIGITS.fullmatch(ids[0]):
            raise _no_profile(Platform.FACEBOOK)
        return _facebook_id(ids[0])
    if first == "people":  # facebook.com/people/<name>/<numeric id>
        if len(segments) < 3 or not _ASCII_DIGITS.fullmatch(segments[2]):
            raise _no_profile(Platform.FACEBOOK)
        return _facebook_id(segments[2])
    if first == "pages":  # /pages/<Name>/<ID>, /pages/category/<Category>/<Name>-<ID>
        rest = segments[1:]
        numbers = [segment for segment in rest if _ASCII_DIGITS.fullmatch(segment)]
        numbers += [match[1] for match in map(_FACEBOOK_NAME_AND_ID.match, rest) if match]
        if not numbers:
            raise _no_profile(Platform.FACEBOOK)
        return _facebook_id(numbers[0])
    if first == "p":  # facebook.com/p/<Name>-<ID>/
        match = _FACEBOOK_NAME_AND_ID.match(segments[1]) if len(segments) > 1 else None
        if not match:
            raise _no_profile(Platform.FACEBOOK)
        return _facebook_id(match[1])
    if first == "pg" and len(segments) > 1:  # the old facebook.com/pg/<name>/posts/
        first = segments[1].lower()
    if _ASCII_DIGITS.fullmatch(first):  # facebook.com/<ID>
        return _facebook_id(first)
    match = _FACEBOOK_NAME_AND_ID.match(first)
    if match:
        return _facebook_id(match[1])
    if not _FACEBOOK_NAME.match(first):
        raise _bad_name(Platform.FACEBOOK, first)
    return Profile(f"https://www.facebook.com/{first}", first)


def _parse_linkedin(segments, query):
    if segments and segments[0].lower() == "organization-guest":  # the signed-out view
        segments = segments[1:]
    if len(segments) < 2 or segments[0].lower() not in {"company", "showcase", "school", "in"}:
        raise _invalid(
            _(
                "A LinkedIn address names a page, like linkedin.com/company/<name> "
                "or linkedin.com/showcase/<name>."
            )
        )
    kind, slug = segments[0].lower(), segments[1].lower()
    if not _LINKEDIN_SLUG.match(slug):
        raise _bad_name(Platform.LINKEDIN, slug)
    return Profile(f"https://www.linkedin.com/{kind}/{slug}/", slug)


def _youtube_handle(text):
    """The handle ``text`` (after the "@", decoded), normalised (NFC, lower case);
    ValidationError if YouTube would not allow it."""
    handle = unicodedata.normalize("NFC", text).lower()
    allowed = all(
        unicodedata.category(char)[0] in "LMN" or char in _YOUTUBE_HANDLE_PUNCTUATION
        for char in handle
    )
    if not (3 <= len(handle) <= 30 and allowed):
        raise _bad_name(Platform.YOUTUBE, handle)
    return handle


def _parse_youtube(segments, query):
    if not segments:
        raise _no_profile(Platform.YOUTUBE)
    first = unquote(segments[0])
    if first.startswith("@"):
        handle = _youtube_handle(first[1:])
        # The address carries non-ASCII handles percent-encoded, as a browser copies it.
        return Profile(f"https://www.youtube.com/@{quote(handle, safe='')}", handle)
    kind = first.lower()
    if kind == "channel" and len(segments) >= 2:
        channel_id = segments[1]  # channel ids are case-sensitive
        if not _YOUTUBE_CHANNEL_ID.match(channel_id):
            raise _bad_name(Platform.YOUTUBE, channel_id)
        return Profile(f"https://www.youtube.com/channel/{channel_id}", "")
    if kind == "user" and len(segments) >= 2:
        # A legacy user name: the collector asks channels.list?forUsername= for it.
        name = segments[1].lower()
        if not _YOUTUBE_HANDLE.match(name):
            raise _bad_name(Platform.YOUTUBE, name)
        return Profile(f"https://www.youtube.com/user/{name}", "")
    custom = kind == "c" and len(segments) >= 2
    if custom or (
        len(segments) == 1 and kind not in _YOUTUBE_PAGES and _YOUTUBE_HANDLE.match(kind)
    ):
        # A custom address (youtube.com/c/<name>, or the older youtube.com/<name>):
        # nothing in YouTube's API finds the channel it stands for.
        raise _invalid(
            _(
                "YouTube cannot look up a channel by a custom address like this one. Paste "
                "the channel's address with its id instead, youtube.com/channel/UC…: the "
                "channel's owner finds the id in YouTube Studio under Settings > Channel > "
                "Advanced settings, and anyone can copy it on the channel's page under "
                "“Share channel” > “Copy channel ID”."
            )
        )
    raise _invalid(
        _("A YouTube address names a channel, like youtube.com/@name or youtube.com/channel/UC…")
    )


def _parse_tiktok(segments, query):
    if not segments:
        raise _no_profile(Platform.TIKTOK)
    if not segments[0].startswith("@"):
        raise _invalid(
            _(
                "A TikTok address looks like tiktok.com/@name. For a short link "
                "(vm.tiktok.com/…), open it and copy the profile's address."
            )
        )
    name = segments[0][1:].lower()
    if not _TIKTOK_NAME.match(name) or name.endswith("."):
        raise _bad_name(Platform.TIKTOK, name)
    return Profile(f"https://www.tiktok.com/@{name}", name)


def _parse_bluesky(segments, query):
    if len(segments) < 2 or segments[0].lower() != "profile":
        raise _invalid(_("A Bluesky address looks like bsky.app/profile/<handle>."))
    return _bluesky_profile(segments[1])


def _is_bluesky_handle(text):
    """Is ``text`` (lower case) a handle by atproto's syntax (atproto.com/specs/handle)?"""
    return len(text) <= HOST_MAX_LENGTH and _BLUESKY_HANDLE.match(text) is not None


def _bluesky_profile(value):
    value = value.removeprefix("@")
    if value.lower().startswith("did:"):
        did = _bluesky_did(value)
        return Profile(f"https://bsky.app/profile/{did}", did)
    handle = value.lower()
    if not _is_bluesky_handle(handle):
        raise _bad_name(Platform.BLUESKY, handle)
    return Profile(f"https://bsky.app/profile/{handle}", handle)


def _bluesky_did(value):
    """The DID ``value`` in its canonical form (a did:web's host in lower case);
    ValidationError unless it is a DID Bluesky resolves (did:plc or did:web)."""
    if _BLUESKY_PLC.match(value):  # did:plc ids are lower case already
        return value
    method, _colon, host = value.partition(":")[2].partition(":")
    if method == "web":
        host = host.lower()
        if "%3a" in host:
            raise _invalid(
                _(
                    "“%(value)s” names a server port: atproto allows that only for "
                    "localhost, in development. Enter the account's handle or its did:plc."
                ),
                value=value,
            )
        if _is_bluesky_handle(host):
            return f"did:web:{host}"
    raise _bad_name(Platform.BLUESKY, value)


def _parse_flickr(segments, query):
    if len(segments) < 2 or segments[0].lower() not in {"photos", "people"}:
        raise _invalid(_("A Flickr address looks like flickr.com/photos/<name>/."))
    name = segments[1]  # Flickr account ids (12345678@N02) are case-sensitive
    if not _FLICKR_NAME.match(name):
        raise _bad_name(Platform.FLICKR, name)
    return Profile(f"https://www.flickr.com/photos/{name}/", name)


_PARSERS = {
    Platform.FACEBOOK: _parse_facebook,
    Platform.INSTAGRAM: _simple(
        Platform.INSTAGRAM, _INSTAGRAM_NAME, "https://www.instagram.com/{name}/"
    ),
    Platform.LINKEDIN: _parse_linkedin,
    Platform.X: _simple(Platform.X, _X_NAME, "https://x.com/{name}"),
    Platform.YOUTUBE: _parse_youtube,
    Platform.TIKTOK: _parse_tiktok,
    Platform.BLUESKY: _parse_bluesky,
    Platform.FLICKR: _parse_flickr,
    Platform.THREADS: _simple(
        Platform.THREADS, _THREADS_NAME, "https://www.threads.com/@{name}", at_prefix=True
    ),
}

# How a bare handle becomes an address, on the platforms where it can.
_FROM_HANDLE = {
    Platform.FACEBOOK: ["{name}"],
    Platform.INSTAGRAM: ["{name}"],
    Platform.X: ["{name}"],
    Platform.YOUTUBE: ["@{name}"],
    Platform.TIKTOK: ["@{name}"],
    Platform.THREADS: ["@{name}"],
}


def _from_handle(platform, text):
    name = text.removeprefix("@")
    if platform == Platform.BLUESKY:
        return _bluesky_profile(name)
    if platform not in _FROM_HANDLE:
        raise _invalid(
            _("On %(platform)s a handle alone is not enough: paste the page's full address."),
            platform=platform.label,
        )
    (template,) = _FROM_HANDLE[platform]
    return _PARSERS[platform]([template.format(name=name)], "")


def _parse_mastodon(text):
    """@user@instance, or https://instance/@user (also /users/user)."""
    handle = re.match(r"^@?([A-Za-z0-9_]+)@([A-Za-z0-9.\-]+)$", text)
    if handle:
        user, host = handle.group(1).lower(), handle.group(2).lower()
        if len(host) > HOST_MAX_LENGTH or not _HOST.match(host):
            raise _invalid(_("“%(value)s” is not a Mastodon server."), value=host)
    else:
        if not _looks_like_address(text):
            raise _invalid(_("A Mastodon handle has two parts, like @name@mastodon.social."))
        host, segments, _query = _split(text)
        for platform, hosts in HOSTS.items():
            if host in hosts:
                raise _invalid(
                    _("This address is on %(detected)s, but the platform chosen is %(platform)s."),
                    detected=platform.label,
                    platform=Platform.MASTODON.label,
                )
        if len(segments) >= 1 and segments[0].startswith("@"):
            user = segments[0][1:].lower()
            if "@" in user:  # another server's account seen from this one: /@user@domain
                return _parse_mastodon(user)
        elif len(segments) >= 2 and segments[0] == "users":
            user = segments[1].lower()
        else:
            raise _invalid(_("A Mastodon address looks like https://mastodon.social/@name."))
    if "@" in user or not _MASTODON_USER.match(user):
        raise _bad_name(Platform.MASTODON, user)
    return Profile(f"https://{host}/@{user}", f"{user}@{host}")


def _parse_other(text):
    if not _looks_like_address(text):
        raise _invalid(_("For other platforms, paste the profile's full address."))
    host, segments, query = _split(text)
    path = "/".join(segments)
    url = f"https://{host}/{path}" if path else f"https://{host}/"
    if query:
        url += f"?{query}"
    return Profile(url, "")


# Where the office reports an account impersonating the organisation, per platform (the
# triage of suspicious accounts links there). Platforms without a form of their own
# (Mastodon, where the account's server decides; Bluesky and Flickr, which take reports
# on the account's page) are missing: the page says to use the report button there.
IMPERSONATION_REPORT_FORMS = {
    Platform.FACEBOOK: "https://www.facebook.com/help/contact/295309487309948",
    Platform.INSTAGRAM: "https://help.instagram.com/contact/636276399721841",
    Platform.THREADS: "https://help.instagram.com/contact/636276399721841",
    Platform.LINKEDIN: "https://www.linkedin.com/help/linkedin/ask/TS-NFPI",
    Platform.X: "https://help.x.com/forms/impersonation",
    Platform.YOUTUBE: "https://support.google.com/youtube/answer/2801947",
    Platform.TIKTOK: (
        "https://support.tiktok.com/en/safety-hc/report-a-problem/report-an-impersonation-account"
    ),
}


def impersonation_report_form(platform):
    """The address of ``platform``'s form for reporting an impersonating account, or ""."""
    return IMPERSONATION_REPORT_FORMS.get(platform, "")
