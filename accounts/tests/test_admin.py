import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import (
    CHANNEL_EDITABLE_FIELDS,
    Channel,
    ChannelEvent,
    ChannelRole,
    SuspiciousAccountReport,
)
from portal.tests.factories import make_channel, make_user


@pytest.fixture
def owner(db):
    return make_user(username="owner")


@pytest.fixture
def owners_channel(unit, owner, colleague):
    return make_channel(
        unit=unit, owner=owner, deputy=colleague, name="Engineering News", handle="eng.news"
    )


@pytest.fixture
def event(owners_channel, reviewer):
    return ChannelEvent.objects.create(
        channel=owners_channel, actor=reviewer, action=ChannelEvent.Action.CREATED
    )


@pytest.fixture
def report(db):
    return SuspiciousAccountReport.objects.create(
        reported_url="https://www.instagram.com/fake.engineering/",
        detected_platform="instagram",
        description="Uses our logo.",
    )


def edit_data(channel, **changes):
    """The POST of the channel's change form, with ``changes`` applied."""
    values = {field: getattr(channel, field) for field in CHANNEL_EDITABLE_FIELDS}
    values.update(changes)
    data = {
        field: ("on" if value is True else value)
        for field, value in values.items()
        if value is not False  # an unticked box is left out of a POST
    }
    for prefix in ["roles", "events"]:  # the read-only inlines' management forms
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_portal_admin_opens_every_registry_changelist_and_change_page(
    portal_admin_client, owners_channel, event, report
):
    role = owners_channel.roles.get(kind=ChannelRole.Kind.OWNER)
    pages = [
        "/admin/accounts/unit/",
        f"/admin/accounts/unit/{owners_channel.unit.pk}/change/",
        "/admin/accounts/channel/",
        f"/admin/accounts/channel/{owners_channel.pk}/change/",
        "/admin/accounts/channelrole/",
        f"/admin/accounts/channelrole/{role.pk}/change/",
        "/admin/accounts/channelevent/",
        f"/admin/accounts/channelevent/{event.pk}/change/",
        "/admin/accounts/suspiciousaccountreport/",
        f"/admin/accounts/suspiciousaccountreport/{report.pk}/change/",
    ]
    assert {page: portal_admin_client.get(page).status_code for page in pages} == dict.fromkeys(
        pages, 200
    )


@pytest.mark.parametrize("persona", ["reviewer", "submitter"])
def test_others_cannot_open_the_channel_admin(client, request, persona, owners_channel):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/admin/accounts/channel/", follow=True).status_code == 403


def test_channel_change_page_shows_people_and_history(portal_admin_client, owners_channel, event):
    response = portal_admin_client.get(f"/admin/accounts/channel/{owners_channel.pk}/change/")
    inlines = {
        inline.formset.prefix: [form.instance for form in inline.formset.forms]
        for inline in response.context["inline_admin_formsets"]
    }
    assert inlines == {
        "roles": list(owners_channel.roles.order_by("kind")),  # deputy, owner (both current)
        "events": [event],
    }


def test_channel_changelist_queries_do_not_grow_with_the_number_of_channels(
    portal_admin_client, unit, owner, django_assert_num_queries
):
    for _ in range(5):
        make_channel(unit=unit, owner=owner)
    portal_admin_client.get("/admin/accounts/channel/")  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = portal_admin_client.get("/admin/accounts/channel/")
    five = len(captured)  # now: the next request empties Django's query log
    assert len(response.context["cl"].result_list) == 5
    for _ in range(45):
        make_channel(unit=unit, owner=owner)
    portal_admin_client.get("/admin/accounts/channel/")  # the admin's cached facts, again
    with django_assert_num_queries(five):
        response = portal_admin_client.get("/admin/accounts/channel/")
    assert len(response.context["cl"].result_list) == 50


def test_channel_changelist_searches_and_filters(portal_admin_client, unit, owner):
    make_channel(unit=unit, owner=owner, name="Library", platform="instagram", handle="lib")
    make_channel(unit=unit, owner=owner, name="Library", platform="x", handle="lib")
    make_channel(unit=unit, owner=owner, name="Sports", platform="instagram", handle="sports")
    response = portal_admin_client.get(
        "/admin/accounts/channel/", {"q": "library", "platform__exact": "instagram"}
    )
    assert [(c.name, c.platform) for c in response.context["cl"].result_list] == [
        ("Library", "instagram")
    ]


def test_channels_are_neither_added_nor_deleted_in_the_admin(portal_admin_client, owners_channel):
    assert portal_admin_client.get("/admin/accounts/channel/add/").status_code == 403
    assert (
        portal_admin_client.post("/admin/accounts/channel/add/", {"name": "X"}).status_code == 403
    )
    delete = f"/admin/accounts/channel/{owners_channel.pk}/delete/"
    assert portal_admin_client.get(delete).status_code == 403
    assert portal_admin_client.post(delete, {"post": "yes"}).status_code == 403
    response = portal_admin_client.post(
        "/admin/accounts/channel/",
        {"action": "delete_selected", "_selected_action": [owners_channel.pk], "post": "yes"},
    )
    assert response.status_code == 200  # no such action: the list is shown again
    assert Channel.objects.filter(pk=owners_channel.pk).exists()


