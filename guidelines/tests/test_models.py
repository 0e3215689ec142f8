"""Rules of the guidelines' models that no page shows directly."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guidelines.models import (
    Guideline,
    GuidelineVersion,
    SiteNotice,
    acknowledge,
    has_acknowledged_owner_guidelines,
    people_missing_acknowledgement,
)
from guidelines.tests.factories import GUIDELINE_BODY, GUIDELINE_SUMMARY, GUIDELINE_TITLE
from portal.tests.factories import make_channel, make_user


def test_a_published_version_can_be_neither_changed_nor_deleted(guideline):
    version = guideline.current_version
    version.body_en = "Rewritten history"
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        version.delete()
    with pytest.raises(TypeError):
        GuidelineVersion.objects.filter(pk=version.pk).update(body_en="Rewritten")
    with pytest.raises(TypeError):
        GuidelineVersion.objects.all().delete()
    assert GuidelineVersion.objects.get().body == GUIDELINE_BODY


def test_publishing_an_edit_adds_a_version_and_keeps_the_old_one(guideline, reviewer):
    first = guideline.current_version
    guideline.publish(
        by=reviewer,
        title=GUIDELINE_TITLE,
        summary=GUIDELINE_SUMMARY,
        body=GUIDELINE_BODY + " Always.",
        change_note="Always.",
    )
    assert list(guideline.versions.values_list("number", "body_en")) == [
        (2, GUIDELINE_BODY + " Always."),
        (1, GUIDELINE_BODY),
    ]
    guideline.refresh_from_db()
    assert (
        guideline.current_version.number,
        GuidelineVersion.objects.get(pk=first.pk).is_current,
    ) == (
        2,
        False,
    )


@pytest.mark.parametrize("persona", ["submitter", "unit_head", "outsider"])
def test_only_the_office_publishes_a_guideline(request, guideline, persona):
    with pytest.raises(PermissionDenied):
        guideline.publish(
            by=request.getfixturevalue(persona), title="T", summary="S", body="B", change_note="C"
        )
    assert guideline.versions.count() == 1


def test_an_edit_needs_a_change_note_and_a_change(guideline, reviewer):
    with pytest.raises(ValidationError, match="Say what changed"):
        guideline.publish(by=reviewer, title=GUIDELINE_TITLE, summary=GUIDELINE_SUMMARY, body="New")
    with pytest.raises(ValidationError, match="Nothing changed"):
        guideline.publish(
            by=reviewer,
            title=GUIDELINE_TITLE,
            summary=GUIDELINE_SUMMARY,
            body=GUIDELINE_BODY,
            change_note="No change",
        )
    assert guideline.versions.count() == 1


def test_without_any_owner_guideline_nothing_needs_acknowledging(db, submitter):
    Guideline.objects.create(slug="draft")  # never published
    assert has_acknowledged_owner_guidelines(submitter)


def test_guidelines_that_do_not_apply_to_owners_need_no_acknowledgement(reviewer, submitter):
    info = Guideline.objects.create(slug="background", applies_to_owners=False)
    info.publish(by=reviewer, title="Background", summary="S", body="B")
    assert has_acknowledged_owner_guidelines(submitter)


def test_people_missing_an_acknowledgement_are_owners_and_deputies_of_running_channels(
    guideline, reviewer, unit, submitter, colleague, outsider
):
    done = make_user(username="done")
    acknowledge(done, [guideline.current_version])
    make_channel(unit=unit, owner=submitter, deputy=done)
    make_channel(unit=unit, owner=colleague, status="closed")
    make_channel(unit=unit, owner=make_user(username="left", is_active=False))
    assert [p.username for p in people_missing_acknowledgement()] == ["submitter"]
    second = Guideline.objects.create(slug="crisis")
    second.publish(by=reviewer, title="Crisis", summary="S", body="B")
    acknowledge(submitter, [guideline.current_version])
    assert [p.username for p in people_missing_acknowledgement()] == ["submitter", "done"]


@pytest.mark.parametrize("persona", ["submitter", "unit_head"])
def test_only_the_office_publishes_or_ends_a_notice(request, persona, reviewer):
    person = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        SiteNotice.publish(by=person, level="info", title="T", body="B")
    notice = SiteNotice.publish(by=reviewer, level="info", title="T", body="B")
    with pytest.raises(PermissionDenied):
        notice.end(by=person)
    assert notice.is_active()


def test_a_notice_ends_once(reviewer):
    notice = SiteNotice.publish(by=reviewer, level="warning", title="T", body="B")
    notice.end(by=reviewer)
    assert not notice.is_active()
    with pytest.raises(ValidationError, match="no longer shown"):
        notice.end(by=reviewer)


def test_a_notice_must_end_after_it_starts(reviewer):
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        SiteNotice.publish(
            by=reviewer,
            level="info",
            title="T",
            body="B",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
        )
    assert SiteNotice.objects.count() == 0


def test_nobody_is_missing_an_acknowledgement_when_no_owner_guideline_exists(unit, submitter):
    make_channel(unit=unit, owner=submitter)
    assert list(people_missing_acknowledgement()) == []


def test_create_with_version_adds_the_guideline_and_its_first_version(reviewer):
    guideline = Guideline.objects.create_with_version(
        by=reviewer,
        slug="tone",
        ordering=3,
        applies_to_owners=False,
        title="Tone",
        summary="Friendly",
        body="Be kind.",
    )
    guideline.refresh_from_db()
    assert (
        guideline.slug,
        guideline.ordering,
        guideline.applies_to_owners,
        guideline.current_version.number,
        guideline.current_version.title,
        guideline.current_version.published_by,
    ) == ("tone", 3, False, 1, "Tone", reviewer)


def test_create_with_version_refused_leaves_no_guideline(submitter):
    with pytest.raises(PermissionDenied):
        Guideline.objects.create_with_version(
            by=submitter, slug="tone", title="Tone", summary="Friendly", body="Be kind."
        )
    assert not Guideline.objects.exists()
    assert not GuidelineVersion.objects.exists()
