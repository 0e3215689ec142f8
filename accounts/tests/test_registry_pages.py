"""The internal registry's pages: who sees and does what, bad input, query counts."""

import csv
import datetime
import io

import pytest

from accounts.models import Channel, ChannelEvent, ChannelVerification
from portal.tests.factories import make_channel, make_unit, make_user
from portal.tests.responses import html

# --- The list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["submitter", "outsider", "unit_head", "reviewer", "portal_admin"]
)
def test_every_staff_member_sees_the_registry(client, request, persona, channel):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/registry/")
    assert response.status_code == 200
    assert "Engineering news" in html(response)


def test_the_registry_searches_name_handle_and_address(client, outsider, unit, channel):
    make_channel(unit=unit, owner=outsider, name="History blog", handle="fictional.history")
    client.force_login(outsider)
    for query, expected in [("news", ["Engineering news"]), ("@fictional.hist", ["History blog"])]:
        page = client.get("/registry/", {"q": query}).context["page"]
        assert [c.name for c in page.object_list] == expected


def test_the_registry_filters_and_counts_warnings(client, reviewer, unit, submitter, channel):
    orphan_owner = make_user(username="leaver", is_active=False)
    make_channel(unit=unit, owner=orphan_owner, name="Orphan")
    make_channel(unit=unit, owner=submitter, name="Lonely")  # no deputy
    make_channel(unit=unit, owner=submitter, name="Old", status="closed")
    client.force_login(reviewer)
    response = client.get("/registry/", {"orphaned": "true"})
    assert [c.name for c in response.context["page"].object_list] == ["Orphan"]
    assert response.context["counts"] == {"orphaned": 1, "overdue": 0, "no_deputy": 2}
    no_deputy = client.get("/registry/", {"no_deputy": "true"}).context["page"].object_list
    assert [c.name for c in no_deputy] == ["Lonely", "Orphan"]
    closed = client.get("/registry/", {"status": "closed"}).context["page"].object_list
    assert [c.name for c in closed] == ["Old"]


def test_the_warning_counts_follow_each_change_at_once_despite_the_cache(
    client, reviewer, unit, submitter, colleague, django_capture_on_commit_callbacks
):
    channel = make_channel(unit=unit, owner=submitter, deputy=colleague)
    client.force_login(reviewer)

    def counts():
        return client.get("/registry/").context["counts"]

    assert counts() == {"orphaned": 0, "overdue": 0, "no_deputy": 0}
    with django_capture_on_commit_callbacks(execute=True):
        submitter.is_active = False
        submitter.save()
    assert counts() == {"orphaned": 1, "overdue": 0, "no_deputy": 0}
    with django_capture_on_commit_callbacks(execute=True):
        channel.hand_over(to=colleague, by=reviewer)
    assert counts() == {"orphaned": 0, "overdue": 0, "no_deputy": 1}
    with django_capture_on_commit_callbacks(execute=True):
        channel.close(by=reviewer, reason="Gone")
    assert counts() == {"orphaned": 0, "overdue": 0, "no_deputy": 0}


def test_the_registry_sorts_by_a_column_both_ways(client, reviewer, submitter):
    for name in ["Beta", "Alpha", "Gamma"]:
        make_channel(unit=make_unit(name=f"Unit of {name}"), owner=submitter, name=name)
    client.force_login(reviewer)
    ascending = client.get("/registry/", {"sort": "unit"}).context["page"].object_list
    descending = client.get("/registry/", {"sort": "-unit"}).context["page"].object_list
    assert [c.name for c in ascending] == ["Alpha", "Beta", "Gamma"]
    assert [c.name for c in descending] == ["Gamma", "Beta", "Alpha"]


def test_an_unknown_filter_value_is_ignored_with_a_message_not_an_error(client, reviewer, channel):
    client.force_login(reviewer)
    response = client.get("/registry/", {"platform": "myspace", "page": "x"})
    assert response.status_code == 200
    assert "Some filters were not understood" in html(response)


