"""The daily check that a Bluesky channel's handle, under the organisation's domain,
still names its account (metrics/handles.py): against a local DNS server and a local
web server standing in for the handle's host and the AppView, whose profile answers
are the recorded one (recorded/bluesky/handle_profile.json, checked against the
lexicons) with the DID and handle each test needs."""

import copy
import datetime

import pytest

from accounts.models import ChannelEvent, ChannelVerification, VerificationCheck
from metrics import handles, limiter, tasks, verification
from portal.celery import app as celery_app

from .handle_world import NXDOMAIN, SERVFAIL, SILENT, DnsServer, HandleHosts
from .recorded import load

pytestmark = pytest.mark.usefixtures("frozen_now", "unlimited")

DAY = datetime.date(2026, 11, 20)
NEXT = DAY + datetime.timedelta(days=1)
State = ChannelVerification.State

HANDLE = "news.example.edu"
DID = "did:plc:fictuni7xq3kzm2r5v4w6yab"
OTHER_DID = "did:plc:impostor2xq3kzm2r5v4w6ya"
RECORD = f"_atproto.{HANDLE}"
WELL_KNOWN = (HANDLE, "/.well-known/atproto-did")
URL = f"https://{HANDLE}/.well-known/atproto-did"


def profile_answer(did=DID, handle=HANDLE):
    answer = copy.deepcopy(load("bluesky", "handle_profile")["exchanges"][0]["response"]["json"])
    answer.update(did=did, handle=handle)
    return answer


def plain(body, status=200):
    return (status, {"Content-Type": "text/plain"}, body)


@pytest.fixture
def world(settings):
    """The DNS server, the hosts and the AppView, with nothing published yet but the
    account's profile, which names the handle."""
    with DnsServer() as dns_server, HandleHosts() as hosts:
        settings.PORTAL_HANDLE_DOMAINS = ["example.edu"]
        settings.METRICS_DNS_NAMESERVERS = [dns_server.address]
        settings.METRICS_HANDLE_BASE_URL = hosts.url
        settings.METRICS_API_BASE_URL = hosts.url
        settings.METRICS_HTTP_TIMEOUT = 1
        hosts.profile(DID, profile_answer())
        hosts.dns = dns_server
        yield hosts
        assert hosts.problems == []


@pytest.fixture
def channel(recorded_channel):
    return recorded_channel(
        "bluesky",
        name="Fictional University News on Bluesky",
        profile_url=f"https://bsky.app/profile/{HANDLE}",
        handle=HANDLE,
        platform_id=DID,
    )


def check(channel, day=DAY):
    return verification.verify(channel, day)


def latest(channel):
    return VerificationCheck.objects.filter(channel=channel).first()


# --- Verified ---------------------------------------------------------------------------


def test_a_txt_record_naming_the_registered_did_verifies_the_channel(world, channel):
    world.dns.zone[RECORD] = [f"did={DID}"]

    assert check(channel) == State.VERIFIED
    assert latest(channel).evidence == {
        "method": "atproto-handle",
        "handle": HANDLE,
        "did": DID,
        "profile_handle": HANDLE,
        "profile_found": True,
        "domain": "example.edu",
        "dns": {"finding": "match", "did": DID, "record": RECORD},
        "https": {"finding": "absent", "did": "", "url": URL, "status": 404},
    }


def test_the_well_known_address_naming_the_registered_did_verifies_the_channel(world, channel):
    world.pages[WELL_KNOWN] = plain(f"{DID}\n")

    assert check(channel) == State.VERIFIED
    evidence = latest(channel).evidence
    assert evidence["dns"] == {"finding": "absent", "did": "", "record": RECORD}
    assert evidence["https"] == {"finding": "match", "did": DID, "url": URL, "status": 200}


def test_a_txt_record_among_others_counts(world, channel):
    world.dns.zone[RECORD] = ["v=spf1 -all", f"did={DID}"]
    assert check(channel) == State.VERIFIED


# --- Never verified ---------------------------------------------------------------------


def test_a_handle_nothing_resolves_is_not_yet_verified(world, channel):
    assert check(channel) == State.NOT_YET
    evidence = latest(channel).evidence
    assert (evidence["dns"]["finding"], evidence["https"]["finding"]) == ("absent", "absent")
    assert latest(channel).linked is False


def test_a_txt_record_pointing_elsewhere_is_not_a_link(world, channel):
    world.dns.zone[RECORD] = [f"did={OTHER_DID}"]
    world.pages[WELL_KNOWN] = plain(DID)  # DNS wins when the two disagree

    assert check(channel) == State.NOT_YET
    assert latest(channel).evidence["dns"] == {
        "finding": "other",
        "did": OTHER_DID,
        "record": RECORD,
    }


def test_two_different_dids_in_txt_records_make_the_record_unusable(world, channel):
    world.dns.zone[RECORD] = [f"did={DID}", f"did={OTHER_DID}"]
    assert check(channel) == State.NOT_YET
    assert latest(channel).evidence["dns"]["finding"] == "invalid"


