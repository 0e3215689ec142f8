"""A person's roles and banners come from the cache (core.person_facts), and every
change to them counts at once: in the next request, a new user object."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import access
from accounts.models import Unit
from core import person_facts, roles
from guidelines.models import Guideline, SiteNotice, acknowledge
from portal.tests.factories import make_channel, make_unit, make_user


def fresh(user):
    """``user`` as the next request loads it (nothing kept on the object)."""
    return get_user_model().objects.get(pk=user.pk)


def test_a_person_taken_out_of_the_office_loses_the_role_at_once(reviewer):
    assert roles.is_reviewer(fresh(reviewer))  # cached
    reviewer.groups.remove(Group.objects.get(name=roles.COMMUNICATIONS))
    assert not roles.is_reviewer(fresh(reviewer))


def test_a_person_added_to_the_office_gains_the_role_at_once(submitter):
    assert not roles.is_reviewer(fresh(submitter))
    Group.objects.get(name=roles.COMMUNICATIONS).user_set.add(submitter)  # the other side
    assert roles.is_reviewer(fresh(submitter))


def test_a_deleted_group_takes_its_role_with_it(db):
    admin = make_user(groups=[roles.PORTAL_ADMINS])
    assert roles.is_portal_admin(fresh(admin))
    Group.objects.filter(name=roles.PORTAL_ADMINS).delete()
    assert not roles.is_portal_admin(fresh(admin))


def test_a_new_unit_head_is_one_at_once_and_the_old_one_no_longer(unit, unit_head, submitter):
    assert access.is_unit_head(fresh(unit_head)) and not access.is_unit_head(fresh(submitter))
    unit.head = submitter
    unit.save()
    assert access.is_unit_head(fresh(submitter)) and not access.is_unit_head(fresh(unit_head))
    Unit.objects.filter(pk=unit.pk).delete()
    assert not access.is_unit_head(fresh(submitter))


def test_the_facts_are_kept_a_minute_at_most_after_a_change_that_sends_no_signal(unit_head):
    start = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        unit = make_unit(head=unit_head)
        assert access.is_unit_head(fresh(unit_head))
        Unit.objects.filter(pk=unit.pk).update(head=None)  # no signal
        clock.shift(person_facts.TIMEOUT - 1)
        assert access.is_unit_head(fresh(unit_head))
        clock.shift(2)
        assert not access.is_unit_head(fresh(unit_head))


def banner_titles(client):
    return [notice.title for notice in client.get("/").context["site_notices"]]


def test_a_published_notice_shows_at_once_and_an_ended_one_goes(client, submitter, reviewer):
    client.force_login(submitter)
    assert banner_titles(client) == []
    notice = SiteNotice.publish(by=reviewer, level="warning", title="Maintenance", body="B")
    assert banner_titles(client) == ["Maintenance"]
    notice.end(by=reviewer)
    assert banner_titles(client) == []


def test_a_dismissed_notice_goes_for_that_person_only(client, submitter, colleague, reviewer):
    notice = SiteNotice.publish(by=reviewer, level="info", title="New intranet", body="B")
    client.force_login(colleague)
    assert banner_titles(client) == ["New intranet"]
    client.force_login(submitter)
    assert banner_titles(client) == ["New intranet"]
    notice.acknowledge(submitter)
    assert banner_titles(client) == []
    client.force_login(colleague)
    assert banner_titles(client) == ["New intranet"]


def test_a_scheduled_notice_starts_and_ends_on_time_whatever_was_cached(
    client, submitter, reviewer
):
    start = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        SiteNotice.publish(
            by=reviewer,
            level="warning",
            title="Upgrade",
            body="B",
            starts_at=start + datetime.timedelta(seconds=20),
            ends_at=start + datetime.timedelta(seconds=40),
        )
        client.force_login(submitter)
        assert banner_titles(client) == []
        clock.shift(21)
        assert banner_titles(client) == ["Upgrade"]
        clock.shift(20)
        assert banner_titles(client) == []


@pytest.fixture
def owner_guideline(reviewer):
    guideline = Guideline.objects.create(slug="tone-of-voice")
    guideline.publish(by=reviewer, title="Tone of voice", summary="S.", body="Body.")
    return guideline


def pending_titles(client):
    return [version.title for version in client.get("/").context["pending_guidelines"]]


def test_the_guidelines_to_acknowledge_follow_roles_versions_and_acknowledgements(
    client, unit, submitter, reviewer, owner_guideline
):
    client.force_login(submitter)
    assert pending_titles(client) == []  # runs no channel
    make_channel(unit=unit, owner=submitter)
    assert pending_titles(client) == ["Tone of voice"]
    acknowledge(submitter, [owner_guideline.current_version])
    assert pending_titles(client) == []
    owner_guideline.publish(
        by=reviewer, title="Our voice", summary="S.", body="New body.", change_note="Renamed."
    )
    assert pending_titles(client) == ["Our voice"]