def test_the_registry_paginates(client, reviewer, unit, submitter):
    for number in range(55):
        make_channel(unit=unit, owner=submitter, name=f"Channel {number:02}")
    client.force_login(reviewer)
    second = client.get("/registry/", {"page": 2}).context["page"]
    assert (second.paginator.count, len(second.object_list)) == (55, 5)


def test_the_registry_makes_the_same_number_of_queries_for_10_or_60_channels(
    client,
    reviewer,
    unit,
    submitter,
    deputy,
    django_assert_num_queries,
):
    def add(count):
        for _ in range(count):
            make_channel(unit=make_unit(), owner=submitter, deputy=deputy)

    client.force_login(reviewer)
    add(10)
    # user (the session from the cache); the listing: units for the filter, count, page
    # of channels, their owners and deputies, the warning counts; my groups, whether I
    # head a unit, whether I run a channel, the notices in force (my facts, cached)
    with django_assert_num_queries(10):
        client.get("/registry/")
    # user; the listing, my facts and my session from the cache
    with django_assert_num_queries(1):
        client.get("/registry/")
    # New registry, warning counts and people versions: the warning counts are computed
    # from the channels and their roles too (accounts/caching.py), so adding channels
    # without the registry's operations (no event written) drops them as well.
    add(50)
    # user, my groups, whether I head a unit, whether I run a channel; the listing; the
    # warning counts
    with django_assert_num_queries(9):
        client.get("/registry/?page=2")


# --- Export -----------------------------------------------------------------------


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_export_is_the_filtered_list_with_formulas_neutralised(
    client, reviewer, unit, submitter
):
    make_channel(unit=unit, owner=submitter, name='=HYPERLINK("http://evil")', handle="evil1")
    make_channel(unit=unit, owner=submitter, name="Plain", handle="plain1", purpose="x")
    make_channel(unit=unit, owner=submitter, name="@Other", platform="x", handle="other1")
    client.force_login(reviewer)
    response = client.get("/registry/export.csv", {"platform": "instagram"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0][:3] == ["Name", "Platform", "Handle"]
    assert [row[0] for row in rows[1:]] == ['\'=HYPERLINK("http://evil")', "Plain"]


def test_only_the_office_exports_where_credentials_are_kept(client, submitter, reviewer, channel):
    client.force_login(submitter)
    staff_rows = read_csv(client.get("/registry/export.csv"))
    client.force_login(reviewer)
    office_rows = read_csv(client.get("/registry/export.csv"))
    assert "Credentials kept in" not in staff_rows[0]
    assert "Vault: Social/Instagram/Engineering" not in sum(staff_rows, [])
    assert office_rows[1][office_rows[0].index("Credentials kept in")] == (
        "Vault: Social/Instagram/Engineering"
    )


def test_the_export_says_whether_each_account_links_back(
    client, reviewer, unit, submitter, django_assert_max_num_queries
):
    linked = make_channel(unit=unit, owner=submitter, name="Linked", platform="mastodon")
    make_channel(unit=unit, owner=submitter, name="Never checked", platform="mastodon")
    make_channel(unit=unit, owner=submitter, name="On TikTok", platform="tiktok")
    ChannelVerification.record(linked, day=datetime.date(2026, 11, 20), linked=True, evidence={})
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        rows = read_csv(client.get("/registry/export.csv"))
    column = rows[0].index("Links back")
    assert {row[0]: row[column] for row in rows[1:]} == {
        "Linked": "Verified",
        "Never checked": "Not yet verified",
        "On TikTok": "Not possible on this platform",
    }


# --- Detail -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_actions", "sees_hand_over", "sees_credentials"),
    [
        ("submitter", True, True, True),  # the owner
        ("deputy", True, True, True),
        ("colleague", False, False, False),
        ("unit_head", False, True, False),  # names a new owner, does not run it
        ("reviewer", True, True, True),
        ("portal_admin", True, True, True),
    ],
)
def test_the_detail_page_shows_actions_and_credentials_to_those_who_run_the_channel(
    client, request, channel, persona, sees_actions, sees_hand_over, sees_credentials
):
    client.force_login(request.getfixturevalue(persona))
    page = html(client.get(f"/registry/{channel.pk}/"))
    assert "Engineering news" in page
    assert (f"/registry/{channel.pk}/edit/" in page) is sees_actions
    assert (f"/registry/{channel.pk}/hand-over/" in page) is sees_hand_over
    assert ("Vault: Social/Instagram/Engineering" in page) is sees_credentials


