"""Hostile input on the portal-wide and public pages: a missing CSRF token, GET on
POST-only actions, redirects to ``next`` outside the site, path integers beyond
bigint, and the public directory, verify and report forms fed overlong strings,
null characters, unicode edge cases, HTML/JS and SQL-looking text.

Every answer is a 4xx with a clear message or the page itself: never a 500, nothing
stored. Run on PostgreSQL (``.helper-env``): null characters and integers beyond
bigint only fail there.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Channel, SuspiciousAccountReport
from checklist.models import ItemComment, Proposal, Transition
from guidelines.models import Acknowledgement, NoticeAcknowledgement, SiteNotice
from portal.tests.factories import PASSWORD, make_channel
from portal.tests.payloads import (
    ADDRESS_REASONS,
    ATTRIBUTE,
    BEYOND_BIGINT,
    HOSTILE_ADDRESSES,
    HUGE,
    NUL,
    OVERLONG,
    SCRIPT,
    assert_escaped,
)
from portal.tests.responses import html

# Text that people (or scripts) send, and what each must not break.
RIGHT_TO_LEFT = "\u202egnp.exe"
ZERO_WIDTH_JOINER = "👩\u200d💻 team"
COMBINING = "e\u0301\u0301\u0301\u0301"
EMOJI = "🦄🔥"
SQL = "'; DROP TABLE accounts_channel; --"

UNICODE_EDGES = [RIGHT_TO_LEFT, ZERO_WIDTH_JOINER, COMBINING, EMOJI, SQL]


# --- Missing or wrong CSRF token: a plain 403 page, nothing done ---------------------


@pytest.fixture
def notice(reviewer):
    return SiteNotice.publish(by=reviewer, level="info", title="Maintenance", body="Tonight.")


def _csrf_cases(proposal, guideline, notice):
    return [
        (reverse("accounts:register"), {"name": "New"}, Channel),
        (reverse("checklist:new"), {"name": "New"}, Proposal),
        (
            reverse("checklist:decide", args=[proposal.pk, "approve"]),
            {"comment": "Fine."},
            Transition,
        ),
        (
            reverse("checklist:comment", args=[proposal.pk]),
            {"item": "need", "text": "Why?"},
            ItemComment,
        ),
        (reverse("guidelines:acknowledge", args=[guideline.slug]), {}, Acknowledgement),
        (reverse("guidelines:notice_acknowledge", args=[notice.pk]), {}, NoticeAcknowledgement),
        (
            reverse("guidelines:notice_new"),
            {"level": "info", "title": "T", "body": "B"},
            SiteNotice,
        ),
    ]


@pytest.mark.parametrize("token", [None, "wrong-token-wrong-token-wrong-token"])
def test_a_form_without_a_valid_csrf_token_is_refused_with_a_plain_page_and_nothing_is_done(
    portal_admin, in_review, guideline, notice, token
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(portal_admin)
    client.get(reverse("home"))  # the page that would have held the form sets the cookie
    for path, data, model in _csrf_cases(in_review, guideline, notice):
        before = model.objects.count()
        if token:
            data = {**data, "csrfmiddlewaretoken": token}
        response = client.post(path, data)
        assert response.status_code == 403, path
        page = html(response)
        assert "The form has expired" in page
        assert "reload the page and try again" in page
        assert "allow cookies for this site" in page
        # The portal's own page, with its navigation: Django's CSRF failure view renders
        # templates/403_csrf.html with the request, and never passes it the reason.
        assert 'data-testid="signed-in-as"' in page
        assert "CSRF" not in page and "Referer" not in page and "reason" not in page
        assert model.objects.count() == before, path
    in_review.refresh_from_db()
    assert in_review.state == Proposal.State.IN_REVIEW


def test_the_public_report_form_without_a_csrf_cookie_is_refused_with_the_plain_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:report"), {"reported_url": "@fake", "description": "Looks fake."}
    )
    assert response.status_code == 403
    assert "The form has expired" in html(response)
    assert SuspiciousAccountReport.objects.count() == 0


def test_the_csrf_page_speaks_swedish_to_a_swedish_reader(submitter):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "sv"})
    client.force_login(submitter)
    response = client.post(reverse("checklist:new"), {"name": "Ny"})
    assert response.status_code == 403
    page = html(response)
    assert '<html lang="sv">' in page
    assert "Formuläret har gått ut" in page
    assert "ladda om sidan och försök igen" in page


def test_a_form_with_its_token_still_works_with_csrf_checks_on(submitter, guideline):
    client = Client(enforce_csrf_checks=True)
    client.force_login(submitter)
    page = client.get(guideline.get_absolute_url())
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("guidelines:acknowledge", args=[guideline.slug]), {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(user=submitter).count() == 1


# --- GET on POST-only actions: 405 --------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "checklist:decide",
        "checklist:comment",
        "checklist:meeting",
        "guidelines:acknowledge",
        "guidelines:notice_acknowledge",
        "guidelines:notice_end",
        "metrics:delete_token",
    ],
)
def test_a_get_on_a_post_only_action_answers_405_and_changes_nothing(
    client, portal_admin, in_review, guideline, notice, unit, name
):
    client.force_login(portal_admin)
    channel = make_channel(unit=unit, owner=portal_admin, platform="facebook")
    args = {
        "checklist:decide": [in_review.pk, "approve"],
        "checklist:comment": [in_review.pk],
        "checklist:meeting": [in_review.pk],
        "guidelines:acknowledge": [guideline.slug],
        "guidelines:notice_acknowledge": [notice.pk],
        "guidelines:notice_end": [notice.pk],
        "metrics:delete_token": [channel.pk],
    }[name]
    transitions = Transition.objects.count()
    response = client.get(reverse(name, args=args))
    assert response.status_code == 405
    assert Transition.objects.count() == transitions
    assert Acknowledgement.objects.count() == 0
    assert NoticeAcknowledgement.objects.count() == 0
    notice.refresh_from_db()
    assert notice.ends_at is None


# --- Redirects to ``next``: only within the site --------------------------------------

OUTSIDE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/\t/evil.example",
    "//[x]/",
    "https://[x]/",
    "/\\[",
]


@pytest.mark.parametrize("target", OUTSIDE)
def test_signing_in_never_redirects_outside_the_site(client, submitter, target):
    # "username" for Django's login form, "login" for django-allauth's: each form
    # ignores the other's field.
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "submitter", "login": "submitter", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", OUTSIDE)
def test_the_sign_in_page_answers_whatever_it_is_asked_to_return_to(client, db, target):
    response = client.get(reverse("login"), {"next": target})
    assert response.status_code == 200
    assert_escaped(html(response))


@pytest.mark.parametrize("target", ["//[x]/", "https://[x]/", "https://[", "//[x"])
def test_an_address_that_cannot_be_split_is_no_safe_place_to_return_to(rf, target):
    from allauth.core.context import request_context

    from portal.sso import AccountAdapter

    request = rf.get("/login/")
    with request_context(request):
        assert AccountAdapter(request).is_safe_url(target) is False


@pytest.mark.parametrize("target", OUTSIDE)
def test_acknowledging_never_redirects_outside_the_site(client, submitter, guideline, target):
    client.force_login(submitter)
    response = client.post(
        reverse("guidelines:acknowledge", args=[guideline.slug]), {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == guideline.get_absolute_url()


@pytest.mark.parametrize("target", OUTSIDE)
def test_choosing_a_language_never_redirects_outside_the_site(client, target):
    response = client.post(reverse("set_language"), {"language": "sv", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("language", ["xx", NUL, OVERLONG, SCRIPT, ""])
def test_choosing_an_unknown_language_changes_nothing(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- Path integers beyond bigint: 404 ---------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/registry/{BEYOND_BIGINT}/",
        f"/registry/{BEYOND_BIGINT}/edit/",
        f"/proposals/{BEYOND_BIGINT}/",
        f"/proposals/{BEYOND_BIGINT}/proposal.md",
        f"/proposals/{BEYOND_BIGINT}/proposal.html",
        f"/guidelines/tone-of-voice/v/{BEYOND_BIGINT}/",
        f"/guidelines/tone-of-voice/diff/1/{BEYOND_BIGINT}/",
        f"/notices/{BEYOND_BIGINT}/",
        f"/metrics/channels/{BEYOND_BIGINT}/",
        f"/metrics/channels/{BEYOND_BIGINT}/figures/",
        f"/metrics/units/{BEYOND_BIGINT}/report/",
    ],
)
def test_an_id_beyond_bigint_in_the_path_is_not_found(client, portal_admin, guideline, path):
    client.force_login(portal_admin)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("action", ["delete", "__init__", "save", "approve\x00", "APPROVE"])
def test_an_unknown_decision_is_not_found_and_changes_nothing(client, reviewer, in_review, action):
    client.force_login(reviewer)
    transitions = Transition.objects.count()
    response = client.post(f"/proposals/{in_review.pk}/decide/{action}/")
    assert response.status_code == 404
    assert Transition.objects.count() == transitions


# --- The public directory ----------------------------------------------------------


@pytest.fixture
def listed(unit):
    return make_channel(unit=unit, name="Engineering news", handle="engnews", is_public=True)


def test_a_directory_search_with_a_null_character_says_so_next_to_the_field(client, listed):
    response = client.get(reverse("accounts:directory"), {"q": NUL})
    assert response.status_code == 400
    page = html(response)
    assert (
        '<div class="invalid-feedback" id="directory-search-error">The search cannot contain '
        "null characters: remove them and search again.</div>" in page
    )
    assert 'aria-describedby="directory-search-error"' in page
    assert 'value="before\x00after"' in page
    assert "Engineering news" not in page


@pytest.mark.parametrize("query", [OVERLONG, HUGE, SCRIPT, ATTRIBUTE, *UNICODE_EDGES])
def test_a_directory_search_with_hostile_text_answers_and_escapes_it(client, listed, query):
    response = client.get(reverse("accounts:directory"), {"q": query})
    assert response.status_code == 200
    page = html(response)
    assert_escaped(page, query)
    assert "0 accounts match" in page


@pytest.mark.parametrize("number", ["abc", "-1", "0", BEYOND_BIGINT, "1.5", NUL, ""])
def test_a_directory_page_number_that_is_not_a_page_shows_a_page(client, listed, number):
    response = client.get(reverse("accounts:directory"), {"page": number})
    assert response.status_code == 200
    assert "Engineering news" in html(response)


def test_a_search_repeated_in_the_query_string_uses_the_last(client, listed):
    response = client.get(f"{reverse('accounts:directory')}?q=nothing&q=engnews")
    assert response.status_code == 200
    assert "Engineering news" in html(response)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (NUL, "Null characters are not allowed."),
        (OVERLONG, "Ensure this value has at most 500 characters (it has 10000)."),
        (SCRIPT, "is not a web address."),  # it has a "/": read as an address
        (SQL, "is neither a web address nor a handle."),
        *[(address, ADDRESS_REASONS[address]) for address in HOSTILE_ADDRESSES],
        ("", "This field is required."),
    ],
)
def test_verifying_hostile_text_answers_400_with_the_reason(client, listed, url, message):
    response = client.get(reverse("accounts:verify"), {"url": url})
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert_escaped(page, url)


@pytest.mark.parametrize("url", [RIGHT_TO_LEFT, ZERO_WIDTH_JOINER, COMBINING, EMOJI])
def test_verifying_unusual_unicode_never_fails(client, listed, url):
    response = client.get(reverse("accounts:verify"), {"url": url})
    assert response.status_code in (200, 400)


def test_a_query_string_that_is_not_utf8_is_read_with_replacement_characters(client, listed):
    # A lone surrogate cannot be encoded in UTF-8; sent as its raw bytes, Django reads
    # it as U+FFFD, so no view ever sees one.
    response = client.get(f"{reverse('accounts:directory')}?q=%ED%A0%80eng%FF")
    assert response.status_code == 200
    assert "\ufffd" in html(response)


REPORT = {"reported_url": "@fake_engineering", "description": "It uses our logo."}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reported_url", NUL, "Null characters are not allowed."),
        ("reported_url", OVERLONG, "Ensure this value has at most 500 characters (it has 10000)."),
        ("reported_url", SCRIPT, "is not a web address."),
        *[("reported_url", address, ADDRESS_REASONS[address]) for address in HOSTILE_ADDRESSES],
        ("description", NUL, "Null characters are not allowed."),
        ("description", OVERLONG, "Ensure this value has at most 2000 characters (it has 10000)."),
        ("description", HUGE, "Ensure this value has at most 2000 characters (it has 1000000)."),
        ("contact_email", SCRIPT, "Enter a valid email address."),
        ("contact_email", NUL, "Null characters are not allowed."),
    ],
)
def test_a_hostile_report_is_refused_next_to_the_field_and_nothing_is_stored_or_sent(
    client, mailoutbox, reviewer, field, value, message
):
    response = client.post(reverse("accounts:report"), {**REPORT, field: value})
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert_escaped(page, value)
    assert SuspiciousAccountReport.objects.count() == 0
    assert mailoutbox == []


def test_a_report_of_a_megabyte_is_refused_before_it_is_read(client, reviewer, mailoutbox):
    response = client.post(reverse("accounts:report"), {**REPORT, "description": HUGE * 3})
    assert response.status_code == 400
    assert SuspiciousAccountReport.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("description", [SCRIPT, ATTRIBUTE, *UNICODE_EDGES])
def test_a_report_with_markup_or_unusual_unicode_is_stored_exactly_as_typed(
    client, reviewer, description
):
    response = client.post(reverse("accounts:report"), {**REPORT, "description": description})
    assert response.status_code == 302
    assert list(SuspiciousAccountReport.objects.values_list("description", flat=True)) == [
        description.strip()
    ]
