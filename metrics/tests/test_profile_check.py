"""The daily profile check of the platforms whose collectors read the account's profile
(YouTube, X, Facebook, Instagram): from the very answer the collection already read,
whether the website field or the bio points back to the channel's public page, whether
the name or bio names the organisation, and whether the handle or display name changed
since the day before. Against the recorded answers of each platform, edited as an owner
would edit the profile; every edited answer still matches the platform's published
schema (contracts.py)."""

import copy
import datetime

import httpx
import pytest

from accounts.models import ChannelEvent, ChannelVerification, VerificationCheck, page_url
from metrics import collector, verification
from metrics.models import CollectionAttempt

from . import contracts
from .recorded import Replay, load, replay

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

DAY = datetime.date(2026, 11, 20)
NEXT_DAY = DAY + datetime.timedelta(days=1)
State = ChannelVerification.State
Action = ChannelEvent.Action

PLATFORMS = ["youtube", "x", "facebook", "instagram"]
# Where each platform's profile can carry an address the API gives back: YouTube's
# API gives no channel links, only the description.
WEBSITE_PLATFORMS = ["x", "facebook", "instagram"]


@pytest.fixture(autouse=True)
def _portal(settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    settings.PORTAL_ORGANISATION_NAME = "Fictional University"
    settings.PORTAL_ORGANISATION_ALIASES = []
    settings.YOUTUBE_API_KEY = "test-youtube-key"
    settings.X_BEARER_TOKEN = "test-x-bearer-token"


@pytest.fixture
def channels(recorded_channel):
    """The channels the recordings were made for, one per platform, public."""
    return {
        "youtube": recorded_channel(
            "youtube",
            name="Fictional University on YouTube",
            profile_url="https://www.youtube.com/@fictionaluni",
            handle="fictionaluni",
            platform_id="UCfictionalUniversity000",
        ),
        "x": recorded_channel(
            "x",
            name="Fictional University on X",
            profile_url="https://x.com/fictionaluni",
            handle="fictionaluni",
        ),
        "facebook": recorded_channel(
            "facebook",
            name="Fictional University on Facebook",
            profile_url="https://www.facebook.com/fictionaluniversity",
            handle="fictionaluniversity",
            platform_id="104523987654321",
            token="EAAFictionalUniPageToken0x7Qm2ZC9aLk4",
        ),
        "instagram": recorded_channel(
            "instagram",
            name="Fictional University on Instagram",
            profile_url="https://www.instagram.com/fictionaluni",
            handle="fictionaluni",
            platform_id="17841400123456789",
            token="EAAFictionalUniInstaToken0x3Rn8YD1bWp6",
        ),
    }


def _profile_object(platform, recording):
    """The object of ``platform``'s ``ok`` answer that holds the account's profile."""
    answer = recording["exchanges"][0]["response"]["json"]
    if platform == "youtube":
        return answer["items"][0]["snippet"]
    if platform == "x":
        return answer["data"][0]
    return answer


def _x_link(profile, where, address):
    """``address`` in an X profile as X gives it: a t.co link in the text, the address
    itself in ``entities``."""
    short = "https://t.co/Pg7Lk2Qx9a"
    if where == "url":
        profile["url"] = short
        profile["entities"]["url"] = {
            "urls": [{"start": 0, "end": len(short), "url": short, "expanded_url": address}]
        }
    else:
        text = f"Official account. Verify us: {short}"
        profile["description"] = text
        profile["entities"]["description"] = {
            "urls": [
                {
                    "start": len(text) - len(short),
                    "end": len(text),
                    "url": short,
                    "expanded_url": address,
                }
            ]
        }


def edited(platform, *, name=None, handle=None, bio=None, website=None, bio_link=None):
    """A client answering with ``platform``'s ``ok`` recording, its profile edited:
    ``website`` the website field, ``bio_link`` an address in the bio (as the platform
    renders it), ``bio`` the whole bio text. The edit must keep the answer valid."""
    recording = copy.deepcopy(load(platform, "ok"))
    if platform == "x":
        recording["exchanges"][0]["response"]["json"]["data"] = [
            user
            for user in recording["exchanges"][0]["response"]["json"]["data"]
            if user["username"] == "fictionaluni"
        ]
    profile = _profile_object(platform, recording)
    keys = {
        "youtube": ("title", "customUrl", "description", None),
        "x": ("name", "username", "description", "url"),
        "facebook": ("name", "username", "about", "website"),
        "instagram": ("name", "username", "biography", "website"),
    }[platform]
    name_key, handle_key, bio_key, website_key = keys
    if name is not None:
        profile[name_key] = name
    if handle is not None:
        profile[handle_key] = f"@{handle}" if platform == "youtube" else handle
    if bio is not None:
        profile[bio_key] = bio
    if platform == "x":
        if website is not None:
            _x_link(profile, "url", website)
        if bio_link is not None:
            _x_link(profile, "description", bio_link)
    else:
        if website is not None:
            profile[website_key] = website
        if bio_link is not None:
            profile[bio_key] = f"The official account. Check it here: {bio_link}"
    assert contracts.check_recording(platform, recording) == []
    return httpx.Client(transport=httpx.MockTransport(Replay(recording, platform)))


def collect(channel, day=DAY, **profile):
    return collector.collect(channel, day, client=edited(channel.platform, **profile))


def state_of(channel):
    return ChannelVerification.objects.get(channel=channel).state


# --- Links back --------------------------------------------------------------------


@pytest.mark.parametrize("platform", WEBSITE_PLATFORMS)
def test_a_website_field_with_the_pages_address_verifies_the_channel(channels, platform):
    channel = channels[platform]
    attempt = collect(channel, website=page_url(channel))

    assert attempt.outcome == CollectionAttempt.Outcome.OK
    assert state_of(channel) == State.VERIFIED
    evidence = VerificationCheck.objects.get(channel=channel).evidence
    assert (evidence["method"], evidence["links_back"], evidence["found_in"]) == (
        "profile-link",
        True,
        "website",
    )


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_pages_address_in_the_bio_verifies_the_channel(channels, platform):
    channel = channels[platform]
    collect(channel, bio_link=page_url(channel))

    assert state_of(channel) == State.VERIFIED
    assert VerificationCheck.objects.get(channel=channel).evidence["found_in"] == "bio"


def test_the_evidence_says_what_was_read_and_found(channels):
    channel = channels["facebook"]
    page = page_url(channel)
    collect(channel, website=page)

    evidence = ChannelVerification.objects.get(channel=channel).evidence
    assert evidence == {
        "method": "profile-link",
        "page": page,
        "read": "Graph API: GET /{page-id}?fields=name,username,about,website",
        "profile": {
            "handle": "fictionaluniversity",
            "display_name": "Fictional University",
            "websites": [page],
            "bio": "The official Page of Fictional University.",
        },
        "links_back": True,
        "found_in": "website",
        "names_organisation": True,
        "organisation_named": "Fictional University",
        "day": "2026-11-20",
    }


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_profile_that_does_not_point_back_is_not_yet_verified(channels, platform):
    channel = channels[platform]
    collect(channel)  # as recorded: the organisation's home page, not the channel's page

    assert state_of(channel) == State.NOT_YET
    check = VerificationCheck.objects.get(channel=channel)
    assert (check.linked, check.evidence["links_back"], check.evidence["found_in"]) == (
        False,
        False,
        "",
    )


@pytest.mark.parametrize(
    ("written", "counts"),
    [
        ("HTTPS://Portal.Example.ORG/c/{pk}", True),  # case of scheme and host, no slash
        ("portal.example.org/c/{pk}/", True),  # as a bio shows an address, no scheme
        ("https://portal.example.org/c/{pk}/.", True),  # the end of a sentence
        ("https://portal.example.org/c/{pk}0/", False),  # another channel's page
        ("https://portal.example.org/C/{pk}/", False),  # the path is case-sensitive
        ("http://portal.example.org/c/{pk}/", False),  # not the page's scheme
        ("https://portal.example.org.evil.example/c/{pk}/", False),
    ],
)
def test_the_address_is_compared_normalised(channels, written, counts):
    channel = channels["instagram"]
    collect(channel, bio_link=written.format(pk=channel.pk))

    assert state_of(channel) == (State.VERIFIED if counts else State.NOT_YET)


# --- Broken, failures, once a day ----------------------------------------------------


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_profile_edit_that_removes_the_link_breaks_it_and_tells_owner_and_deputy_once(
    channels, platform, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channels[platform]
    collect(channel, bio_link=page_url(channel))
    with django_capture_on_commit_callbacks(execute=True):
        collect(channel, NEXT_DAY)
        collect(channel, NEXT_DAY + datetime.timedelta(days=1))

    assert state_of(channel) == State.BROKEN
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [channel.owner.email, channel.deputy.email]
    )
    assert "no longer links back" in mailoutbox[0].subject
    assert page_url(channel) in mailoutbox[0].body or f"/registry/{channel.pk}/" in (
        mailoutbox[0].body
    )


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_network_error_on_the_day_changes_nothing_and_tells_nobody(
    channels, platform, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channels[platform]
    collect(channel, bio_link=page_url(channel))
    client, _transport = replay(platform, "timeout")
    with django_capture_on_commit_callbacks(execute=True):
        attempt = collector.collect(channel, NEXT_DAY, client=client)

    assert attempt.outcome == CollectionAttempt.Outcome.ERROR
    verified = ChannelVerification.objects.get(channel=channel)
    assert (verified.state, verified.checked_on) == (State.VERIFIED, DAY)
    assert VerificationCheck.objects.filter(channel=channel).count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_same_day_twice_is_checked_once(
    channels, platform, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channels[platform]
    collect(channel, bio_link=page_url(channel))
    with django_capture_on_commit_callbacks(execute=True):
        collect(channel, name="Someone Else Entirely")  # a forced second collection

    assert state_of(channel) == State.VERIFIED
    assert VerificationCheck.objects.filter(channel=channel).count() == 1
    assert not ChannelEvent.objects.filter(channel=channel, action=Action.NAME_CHANGED).exists()
    assert mailoutbox == []


# --- Handle and display name ---------------------------------------------------------


@pytest.mark.parametrize("platform", ["youtube", "facebook", "instagram"])
def test_a_changed_handle_is_an_event_and_one_message_and_leaves_the_registry_alone(
    channels, platform, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channels[platform]
    registered = channel.handle
    collect(channel, bio_link=page_url(channel))
    with django_capture_on_commit_callbacks(execute=True):
        collect(channel, NEXT_DAY, handle="fictional_uni_official", bio_link=page_url(channel))
        collect(
            channel,
            NEXT_DAY + datetime.timedelta(days=1),
            handle="fictional_uni_official",
            bio_link=page_url(channel),
        )

    event = ChannelEvent.objects.get(channel=channel, action=Action.HANDLE_CHANGED)
    assert event.actor is None
    assert event.payload == {
        "day": NEXT_DAY.isoformat(),
        "before": registered,
        "after": "fictional_uni_official",
        "registry": registered,
    }
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [channel.owner.email, channel.deputy.email]
    )
    assert "fictional_uni_official" in mailoutbox[0].body
    channel.refresh_from_db()
    assert channel.handle == registered
    assert state_of(channel) == State.VERIFIED  # the page is still linked


def test_a_handle_in_another_case_is_no_change(channels, mailoutbox):
    channel = channels["instagram"]
    collect(channel)
    collect(channel, NEXT_DAY, handle="FictionalUni")

    assert not ChannelEvent.objects.filter(channel=channel, action=Action.HANDLE_CHANGED).exists()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_changed_display_name_is_an_event_and_one_message(
    channels, platform, mailoutbox, django_capture_on_commit_callbacks
):
    channel = channels[platform]
    collect(channel)
    with django_capture_on_commit_callbacks(execute=True):
        collect(channel, NEXT_DAY, name="Fictional Univ. (Official)")

    event = ChannelEvent.objects.get(channel=channel, action=Action.NAME_CHANGED)
    assert (event.payload["before"], event.payload["after"]) == (
        "Fictional University",
        "Fictional Univ. (Official)",
    )
    assert len(mailoutbox) == 2  # the owner and the deputy
    assert "Fictional Univ. (Official)" in mailoutbox[0].body
    assert not ChannelEvent.objects.filter(channel=channel, action=Action.HANDLE_CHANGED).exists()


def test_the_first_check_records_no_change(channels, mailoutbox):
    collect(channels["youtube"], name="Whatever It Is Called")

    assert not ChannelEvent.objects.filter(
        action__in=[Action.NAME_CHANGED, Action.HANDLE_CHANGED]
    ).exists()
    assert mailoutbox == []


# --- Names the organisation ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bio", "aliases", "named"),
    [
        ("Fictional University", "Campus life.", [], "Fictional University"),
        ("Campus Life", "Run by fictional university students.", [], "Fictional University"),
        ("Campus Life", "Photos from the FU campus.", ["FU"], "FU"),
        ("Campus Life", "FUN photos from campus.", ["FU"], ""),
        ("Campus Life", "Photos from campus.", [], ""),
    ],
)
def test_the_evidence_says_whether_the_profile_names_the_organisation(
    channels, settings, name, bio, aliases, named
):
    settings.PORTAL_ORGANISATION_ALIASES = aliases
    channel = channels["instagram"]
    collect(channel, name=name, bio=bio)

    evidence = VerificationCheck.objects.get(channel=channel).evidence
    assert (evidence["names_organisation"], evidence["organisation_named"]) == (bool(named), named)


# --- Which channels ------------------------------------------------------------------


def test_a_channel_not_in_the_directory_is_not_checked(channels):
    channel = channels["facebook"]
    type(channel).objects.filter(pk=channel.pk).update(is_public=False)
    channel.is_public = False
    collect(channel, website=page_url(channel))

    assert not ChannelVerification.objects.filter(channel=channel).exists()


@pytest.mark.parametrize(
    ("platform", "address"),
    [
        ("linkedin", "https://www.linkedin.com/company/fictional-university/"),
        ("threads", "https://www.threads.net/@fictionaluni"),
        ("tiktok", "https://www.tiktok.com/@fictionaluni"),
    ],
)
def test_platforms_without_a_profile_read_stay_not_possible(unit, platform, address):
    from portal.tests.factories import make_channel

    channel = make_channel(unit=unit, platform=platform, profile_url=address)
    assert channel.verification_state == State.NOT_POSSIBLE


def test_the_daily_link_check_leaves_profile_platforms_to_the_collection(channels):
    assert list(verification.due(DAY)) == []


# --- The channel's page in the registry ----------------------------------------------


def test_the_registry_page_tells_the_owner_what_to_put_in_the_profile(channels, client, submitter):
    channel = channels["instagram"]
    collect(channel, website=page_url(channel))
    client.force_login(submitter)

    html = client.get(f"/registry/{channel.pk}/").content.decode()

    assert 'data-testid="links-back-url"' in html
    assert f'value="{page_url(channel)}"' in html
    assert "website field or bio" in html
    assert "the profile’s website field links to this channel’s page" in html
    assert "@fictionaluni" in html
    assert "profile gives the address of this page" in html