def test_an_unknown_channel_answers_404(client, submitter):
    client.force_login(submitter)
    assert client.get("/registry/999999/").status_code == 404


# --- Edit -------------------------------------------------------------------------


def edit_data(channel, **changes):
    data = {
        "name": channel.name,
        "profile_url": channel.profile_url,
        "handle": channel.handle,
        "purpose": channel.purpose,
        "audience": channel.audience,
        "languages": channel.languages,
        "is_public": "on" if channel.is_public else "",
        "credentials_location": channel.credentials_location,
        "two_factor_enabled": "on" if channel.two_factor_enabled else "",
        "recovery_contact": channel.recovery_contact,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("submitter", 302),
        ("deputy", 302),
        ("reviewer", 302),
        ("portal_admin", 302),
        ("colleague", 403),
        ("outsider", 403),
        ("unit_head", 403),
    ],
)
def test_who_may_edit_a_channel(client, request, channel, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/registry/{channel.pk}/edit/", edit_data(channel, name="Renamed"))
    assert response.status_code == status
    channel.refresh_from_db()
    assert channel.name == ("Renamed" if status == 302 else "Engineering news")
    assert channel.events.count() == (1 if status == 302 else 0)


def test_the_edit_page_answers_get_with_the_form_and_refuses_other_methods(
    client, submitter, channel
):
    client.force_login(submitter)
    assert client.get(f"/registry/{channel.pk}/edit/").status_code == 200
    assert client.put(f"/registry/{channel.pk}/edit/").status_code == 405


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"profile_url": "https://www.facebook.com/fictionaluni"}, "This address is on Facebook"),
        ({"profile_url": "https://www.instagram.com/p/Cxyz/"}, "is not a profile"),
        ({"credentials_location": "Tr0ub4dor&amp;3x"}, "This looks like a password"),
        ({"recovery_contact": "password: hunter22"}, "This looks like a password"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_the_typed_values_kept(
    client, submitter, channel, changes, message
):
    client.force_login(submitter)
    data = edit_data(channel, purpose="Typed with care", **changes)
    response = client.post(f"/registry/{channel.pk}/edit/", data)
    assert response.status_code == 400
    assert message in html(response)
    assert "Typed with care" in html(response)
    assert channel.events.count() == 0


def test_registering_the_same_account_twice_names_the_existing_entry(
    client, submitter, channel, unit
):
    channel.profile_url = "fictional.eng"  # the account that is then registered again
    channel.full_clean()
    channel.save()
    other = make_channel(unit=unit, owner=submitter, name="Other", handle="other.one")
    client.force_login(submitter)
    response = client.post(
        f"/registry/{other.pk}/edit/",
        edit_data(other, profile_url="https://instagram.com/Fictional.Eng"),
    )
    assert response.status_code == 400
    assert "already in the registry as “Engineering news” (School of Engineering)" in html(response)


# --- Hand over and deputy ---------------------------------------------------------


def test_the_owner_hands_over_by_user_name(client, submitter, colleague, channel):
    client.force_login(submitter)
    response = client.post(f"/registry/{channel.pk}/hand-over/", {"to": "colleague"})
    assert response.status_code == 302
    assert channel.owner == colleague


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("former", "no longer has an active account"),
        ("nobody-by-this-name", "Nobody with the user name or e-mail address"),
        ("submitter", "already the responsible owner"),
    ],
)
def test_a_bad_hand_over_is_refused_with_a_message_and_changes_nothing(
    client, submitter, inactive_user, channel, typed, message
):
    client.force_login(submitter)
    response = client.post(
        f"/registry/{channel.pk}/hand-over/", {"to": typed, "comment": "Leaving in May"}
    )
    assert response.status_code == 400
    assert message in html(response)
    assert "Leaving in May" in html(response)
    assert channel.owner == submitter
    assert channel.events.count() == 0


