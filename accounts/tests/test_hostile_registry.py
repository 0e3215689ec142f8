"""Hostile input on the internal registry: its search, filters, sorting, paging and
export, and its forms (register, edit, hand over, deputy, recertify, close).

Every answer is a 4xx with the message next to the field (what was typed kept,
escaped) or the page itself: never a 500, nothing stored half (no channel, role, event
or e-mail). Run on PostgreSQL (``.helper-env``): null characters and integers beyond
bigint only fail there.

The property-based tests (Hypothesis) run 50 fixed examples each (the "ci" profile of
conftest.py). To explore longer with fresh random examples:
``HYPOTHESIS_PROFILE=explore .venv/bin/pytest accounts/tests/test_hostile_registry.py``.
"""

import pytest
from django.db import transaction
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.forms import RegisterChannelForm
from accounts.models import Channel, ChannelEvent, ChannelRole
from accounts.platforms import Platform, parse_profile
from accounts.tests.test_registry_pages import register_data
from core.view_helpers import FAILED, apply_to_form
from portal.tests.payloads import (
    ATTRIBUTE,
    BEYOND_BIGINT,
    NUL,
    OVERLONG,
    PROPERTY_TEST_CHECKS_OFF,
    SCRIPT,
    assert_escaped,
    text_of_any_kind,
)
from portal.tests.responses import html

SQL = "'; DROP TABLE accounts_channel; --"
UNICODE_EDGES = ["\u202egnp.exe", "👩\u200d💻", "e\u0301\u0301\u0301", "🦄"]


def stored():
    return {
        "channels": Channel.objects.count(),
        "roles": ChannelRole.objects.count(),
        "events": ChannelEvent.objects.count(),
    }


# --- The list and the export -------------------------------------------------------

LIST_PARAMETERS = ["q", "platform", "unit", "status", "sort", "page", "orphaned", "overdue"]
VALUES = [NUL, OVERLONG, SCRIPT, ATTRIBUTE, SQL, BEYOND_BIGINT, "-1", "abc", *UNICODE_EDGES]


@pytest.mark.parametrize("param", LIST_PARAMETERS)
def test_the_registry_answers_every_hostile_parameter_with_a_page(client, reviewer, channel, param):
    client.force_login(reviewer)
    for value in VALUES:
        response = client.get("/registry/", {param: value})
        assert response.status_code == 200, value
        page = html(response)
        assert_escaped(page)
        if param in ("platform", "unit", "status", "sort"):
            # An unknown filter value or sort key is ignored: every channel shows.
            assert "Engineering news" in page, value


def test_a_repeated_parameter_does_not_break_the_registry(client, reviewer, channel):
    client.force_login(reviewer)
    response = client.get("/registry/?sort=name&sort=-unit&sort=nope&platform=x&platform=y")
    assert response.status_code == 200
    assert "Engineering news" in html(response)


@pytest.mark.parametrize("param", ["q", "platform", "unit", "status", "sort"])
def test_the_export_answers_every_hostile_parameter_with_a_whole_file(
    client, reviewer, channel, param
):
    client.force_login(reviewer)
    for value in [NUL, SCRIPT, BEYOND_BIGINT, "=cmd|' /C calc'!A0"]:
        response = client.get("/registry/export.csv", {param: value})
        assert response.status_code == 200, value
        body = b"".join(response.streaming_content).decode()
        assert body.startswith("\ufeffName,Platform"), value


# --- Register --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", NUL, "Null characters are not allowed."),
        ("name", OVERLONG, "Ensure this value has at most 200 characters (it has 10000)."),
        ("profile_url", NUL, "Null characters are not allowed."),
        ("profile_url", OVERLONG, "Ensure this value has at most 500 characters (it has 10000)."),
        ("profile_url", SCRIPT, ""),
        ("purpose", NUL, "Null characters are not allowed."),
        ("credentials_location", NUL, "Null characters are not allowed."),
        ("owner", NUL, "Null characters are not allowed."),
        ("owner", SQL, "Nobody with the user name or e-mail address"),
        ("owner", OVERLONG, "Ensure this value has at most 254 characters"),
        ("deputy", SCRIPT, "Nobody with the user name or e-mail address"),
        ("platform", "myspace", "Select a valid choice. myspace is not one of the available"),
        ("status", "closed", "Select a valid choice. closed is not one of the available"),
        ("unit", BEYOND_BIGINT, "Select a valid choice. That choice is not one of the"),
        ("unit", "abc", "Select a valid choice. That choice is not one of the"),
        ("approved_on", "2026-13-01", "Enter a valid date."),
        ("approved_on", "0000-00-00", "Enter a valid date."),
        ("approved_on", "9999-12-31", "Enter a date between the years 1900 and 2999."),
        ("approved_on", "0001-01-01", "Enter a date between the years 1900 and 2999."),
    ],
)
def test_a_hostile_registration_is_refused_next_to_its_field_and_nothing_is_stored(
    client, reviewer, submitter, unit, mailoutbox, field, value, message
):
    client.force_login(reviewer)
    response = client.post("/registry/new/", {**register_data(unit), field: value})
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert_escaped(page)
    assert 'value="Library on Bluesky"' in page or field == "name"
    assert stored() == {"channels": 0, "roles": 0, "events": 0}
    assert mailoutbox == []