def test_a_handle_outside_the_organisations_domains_is_never_resolved(world, recorded_channel):
    channel = recorded_channel(
        "bluesky",
        name="Fictional University on Bluesky",
        profile_url="https://bsky.app/profile/fictionaluni.bsky.social",
        handle="fictionaluni.bsky.social",
        platform_id=DID,
    )
    world.profile(DID, profile_answer(handle="fictionaluni.bsky.social"))

    assert check(channel) == State.NOT_YET
    assert latest(channel).evidence["domain"] == ""
    assert world.dns.queries == []
    assert [path for _host, path in world.requests] == ["/xrpc/app.bsky.actor.getProfile"]


@pytest.mark.parametrize(
    ("page", "finding"),
    [
        (plain("Not allowed", 403), "absent"),
        (plain("", 204), "absent"),
        ((200, {"Content-Type": "text/html"}, f"<html><body>{DID}</body></html>"), "invalid"),
        (plain(DID + " " * 3000), "invalid"),  # larger than any DID
        (plain("x" * 1_000_000), "invalid"),
    ],
    ids=["403", "204", "html", "padded", "huge"],
)
def test_an_answer_that_is_not_a_did_resolves_nothing(world, channel, page, finding):
    world.pages[WELL_KNOWN] = page
    assert check(channel) == State.NOT_YET
    assert latest(channel).evidence["https"]["finding"] == finding


# --- Redirects ----------------------------------------------------------------------------


def test_a_redirect_to_another_https_address_is_followed(world, channel):
    world.pages[WELL_KNOWN] = (301, {"Location": "https://www.example.edu/atproto-did"}, "")
    world.pages[("www.example.edu", "/atproto-did")] = plain(DID)

    assert check(channel) == State.VERIFIED
    assert latest(channel).evidence["https"] == {
        "finding": "match",
        "did": DID,
        "url": URL,
        "status": 200,
        "redirect": "https://www.example.edu/atproto-did",
    }


@pytest.mark.parametrize(
    "location",
    [
        "http://www.example.edu/atproto-did",  # not HTTPS
        "https://www.example.edu:8443/atproto-did",  # not the default port
        "https://127.0.0.1/atproto-did",  # an address, not a host name
        "",  # nowhere
    ],
)
def test_a_redirect_anywhere_but_https_on_a_named_host_is_not_followed(world, channel, location):
    world.pages[WELL_KNOWN] = (302, {"Location": location} if location else {}, "")
    world.pages[("www.example.edu", "/atproto-did")] = plain(DID)

    assert check(channel) == State.NOT_YET
    assert latest(channel).evidence["https"]["finding"] == "invalid"
    assert ("www.example.edu", "/atproto-did") not in world.requests


def test_redirects_are_followed_a_few_times_only(world, channel):
    world.pages[WELL_KNOWN] = (302, {"Location": "/hop"}, "")
    world.pages[(HANDLE, "/hop")] = (302, {"Location": "/hop"}, "")

    assert check(channel) == State.NOT_YET
    assert latest(channel).evidence["https"]["too_many_redirects"] is True
    assert len([r for r in world.requests if r[0] == HANDLE]) == handles.MAX_REDIRECTS + 1


# --- Broken after a change ---------------------------------------------------------------


@pytest.fixture
def verified(world, channel):
    world.dns.zone[RECORD] = [f"did={DID}"]
    assert check(channel) == State.VERIFIED
    return channel


def test_a_handle_changed_on_bluesky_breaks_the_verification_and_says_so_once(
    world, verified, mailoutbox, django_capture_on_commit_callbacks
):
    world.profile(DID, profile_answer(handle="fictionaluni.bsky.social"))
    with django_capture_on_commit_callbacks(execute=True):
        assert check(verified, NEXT) == State.BROKEN
        assert check(verified, NEXT + datetime.timedelta(days=1)) == State.BROKEN

    assert latest(verified).evidence["profile_handle"] == "fictionaluni.bsky.social"
    assert len(mailoutbox) == 2  # the owner and the deputy, once
    assert "handle" in mailoutbox[0].body
    assert "news.example.edu" in mailoutbox[0].body


def test_a_handle_given_to_another_account_breaks_the_verification(world, verified):
    world.dns.zone[RECORD] = [f"did={OTHER_DID}"]
    assert check(verified, NEXT) == State.BROKEN
    assert latest(verified).evidence["dns"]["did"] == OTHER_DID


def test_an_account_bluesky_no_longer_has_breaks_the_verification(world, verified):
    del world.profiles[DID]
    assert check(verified, NEXT) == State.BROKEN
    assert latest(verified).evidence["profile_found"] is False


def test_a_handle_bluesky_marks_invalid_breaks_the_verification(world, verified):
    world.profile(DID, profile_answer(handle="handle.invalid"))
    world.dns.zone[RECORD] = SERVFAIL  # a definite answer from Bluesky needs no DNS
    assert check(verified, NEXT) == State.BROKEN


