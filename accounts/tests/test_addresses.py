"""Every address form people paste, per platform, read as the account the collector
asks its platform about: what is accepted gives its canonical address and handle, what
is refused says why. The shapes are those of real addresses; the names are made up."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Channel
from accounts.platforms import Platform, Profile, parse_profile
from portal.tests.factories import make_channel

PAGE_ID = "104523987654321"
CHANNEL_ID = "UCfictionalUniversity000"


def accepted(*cases):
    return [pytest.param(typed, Profile(url, handle), id=id_) for id_, typed, url, handle in cases]


def refused(*cases):
    return [pytest.param(typed, message, id=id_) for id_, typed, message in cases]


def read(platform, typed):
    return parse_profile(platform, typed)


def refusal(platform, typed):
    with pytest.raises(ValidationError) as raised:
        parse_profile(platform, typed)
    (message,) = raised.value.messages
    return message


# --- Facebook ----------------------------------------------------------------------
# A Page without a user name is named by its id, in one canonical form whichever way
# the address spells it; the collector asks the Graph API for that id.

FACEBOOK_PAGE = f"https://www.facebook.com/profile.php?id={PAGE_ID}"


@pytest.mark.parametrize(
    ("typed", "profile"),
    accepted(
        (
            "user-name",
            "https://www.facebook.com/FictionalUni/",
            "https://www.facebook.com/fictionaluni",
            "fictionaluni",
        ),
        (
            "user-name-with-dots",
            "facebook.com/fictional.uni?ref=bookmarks",
            "https://www.facebook.com/fictional.uni",
            "fictional.uni",
        ),
        (
            "mobile",
            "https://m.facebook.com/fictionaluni/posts/123",
            "https://www.facebook.com/fictionaluni",
            "fictionaluni",
        ),
        (
            "old-pg",
            "https://www.facebook.com/pg/FictionalUni/posts/",
            "https://www.facebook.com/fictionaluni",
            "fictionaluni",
        ),
        ("handle", "@FictionalUni", "https://www.facebook.com/fictionaluni", "fictionaluni"),
        (
            "profile.php",
            f"https://www.facebook.com/profile.php?id={PAGE_ID}&sk=about",
            FACEBOOK_PAGE,
            "",
        ),
        (
            "pages-name-id",
            f"https://www.facebook.com/pages/Fictional-University/{PAGE_ID}",
            FACEBOOK_PAGE,
            "",
        ),
        (
            "pages-name-id-tab",
            f"https://www.facebook.com/pages/Fictional-University/{PAGE_ID}?sk=photos",
            FACEBOOK_PAGE,
            "",
        ),
        (
            "pages-category",
            f"https://www.facebook.com/pages/category/College---University/Fictional-University-{PAGE_ID}/",
            FACEBOOK_PAGE,
            "",
        ),
        (
            "p-name-id",
            f"https://www.facebook.com/p/Fictional-University-{PAGE_ID}/",
            FACEBOOK_PAGE,
            "",
        ),
        (
            "p-non-latin-name",
            f"https://www.facebook.com/p/H%C3%B6gskolan-i-Exempelstad-{PAGE_ID}/",
            FACEBOOK_PAGE,
            "",
        ),
        ("name-id", f"https://www.facebook.com/Fictional-University-{PAGE_ID}/", FACEBOOK_PAGE, ""),
        ("bare-id", f"https://www.facebook.com/{PAGE_ID}", FACEBOOK_PAGE, ""),
        ("people", f"https://www.facebook.com/people/Fictional-Uni/{PAGE_ID}/", FACEBOOK_PAGE, ""),
    ),
)
def test_facebook_addresses(typed, profile):
    assert read(Platform.FACEBOOK, typed) == profile


def test_two_pages_addresses_of_different_pages_stay_different():
    first = read(Platform.FACEBOOK, "https://www.facebook.com/pages/Fictional-Library/100001")
    second = read(Platform.FACEBOOK, "https://www.facebook.com/pages/Fictional-Museum/100002")
    assert first.url != second.url


@pytest.mark.parametrize(
    ("typed", "message"),
    refused(
        (
            "pages-without-id",
            "https://www.facebook.com/pages/Fictional-University/",
            "This Facebook address does not name a profile.",
        ),
        (
            "pages-alone",
            "https://www.facebook.com/pages",
            "This Facebook address does not name a profile.",
        ),
        (
            "p-without-id",
            "https://www.facebook.com/p/Fictional-University/",
            "This Facebook address does not name a profile.",
        ),
        (
            "profile.php-without-id",
            "https://www.facebook.com/profile.php",
            "This Facebook address does not name a profile.",
        ),
        (
            "group",
            "https://www.facebook.com/groups/123456789/",
            "This Facebook address is not a profile: open the profile and copy its address.",
        ),
        (
            "photo",
            "https://www.facebook.com/photo.php?fbid=123",
            "This Facebook address is not a profile: open the profile and copy its address.",
        ),
        (
            "other-platform",
            "https://www.instagram.com/fictional.uni/",
            "This address is on Instagram, but the platform chosen is Facebook.",
        ),
    ),
)
def test_facebook_addresses_refused(typed, message):
    assert refusal(Platform.FACEBOOK, typed) == message


# --- YouTube -----------------------------------------------------------------------
# The collector asks channels.list by id (/channel/), by forHandle (@handle) or by
# forUsername (a legacy /user/ address); a custom /c/ address has no API lookup.

CUSTOM_ADDRESS = (
    "YouTube cannot look up a channel by a custom address like this one. Paste the "
    "channel's address with its id instead, youtube.com/channel/UC…: the channel's owner "
    "finds the id in YouTube Studio under Settings > Channel > Advanced settings, and "
    "anyone can copy it on the channel's page under “Share channel” > “Copy channel ID”."
)


@pytest.mark.parametrize(
    ("typed", "profile"),
    accepted(
        (
            "channel",
            f"https://www.youtube.com/channel/{CHANNEL_ID}",
            f"https://www.youtube.com/channel/{CHANNEL_ID}",
            "",
        ),
        (
            "channel-tab",
            f"youtube.com/channel/{CHANNEL_ID}/videos?view=0",
            f"https://www.youtube.com/channel/{CHANNEL_ID}",
            "",
        ),
        (
            "mobile-channel",
            f"https://m.youtube.com/channel/{CHANNEL_ID}",
            f"https://www.youtube.com/channel/{CHANNEL_ID}",
            "",
        ),
        (
            "handle-address",
            "https://www.youtube.com/@FictionalUni/videos",
            "https://www.youtube.com/@fictionaluni",
            "fictionaluni",
        ),
        (
            "handle-with-dot-and-hyphen",
            "https://www.youtube.com/@Fictional.Uni-News",
            "https://www.youtube.com/@fictional.uni-news",
            "fictional.uni-news",
        ),
        ("handle", "@FictionalUni", "https://www.youtube.com/@fictionaluni", "fictionaluni"),
        (
            "japanese-handle",
            "https://www.youtube.com/@東京架空大学",
            "https://www.youtube.com/@%E6%9D%B1%E4%BA%AC%E6%9E%B6%E7%A9%BA%E5%A4%A7%E5%AD%A6",
            "東京架空大学",
        ),
        (
            "japanese-handle-as-copied",
            "https://www.youtube.com/@%E6%9D%B1%E4%BA%AC%E6%9E%B6%E7%A9%BA%E5%A4%A7%E5%AD%A6/featured",
            "https://www.youtube.com/@%E6%9D%B1%E4%BA%AC%E6%9E%B6%E7%A9%BA%E5%A4%A7%E5%AD%A6",
            "東京架空大学",
        ),
        (
            "hindi-handle-with-vowel-signs",
            "@दिल्ली-विश्वविद्यालय",
            "https://www.youtube.com/@%E0%A4%A6%E0%A4%BF%E0%A4%B2%E0%A5%8D%E0%A4%B2%E0%A5%80-%E0%A4%B5%E0%A4%BF%E0%A4%B6%E0%A5%8D%E0%A4%B5%E0%A4%B5%E0%A4%BF%E0%A4%A6%E0%A5%8D%E0%A4%AF%E0%A4%BE%E0%A4%B2%E0%A4%AF",
            "दिल्ली-विश्वविद्यालय",
        ),
        (
            "cyrillic-handle-in-lower-case",
            "@ВымышленныйУниверситет",
            "https://www.youtube.com/@%D0%B2%D1%8B%D0%BC%D1%8B%D1%88%D0%BB%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9%D1%83%D0%BD%D0%B8%D0%B2%D0%B5%D1%80%D1%81%D0%B8%D1%82%D0%B5%D1%82",
            "вымышленныйуниверситет",
        ),
        (
            "swedish-handle",
            "@HögskolanIExempelstad",
            "https://www.youtube.com/@h%C3%B6gskolaniexempelstad",
            "högskolaniexempelstad",
        ),
        (
            "catalan-middle-dot",
            "@Universitat·Fictícia",
            "https://www.youtube.com/@universitat%C2%B7fict%C3%ADcia",
            "universitat·fictícia",
        ),
        (
            "legacy-user",
            "https://www.youtube.com/user/FictionalUniversity",
            "https://www.youtube.com/user/fictionaluniversity",
            "",
        ),
        (
            "legacy-user-tab",
            "youtube.com/user/fictionaluniversity/videos",
            "https://www.youtube.com/user/fictionaluniversity",
            "",
        ),
    ),
)
def test_youtube_addresses(typed, profile):
    assert read(Platform.YOUTUBE, typed) == profile


def test_a_handle_typed_and_copied_from_the_address_bar_is_one_account():
    typed = read(Platform.YOUTUBE, "@東京架空大学")
    copied = read(
        Platform.YOUTUBE,
        "https://www.youtube.com/@%E6%9D%B1%E4%BA%AC%E6%9E%B6%E7%A9%BA%E5%A4%A7%E5%AD%A6",
    )
    assert typed == copied


@pytest.mark.parametrize(
    ("typed", "message"),
    refused(
        ("custom-c", "https://www.youtube.com/c/FictionalUniversity", CUSTOM_ADDRESS),
        ("custom-c-tab", "https://www.youtube.com/c/FictionalUniversity/videos", CUSTOM_ADDRESS),
        ("custom-bare", "https://www.youtube.com/FictionalUniversity", CUSTOM_ADDRESS),
        (
            "video",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "A YouTube address names a channel, like youtube.com/@name or youtube.com/channel/UC…",
        ),
        (
            "short",
            "https://www.youtube.com/shorts/abc123",
            "A YouTube address names a channel, like youtube.com/@name or youtube.com/channel/UC…",
        ),
        (
            "short-channel-id",
            "https://www.youtube.com/channel/UCabc",
            "“UCabc” is not a valid YouTube account name.",
        ),
        ("handle-too-short", "@ab", "“ab” is not a valid YouTube account name."),
        ("handle-too-long", "@" + "a" * 31, f"“{'a' * 31}” is not a valid YouTube account name."),
        (
            "handle-with-symbol",
            "@fictional!uni",
            "“fictional!uni” is not a valid YouTube account name.",
        ),
        (
            "handle-with-emoji",
            "@fictional🎓uni",
            "“fictional🎓uni” is not a valid YouTube account name.",
        ),
    ),
)
def test_youtube_addresses_refused(typed, message):
    assert refusal(Platform.YOUTUBE, typed) == message


# --- Mastodon ----------------------------------------------------------------------
# The handle is the account's name; the collector finds the server hosting it with
# WebFinger on the handle's domain (metrics/providers/mastodon.py), which is how
# @user@example.com works when its server runs on mastodon.example.com.


@pytest.mark.parametrize(
    ("typed", "profile"),
    accepted(
        (
            "address",
            "https://Mastodon.Social/@FictionalUni",
            "https://mastodon.social/@fictionaluni",
            "fictionaluni@mastodon.social",
        ),
        (
            "address-with-post",
            "https://mastodon.social/@fictionaluni/113456789012345678",
            "https://mastodon.social/@fictionaluni",
            "fictionaluni@mastodon.social",
        ),
        (
            "users-address",
            "https://social.example.edu/users/news",
            "https://social.example.edu/@news",
            "news@social.example.edu",
        ),
        (
            "handle",
            "@fictionaluni@mastodon.social",
            "https://mastodon.social/@fictionaluni",
            "fictionaluni@mastodon.social",
        ),
        (
            "handle-without-first-at",
            "fictionaluni@mastodon.social",
            "https://mastodon.social/@fictionaluni",
            "fictionaluni@mastodon.social",
        ),
        (
            "split-domain-handle",
            "@news@fictional.example",
            "https://fictional.example/@news",
            "news@fictional.example",
        ),
        (
            "seen-from-another-server",
            "https://mastodon.social/@news@fictional.example",
            "https://fictional.example/@news",
            "news@fictional.example",
        ),
    ),
)
def test_mastodon_addresses(typed, profile):
    assert read(Platform.MASTODON, typed) == profile


@pytest.mark.parametrize(
    ("typed", "message"),
    refused(
        (
            "name-alone",
            "fictionaluni",
            "A Mastodon handle has two parts, like @name@mastodon.social.",
        ),
        (
            "server-alone",
            "https://mastodon.social/about",
            "A Mastodon address looks like https://mastodon.social/@name.",
        ),
        ("server-not-a-host", "@fictionaluni@localhost", "“localhost” is not a Mastodon server."),
        (
            "name-with-dot",
            "@fictional.uni@mastodon.social",
            "A Mastodon handle has two parts, like @name@mastodon.social.",
        ),
        (
            "another-platform",
            "https://bsky.app/profile/fictional.bsky.social",
            "This address is on Bluesky, but the platform chosen is Mastodon.",
        ),
    ),
)
def test_mastodon_addresses_refused(typed, message):
    assert refusal(Platform.MASTODON, typed) == message


# --- Bluesky -----------------------------------------------------------------------
# atproto.com/specs/handle and atproto.com/specs/did.

PLC = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
LONGEST_HANDLE = "shoooort" + ".loooooooooooooooooooooooooong" * 8 + ".test"  # 253
LONGEST_LABEL = "short." + "o" * 63 + ".test"
NAMES_A_PORT = (
    " names a server port: atproto allows that only for localhost, in development. Enter "
    "the account's handle or its did:plc."
)


@pytest.mark.parametrize(
    ("typed", "profile"),
    accepted(
        (
            "address",
            "https://bsky.app/profile/Fictional.bsky.social",
            "https://bsky.app/profile/fictional.bsky.social",
            "fictional.bsky.social",
        ),
        (
            "address-with-post",
            "https://bsky.app/profile/fictional.bsky.social/post/3kabc",
            "https://bsky.app/profile/fictional.bsky.social",
            "fictional.bsky.social",
        ),
        (
            "own-domain",
            "@news.fictional.edu",
            "https://bsky.app/profile/news.fictional.edu",
            "news.fictional.edu",
        ),
        (
            "punycode-tld",
            "@universitet.xn--p1ai",
            "https://bsky.app/profile/universitet.xn--p1ai",
            "universitet.xn--p1ai",
        ),
        (
            "punycode-label",
            "xn--bcher-kva.example.com",
            "https://bsky.app/profile/xn--bcher-kva.example.com",
            "xn--bcher-kva.example.com",
        ),
        (
            "tld-with-digit",
            "@fictional.j0",
            "https://bsky.app/profile/fictional.j0",
            "fictional.j0",
        ),
        (
            "label-starting-with-digit",
            "@4chan.org",
            "https://bsky.app/profile/4chan.org",
            "4chan.org",
        ),
        ("one-letter-labels", "@a.co", "https://bsky.app/profile/a.co", "a.co"),
        (
            "hyphens-inside",
            "@jay.mome-johnber123456.test",
            "https://bsky.app/profile/jay.mome-johnber123456.test",
            "jay.mome-johnber123456.test",
        ),
        (
            "longest-handle",
            LONGEST_HANDLE,
            f"https://bsky.app/profile/{LONGEST_HANDLE}",
            LONGEST_HANDLE,
        ),
        (
            "longest-label",
            LONGEST_LABEL,
            f"https://bsky.app/profile/{LONGEST_LABEL}",
            LONGEST_LABEL,
        ),
        ("did-plc", f"https://bsky.app/profile/{PLC}", f"https://bsky.app/profile/{PLC}", PLC),
        ("did-plc-handle", PLC, f"https://bsky.app/profile/{PLC}", PLC),
        (
            "did-web",
            "https://bsky.app/profile/did:web:Fictional.edu",
            "https://bsky.app/profile/did:web:fictional.edu",
            "did:web:fictional.edu",
        ),
        (
            "did-web-punycode",
            "did:web:news.xn--p1ai",
            "https://bsky.app/profile/did:web:news.xn--p1ai",
            "did:web:news.xn--p1ai",
        ),
    ),
)
def test_bluesky_addresses(typed, profile):
    assert read(Platform.BLUESKY, typed) == profile


@pytest.mark.parametrize(
    ("typed", "message"),
    refused(
        ("one-label", "@fictional", "“fictional” is not a valid Bluesky account name."),
        ("tld-starting-with-digit", "@john.0", "“john.0” is not a valid Bluesky account name."),
        ("tld-all-digits", "@cn.8", "“cn.8” is not a valid Bluesky account name."),
        (
            "label-ending-with-hyphen",
            "@john-.test",
            "“john-.test” is not a valid Bluesky account name.",
        ),
        (
            "label-starting-with-hyphen",
            "@-john.test",
            "“-john.test” is not a valid Bluesky account name.",
        ),
        (
            "tld-ending-with-hyphen",
            "@john.tes-",
            "“john.tes-” is not a valid Bluesky account name.",
        ),
        ("underscore", "@jo_hn.test", "“jo_hn.test” is not a valid Bluesky account name."),
        ("non-ascii", "@bücher.test", "“bücher.test” is not a valid Bluesky account name."),
        ("empty-label", "@john..test", "“john..test” is not a valid Bluesky account name."),
        ("ip-address", "@127.0.0.1", "“127.0.0.1” is not a valid Bluesky account name."),
        (
            "label-too-long",
            "short." + "o" * 64 + ".test",
            f"“short.{'o' * 64}.test” is not a valid Bluesky account name.",
        ),
        (
            "handle-too-long",
            "a" + LONGEST_HANDLE,
            f"“a{LONGEST_HANDLE}” is not a valid Bluesky account name.",
        ),
        (
            "did-plc-too-short",
            "did:plc:ewvi7nxzyoun6zhxrhs64oi",
            "“did:plc:ewvi7nxzyoun6zhxrhs64oi” is not a valid Bluesky account name.",
        ),
        (
            "did-plc-not-base32",
            "did:plc:ewvi7nxzyoun6zhxrhs64oi1",
            "“did:plc:ewvi7nxzyoun6zhxrhs64oi1” is not a valid Bluesky account name.",
        ),
        (
            "did-plc-upper-case",
            "did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ",
            "“did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ” is not a valid Bluesky account name.",
        ),
        (
            "did-web-path",
            "did:web:fictional.edu:people:news",
            "“did:web:fictional.edu:people:news” is not a valid Bluesky account name.",
        ),
        (
            "did-web-port",
            "did:web:fictional.edu%3A8443",
            "“did:web:fictional.edu%3A8443”" + NAMES_A_PORT,
        ),
        (
            "did-web-localhost-port",
            "https://bsky.app/profile/did:web:localhost%3A2583",
            "“did:web:localhost%3A2583”" + NAMES_A_PORT,
        ),
        (
            "did-web-not-a-host",
            "did:web:localhost",
            "“did:web:localhost” is not a valid Bluesky account name.",
        ),
        (
            "other-did-method",
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "“did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK” is not a valid Bluesky "
            "account name.",
        ),
        (
            "no-profile",
            "https://bsky.app/",
            "A Bluesky address looks like bsky.app/profile/<handle>.",
        ),
    ),
)
def test_bluesky_addresses_refused(typed, message):
    assert refusal(Platform.BLUESKY, typed) == message


# --- LinkedIn ----------------------------------------------------------------------
# The collector asks for an organization by its numeric id: the channel's platform id,
# else the id in a /company/<ID>/ address (what an administrator's view shows).

LINKEDIN_SHAPE = (
    "A LinkedIn address names a page, like linkedin.com/company/<name> or "
    "linkedin.com/showcase/<name>."
)


@pytest.mark.parametrize(
    ("typed", "profile"),
    accepted(
        (
            "company",
            "https://www.linkedin.com/company/Fictional-University/",
            "https://www.linkedin.com/company/fictional-university/",
            "fictional-university",
        ),
        (
            "company-tab",
            "https://se.linkedin.com/company/fictional-university/posts/?feedView=all",
            "https://www.linkedin.com/company/fictional-university/",
            "fictional-university",
        ),
        (
            "company-id-admin-view",
            "https://www.linkedin.com/company/2414183/admin/dashboard/",
            "https://www.linkedin.com/company/2414183/",
            "2414183",
        ),
        (
            "company-signed-out",
            "https://www.linkedin.com/organization-guest/company/fictional-university",
            "https://www.linkedin.com/company/fictional-university/",
            "fictional-university",
        ),
        (
            "showcase",
            "linkedin.com/showcase/Fictional-Engineering",
            "https://www.linkedin.com/showcase/fictional-engineering/",
            "fictional-engineering",
        ),
        (
            "school",
            "https://www.linkedin.com/school/fictional-university/",
            "https://www.linkedin.com/school/fictional-university/",
            "fictional-university",
        ),
        (
            "percent-encoded",
            "https://www.linkedin.com/company/h%C3%B6gskolan-i-exempelstad/",
            "https://www.linkedin.com/company/h%c3%b6gskolan-i-exempelstad/",
            "h%c3%b6gskolan-i-exempelstad",
        ),
    ),
)
def test_linkedin_addresses(typed, profile):
    assert read(Platform.LINKEDIN, typed) == profile


@pytest.mark.parametrize(
    ("typed", "message"),
    refused(
        (
            "feed",
            "https://www.linkedin.com/feed/",
            LINKEDIN_SHAPE,
        ),
        (
            "company-alone",
            "https://www.linkedin.com/company/",
            LINKEDIN_SHAPE,
        ),
        (
            "handle-alone",
            "fictional-university",
            "On LinkedIn a handle alone is not enough: paste the page's full address.",
        ),
    ),
)
def test_linkedin_addresses_refused(typed, message):
    assert refusal(Platform.LINKEDIN, typed) == message


# --- Threads -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "profile"),
    accepted(
        (
            "threads.net",
            "https://www.threads.net/@Fictional.Uni",
            "https://www.threads.com/@fictional.uni",
            "fictional.uni",
        ),
        (
            "threads.com",
            "https://www.threads.com/@fictional.uni?hl=sv",
            "https://www.threads.com/@fictional.uni",
            "fictional.uni",
        ),
        (
            "post",
            "https://www.threads.com/@fictional_uni/post/C9abcDEFghi",
            "https://www.threads.com/@fictional_uni",
            "fictional_uni",
        ),
        ("handle", "@fictional.uni", "https://www.threads.com/@fictional.uni", "fictional.uni"),
    ),
)
def test_threads_addresses(typed, profile):
    assert read(Platform.THREADS, typed) == profile


@pytest.mark.parametrize(
    ("typed", "message"),
    refused(
        ("no-profile", "https://www.threads.com/", "This Threads address does not name a profile."),
        ("name-too-long", "@" + "a" * 31, f"“{'a' * 31}” is not a valid Threads account name."),
        (
            "instagram",
            "https://www.instagram.com/fictional.uni/",
            "This address is on Instagram, but the platform chosen is Threads.",
        ),
    ),
)
def test_threads_addresses_refused(typed, message):
    assert refusal(Platform.THREADS, typed) == message


# --- TikTok ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "profile"),
    accepted(
        (
            "profile",
            "https://www.tiktok.com/@Fictional.Uni?lang=sv",
            "https://www.tiktok.com/@fictional.uni",
            "fictional.uni",
        ),
        (
            "video",
            "https://www.tiktok.com/@fictional_uni/video/7301234567890123456",
            "https://www.tiktok.com/@fictional_uni",
            "fictional_uni",
        ),
        (
            "mobile",
            "https://m.tiktok.com/@fictional.uni",
            "https://www.tiktok.com/@fictional.uni",
            "fictional.uni",
        ),
        ("handle", "@fictional.uni", "https://www.tiktok.com/@fictional.uni", "fictional.uni"),
    ),
)
def test_tiktok_addresses(typed, profile):
    assert read(Platform.TIKTOK, typed) == profile


TIKTOK_SHAPE = (
    "A TikTok address looks like tiktok.com/@name. For a short link (vm.tiktok.com/…), "
    "open it and copy the profile's address."
)


@pytest.mark.parametrize(
    ("typed", "message"),
    refused(
        ("short-link", "https://vm.tiktok.com/ZMabc123/", TIKTOK_SHAPE),
        ("short-link-vt", "https://vt.tiktok.com/ZSabc123/", TIKTOK_SHAPE),
        ("without-at", "https://www.tiktok.com/explore", TIKTOK_SHAPE),
        ("ends-with-dot", "@fictional.", "“fictional.” is not a valid TikTok account name."),
        ("too-long", "@" + "a" * 25, f"“{'a' * 25}” is not a valid TikTok account name."),
        ("no-profile", "https://www.tiktok.com/", "This TikTok address does not name a profile."),
    ),
)
def test_tiktok_addresses_refused(typed, message):
    assert refusal(Platform.TIKTOK, typed) == message


# --- The registry ------------------------------------------------------------------
# Its duplicate check compares canonical addresses: two spellings of one account are one
# entry, two accounts are two.


@pytest.mark.parametrize(
    ("platform", "first", "second"),
    [
        pytest.param(
            "facebook",
            f"https://www.facebook.com/pages/Fictional-University/{PAGE_ID}",
            f"https://www.facebook.com/p/Fictional-University-{PAGE_ID}/",
            id="facebook-pages-and-p",
        ),
        pytest.param(
            "facebook",
            f"https://www.facebook.com/profile.php?id={PAGE_ID}",
            f"facebook.com/{PAGE_ID}",
            id="facebook-profile.php-and-bare-id",
        ),
        pytest.param(
            "youtube",
            "@東京架空大学",
            "https://www.youtube.com/@%E6%9D%B1%E4%BA%AC%E6%9E%B6%E7%A9%BA%E5%A4%A7%E5%AD%A6",
            id="youtube-handle-typed-and-copied",
        ),
        pytest.param(
            "mastodon",
            "@news@fictional.example",
            "https://mastodon.social/@news@fictional.example",
            id="mastodon-seen-from-another-server",
        ),
        pytest.param(
            "bluesky", "did:web:Fictional.edu", "bsky.app/profile/did:web:fictional.edu", id="did"
        ),
    ],
)
def test_two_spellings_of_one_account_are_refused_as_the_same_entry(
    unit, reviewer, submitter, platform, first, second
):
    make_channel(unit=unit, owner=submitter, name="First", platform=platform, profile_url=first)
    with pytest.raises(ValidationError) as refused:
        Channel.register(
            by=reviewer,
            owner=submitter,
            name="Second",
            platform=platform,
            profile_url=second,
            unit=unit,
        )
    assert refused.value.message_dict["profile_url"] == [
        f"This account is already in the registry as “First” ({unit})."
    ]


def test_two_pages_named_by_their_ids_are_two_entries(unit, reviewer, submitter):
    make_channel(
        unit=unit,
        owner=submitter,
        name="Library",
        platform="facebook",
        profile_url="https://www.facebook.com/pages/Fictional-Library/100001",
    )
    museum = Channel.register(
        by=reviewer,
        owner=submitter,
        name="Museum",
        platform="facebook",
        profile_url="https://www.facebook.com/pages/Fictional-Museum/100002",
        unit=unit,
    )
    assert museum.profile_url == "https://www.facebook.com/profile.php?id=100002"
    assert Channel.objects.filter(platform="facebook").count() == 2