@pytest.mark.parametrize("persona", ["colleague", "outsider"])
def test_others_cannot_hand_over(client, request, channel, persona, colleague):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/registry/{channel.pk}/hand-over/", {"to": "colleague"})
    assert response.status_code == 403
    assert ChannelEvent.objects.count() == 0


def test_the_office_names_a_deputy_by_e_mail_and_can_remove_it(
    client, reviewer, colleague, channel
):
    client.force_login(reviewer)
    client.post(f"/registry/{channel.pk}/deputy/", {"to": "COLLEAGUE@example.org"})
    assert channel.deputy == colleague
    client.post(f"/registry/{channel.pk}/deputy/", {"to": ""})
    assert channel.deputy is None


# --- Recertify and close ----------------------------------------------------------


def test_the_owner_recertifies_in_one_short_form(client, submitter, channel):
    client.force_login(submitter)
    response = client.post(
        f"/registry/{channel.pk}/recertify/",
        {
            "still_needed": "on",
            "people_right": "on",
            "credentials_right": "on",
            "two_factor_on": "on",
            "guidelines_followed": "on",
            "outcome": "keep",
        },
    )
    assert response.status_code == 302
    assert channel.events.get().action == "channel.recertified"


def test_keeping_a_channel_needs_every_confirmation(client, submitter, channel):
    client.force_login(submitter)
    response = client.post(
        f"/registry/{channel.pk}/recertify/", {"still_needed": "on", "outcome": "keep"}
    )
    assert response.status_code == 400
    assert "confirm every statement" in html(response)
    assert channel.events.count() == 0


def test_asking_for_a_change_needs_a_comment(client, submitter, channel):
    client.force_login(submitter)
    response = client.post(f"/registry/{channel.pk}/recertify/", {"outcome": "change"})
    assert response.status_code == 400
    assert "Say what should change." in html(response)


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 302), ("submitter", 403)])
def test_only_the_office_closes_a_channel(client, request, channel, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        f"/registry/{channel.pk}/close/", {"reason": "Merged", "closed_on": "2026-11-01"}
    )
    assert response.status_code == status
    channel.refresh_from_db()
    assert channel.status == ("closed" if status == 302 else "active")


# --- Register ---------------------------------------------------------------------


def register_data(unit, **changes):
    data = {
        "name": "Library on Bluesky",
        "platform": "bluesky",
        "profile_url": "@Library.Fictional.example",
        "unit": unit.pk,
        "owner": "submitter",
        "deputy": "",
        "status": "active",
        "is_public": "on",
    }
    data.update(changes)
    return data


def test_the_office_registers_an_existing_channel(client, reviewer, submitter, unit):
    client.force_login(reviewer)
    response = client.post("/registry/new/", register_data(unit))
    channel = Channel.objects.get()
    assert response["Location"] == f"/registry/{channel.pk}/"
    assert (channel.profile_url, channel.owner) == (
        "https://bsky.app/profile/library.fictional.example",
        submitter,
    )


def test_staff_cannot_register_channels(client, submitter, unit):
    client.force_login(submitter)
    assert client.post("/registry/new/", register_data(unit)).status_code == 403
    assert Channel.objects.count() == 0


def test_registering_with_an_inactive_owner_is_refused_with_the_values_kept(
    client, reviewer, inactive_user, unit
):
    client.force_login(reviewer)
    response = client.post("/registry/new/", register_data(unit, owner="former"))
    assert response.status_code == 400
    assert "no longer has an active account" in html(response)
    assert 'value="Library on Bluesky"' in html(response)
    assert Channel.objects.count() == 0
