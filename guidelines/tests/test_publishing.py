"""Publishing guidelines through the pages: a new guideline, a new version of one, what
is refused, and who is told by e-mail."""

import pytest
from django.forms.models import model_to_dict

from guidelines.models import Guideline, GuidelineVersion
from guidelines.tests.factories import GUIDELINE_BODY, GUIDELINE_SUMMARY
from portal.tests.factories import make_channel, make_user, work_after_commit
from portal.tests.responses import html


def edit_data(**changes):
    return {
        "title": "Tone of voice",
        "summary": GUIDELINE_SUMMARY,
        "body": GUIDELINE_BODY,
        "change_note": "Faster answers.",
        **changes,
    }


def row(version):
    """Every stored field of a version, as the database has it."""
    fresh = GuidelineVersion.objects.get(pk=version.pk)
    return {**model_to_dict(fresh), "published_at": fresh.published_at, "id": fresh.pk}


# --- A new guideline ----------------------------------------------------------------


def test_the_office_publishes_a_new_guideline(client, reviewer, portal_admin):
    client.force_login(portal_admin)
    data = {
        "slug": "crisis",
        "ordering": "3",
        "applies_to_owners": "on",
        "title": "In a crisis",
        "summary": "What to do.",
        "body": "## Pause\r\n\r\nPause planned posts.\r\n",
    }
    response = client.post("/guidelines/new/", data, follow=True)
    assert response.redirect_chain == [("/guidelines/crisis/", 302)]
    guideline = Guideline.objects.get()
    version = guideline.current_version
    assert (guideline.slug, guideline.ordering, guideline.applies_to_owners) == ("crisis", 3, True)
    assert (version.number, version.title, version.summary, version.body) == (
        1,
        "In a crisis",
        "What to do.",
        "## Pause\n\nPause planned posts.",
    )
    assert version.published_by == portal_admin
    assert "“In a crisis” is published." in html(response)


def test_a_new_guideline_with_a_taken_address_is_refused_and_the_text_kept(
    client, reviewer, guideline
):
    client.force_login(reviewer)
    data = {
        "slug": "tone-of-voice",
        "ordering": "0",
        "title": "Another",
        "summary": "Another summary.",
        "body": "Another body.",
    }
    response = client.post("/guidelines/new/", data)
    page = html(response)
    assert response.status_code == 400
    assert "Guideline with this Address already exists." in page
    assert 'value="Another"' in page
    assert "\nAnother body.</textarea>" in page
    assert GuidelineVersion.objects.count() == 1


