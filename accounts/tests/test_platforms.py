import pytest
from django.core.exceptions import ValidationError

from accounts.platforms import Platform, Profile, check_address, detect_platform, parse_profile


@pytest.mark.parametrize(
    ("platform", "typed", "url", "handle"),
    [
        (
            "facebook",
            "https://www.facebook.com/FictionalUni/",
            "https://www.facebook.com/fictionaluni",
            "fictionaluni",
        ),
        (
            "facebook",
            "m.facebook.com/fictionaluni?ref=bookmarks",
            "https://www.facebook.com/fictionaluni",
            "fictionaluni",
        ),
        (
            "facebook",
            "https://facebook.com/profile.php?id=100064&sk=about",
            "https://www.facebook.com/profile.php?id=100064",
            "",
        ),
        ("facebook", "@FictionalUni", "https://www.facebook.com/fictionaluni", "fictionaluni"),
        (
            "instagram",
            "http://instagram.com/Fictional.Uni",
            "https://www.instagram.com/fictional.uni/",
            "fictional.uni",
        ),
        (
            "instagram",
            "@fictional.uni",
            "https://www.instagram.com/fictional.uni/",
            "fictional.uni",
        ),
        (
            "linkedin",
            "linkedin.com/showcase/Fictional-Engineering",
            "https://www.linkedin.com/showcase/fictional-engineering/",
            "fictional-engineering",
        ),
        (
            "linkedin",
            "https://se.linkedin.com/company/fictional-university/posts/",
            "https://www.linkedin.com/company/fictional-university/",
            "fictional-university",
        ),
        ("x", "https://twitter.com/FictionalUni", "https://x.com/fictionaluni", "fictionaluni"),
        (
            "x",
            "mobile.twitter.com/fictionaluni/status/1",
            "https://x.com/fictionaluni",
            "fictionaluni",
        ),
        ("x", "@FictionalUni", "https://x.com/fictionaluni", "fictionaluni"),
        (
            "youtube",
            "https://www.youtube.com/@FictionalUni/videos",
            "https://www.youtube.com/@fictionaluni",
            "fictionaluni",
        ),
        (
            "youtube",
            "youtube.com/channel/UCabcdefghijklmnopqrstuV",
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuV",
            "",
        ),
        ("youtube", "@FictionalUni", "https://www.youtube.com/@fictionaluni", "fictionaluni"),
        (
            "tiktok",
            "https://www.tiktok.com/@Fictional.Uni?lang=sv",
            "https://www.tiktok.com/@fictional.uni",
            "fictional.uni",
        ),
        (
            "mastodon",
            "https://Mastodon.Social/@FictionalUni",
            "https://mastodon.social/@fictionaluni",
            "fictionaluni@mastodon.social",
        ),
        (
            "mastodon",
            "@fictionaluni@mastodon.social",
            "https://mastodon.social/@fictionaluni",
            "fictionaluni@mastodon.social",
        ),
        (
            "mastodon",
            "https://social.example.edu/users/news",
            "https://social.example.edu/@news",
            "news@social.example.edu",
        ),
        (
            "bluesky",
            "https://bsky.app/profile/Fictional.bsky.social",
            "https://bsky.app/profile/fictional.bsky.social",
            "fictional.bsky.social",
        ),
        (
            "bluesky",
            "@fictional.example.edu",
            "https://bsky.app/profile/fictional.example.edu",
            "fictional.example.edu",
        ),
        (
            "flickr",
            "https://www.flickr.com/photos/12345678@N02/albums",
            "https://www.flickr.com/photos/12345678@N02/",
            "12345678@N02",
        ),
        (
            "threads",
            "https://www.threads.net/@Fictional.Uni",
            "https://www.threads.com/@fictional.uni",
            "fictional.uni",
        ),
        ("other", "HTTP://Forum.Example.edu/Fictional/", "https://forum.example.edu/Fictional", ""),
    ],
)
def test_each_spelling_of_a_profile_gives_its_canonical_address(platform, typed, url, handle):
    assert parse_profile(platform, typed) == Profile(url, handle)


@pytest.mark.parametrize(
    ("platform", "typed", "message"),
    [
        (
            "instagram",
            "https://www.facebook.com/fictionaluni",
            "This address is on Facebook, but the platform chosen is Instagram.",
        ),
        ("x", "https://example.com/fictionaluni", "X addresses are on twitter.com or x.com."),
        (
            "instagram",
            "https://www.instagram.com/",
            "This Instagram address does not name a profile.",
        ),
        ("instagram", "https://www.instagram.com/p/Cxyz123/", "is not a profile"),
        ("x", "@this_name_is_far_too_long", "is not a valid X account name."),
        ("facebook", "ftp://facebook.com/fictionaluni", "starting with https://"),
        ("facebook", "https://not a host/fictionaluni", "is not a web address"),
        ("linkedin", "fictional-university", "a handle alone is not enough"),
        ("linkedin", "https://www.linkedin.com/feed/", "A LinkedIn address names a page"),
        ("mastodon", "fictionaluni", "A Mastodon handle has two parts"),
        (
            "mastodon",
            "https://x.com/fictionaluni",
            "This address is on X, but the platform chosen is Mastodon.",
        ),
        ("youtube", "https://www.youtube.com/watch?v=abc", "A YouTube address names a channel"),
        ("bluesky", "https://bsky.app/", "bsky.app/profile/<handle>"),
        ("other", "", "Enter the profile's address or handle."),
    ],
)
def test_an_address_that_is_not_a_profile_of_the_platform_is_refused_with_a_reason(
    platform, typed, message
):
    with pytest.raises(ValidationError) as refused:
        parse_profile(platform, typed)
    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "platform"),
    [
        ("https://twitter.com/fictionaluni", Platform.X),
        ("www.instagram.com/fictional.uni", Platform.INSTAGRAM),
        ("https://social.example.edu/@news", Platform.MASTODON),
        ("https://forum.example.edu/fictional", Platform.OTHER),
        ("@fictionaluni", None),
        ("not an address", None),
    ],
)
def test_the_platform_is_recognised_from_the_address(typed, platform):
    assert detect_platform(typed) == platform