@pytest.mark.parametrize("name", [SCRIPT, ATTRIBUTE, SQL, *UNICODE_EDGES])
def test_a_registered_name_with_markup_is_stored_as_typed_and_shown_escaped(
    client, reviewer, submitter, unit, name
):
    client.force_login(reviewer)
    response = client.post("/registry/new/", register_data(unit, name=name))
    assert response.status_code == 302
    assert Channel.objects.get().name == name
    page = html(client.get(response.url))
    assert_escaped(page)
    assert escape(name) in page


# --- The other registry forms ------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("edit", {"name": NUL}, "Null characters are not allowed."),
        ("edit", {"name": OVERLONG}, "Ensure this value has at most 200 characters"),
        ("edit", {"credentials_location": "password: hunter2"}, "This looks like a password."),
        ("edit", {"handle": NUL}, "Null characters are not allowed."),
        ("hand-over", {"to": NUL}, "Null characters are not allowed."),
        ("hand-over", {"to": SCRIPT}, "Nobody with the user name or e-mail address"),
        ("hand-over", {"to": "colleague", "comment": NUL}, "Null characters are not allowed."),
        ("deputy", {"to": OVERLONG}, "Ensure this value has at most 254 characters"),
        ("deputy", {"to": "colleague", "comment": NUL}, "Null characters are not allowed."),
        ("recertify", {"outcome": "maybe"}, "Select a valid choice. maybe is not one of"),
        ("recertify", {"outcome": "change", "comment": NUL}, "Null characters are not allowed."),
        ("close", {"reason": NUL, "closed_on": "2026-01-01"}, "Null characters are not allowed."),
        ("close", {"reason": "Gone", "closed_on": "2026-13-01"}, "Enter a valid date."),
        ("close", {"reason": "Gone", "closed_on": BEYOND_BIGINT}, "Enter a valid date."),
        ("close", {"reason": "Gone", "closed_on": "9999-12-31"}, "Enter a date between the"),
    ],
)
def test_a_hostile_change_to_a_channel_is_refused_next_to_its_field_and_nothing_changes(
    client, reviewer, submitter, colleague, channel, mailoutbox, action, data, message
):
    client.force_login(reviewer)
    if action == "edit":
        data = {
            "name": channel.name,
            "profile_url": channel.profile_url,
            **data,
        }
    before = stored()
    response = client.post(f"/registry/{channel.pk}/{action}/", data)
    assert response.status_code == 400
    assert message in html(response)
    assert_escaped(html(response))
    assert stored() == before
    channel.refresh_from_db()
    assert (channel.name, channel.status) == ("Engineering news", "active")
    assert mailoutbox == []


# --- Property-based: the registry form ------------------------------------------------

any_text = text_of_any_kind(longest_run=3000)
TEXT_FIELDS = ["name", "purpose", "audience", "languages"]


@st.composite
def registrations(draw, unit):
    data, generated = register_data(unit), set()
    for name in TEXT_FIELDS:
        if draw(st.booleans()):
            data[name] = draw(any_text)
            generated.add(name)
    if draw(st.booleans()):
        data["platform"] = draw(st.one_of(st.sampled_from(Platform.values), any_text))
        generated |= {"platform", "profile_url"}
    if draw(st.booleans()):
        data["profile_url"] = draw(any_text)
        generated.add("profile_url")
    if draw(st.booleans()):
        data["owner"] = draw(st.one_of(st.sampled_from(["submitter", "colleague"]), any_text))
        generated.add("owner")
    if draw(st.booleans()):
        data["approved_on"] = draw(
            st.one_of(st.dates().map(str), st.integers(-(2**70), 2**70).map(str), any_text)
        )
        generated.add("approved_on")
    return data, generated


@pytest.mark.django_db
@settings(suppress_health_check=PROPERTY_TEST_CHECKS_OFF)
@given(data=st.data())
def test_the_registry_form_registers_exactly_what_it_accepts_and_nothing_else(
    reviewer, submitter, colleague, unit, data
):
    typed, generated = data.draw(registrations(unit))
    with transaction.atomic():
        form = RegisterChannelForm(typed)
        channel = FAILED
        if form.is_valid():
            # As the view does: a refusal of the model lands on the form.
            channel = apply_to_form(form, Channel.register, by=reviewer, **form.registration())
        str(form)  # renders, valid or not
        if channel is not FAILED:
            row = Channel.objects.values(*TEXT_FIELDS, "platform", "profile_url").get(pk=channel.pk)
            assert row == {
                **{name: typed.get(name, "").strip() for name in TEXT_FIELDS},
                "platform": typed["platform"],
                "profile_url": parse_profile(typed["platform"], typed["profile_url"].strip()).url,
            }
            assert channel.owner == form.cleaned_data["owner"]
        else:
            assert form.errors
            assert set(form.errors) <= generated, form.errors
            assert all(messages for messages in form.errors.values())
            assert stored() == {"channels": 0, "roles": 0, "events": 0}
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=25, suppress_health_check=PROPERTY_TEST_CHECKS_OFF)
@given(name=any_text, purpose=any_text)
def test_the_register_page_stores_what_it_accepts_or_shows_it_again_escaped(
    client, reviewer, submitter, unit, name, purpose
):
    client.force_login(reviewer)
    with transaction.atomic():
        response = client.post(
            "/registry/new/", {**register_data(unit), "name": name, "purpose": purpose}
        )
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            channel = Channel.objects.get()
            assert (channel.name, channel.purpose) == (name.strip(), purpose.strip())
            assert client.get(response.url).status_code == 200
        else:
            assert stored() == {"channels": 0, "roles": 0, "events": 0}
            assert f'value="{escape(name)}"' in html(response)
        transaction.set_rollback(True)
