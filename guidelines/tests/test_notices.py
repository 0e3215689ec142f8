"""The site notice pages: who publishes, reads, follows and ends notices, who a crisis
notice is e-mailed to, the acknowledgement rate, bad input and query counts."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ChannelRole
from guidelines import admin_notices  # noqa: F401  (registers the admin classes)
from guidelines.models import NoticeAcknowledgement, NoticeRecipient, SiteNotice
from portal.tests.factories import make_channel, make_user, work_after_commit
from portal.tests.responses import html

OFFICE = ["reviewer", "portal_admin"]
NOT_OFFICE = ["submitter", "unit_head", "outsider"]
EVERYONE = ["submitter", "colleague", "outsider", "unit_head", "reviewer", "portal_admin"]


def local_input(moment):
    """``moment`` as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**changes):
    data = {
        "level": "info",
        "title": "Network maintenance",
        "body": "The portal is slow on Sunday.",
        "starts_at": "",
        "ends_at": "",
    }
    data.update(changes)
    return data


CRISIS = form_data(
    level="crisis",
    title="Fire in the library",
    body="Pause all posts until further notice.",
    confirm_crisis="on",
)


@pytest.fixture
def notice(reviewer):
    return SiteNotice.publish(by=reviewer, level="warning", title="Exams moved", body="To May.")


@pytest.fixture
def people(unit):
    """Owners and deputies of channels in every state, and people who must not be told."""
    people = {
        name: make_user(username=name)
        for name in ["owner", "deputy", "planner", "closer", "former", "editor", "leaver"]
    }
    people["leaver"].is_active = False
    people["leaver"].save()
    live = make_channel(unit=unit, owner=people["owner"], deputy=people["deputy"])
    make_channel(unit=unit, owner=people["owner"], status="dormant")  # owner again: once
    make_channel(unit=unit, owner=people["deputy"], status="active")  # deputy again: once
    make_channel(unit=unit, owner=people["planner"], status="planned")
    make_channel(unit=unit, owner=people["closer"], status="closed")
    make_channel(unit=unit, owner=people["leaver"], status="active")
    ChannelRole.objects.create(
        channel=live,
        user=people["former"],
        kind=ChannelRole.Kind.OWNER,
        started_at=timezone.now() - datetime.timedelta(days=30),
        ended_at=timezone.now() - datetime.timedelta(days=1),
    )
    ChannelRole.objects.create(channel=live, user=people["editor"], kind=ChannelRole.Kind.EDITOR)
    return people


# --- Who may do what -----------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_only_the_office_lists_notices(client, request, persona, notice):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/notices/").status_code == 403