# --- Failures that are no finding ----------------------------------------------------------


@pytest.mark.parametrize("fault", [SERVFAIL, SILENT], ids=["servfail", "timeout"])
def test_a_dns_failure_is_a_failed_check_not_a_broken_link(world, verified, fault):
    world.dns.zone[RECORD] = fault

    assert check(verified, NEXT) == State.VERIFIED
    assert (latest(verified).linked, bool(latest(verified).evidence["error"])) == (None, True)


def test_a_dns_failure_does_not_matter_when_the_well_known_address_answers(world, verified):
    world.dns.zone[RECORD] = SERVFAIL
    world.pages[WELL_KNOWN] = plain(DID)

    assert check(verified, NEXT) == State.VERIFIED
    evidence = latest(verified).evidence
    assert (latest(verified).linked, evidence["dns"]["finding"]) == (True, "failed")


def test_a_host_that_fails_is_a_failed_check_not_a_broken_link(world, verified):
    world.dns.zone[RECORD] = NXDOMAIN
    world.pages[WELL_KNOWN] = plain("Bad gateway", 502)

    assert check(verified, NEXT) == State.VERIFIED
    assert latest(verified).linked is None
    assert latest(verified).evidence["error"] == f"{URL} answered 502."


# --- A channel registered by its handle only -------------------------------------------------


def test_the_first_check_registers_the_did_bluesky_gives_for_the_handle(world, channel):
    channel.platform_id = ""
    channel.save(update_fields=["platform_id"])
    world.profile(HANDLE, profile_answer())
    world.dns.zone[RECORD] = [f"did={DID}"]

    assert check(channel) == State.VERIFIED
    channel.refresh_from_db()
    assert channel.platform_id == DID
    assert latest(channel).evidence["registered_now"] is True
    event = ChannelEvent.objects.filter(channel=channel).first()
    assert (event.action, event.payload) == (
        ChannelEvent.Action.EDITED,
        {"fields": ["platform_id"]},
    )


def test_no_did_is_registered_for_a_handle_bluesky_does_not_know(world, channel):
    channel.platform_id = ""
    channel.save(update_fields=["platform_id"])

    assert check(channel) == State.NOT_YET
    channel.refresh_from_db()
    assert channel.platform_id == ""
    assert latest(channel).evidence["no_did"] is True


# --- As the worker runs it -------------------------------------------------------------------


def run(channel_id, day=DAY):
    celery_app.conf.task_eager_propagates = False
    return tasks.verify_channel.delay(channel_id, day.isoformat()).get()


def test_the_task_checks_once_a_day_each_request_through_the_limiter(world, channel, monkeypatch):
    world.dns.zone[RECORD] = [f"did={DID}"]
    keys = []
    acquire = limiter.acquire
    monkeypatch.setattr(
        limiter, "acquire", lambda key, rate: keys.append((key, rate)) or acquire(key, rate)
    )

    assert run(channel.pk) == State.VERIFIED
    assert run(channel.pk) == "already checked"
    assert keys == [
        ("bluesky", "bluesky"),
        ("atproto-handle:example.edu", "atproto-handle"),
        ("atproto-handle:example.edu", "atproto-handle"),
    ]


def test_a_failure_is_retried_and_the_next_answer_counts(world, verified, settings):
    settings.METRICS_RETRY_BASE_SECONDS = 1
    world.dns.zone[RECORD] = NXDOMAIN
    world.pages[WELL_KNOWN] = plain("Unavailable", 503)

    def recover(*_args):
        world.pages[WELL_KNOWN] = plain(DID)

    hosts_handle = world.handle

    def handle_then_recover(request):
        hosts_handle(request)
        if request.path == "/.well-known/atproto-did":
            recover()

    world.handle = handle_then_recover
    assert run(verified.pk, NEXT) == State.VERIFIED
    assert latest(verified).linked is True


def test_a_failure_on_every_try_leaves_the_state_as_it_was(world, verified, settings):
    settings.METRICS_RETRY_BASE_SECONDS = 1
    settings.METRICS_MAX_RETRIES = 1
    world.dns.zone[RECORD] = SERVFAIL

    assert run(verified.pk, NEXT) == State.VERIFIED
    assert latest(verified).linked is None
    assert len([q for q in world.dns.queries if q == RECORD]) == 3  # the first day, two tries


# --- Against the portal's own answer -------------------------------------------------------


def test_the_portals_own_well_known_answer_verifies_the_channel(
    world, channel, live_server, settings
):
    """The handle's name points at the portal: the check reads the portal's answer."""
    channel.is_public = True
    channel.save(update_fields=["is_public"])
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example.edu"]
    settings.METRICS_HANDLE_BASE_URL = live_server.url

    assert check(channel) == State.VERIFIED
    assert latest(channel).evidence["https"] == {
        "finding": "match",
        "did": DID,
        "url": URL,
        "status": 200,
    }