def test_roles_are_only_viewed_in_the_admin(portal_admin_client, owners_channel):
    role = owners_channel.roles.get(kind=ChannelRole.Kind.OWNER)
    change = f"/admin/accounts/channelrole/{role.pk}/change/"
    assert portal_admin_client.post(change, {"kind": "deputy"}).status_code == 403
    assert (
        portal_admin_client.get(f"/admin/accounts/channelrole/{role.pk}/delete/").status_code == 403
    )
    assert portal_admin_client.get("/admin/accounts/channelrole/add/").status_code == 403
    role.refresh_from_db()
    assert role.kind == "owner"


def test_events_are_neither_changed_nor_deleted_in_the_admin(portal_admin_client, event):
    change = f"/admin/accounts/channelevent/{event.pk}/change/"
    assert portal_admin_client.post(change, {"comment": "rewritten"}).status_code == 403
    delete = f"/admin/accounts/channelevent/{event.pk}/delete/"
    assert portal_admin_client.get(delete).status_code == 403
    assert portal_admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert portal_admin_client.get("/admin/accounts/channelevent/add/").status_code == 403
    assert list(ChannelEvent.objects.values_list("pk", "comment")) == [(event.pk, "")]


def test_only_the_editable_channel_fields_are_in_the_admin_form(
    portal_admin_client, owners_channel
):
    response = portal_admin_client.get(f"/admin/accounts/channel/{owners_channel.pk}/change/")
    assert set(response.context["adminform"].form.fields) == set(CHANNEL_EDITABLE_FIELDS)


def test_editing_a_channel_in_the_admin_goes_through_update_details(
    portal_admin_client, portal_admin, owners_channel
):
    response = portal_admin_client.post(
        f"/admin/accounts/channel/{owners_channel.pk}/change/",
        edit_data(
            owners_channel, name="Engineering Stories", profile_url="instagram.com/Some.Name"
        ),
    )
    assert response.status_code == 302
    owners_channel.refresh_from_db()
    assert (owners_channel.name, owners_channel.profile_url) == (
        "Engineering Stories",
        "https://www.instagram.com/some.name/",
    )
    assert list(owners_channel.events.values_list("action", "actor", "payload")) == [
        ("channel.edited", portal_admin.pk, {"fields": ["name", "profile_url"]})
    ]


def test_saving_an_unchanged_channel_writes_no_event(portal_admin_client, owners_channel):
    response = portal_admin_client.post(
        f"/admin/accounts/channel/{owners_channel.pk}/change/", edit_data(owners_channel)
    )
    assert response.status_code == 302
    assert owners_channel.events.count() == 0


def test_read_only_fields_posted_to_the_admin_are_ignored(portal_admin_client, owners_channel):
    response = portal_admin_client.post(
        f"/admin/accounts/channel/{owners_channel.pk}/change/",
        edit_data(
            owners_channel, status="closed", platform="x", recertification_due_on="2020-01-01"
        ),
    )
    assert response.status_code == 302
    owners_channel.refresh_from_db()
    assert (
        owners_channel.status,
        owners_channel.platform,
        owners_channel.recertification_due_on,
    ) == (
        "active",
        "instagram",
        None,
    )
    assert owners_channel.events.count() == 0


def test_admin_refuses_a_profile_address_already_in_the_registry(portal_admin_client, unit, owner):
    make_channel(unit=unit, owner=owner, name="Engineering Photos", handle="eng.photos")
    channel = make_channel(unit=unit, owner=owner, name="Engineering News", handle="eng.news")
    response = portal_admin_client.post(
        f"/admin/accounts/channel/{channel.pk}/change/",
        edit_data(channel, profile_url="https://instagram.com/ENG.Photos"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "profile_url": [
            "This account is already in the registry as “Engineering Photos” "
            "(School of Engineering)."
        ]
    }
    channel.refresh_from_db()
    assert channel.profile_url == "https://www.instagram.com/eng.news/"
    assert ChannelEvent.objects.count() == 0


def test_a_closed_channel_is_shown_but_not_changed_in_the_admin(portal_admin_client, unit, owner):
    channel = make_channel(unit=unit, owner=owner, status="closed", name="Old News")
    change = f"/admin/accounts/channel/{channel.pk}/change/"
    response = portal_admin_client.get(change)
    assert (response.status_code, response.context["has_change_permission"]) == (200, False)
    assert portal_admin_client.post(change, edit_data(channel, name="New")).status_code == 403
    channel.refresh_from_db()
    assert channel.name == "Old News"


def test_reports_are_read_only_in_the_admin_the_office_decides_in_the_portal(
    portal_admin_client, report
):
    change = f"/admin/accounts/suspiciousaccountreport/{report.pk}/change/"
    response = portal_admin_client.get(change)
    assert (response.status_code, response.context["has_change_permission"]) == (200, False)
    assert (
        "mark_as_handled"
        not in portal_admin_client.get("/admin/accounts/suspiciousaccountreport/").content.decode()
    )


def test_reports_are_filtered_by_outcome(portal_admin_client, report, reviewer):
    other = SuspiciousAccountReport.objects.create(
        reported_url="https://x.com/fake_eng", description="Spam."
    )
    other.decide(by=reviewer, outcome="unfounded")
    response = portal_admin_client.get(
        "/admin/accounts/suspiciousaccountreport/", {"outcome__exact": "unfounded"}
    )
    assert list(response.context["cl"].result_list) == [other]