@pytest.mark.parametrize("persona", OFFICE)
def test_the_office_lists_notices_with_a_button_to_publish(client, request, persona, notice):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/notices/")
    assert response.status_code == 200
    assert "Exams moved" in html(response)
    assert 'href="/notices/new/"' in html(response)
    assert "Publish a notice" in html(response)


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_others_can_neither_open_the_form_nor_publish(
    client, request, persona, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/notices/new/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/notices/new/", CRISIS)
    assert response.status_code == 403
    assert (SiteNotice.objects.count(), NoticeRecipient.objects.count()) == (0, 0)
    assert (work_after_commit(callbacks), mailoutbox) == ([], [])


@pytest.mark.parametrize("persona", OFFICE)
def test_the_office_publishes_a_notice(client, request, persona):
    publisher = request.getfixturevalue(persona)
    client.force_login(publisher)
    assert client.get("/notices/new/").status_code == 200
    response = client.post("/notices/new/", form_data())
    notice = SiteNotice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/notices/{notice.pk}/"
    assert (notice.level, notice.title, notice.body, notice.published_by, notice.ends_at) == (
        "info",
        "Network maintenance",
        "The portal is slow on Sunday.",
        publisher,
        None,
    )
    assert notice.is_active()
    page = client.get(response["Location"])
    assert "The notice “Network maintenance” is published." in html(page)


def test_the_form_starts_now_by_default(client, reviewer):
    client.force_login(reviewer)
    before = timezone.now()
    page = html(client.get("/notices/new/"))
    after = timezone.now()
    shown = {f'name="starts_at" value="{local_input(moment)}"' for moment in (before, after)}
    assert any(value in page for value in shown)
    assert 'type="datetime-local"' in page


def test_a_notice_can_be_scheduled_with_an_end(client, reviewer):
    client.force_login(reviewer)
    start = timezone.now() + datetime.timedelta(days=1)
    end = start + datetime.timedelta(hours=3)
    response = client.post(
        "/notices/new/", form_data(starts_at=local_input(start), ends_at=local_input(end))
    )
    assert response.status_code == 302
    notice = SiteNotice.objects.get()
    assert (notice.starts_at, notice.ends_at) == (
        start.replace(second=0, microsecond=0),
        end.replace(second=0, microsecond=0),
    )
    assert not notice.is_active()


@pytest.mark.parametrize("persona", EVERYONE)
def test_everyone_signed_in_reads_a_notice(client, request, persona, notice):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/notices/{notice.pk}/")
    assert response.status_code == 200
    assert "Exams moved" in html(response)
    assert "To May." in html(response)
    assert "I have read this" in html(response)


@pytest.mark.parametrize("persona", EVERYONE)
def test_everyone_signed_in_acknowledges_a_notice(client, request, persona, notice):
    person = request.getfixturevalue(persona)
    client.force_login(person)
    response = client.post(f"/notices/{notice.pk}/acknowledge/")
    assert response.status_code == 302
    assert response["Location"] == f"/notices/{notice.pk}/"
    assert list(NoticeAcknowledgement.objects.values_list("notice", "user")) == [
        (notice.pk, person.pk)
    ]
    page = client.get(f"/notices/{notice.pk}/")
    assert "Thank you: you have read “Exams moved”." in html(page)
    assert "You have read this notice." in html(page)
    assert f'action="/notices/{notice.pk}/acknowledge/"' not in html(page)


def test_a_notice_still_to_come_is_the_office_s_business(client, reviewer, submitter):
    start = timezone.now() + datetime.timedelta(days=2)
    notice = SiteNotice.publish(by=reviewer, level="info", title="Later", body="B", starts_at=start)
    client.force_login(submitter)
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
    assert client.post(f"/notices/{notice.pk}/acknowledge/").status_code == 404
    client.force_login(reviewer)
    response = client.get(f"/notices/{notice.pk}/")
    assert response.status_code == 200
    assert response.context["state"] == "scheduled"
    assert "End this notice now" not in html(response)


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_others_cannot_end_a_notice_or_see_its_rate(client, request, persona, reviewer):
    crisis = SiteNotice.publish(by=reviewer, level="crisis", title="Fire", body="Pause.")
    client.force_login(request.getfixturevalue(persona))
    assert client.post(f"/notices/{crisis.pk}/end/").status_code == 403
    assert client.get(f"/notices/{crisis.pk}/rate/").status_code == 403
    crisis.refresh_from_db()
    assert crisis.ends_at is None
    page = html(client.get(f"/notices/{crisis.pk}/"))
    assert "End this notice now" not in page
    assert 'data-testid="notice-rate"' not in page


@pytest.mark.parametrize("persona", OFFICE)
def test_the_office_ends_a_notice_now(client, request, persona, notice):
    client.force_login(request.getfixturevalue(persona))
    page = html(client.get(f"/notices/{notice.pk}/"))
    assert f'action="/notices/{notice.pk}/end/"' in page
    assert "End this notice now" in page
    response = client.post(f"/notices/{notice.pk}/end/", follow=True)
    assert response.redirect_chain == [(f"/notices/{notice.pk}/", 302)]
    assert "The notice is no longer shown." in html(response)
    assert "End this notice now" not in html(response)
    notice.refresh_from_db()
    assert not notice.is_active()


def test_ending_a_notice_that_has_ended_says_so(client, reviewer, notice):
    client.force_login(reviewer)
    client.post(f"/notices/{notice.pk}/end/")
    notice.refresh_from_db()
    ended_at = notice.ends_at
    response = client.post(f"/notices/{notice.pk}/end/", follow=True)
    assert response.redirect_chain == [(f"/notices/{notice.pk}/", 302)]
    assert response.status_code == 200
    assert "This notice is no longer shown." in html(response)
    notice.refresh_from_db()
    assert notice.ends_at == ended_at


@pytest.mark.parametrize("action", ["acknowledge", "end"])
def test_state_changes_refuse_get(client, reviewer, notice, action):
    client.force_login(reviewer)
    assert client.get(f"/notices/{notice.pk}/{action}/").status_code == 405
    assert NoticeAcknowledgement.objects.count() == 0
    notice.refresh_from_db()
    assert notice.ends_at is None


def test_unknown_notices_are_not_found(client, reviewer):
    client.force_login(reviewer)
    for response in [
        client.get("/notices/999/"),
        client.get("/notices/999/rate/"),
        client.post("/notices/999/acknowledge/"),
        client.post("/notices/999/end/"),
    ]:
        assert response.status_code == 404


# --- Who a crisis notice reaches -----------------------------------------------------


def test_a_crisis_notice_is_emailed_once_to_each_owner_and_deputy_of_a_live_channel(
    client, reviewer, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notices/new/", CRISIS)
    notice = SiteNotice.objects.get()
    assert response.status_code == 302
    assert sorted(message.to for message in mailoutbox) == [
        ["deputy@example.org"],
        ["owner@example.org"],
    ]
    assert {message.subject for message in mailoutbox} == {
        "CRISIS: Fire in the library. Pause planned posts"
    }
    assert f"/notices/{notice.pk}/" in mailoutbox[0].body
    assert sorted(notice.recipients.values_list("user__username", flat=True)) == [
        "deputy",
        "owner",
    ]
    page = client.get(response["Location"])
    assert (
        "The crisis notice “Fire in the library” is published and was e-mailed to 2 people."
        in html(page)
    )


def test_a_crisis_notice_is_emailed_only_after_the_publication_commits(
    client, reviewer, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post("/notices/new/", CRISIS).status_code == 302
    assert len(work_after_commit(callbacks)) == 2
    assert mailoutbox == []


@pytest.mark.parametrize("level", ["info", "warning"])
def test_information_and_warnings_are_emailed_to_nobody(
    client, reviewer, people, level, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post("/notices/new/", form_data(level=level)).status_code == 302
    assert (work_after_commit(callbacks), mailoutbox) == ([], [])
    assert NoticeRecipient.objects.count() == 0


def test_the_form_explains_a_crisis_notice_and_who_it_reaches(client, reviewer, people):
    client.force_login(reviewer)
    page = html(client.get("/notices/new/"))
    assert "shown first, on every page, to everyone who is signed in" in page
    assert (
        "e-mailed at once to every current responsible owner and deputy of an active or dormant "
        "channel: right now that is 2 people;"
    ) in page
    assert "who has acknowledged it is tracked" in page
    assert 'name="confirm_crisis"' in page


# --- Bad input -----------------------------------------------------------------------


def test_an_end_before_the_start_is_refused_and_the_values_are_kept(client, reviewer):
    client.force_login(reviewer)
    start = timezone.now() + datetime.timedelta(days=2)
    end = start - datetime.timedelta(days=1)
    data = form_data(starts_at=local_input(start), ends_at=local_input(end))
    response = client.post("/notices/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"ends_at": ["The notice must end after it starts."]}
    page = html(response)
    assert "The notice must end after it starts." in page
    assert 'value="Network maintenance"' in page
    assert f'value="{local_input(start)}"' in page
    assert f'value="{local_input(end)}"' in page
    assert SiteNotice.objects.count() == 0


def test_an_end_in_the_past_is_refused(client, reviewer):
    client.force_login(reviewer)
    start = timezone.now() - datetime.timedelta(days=2)
    end = timezone.now() - datetime.timedelta(days=1)
    data = form_data(starts_at=local_input(start), ends_at=local_input(end))
    response = client.post("/notices/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"ends_at": ["The end must be in the future."]}
    assert SiteNotice.objects.count() == 0


def test_a_crisis_without_confirmation_is_refused(
    client, reviewer, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    data = {key: value for key, value in CRISIS.items() if key != "confirm_crisis"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notices/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "confirm_crisis": [
            "A crisis notice reaches everyone: tick the box to confirm that you mean it."
        ]
    }
    assert 'value="Fire in the library"' in html(response)
    assert (SiteNotice.objects.count(), mailoutbox) == (0, [])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"body": ""}, "body"),
        ({"level": "panic"}, "level"),
        ({"starts_at": "next week"}, "starts_at"),
        ({"ends_at": "2026-13-40T25:00"}, "ends_at"),
    ],
)
def test_missing_or_malformed_fields_are_refused(client, reviewer, changes, field):
    client.force_login(reviewer)
    response = client.post("/notices/new/", form_data(**changes))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert SiteNotice.objects.count() == 0


TOO_LONG = "The message can have at most 2000 characters; this one has 2001."


def test_a_message_over_2000_characters_is_refused_and_kept(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/notices/new/", form_data(body="x" * 2001))
    assert response.status_code == 400
    assert response.context["form"].errors == {"body": [TOO_LONG]}
    page = html(response)
    assert TOO_LONG in page
    assert "x" * 2001 in page
    assert SiteNotice.objects.count() == 0


def test_a_message_of_2000_characters_is_published(client, reviewer):
    client.force_login(reviewer)
    assert client.post("/notices/new/", form_data(body="x" * 2000)).status_code == 302
    assert SiteNotice.objects.get().body == "x" * 2000


def test_the_form_tells_the_message_s_limit(client, reviewer):
    client.force_login(reviewer)
    assert "at most 2000 characters" in html(client.get("/notices/new/"))


def test_publishing_refuses_a_message_over_the_limit(reviewer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        SiteNotice.publish(by=reviewer, level="info", title="Long", body="x" * 2001)
    assert refused.value.message_dict == {"body": [TOO_LONG]}
    assert SiteNotice.objects.count() == 0


def test_acknowledging_twice_is_harmless(client, submitter, notice):
    client.force_login(submitter)
    for _ in range(2):
        assert client.post(f"/notices/{notice.pk}/acknowledge/").status_code == 302
    assert NoticeAcknowledgement.objects.filter(notice=notice, user=submitter).count() == 1


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/registry/?page=2", "/registry/?page=2"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("javascript:alert(1)", None),
        ("registry", None),
        ("", None),
    ],
)
def test_acknowledging_returns_only_to_a_page_of_the_portal(
    client, submitter, notice, next_url, expected
):
    client.force_login(submitter)
    response = client.post(f"/notices/{notice.pk}/acknowledge/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == (expected or f"/notices/{notice.pk}/")


# --- Acknowledgement rate ------------------------------------------------------------


@pytest.fixture
def recipients(unit):
    return [
        make_channel(unit=unit, owner=make_user(username=f"owner{n}", last_name=f"Owner {n}"))
        .roles.get()
        .user
        for n in range(1, 4)
    ]


@pytest.fixture
def crisis(reviewer, recipients):
    return SiteNotice.publish(by=reviewer, level="crisis", title="Fire", body="Pause.")


def test_the_rate_counts_only_recipients_who_acknowledged(
    client, reviewer, outsider, recipients, crisis
):
    client.force_login(reviewer)
    assert "0 / 3 (0%)" in html(client.get(f"/notices/{crisis.pk}/"))
    crisis.acknowledge(recipients[0])
    crisis.acknowledge(outsider)  # not a recipient: does not count
    page = html(client.get(f"/notices/{crisis.pk}/"))
    assert "1 / 3 (33%)" in page
    assert '<progress class="w-100" max="3" value="1"' in page
    assert 'aria-live="polite"' in page
    assert f'hx-get="/notices/{crisis.pk}/rate/?seen=1-3"' in page
    assert 'hx-trigger="every 10s"' in page
    assert 'hx-swap="outerHTML"' in page


def test_the_office_sees_who_has_not_acknowledged_and_their_channels(
    client, reviewer, recipients, crisis
):
    crisis.acknowledge(recipients[0])
    client.force_login(reviewer)
    response = client.get(f"/notices/{crisis.pk}/")
    assert [person.username for person in response.context["not_acknowledged"]] == [
        "owner2",
        "owner3",
    ]
    page = html(response)
    assert "owner2@example.org" in page
    assert "owner1@example.org" not in page
    channel = ChannelRole.objects.get(user=recipients[1]).channel
    assert f'<a href="{channel.get_absolute_url()}">{channel.name}</a> (Responsible owner)' in page


def test_the_rate_partial_returns_the_rate_alone(client, reviewer, recipients, crisis):
    crisis.acknowledge(recipients[0])
    client.force_login(reviewer)
    response = client.get(f"/notices/{crisis.pk}/rate/")
    assert response.status_code == 200
    partial = html(response)
    assert "1 / 3 (33%)" in partial
    assert partial.lstrip().startswith('<div id="notice-rate-')
    assert "<html" not in partial
    assert 'hx-trigger="every 10s"' in partial


def test_the_rate_partial_answers_no_content_when_nothing_changed(
    client, reviewer, recipients, crisis
):
    client.force_login(reviewer)
    assert client.get(f"/notices/{crisis.pk}/rate/", {"seen": "0-3"}).status_code == 204
    crisis.acknowledge(recipients[2])
    response = client.get(f"/notices/{crisis.pk}/rate/", {"seen": "0-3"})
    assert response.status_code == 200
    assert "1 / 3 (33%)" in html(response)


def test_only_crisis_notices_have_a_rate(client, reviewer, notice):
    client.force_login(reviewer)
    assert client.get(f"/notices/{notice.pk}/rate/").status_code == 404
    assert 'data-testid="notice-rate"' not in html(client.get(f"/notices/{notice.pk}/"))


def test_the_list_shows_each_crisis_rate_and_whether_it_is_in_force(
    client, reviewer, recipients, crisis, notice
):
    crisis.acknowledge(recipients[0])
    notice.end(by=reviewer)
    client.force_login(reviewer)
    response = client.get("/notices/")
    rows = [
        (row["notice"].title, row["state"], row["rate"] and row["rate"].percent)
        for row in response.context["rows"]
    ]
    assert sorted(rows) == [("Exams moved", "ended", None), ("Fire", "active", 33)]
    assert "1 / 3 (33%)" in html(response)


# --- Query counts --------------------------------------------------------------------


def add_notices(count, *, by, recipients):
    notices = SiteNotice.objects.bulk_create(
        SiteNotice(
            level=["info", "warning", "crisis"][n % 3],
            title_en=f"Notice {n}",
            body_en="B",
            starts_at=timezone.now() - datetime.timedelta(minutes=n),
            published_by=by,
        )
        for n in range(count)
    )
    crises = [notice for notice in notices if notice.is_crisis]
    NoticeRecipient.objects.bulk_create(
        NoticeRecipient(notice=notice, user=person) for notice in crises for person in recipients
    )
    NoticeAcknowledgement.objects.bulk_create(
        NoticeAcknowledgement(notice=notice, user=recipients[0]) for notice in crises
    )


def count_queries(client, path):
    client.get(path)  # warm: the reader's facts are cached, as between two of their pages
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_list_makes_the_same_queries_for_3_or_30_notices(
    client, reviewer, recipients, django_assert_num_queries
):
    client.force_login(reviewer)
    add_notices(3, by=reviewer, recipients=recipients)
    with_3 = count_queries(client, "/notices/")
    add_notices(27, by=reviewer, recipients=recipients)
    client.get("/notices/")
    with django_assert_num_queries(with_3):
        response = client.get("/notices/")
    assert len(response.context["rows"]) == 25
    crisis_rows = [row for row in response.context["rows"] if row["rate"]]
    assert {(row["rate"].acknowledged, row["rate"].total) for row in crisis_rows} == {(1, 3)}


def test_the_notice_page_makes_the_same_queries_for_2_or_20_people_behind(
    client, reviewer, unit, django_assert_num_queries
):
    for _ in range(2):
        make_channel(unit=unit, owner=make_user(), deputy=make_user())
    few = SiteNotice.publish(by=reviewer, level="crisis", title="Few", body="B")
    for _ in range(10):
        make_channel(unit=unit, owner=make_user(), deputy=make_user())
    many = SiteNotice.publish(by=reviewer, level="crisis", title="Many", body="B")
    client.force_login(reviewer)
    with_few = count_queries(client, f"/notices/{few.pk}/")
    client.get(f"/notices/{many.pk}/")
    with django_assert_num_queries(with_few):
        response = client.get(f"/notices/{many.pk}/")
    assert len(response.context["not_acknowledged"]) == 24


# --- Admin ---------------------------------------------------------------------------


def test_the_admin_shows_counts_and_neither_adds_nor_deletes_notices(
    portal_admin, recipients, crisis, outsider
):
    crisis.acknowledge(recipients[0])
    crisis.acknowledge(outsider)
    request = RequestFactory().get("/admin/")
    request.user = portal_admin
    notice_admin = admin.site._registry[SiteNotice]
    shown = notice_admin.get_queryset(request).get()
    assert (notice_admin.recipient_count(shown), notice_admin.acknowledgement_count(shown)) == (
        3,
        2,
    )
    assert "level" in notice_admin.list_filter
    assert {"level", "recipient_count", "acknowledgement_count"} <= set(
        notice_admin.get_readonly_fields(request, shown)
    )
    assert notice_admin.has_add_permission(request) is False
    assert notice_admin.has_delete_permission(request, shown) is False
    for model in [NoticeRecipient, NoticeAcknowledgement]:
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request) is True
        assert (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        ) == (False, False, False)
    recipient_admin = admin.site._registry[NoticeRecipient]
    acknowledged = {
        row.user.username: recipient_admin.has_acknowledged(row)
        for row in recipient_admin.get_queryset(request)
    }
    assert acknowledged == {"owner1": True, "owner2": False, "owner3": False}


def admin_change(notice, body):
    return {"title_en": notice.title, "body_en": body, "ends_at_0": "", "ends_at_1": ""}


def test_the_admin_refuses_a_message_over_2000_characters(client, portal_admin, notice):
    client.force_login(portal_admin)
    url = f"/admin/guidelines/sitenotice/{notice.pk}/change/"
    assert "at most 2000 characters" in html(client.get(url))
    response = client.post(url, admin_change(notice, "x" * 2001))
    assert response.status_code == 200
    assert TOO_LONG in html(response)
    notice.refresh_from_db()
    assert notice.body == "To May."


def test_the_admin_accepts_a_message_of_2000_characters(client, portal_admin, notice):
    client.force_login(portal_admin)
    url = f"/admin/guidelines/sitenotice/{notice.pk}/change/"
    assert client.post(url, admin_change(notice, "x" * 2000)).status_code == 302
    notice.refresh_from_db()
    assert notice.body == "x" * 2000
