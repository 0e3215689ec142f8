"""The daily watch: what it searches, what it hands to the office's triage, and how it
stays bounded (idempotent and resumable per day, one failing platform never stopping
the others, quotas respected). The platforms are test doubles of the Search interface,
defined here; the Bluesky search itself is tested against recordings
(test_bluesky_search.py) and a local stand-in (test_browser_watch.py)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import SuspiciousAccountReport
from core.models import OutboxMessage
from lookalikes import tasks
from lookalikes.models import Candidate, SearchRecord, WatchDigest
from lookalikes.profiles import Found
from lookalikes.search.base import Page, QuotaExhausted, Search
from metrics.providers.base import BadResponse, TransientError
from portal.tests.factories import make_channel

DAY = "2026-12-01"
NEXT_DAY = "2026-12-02"
Report = SuspiciousAccountReport


def found(handle, name, *, platform="bluesky", account_id=None, labels=()):
    return Found(
        platform=platform,
        account_id=account_id or f"did:plc:{handle.split('.')[0]}",
        handle=handle,
        display_name=name,
        url=f"https://bsky.app/profile/{handle}",
        bio="Official account.",
        labels=labels,
    )


IMPOSTOR = found(
    "fictionaluni-official.bsky.social", "Fictional Universíty", labels=("impersonation",)
)
UNRELATED = found("gardening.bsky.social", "Garden notes")


class StandIn(Search):
    """Bluesky as the tests tell it to answer: every query gets ``ANSWER``, page by page."""

    platform = "bluesky"
    ANSWER = [[IMPOSTOR, UNRELATED]]
    FAILURES = []  # errors raised, in order, before answering
    asked = []

    def search(self, query, *, cursor=None):
        type(self).asked.append((query, cursor))
        if type(self).FAILURES:
            raise type(self).FAILURES.pop(0)
        number = int(cursor or 0)
        more = number + 1 < len(self.ANSWER)
        return Page(found=list(self.ANSWER[number]), cursor=str(number + 1) if more else None)


class Broken(Search):
    """A Mastodon server that answers nothing readable."""

    platform = "mastodon"
    asked = []

    @property
    def name(self):
        return "mastodon:broken.example"

    def search(self, query, *, cursor=None):
        type(self).asked.append(query)
        raise BadResponse("The answer was not JSON.", status=502)


class Spent(Search):
    """YouTube with its quota spent after the first request."""

    platform = "youtube"
    asked = []

    def search(self, query, *, cursor=None):
        type(self).asked.append(query)
        if len(type(self).asked) > 1:
            raise QuotaExhausted("The daily quota is spent.", status=403)
        return Page(found=[], cost=100)


HERE = "lookalikes.tests.test_watch_job"


@pytest.fixture(autouse=True)
def _reset_doubles(settings):
    settings.PORTAL_ORGANISATION_NAME = "Fictional University"
    settings.PORTAL_ORGANISATION_ALIASES = []
    settings.LOOKALIKES_THRESHOLD = 0.75
    StandIn.ANSWER = [[IMPOSTOR, UNRELATED]]
    StandIn.FAILURES = []
    for double in (StandIn, Broken, Spent):
        double.asked = []


@pytest.fixture
def official(unit, submitter):
    return make_channel(
        unit=unit,
        owner=submitter,
        name="Fictional University",
        platform="bluesky",
        handle="fictionaluni.bsky.social",
        profile_url="https://bsky.app/profile/fictionaluni.bsky.social",
    )


@pytest.fixture
def standin(use_searches):
    use_searches(f"{HERE}.StandIn")


def lookalike_reports():
    return Report.objects.filter(source=Report.Source.LOOKALIKE)


def test_a_lookalike_lands_in_triage_with_its_evidence(official, standin):
    tasks.watch_all(DAY)
    report = lookalike_reports().get()
    assert report.reported_url == IMPOSTOR.url
    assert report.detected_platform == "bluesky" and report.is_open
    evidence = report.evidence
    assert evidence["key"] == IMPOSTOR.key
    assert evidence["candidate"]["handle"] == IMPOSTOR.handle
    assert evidence["candidate"]["labels"] == ["impersonation"]
    assert evidence["official"]["channel_id"] == official.pk
    assert evidence["official"]["name"] == "Fictional University"
    assert evidence["score"] >= 0.75 and set(evidence["parts"]) >= {"name"}
    assert evidence["search"] == "bluesky" and evidence["query"] in {
        "Fictional University",
        "fictionaluni.bsky.social",
        "School of Engineering",
    }
    candidate = Candidate.objects.get()
    assert (candidate.key, candidate.report, candidate.official) == (IMPOSTOR.key, report, official)
    # Nothing mailed per candidate: the office hears of them in the weekly digest.
    assert not OutboxMessage.objects.exists()


def test_what_is_searched_for(official, standin, unit):
    make_channel(
        unit=unit, name="Hidden", platform="bluesky", handle="h.bsky.social", is_public=False
    )
    make_channel(unit=unit, name="On Instagram", platform="instagram", handle="fu_insta")
    tasks.watch_all(DAY)
    queries = set(SearchRecord.objects.values_list("query", flat=True))
    # The public channel's name and handle (once: its name is the organisation's),
    # the organisation's names and the units'; not the internal channel, nor a
    # channel on a platform without a search.
    assert queries == {"Fictional University", "fictionaluni.bsky.social", "School of Engineering"}
    assert SearchRecord.objects.filter(outcome=SearchRecord.Outcome.DONE).count() == 3
    record = SearchRecord.objects.get(query="Fictional University")
    assert (record.pages, record.results, record.candidates, record.tries) == (1, 2, 1, 1)


def test_the_organisation_aliases_are_searched_for(official, standin, settings):
    settings.PORTAL_ORGANISATION_ALIASES = ["FU", "Fiktiva universitetet"]
    tasks.watch_all(DAY)
    queries = set(SearchRecord.objects.values_list("query", flat=True))
    assert {"FU", "Fiktiva universitetet"} <= queries


def test_the_pages_are_read_up_to_the_searchs_limit(official, standin):
    StandIn.ANSWER = [[UNRELATED], [UNRELATED], [IMPOSTOR], [IMPOSTOR]]
    tasks.watch_all(DAY)
    # max_pages is 2: the look-alike on the third page is not read.
    assert {cursor for _query, cursor in StandIn.asked} == {None, "1"}
    assert not lookalike_reports().exists()


def test_registered_accounts_are_never_candidates(unit, standin):
    # The look-alike's own account is registered: as a formerly official (closed)
    # channel, and the unrelated one as an internal channel.
    make_channel(
        unit=unit,
        name="Fictional University",
        platform="bluesky",
        handle="fictionaluni.bsky.social",
        profile_url="https://bsky.app/profile/fictionaluni.bsky.social",
    )
    make_channel(
        unit=unit,
        name="Old account",
        platform="bluesky",
        handle="fictionaluni-official.bsky.social",
        profile_url="https://bsky.app/profile/fictionaluni-official.bsky.social",
        status="closed",
    )
    StandIn.ANSWER = [[IMPOSTOR, found("fictionaluni.bsky.social", "Fictional University")]]
    tasks.watch_all(DAY)
    assert not lookalike_reports().exists()
    assert SearchRecord.objects.filter(results=2).exists()


def test_a_registered_account_is_recognised_by_its_did(unit, standin):
    make_channel(
        unit=unit,
        name="Fictional University",
        platform="bluesky",
        handle="old-handle.bsky.social",
        platform_id=IMPOSTOR.account_id,
        profile_url="https://bsky.app/profile/old-handle.bsky.social",
    )
    tasks.watch_all(DAY)
    assert not lookalike_reports().exists()


def test_the_job_is_idempotent_per_day(official, standin):
    assert tasks.watch_all(DAY) == 3
    asked = len(StandIn.asked)
    assert tasks.watch_all(DAY) == 0
    assert len(StandIn.asked) == asked
    assert lookalike_reports().count() == 1
    assert SearchRecord.objects.count() == 3


@pytest.mark.parametrize(
    "outcome",
    [Report.Outcome.IMPOSTOR, Report.Outcome.UNFOUNDED, Report.Outcome.OURS, None],
)
def test_a_candidate_found_again_never_comes_back_as_new(official, standin, reviewer, outcome):
    tasks.watch_all(DAY)
    report = lookalike_reports().get()
    if outcome is not None:
        report.decide(by=reviewer, outcome=outcome, reported_on=datetime.date(2026, 12, 1))
    tasks.watch_all(NEXT_DAY)
    assert lookalike_reports().count() == 1
    report.refresh_from_db()
    assert report.is_open == (outcome is None)
    assert report.outcome == (outcome or "")
    # The office sees that the account was still there.
    assert report.evidence["last_seen"] == NEXT_DAY
    candidate = Candidate.objects.get()
    assert candidate.times_seen >= 2 and candidate.last_seen > candidate.first_seen


def test_a_failing_platform_never_stops_the_others(official, use_searches):
    use_searches(f"{HERE}.Broken", f"{HERE}.StandIn")
    tasks.watch_all(DAY)
    broken = SearchRecord.objects.filter(search="mastodon:broken.example")
    assert broken.count() == 2  # the organisation's and the unit's names
    assert set(broken.values_list("outcome", "transient")) == {("failed", False)}
    assert "BadResponse: The answer was not JSON. (HTTP 502)" in broken.first().error
    assert len(Broken.asked) == 2  # a permanent failure is not retried
    assert set(SearchRecord.objects.filter(search="bluesky").values_list("outcome", flat=True)) == {
        "done"
    }
    assert lookalike_reports().count() == 1
    # A second run the same day leaves the permanent failures alone.
    assert tasks.watch_all(DAY) == 0


def test_a_transient_failure_is_retried_with_backoff(official, standin, settings, monkeypatch):
    settings.METRICS_MAX_RETRIES = 3
    delays = []
    monkeypatch.setattr(tasks, "retry_delay", lambda n, after=None: delays.append((n, after)) or 1)
    StandIn.FAILURES = [TransientError("Timed out."), TransientError("Timed out.")]
    tasks.watch_all(DAY)
    assert delays == [(0, None), (1, None)]
    tried = SearchRecord.objects.order_by("pk").first()
    assert (tried.outcome, tried.tries, tried.error) == ("done", 3, "")
    assert lookalike_reports().count() == 1


def test_the_job_resumes_after_a_failure(official, standin, settings):
    settings.METRICS_MAX_RETRIES = 0
    StandIn.FAILURES = [TransientError("The platform answered 503.", status=503)]
    tasks.watch_all(DAY)
    failed = SearchRecord.objects.get(outcome="failed")
    assert failed.transient and "503" in failed.error
    # The day's second run redoes only what failed, and what it finds is triaged.
    assert tasks.watch_all(DAY) == 1
    failed.refresh_from_db()
    assert (failed.outcome, failed.tries) == ("done", 2)
    assert SearchRecord.objects.filter(outcome="done").count() == 3
    assert lookalike_reports().count() == 1


def test_a_running_search_is_not_taken_twice(official, standin):
    tasks.watch_all(DAY)
    record = SearchRecord.objects.first()
    SearchRecord.objects.filter(pk=record.pk).update(outcome="running")
    SearchRecord.objects.filter(pk=record.pk).update(started_at=timezone.now())
    assert tasks.watch_search(record.pk) == "nothing to do"
    # One whose worker died long ago is taken over.
    SearchRecord.objects.filter(pk=record.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert tasks.watch_search(record.pk) == "done"


def test_a_spent_quota_skips_the_rest_of_the_platforms_day(official, use_searches):
    use_searches(f"{HERE}.Spent", f"{HERE}.StandIn")
    tasks.watch_all(DAY)
    youtube = SearchRecord.objects.filter(search="youtube").order_by("pk")
    assert list(youtube.values_list("outcome", flat=True)) == ["done", "skipped_quota"]
    assert youtube.first().cost == 100
    assert len(Spent.asked) == 2
    assert tasks.watch_all(DAY) == 0  # not tried again today
    assert len(Spent.asked) == 2
    assert SearchRecord.objects.filter(search="bluesky", outcome="done").count() == 3
    # Tomorrow the platform is searched again.
    Spent.asked = []
    tasks.watch_all(NEXT_DAY)
    assert len(Spent.asked) == 2


def test_below_the_threshold_nothing_is_reported(official, standin, settings):
    settings.LOOKALIKES_THRESHOLD = 0.999
    StandIn.ANSWER = [[found("fictionaluniv.bsky.social", "Fictional Univ")]]
    tasks.watch_all(DAY)
    assert not lookalike_reports().exists()
    assert SearchRecord.objects.filter(candidates=0).count() == 3


def test_the_job_queries_are_bounded(unit, standin, monkeypatch, django_assert_max_num_queries):
    for number in range(20):
        make_channel(
            unit=unit, name=f"Channel {number}", platform="bluesky", handle=f"c{number}.bsky.social"
        )
    enqueued = []
    monkeypatch.setattr(tasks.watch_search, "apply_async", lambda args: enqueued.append(args))
    with django_assert_max_num_queries(4):
        assert tasks.watch_all(DAY) == 42
    # One search: claim, read, compare with the registry, record; 25 accounts found,
    # none like ours.
    StandIn.ANSWER = [[found(f"someone{n}.example.org", f"Gardener {n}") for n in range(25)]]
    with django_assert_max_num_queries(10):
        assert tasks.watch_search(*enqueued[0]) == "done"


def test_the_weekly_digest_goes_once_a_week(official, standin, reviewer, mailoutbox):
    tasks.watch_all(DAY)
    today = timezone.localdate()
    assert tasks.send_weekly_digest(today.isoformat()) == 1
    assert WatchDigest.objects.get().week == today - datetime.timedelta(days=today.weekday())
    assert tasks.send_weekly_digest(today.isoformat()) == -1
    messages = OutboxMessage.objects.all()
    assert messages.count() == 1
    message = messages.get()
    assert reviewer.email == message.payload["to"]
    assert "1 new look-alike account" in message.payload["subject"]
    body = message.payload["body"]
    assert IMPOSTOR.url in body and "resembles Fictional University" in body
    assert "?source=lookalike" in body
    # The next week: no new account, but the report still waits.
    later = today + datetime.timedelta(days=14)
    assert tasks.send_weekly_digest(later.isoformat()) == 0
    assert (
        "1 look-alike report waits" in OutboxMessage.objects.order_by("-pk").first().payload["body"]
    )
    assert not mail.outbox  # sent later, by the outbox


def test_no_digest_when_there_is_nothing_to_say(reviewer, db):
    assert tasks.send_weekly_digest("2026-12-03") == -1
    assert not WatchDigest.objects.exists()