@pytest.mark.parametrize("language", ["en", "sv"])
def test_a_channels_platform_and_status_read_as_djangos_choices_say(language):
    from django.utils import translation

    from accounts.models import Channel

    platform, status = Channel._meta.get_field("platform"), Channel._meta.get_field("status")
    with translation.override(language):
        for value, label in platform.flatchoices:
            assert Channel(platform=value).get_platform_display() == str(label)
        for value, label in status.flatchoices:
            assert Channel(status=value).get_status_display() == str(label)
        assert (
            Channel(status="closed").get_status_display()
            == {"en": "Closed", "sv": "Avslutad"}[language]
        )
        assert Channel(platform="myspace", status="gone").get_platform_display() == "myspace"
        assert Channel(platform="myspace", status="gone").get_status_display() == "gone"


# --- Addresses that cannot be read ---------------------------------------------------

BRACKETED = ["https://[x]/", "https://[x]/fictionaluni", "http://[::1]/", "https://[", "https://]/"]
OVERLONG_HOST = "https://" + "a." * 130 + "example/fictionaluni"  # 268 characters


@pytest.mark.parametrize("platform", Platform.values)
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        *[(typed, "is not a web address.") for typed in BRACKETED],
        ("https://instagram.com:99999/fictionaluni", "Leave out “:99999”"),
        ("https://instagram.com:abc/fictionaluni", "Leave out “:abc”"),
        ("https://instagram.com:443/fictionaluni", "Leave out “:443”"),
        ("https://instagram.com:/fictionaluni", "Leave out “:”"),
        ("https://user:secret@instagram.com/fictionaluni", "Remove the part before “@”"),
        ("instagram.com@evil.example/fictionaluni", "Remove the part before “@”"),
        ("https://@instagram.com/fictionaluni", "Remove the part before “@”"),
        (OVERLONG_HOST, "The host name in this address is longer than 253 characters."),
        ("https://a\u2100b.example/fictionaluni", "is not a web address."),  # ℀ reads as a/c
        ("https://instagram.com\uff03@evil.example/", "is not a web address."),
    ],
)
def test_an_address_that_cannot_be_read_is_refused_with_a_reason_on_every_platform(
    platform, typed, message
):
    with pytest.raises(ValidationError) as refused:
        parse_profile(platform, typed)
    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        *BRACKETED,
        "https://u:p@instagram.com/x",
        "https://x.com:8080/x",
        "https://x.com:99999/x",
        OVERLONG_HOST,
    ],
)
def test_an_address_that_cannot_be_read_belongs_to_no_platform(typed):
    assert detect_platform(typed) is None


@pytest.mark.parametrize(
    "typed",
    [
        "@fictionaluni@[x]",
        "fictionaluni@[::1]",
        f"@fictionaluni@{'a.' * 130}example",
        "@fictionaluni@mastodon.social:443",
    ],
)
def test_a_mastodon_handle_on_a_server_that_is_not_a_host_name_is_refused(typed):
    with pytest.raises(ValidationError):
        parse_profile(Platform.MASTODON, typed)


@pytest.mark.parametrize(
    "typed",
    [
        "https://www.facebook.com/profile.php?id=\u0661\u0662\u0663",  # Arabic-Indic digits
        "https://www.facebook.com/profile.php?id=\uff11\uff12\uff13",  # full-width digits
        "https://www.facebook.com/profile.php?id=\u00b2",  # superscript two
        "https://www.facebook.com/profile.php?id=100064%0A",  # a digit line, then a newline
        "https://www.facebook.com/people/Fictional-Uni/\u0661\u0662\u0663",
        "https://www.facebook.com/people/Fictional-Uni/",
    ],
)
def test_a_facebook_numeric_id_must_be_ascii_digits(typed):
    with pytest.raises(ValidationError) as refused:
        parse_profile(Platform.FACEBOOK, typed)
    assert refused.value.messages == ["This Facebook address does not name a profile."]


def test_a_facebook_people_address_with_its_id_gives_the_numeric_profile():
    assert parse_profile(
        Platform.FACEBOOK, "https://www.facebook.com/people/Fictional-Uni/100064/"
    ) == Profile("https://www.facebook.com/profile.php?id=100064", "")


@pytest.mark.parametrize(
    "typed",
    ["https://[x]/", "http://[::1]/", "https://u:p@example.org/", "https://example.org:8443/"],
)
def test_check_address_refuses_an_address_that_cannot_be_read(typed):
    with pytest.raises(ValidationError):
        check_address(typed)


@pytest.mark.parametrize(
    "typed", ["https://forum.example.edu/fictional", "@fictionaluni", "not an address", ""]
)
def test_check_address_lets_readable_addresses_and_anything_else_through(typed):
    check_address(typed)


def test_the_reason_quotes_the_address_as_it_was_typed():
    with pytest.raises(ValidationError) as refused:
        parse_profile(Platform.OTHER, "[x]/news")
    assert refused.value.messages == ["“[x]/news” is not a web address."]
