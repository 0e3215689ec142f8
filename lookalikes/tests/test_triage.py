"""Look-alike reports in the office's triage pages and on its home: the evidence shown
in words, the filter by source, the figures, at a constant number of queries."""

import pytest
from django.utils import timezone

from accounts.models import SuspiciousAccountReport
from lookalikes.models import SearchRecord
from portal.tests.factories import make_channel

Report = SuspiciousAccountReport


def lookalike(number=0, *, labels=("impersonation",), channel_id=None):
    report, created = Report.objects.found_lookalike(
        url=f"https://bsky.app/profile/fake{number}.bsky.social",
        platform="bluesky",
        key=f"bluesky:did:plc:fake{number}",
        evidence={
            "name": "Fictional Universíty",
            "candidate": {
                "handle": f"fake{number}.bsky.social",
                "display_name": "Fictional Universíty",
                "url": f"https://bsky.app/profile/fake{number}.bsky.social",
                "bio": "DM us for admissions.",
                "labels": list(labels),
                "created_at": "2026-11-15T08:00:00+00:00",
            },
            "official": {
                "channel_id": channel_id,
                "name": "Fictional University",
                "handle": "fictionaluni.bsky.social",
                "url": "https://bsky.app/profile/fictionaluni.bsky.social",
                "unit": "School of Engineering",
            },
            "score": 0.912,
            "parts": {"name": 0.912, "handle": 0.4, "new_part": 0.5},
            "search": "bluesky",
            "query": "Fictional University",
            "first_seen": "2026-12-01T04:30:00+00:00",
        },
    )
    assert created
    return report


def test_found_lookalike_never_makes_a_second_report_of_an_account(db):
    first = lookalike()
    again, created = Report.objects.found_lookalike(
        url=first.reported_url, platform="bluesky", evidence={}, key="bluesky:did:plc:fake0"
    )
    assert (again, created) == (first, False)
    assert (
        first.source == Report.Source.LOOKALIKE and first.evidence["key"] == "bluesky:did:plc:fake0"
    )


def test_the_detail_shows_the_evidence_in_words(client, reviewer, unit):
    channel = make_channel(
        unit=unit,
        name="Fictional University",
        platform="bluesky",
        handle="fictionaluni.bsky.social",
        profile_url="https://bsky.app/profile/fictionaluni.bsky.social",
    )
    report = lookalike(channel_id=channel.pk)
    client.force_login(reviewer)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Looks 91 % like an official account" in page
    assert "Display name like the official one&#x27;s: 91 %" in page
    assert "Handle like the official one&#x27;s: 40 %" in page
    assert "New part: 50 %" in page
    assert 'text-bg-danger" data-testid="lookalike-label">impersonation' in page
    assert f'href="/registry/{channel.pk}/">Fictional University' in page
    assert "DM us for admissions." in page
    assert "Searched on bluesky for “Fictional University”." in page
    assert "Unfounded or unrelated" in page


def test_a_public_report_shows_no_lookalike_evidence(client, reviewer):
    report = Report.objects.submit(reported_url="https://x.example/fake", description="Odd.")
    client.force_login(reviewer)
    response = client.get(report.get_absolute_url())
    assert response.context["lookalike"] is None
    assert b"What was reported" in response.content


def test_the_queue_filters_by_source_at_a_constant_cost(
    client, reviewer, django_assert_max_num_queries
):
    Report.objects.submit(reported_url="https://x.example/public", description="Odd.")
    client.force_login(reviewer)

    def cost(url):
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url)
        return response, len(captured)

    lookalike(0)
    client.get("/reports/")  # the reader's facts, cached from here on
    _response, one = cost("/reports/?source=lookalike")
    for number in range(1, 8):
        lookalike(number, labels=())
    response, many = cost("/reports/?source=lookalike")
    assert one == many
    page = response.content.decode()
    assert page.count('data-testid="lookalike-summary"') == 8
    assert "Looks 91 % like Fictional University" in page
    assert "https://x.example/public" not in page


@pytest.mark.parametrize("failed", [0, 2])
def test_the_office_home_counts_lookalikes_and_failed_searches(client, reviewer, failed):
    lookalike(0)
    Report.objects.submit(reported_url="https://x.example/public", description="Odd.")
    for number in range(failed):
        SearchRecord.objects.create(
            date=timezone.localdate(),
            search="bluesky",
            platform="bluesky",
            query=f"q{number}",
            outcome="failed",
            finished_at=timezone.now(),
        )
    client.force_login(reviewer)
    response = client.get("/")
    overview = response.context["overview"]
    assert overview["reports"]["count"] == 2
    assert overview["reports"]["lookalikes"] == 1
    assert overview["reports"]["lookalikes_url"] == "/reports/?state=open&source=lookalike"
    assert overview["watch"]["failed"] == failed
    page = response.content.decode()
    assert "1 look-alike candidate waiting" in page
    assert ("2 look-alike searches failed in the last day" in page) == bool(failed)


def test_the_queue_says_what_the_watch_searches_and_what_mastodon_cannot_see(
    client, reviewer, settings
):
    settings.LOOKALIKES_ENABLED = True
    settings.LOOKALIKES_MASTODON_SERVERS = {"social.example": "token"}
    settings.YOUTUBE_API_KEY = ""
    client.force_login(reviewer)
    scope = client.get("/reports/").content.decode()
    assert "searches every day on: bluesky, mastodon:social.example." in scope
    assert "finds only the accounts it already" in scope

    settings.LOOKALIKES_ENABLED = False
    assert "is switched off or not configured" in client.get("/reports/").content.decode()


def test_a_mastodon_finding_says_that_server_sees_only_the_accounts_it_knows(client, reviewer):
    report = lookalike()
    report.evidence["search"] = "mastodon:social.example"
    report.save(update_fields=["evidence"])
    client.force_login(reviewer)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Searched on mastodon:social.example" in page
    assert "finds only the accounts it already" in page


def test_a_found_account_whose_address_is_not_a_web_address_is_not_a_link(client, reviewer):
    report = lookalike()
    report.evidence["candidate"]["url"] = "javascript:alert(document.cookie)"
    report.save(update_fields=["evidence"])
    client.force_login(reviewer)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "javascript:alert(document.cookie)" in page  # shown as text
    assert 'href="javascript:' not in page
