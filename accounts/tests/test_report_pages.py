"""The office's triage pages: who may open them, what they show, and that what
people type never breaks them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ReportEvent, SuspiciousAccountReport
from portal.tests.factories import make_channel

Outcome = SuspiciousAccountReport.Outcome


def make_report(url="https://www.instagram.com/eng.news/", **fields):
    return SuspiciousAccountReport.objects.create(
        reported_url=url,
        detected_platform=fields.pop("detected_platform", "instagram"),
        description=fields.pop("description", "Asks followers for money."),
        **fields,
    )


@pytest.fixture
def report(db):
    return make_report(contact_email="worried@example.com")


@pytest.fixture
def office(client, reviewer):
    client.force_login(reviewer)
    return client


def nothing_happened(report):
    report.refresh_from_db()
    return report.is_open and not ReportEvent.objects.exists()


# --- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 200),
        ("portal_admin", 200),
        ("submitter", 403),
        ("unit_head", 403),
        ("outsider", 403),
    ],
)
def test_only_the_office_opens_the_queue_and_a_report(request, client, report, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:reports")).status_code == status
    assert client.get(report.get_absolute_url()).status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client, report):
    for url in [reverse("accounts:reports"), report.get_absolute_url()]:
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/login/")


@pytest.mark.parametrize("persona", ["submitter", "unit_head", "outsider"])
def test_nobody_else_can_decide_reopen_or_note(request, client, report, persona):
    client.force_login(request.getfixturevalue(persona))
    pk = report.pk
    for name, data in [
        ("accounts:report_decide", {"outcome": "unfounded"}),
        ("accounts:report_note", {"text": "Hm."}),
        ("accounts:report_reopen", {}),
    ]:
        assert client.post(reverse(name, args=[pk]), data).status_code == 403
    assert nothing_happened(report)


@pytest.mark.parametrize("name", ["report_decide", "report_note", "report_reopen"])
def test_the_decisions_answer_a_get_with_405(office, report, name):
    assert office.get(reverse(f"accounts:{name}", args=[report.pk])).status_code == 405


def test_an_unknown_report_is_404(office, db):
    assert office.get(reverse("accounts:report_detail", args=[999999])).status_code == 404


# --- The queue ------------------------------------------------------------------------


def test_the_queue_lists_open_reports_oldest_first(office, reviewer):
    now = timezone.now()
    newer = make_report("@newer_fake", reported_at=now)
    older = make_report("@older_fake", reported_at=now - datetime.timedelta(days=2))
    make_report("@done_fake").decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    response = office.get(reverse("accounts:reports"))
    assert list(response.context["page"].object_list) == [older, newer]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "closed"}, ["@impostor", "@unfounded"]),
        ({"state": "all", "outcome": "impostor"}, ["@impostor"]),
        ({"state": "all", "source": "lookalike"}, ["@lookalike"]),
        ({"state": "all", "platform": "x"}, ["@unfounded"]),
        ({"state": "open"}, ["@lookalike", "@open"]),
    ],
)
def test_the_queue_filters(office, reviewer, query, expected):
    make_report("@open", reported_at=timezone.now() - datetime.timedelta(hours=5))
    make_report("@lookalike", source="lookalike", description="")
    make_report("@impostor").decide(
        by=reviewer, outcome=Outcome.IMPOSTOR, reported_on=timezone.localdate()
    )
    make_report("@unfounded", detected_platform="x").decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    page = office.get(reverse("accounts:reports"), query).context["page"]
    assert sorted(r.reported_url for r in page.object_list) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"state": "lost"},
        {"outcome": "<script>"},
        {"platform": "\x00"},
        {"source": "x" * 5000},
        {"page": "-1"},
        {"page": "ninety"},
    ],
)
def test_a_bad_filter_or_page_never_answers_500(office, report, query):
    response = office.get(reverse("accounts:reports"), query)
    assert response.status_code in (200, 400)
    if "page" not in query:
        assert response.status_code == 400
        assert "could not be read" in response.content.decode()


def test_the_queue_costs_the_same_queries_for_3_and_60_reports(
    office, reviewer, django_assert_num_queries
):
    for number in range(3):
        make_report(f"@fake{number}").decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    office.get(reverse("accounts:reports"), {"state": "all"})  # warm the person's facts
    with django_assert_num_queries(3) as few:  # session, count, page
        office.get(reverse("accounts:reports"), {"state": "all"})
    for number in range(57):
        make_report(f"@more{number}").decide(by=reviewer, outcome=Outcome.UNFOUNDED)
    with django_assert_num_queries(len(few.captured_queries)):
        office.get(reverse("accounts:reports"), {"state": "all"})


# --- A report -----------------------------------------------------------------------


def test_a_report_shows_what_the_registry_knows(office, unit, submitter, report):
    official = make_channel(
        unit=unit,
        owner=submitter,
        name="Engineering news",
        handle="eng.news",
        profile_url="https://www.instagram.com/eng.news/",
    )
    closed = make_channel(
        unit=unit,
        owner=submitter,
        name="Old engineering news",
        platform="x",
        handle="eng_news_old",
        status="closed",
    )
    similar = make_channel(
        unit=unit, owner=submitter, name="Eng.news podcast", handle="eng.news.pod"
    )
    knowledge = office.get(report.get_absolute_url()).context["knowledge"]
    assert knowledge["official"] == [official]
    assert knowledge["closed"] == []
    assert similar in knowledge["similar"]
    assert official not in knowledge["similar"]
    closed_report = make_report("https://x.com/eng_news_old", detected_platform="x")
    knowledge = office.get(closed_report.get_absolute_url()).context["knowledge"]
    assert (knowledge["official"], knowledge["closed"]) == ([], [closed])


def test_a_report_shows_the_reporter_s_words_contact_and_the_platform_s_form(office, report):
    html = office.get(report.get_absolute_url()).content.decode()
    assert "Asks followers for money." in html
    assert "mailto:worried@example.com" in html
    assert 'href="https://help.instagram.com/contact/636276399721841"' in html


def test_a_report_the_registry_cannot_read_still_opens(office, db):
    odd = make_report("not an address at all!", detected_platform="")
    response = office.get(odd.get_absolute_url())
    assert response.status_code == 200
    assert response.context["knowledge"]["unreadable"] is True


def test_a_look_alike_shows_its_evidence(office, db):
    found = make_report(
        "https://bsky.app/profile/eng-news.bsky.social",
        detected_platform="bluesky",
        source="lookalike",
        description="",
        evidence={"name": "Engineering News", "score": 0.93},
    )
    html = office.get(found.get_absolute_url()).content.decode()
    assert "Found as a look-alike" in html
    # The score in words (the look-alike evidence, lookalikes/tests/test_triage.py).
    assert "Looks 93 % like an official account" in html
    assert "report button on its page" in html


def test_marking_an_impostor_saves_the_date_and_goes_back_to_the_report(office, report):
    response = office.post(
        reverse("accounts:report_decide", args=[report.pk]),
        {"outcome": "impostor", "reported_on": "2026-01-05", "note": "Form sent."},
    )
    assert response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert (report.outcome, report.reported_to_platform_on) == (
        "impostor",
        datetime.date(2026, 1, 5),
    )


def test_ours_closes_the_report_and_opens_registration_prefilled(office, report):
    response = office.post(reverse("accounts:report_decide", args=[report.pk]), {"outcome": "ours"})
    assert response.status_code == 302
    assert response["Location"] == (
        "/registry/new/?profile_url=https%3A%2F%2Fwww.instagram.com%2Feng.news%2F"
        "&platform=instagram&name=eng.news"
    )
    form = office.get(response["Location"]).context["form"]
    assert (form["profile_url"].value(), form["platform"].value(), form["name"].value()) == (
        "https://www.instagram.com/eng.news/",
        "instagram",
        "eng.news",
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"outcome": "deleted"},
        {"outcome": "impostor"},
        {"outcome": "impostor", "reported_on": "yesterday"},
        {"outcome": "impostor", "reported_on": "0001-01-01"},
        {"outcome": "impostor", "reported_on": "2999-12-31"},
        {"outcome": "unfounded", "note": "x" * 3000},
        {"outcome": "unfounded", "note": "nul\x00"},
    ],
)
def test_a_bad_decision_is_refused_with_a_message_and_keeps_what_was_typed(office, report, data):
    response = office.post(reverse("accounts:report_decide", args=[report.pk]), data)
    assert response.status_code == 400
    assert response.context["decide_form"].errors
    assert nothing_happened(report)


def test_an_empty_note_is_refused_and_a_note_is_added(office, report):
    url = reverse("accounts:report_note", args=[report.pk])
    assert office.post(url, {"text": "   "}).status_code == 400
    assert office.post(url, {"text": "Called the library."}).status_code == 302
    assert list(ReportEvent.objects.values_list("comment", flat=True)) == ["Called the library."]


def test_a_report_page_costs_the_same_queries_whatever_its_history(
    office, reviewer, report, django_assert_num_queries
):
    office.get(report.get_absolute_url())
    with django_assert_num_queries(5) as few:
        office.get(report.get_absolute_url())
    for number in range(20):
        report.add_note(by=reviewer, text=f"Note {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        office.get(report.get_absolute_url())


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_a_report_number_out_of_range_is_404(office, db, pk):
    assert office.get(f"/reports/{pk}/").status_code == 404
    assert office.post(f"/reports/{pk}/note/", {"text": "Hm."}).status_code == 404