def test_a_new_guideline_needs_a_title_summary_and_text(client, reviewer):
    client.force_login(reviewer)
    response = client.post("/guidelines/new/", {"slug": "empty", "ordering": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "__all__": ["Write the text in English, in Swedish, or in both."]
    }
    assert Guideline.objects.count() == 0


def test_the_new_guideline_page_explains_markdown(client, reviewer):
    client.force_login(reviewer)
    page = html(client.get("/guidelines/new/"))
    assert "Markdown: a line starting with ## is a heading" in page
    for name in ["slug", "ordering", "applies_to_owners", "title", "summary", "body"]:
        assert f'for="id_{name}"' in page


# --- A new version ------------------------------------------------------------------


def test_the_edit_form_starts_from_the_current_version(client, reviewer, guideline):
    client.force_login(reviewer)
    form = client.get("/guidelines/tone-of-voice/edit/").context["form"]
    assert form.initial == {
        "title": "Tone of voice",
        "summary": GUIDELINE_SUMMARY,
        "body": GUIDELINE_BODY,
        "title_sv": "",
        "summary_sv": "",
        "body_sv": "",
    }
    assert form.fields["change_note"].required is True


def test_publishing_an_edit_adds_a_version_and_leaves_the_old_one_as_it_was(
    client, reviewer, guideline
):
    first = guideline.current_version
    before = row(first)
    client.force_login(reviewer)
    new_body = GUIDELINE_BODY.replace("within a day", "within two hours")
    response = client.post("/guidelines/tone-of-voice/edit/", edit_data(body=new_body), follow=True)
    assert response.redirect_chain == [("/guidelines/tone-of-voice/", 302)]
    assert "Version 2 of “Tone of voice” is published." in html(response)
    assert row(first) == before
    guideline.refresh_from_db()
    second = guideline.current_version
    assert (second.number, second.body, second.change_note, second.published_by) == (
        2,
        new_body,
        "Faster answers.",
        reviewer,
    )
    assert list(guideline.versions.values_list("number", flat=True)) == [2, 1]

    detail = html(client.get("/guidelines/tone-of-voice/"))
    assert "<p>Answer within two hours.</p>" in detail
    assert "within a day" not in detail
    old = html(client.get("/guidelines/tone-of-voice/v/1/"))
    assert "<p>Answer within a day.</p>" in old
    assert "within two hours" not in old
    diff = html(client.get("/guidelines/tone-of-voice/diff/1/2/"))
    assert "Answer within <del>a day</del><ins>two hours</ins>." in diff


def test_an_edit_without_a_change_note_is_refused_and_the_text_kept(client, reviewer, guideline):
    client.force_login(reviewer)
    response = client.post(
        "/guidelines/tone-of-voice/edit/",
        edit_data(title="Our voice", body="Typed text.", change_note="  "),
    )
    page = html(response)
    assert response.status_code == 400
    assert "Say what changed in this version." in page
    assert 'value="Our voice"' in page
    assert "\nTyped text.</textarea>" in page
    assert GuidelineVersion.objects.count() == 1


def test_an_edit_that_changes_nothing_is_refused(client, reviewer, guideline):
    client.force_login(reviewer)
    response = client.post(
        "/guidelines/tone-of-voice/edit/", edit_data(change_note="Nothing really.")
    )
    page = html(response)
    assert response.status_code == 400
    assert "Nothing changed: there is no new version to publish." in page
    assert "\nNothing really.</textarea>" in page
    assert GuidelineVersion.objects.count() == 1


def test_the_browsers_line_endings_are_not_a_change(client, reviewer, guideline):
    client.force_login(reviewer)
    typed = edit_data(
        body=GUIDELINE_BODY.replace("\n", "\r\n") + "\r\n", summary=f" {GUIDELINE_SUMMARY}\r\n"
    )
    response = client.post("/guidelines/tone-of-voice/edit/", typed)
    assert response.status_code == 400
    assert "Nothing changed" in html(response)
    assert GuidelineVersion.objects.count() == 1


def test_the_model_refuses_an_edit_without_a_change_note(reviewer, guideline):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        guideline.publish(by=reviewer, title="New", summary=GUIDELINE_SUMMARY, body=GUIDELINE_BODY)
    assert error.value.message_dict == {"change_note": ["Say what changed in this version."]}


def test_the_first_version_of_a_guideline_added_in_the_admin_needs_no_change_note(client, reviewer):
    Guideline.objects.create(slug="from-admin")
    client.force_login(reviewer)
    data = {"title": "From the admin", "summary": "S.", "body": "B.", "change_note": ""}
    response = client.post("/guidelines/from-admin/edit/", data)
    assert (response.status_code, response["Location"]) == (302, "/guidelines/from-admin/")
    assert Guideline.objects.get().current_version.number == 1


def test_editing_an_unknown_guideline_is_not_found(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/guidelines/nothing-here/edit/").status_code == 404


# --- Who is told --------------------------------------------------------------------


def test_a_new_version_of_an_owner_guideline_mails_owners_and_deputies_of_running_channels_once(
    client,
    reviewer,
    unit,
    submitter,
    colleague,
    guideline,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    planned_owner, closed_owner = make_user(username="planner"), make_user(username="closer")
    make_channel(unit=unit, owner=submitter, deputy=colleague)
    make_channel(unit=unit, owner=colleague, deputy=submitter, status="dormant")
    make_channel(unit=unit, owner=planned_owner, status="planned")
    make_channel(unit=unit, owner=closed_owner, deputy=make_user(username="gone"), status="closed")
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/guidelines/tone-of-voice/edit/", edit_data(title="Our voice", change_note="New name.")
        )
        assert mailoutbox == []  # nothing is sent before the commit
    assert response.status_code == 302
    assert len(work_after_commit(callbacks)) == 3
    assert sorted(message.to[0] for message in mailoutbox) == [
        "colleague@example.org",
        "planner@example.org",
        "submitter@example.org",
    ]
    message = mailoutbox[0]
    assert message.subject == "Updated guideline: Our voice, please acknowledge it"
    assert "What changed: New name." in message.body
    assert "/guidelines/tone-of-voice/" in message.body


def test_a_new_owner_guideline_mails_owners_after_commit(
    client, reviewer, unit, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(reviewer)
    data = {
        "slug": "crisis",
        "ordering": "0",
        "applies_to_owners": "on",
        "title": "In a crisis",
        "summary": "What to do.",
        "body": "Pause.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/guidelines/new/", data)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["submitter@example.org"], "New guideline for channel owners: In a crisis")
    ]


def test_a_guideline_that_does_not_apply_to_owners_mails_nobody(
    client, reviewer, unit, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(reviewer)
    data = {"slug": "for-all", "ordering": "0", "title": "For all", "summary": "S.", "body": "B."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guidelines/new/", data)
    assert response.status_code == 302
    assert Guideline.objects.get().applies_to_owners is False
    assert mailoutbox == []


def test_a_refused_edit_mails_nobody(
    client, reviewer, unit, submitter, guideline, mailoutbox, django_capture_on_commit_callbacks
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guidelines/tone-of-voice/edit/", edit_data(change_note=""))
    assert response.status_code == 400
    assert mailoutbox == []
