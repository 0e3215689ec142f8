"""The guideline pages: who opens what, what each page shows, query counts, the admin."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from guidelines.models import (
    Acknowledgement,
    Guideline,
    GuidelineVersion,
    Principle,
    acknowledge,
)
from guidelines.tests.factories import GUIDELINE_BODY, make_guideline
from portal.tests.factories import make_channel, make_user
from portal.tests.responses import html

EVERYONE = ["submitter", "colleague", "outsider", "unit_head", "reviewer", "portal_admin"]
OFFICE = ["reviewer", "portal_admin"]
NOT_OFFICE = ["submitter", "colleague", "outsider", "unit_head"]


@pytest.fixture
def edited(guideline, reviewer):
    """The guideline with a second version that changes one line."""
    guideline.publish(
        by=reviewer,
        title="Tone of voice",
        summary="Summary of Tone of voice.",
        body=GUIDELINE_BODY.replace("within a day", "within two hours"),
        change_note="Faster answers.",
    )
    return guideline


def local_date(moment):
    return date_format(timezone.localtime(moment))


# --- Who opens what -----------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize(
    "path",
    [
        "/guidelines/",
        "/guidelines/tone-of-voice/",
        "/guidelines/tone-of-voice/v/1/",
        "/guidelines/tone-of-voice/diff/1/2/",
    ],
)
def test_everyone_signed_in_reads_the_guidelines(client, request, persona, path, edited):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("persona", OFFICE)
@pytest.mark.parametrize(
    "path", ["/guidelines/new/", "/guidelines/tone-of-voice/edit/", "/guidelines/status/"]
)
def test_the_communications_office_opens_the_publishing_pages(
    client, request, persona, path, guideline
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("persona", NOT_OFFICE)
@pytest.mark.parametrize(
    "path", ["/guidelines/new/", "/guidelines/tone-of-voice/edit/", "/guidelines/status/"]
)
def test_others_may_not_open_the_publishing_pages(client, request, persona, path, guideline):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_a_refused_new_guideline_creates_nothing_and_mails_nobody(
    client, request, persona, unit, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(request.getfixturevalue(persona))
    data = {"slug": "new-one", "ordering": "1", "applies_to_owners": "on", "title": "New"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guidelines/new/", {**data, "summary": "S.", "body": "B."})
    assert response.status_code == 403
    assert (Guideline.objects.count(), GuidelineVersion.objects.count()) == (0, 0)
    assert mailoutbox == []


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_a_refused_edit_publishes_no_version_and_mails_nobody(
    client,
    request,
    persona,
    guideline,
    unit,
    submitter,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(request.getfixturevalue(persona))
    data = {"title": "Hijacked", "summary": "S.", "body": "B.", "change_note": "Mine now."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/guidelines/tone-of-voice/edit/", data)
    assert response.status_code == 403
    assert list(guideline.versions.values_list("number", "title_en")) == [(1, "Tone of voice")]
    assert mailoutbox == []


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, guideline):
    response = client.get("/guidelines/tone-of-voice/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/login/?next=/guidelines/tone-of-voice/",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/guidelines/no-such-guideline/",
        "/guidelines/unpublished/",
        "/guidelines/tone-of-voice/v/3/",
        "/guidelines/unpublished/v/1/",
        "/guidelines/tone-of-voice/diff/1/3/",
        "/guidelines/tone-of-voice/diff/0/2/",
        "/guidelines/no-such-guideline/diff/1/2/",
    ],
)
def test_unknown_and_unpublished_guidelines_and_versions_are_not_found(
    client, outsider, edited, path
):
    Guideline.objects.create(slug="unpublished")
    client.force_login(outsider)
    assert client.get(path).status_code == 404


# --- The list -----------------------------------------------------------------------


def test_the_list_shows_principles_and_the_published_guidelines_in_order(
    client, outsider, reviewer, guideline
):
    crisis = make_guideline(by=reviewer, slug="crisis", title="In a crisis", ordering=0)
    make_guideline(by=reviewer, slug="private-accounts", title="Private accounts", ordering=5)
    Guideline.objects.create(slug="draft", ordering=2)  # no version: not shown
    Principle.objects.create(text="Be honest", explanation="Say who you are.", guideline=crisis)
    Principle.objects.create(text="Be quick", ordering=1)
    client.force_login(outsider)
    response = client.get("/guidelines/")
    page = html(response)
    titles = [row["version"].title for row in response.context["rows"]]
    assert titles == ["In a crisis", "Tone of voice", "Private accounts"]
    assert "draft" not in page
    assert page.index("Be honest") < page.index("Say who you are.") < page.index("Be quick")
    assert 'href="/guidelines/crisis/">More in “In a crisis”</a>' in page
    assert "Summary of Tone of voice." in page
    date = local_date(guideline.current_version.published_at)
    assert f"Version 1, published on {date}" in page


def test_the_list_tells_the_reader_which_owner_guidelines_they_have_acknowledged(
    client, submitter, reviewer, guideline
):
    other = make_guideline(by=reviewer, slug="crisis", title="In a crisis")
    make_guideline(by=reviewer, slug="for-all", title="For all", applies_to_owners=False)
    acknowledge(submitter, [other.current_version])
    client.force_login(submitter)
    rows = client.get("/guidelines/").context["rows"]
    assert [(r["version"].title, r["acknowledged"]) for r in rows] == [
        ("In a crisis", True),
        ("For all", False),
        ("Tone of voice", False),
    ]
    page = html(client.get("/guidelines/"))
    assert page.count('data-testid="acknowledged"') == 1
    assert page.count('data-testid="not-acknowledged"') == 1  # not for "For all"


@pytest.mark.parametrize(("persona", "shown"), [("reviewer", True), ("outsider", False)])
def test_only_the_office_sees_the_new_guideline_and_status_links(
    client, request, persona, shown, guideline
):
    client.force_login(request.getfixturevalue(persona))
    page = html(client.get("/guidelines/"))
    assert ('href="/guidelines/new/"' in page) is shown
    assert ('href="/guidelines/status/"' in page) is shown


def test_the_list_makes_the_same_number_of_queries_however_many_guidelines(
    client, submitter, reviewer, guideline, django_assert_num_queries
):
    client.force_login(submitter)
    client.get("/guidelines/")
    # user (session, roles and banners from the cache), guidelines, my
    # acknowledgements, principles
    with django_assert_num_queries(4):
        client.get("/guidelines/")
    for number in range(5):
        other = make_guideline(by=reviewer, slug=f"g{number}", title=f"G{number}")
        Principle.objects.create(text=f"P{number}", guideline=other)
        acknowledge(submitter, [other.current_version])
    client.get("/guidelines/")  # my facts again, after the new versions
    with django_assert_num_queries(4):
        response = client.get("/guidelines/")
    assert len(response.context["rows"]) == 6


# --- The detail page ----------------------------------------------------------------


def test_the_detail_shows_the_current_version_its_history_and_the_button(
    client, outsider, reviewer, edited
):
    reviewer.first_name, reviewer.last_name = "Rita", "Reviewer"
    reviewer.save()
    client.force_login(outsider)
    page = html(client.get("/guidelines/tone-of-voice/"))
    current = edited.current_version
    assert f"Version 2, published on {local_date(current.published_at)} by Rita Reviewer" in page
    assert "Faster answers." in page
    assert "Summary of Tone of voice." in page
    assert "<h2>Be kind</h2>" in page
    assert "<p>Answer within two hours.</p>" in page
    assert "<li>Use plain language</li>" in page
    history = page[page.index('data-testid="history"') :]
    assert history.index("/guidelines/tone-of-voice/v/2/") < history.index(
        "/guidelines/tone-of-voice/v/1/"
    )
    assert 'href="/guidelines/tone-of-voice/diff/1/2/"' in history
    assert "/diff/0/1/" not in history
    assert re.search(
        r'<form method="post" action="/guidelines/tone-of-voice/acknowledge/">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>\s*'
        r'<button type="submit" class="btn btn-primary">I have read and accept this version'
        r"</button>",
        page,
    )
    assert "/guidelines/tone-of-voice/edit/" not in page


def test_the_detail_says_when_the_reader_has_acknowledged_this_version(
    client, submitter, guideline
):
    acknowledge(submitter, [guideline.current_version])
    client.force_login(submitter)
    page = html(client.get("/guidelines/tone-of-voice/"))
    assert "You have read and accepted version 1." in page
    assert "/guidelines/tone-of-voice/acknowledge/" not in page


def test_a_guideline_for_everyone_asks_nobody_to_acknowledge_it(client, submitter, reviewer):
    make_guideline(by=reviewer, slug="for-all", applies_to_owners=False)
    client.force_login(submitter)
    page = html(client.get("/guidelines/for-all/"))
    assert 'data-testid="acknowledgement"' not in page
    assert "I have read and accept this version" not in page


def test_the_office_sees_the_edit_link_on_the_detail(client, reviewer, guideline):
    client.force_login(reviewer)
    page = html(client.get("/guidelines/tone-of-voice/"))
    assert '<a class="btn btn-outline-primary" href="/guidelines/tone-of-voice/edit/">' in page
    assert "Edit (publish a new version)" in page


# --- Old versions and differences ---------------------------------------------------


def test_an_old_version_is_shown_with_a_banner_and_a_link_to_the_current_one(
    client, outsider, edited
):
    client.force_login(outsider)
    page = html(client.get("/guidelines/tone-of-voice/v/1/"))
    assert "This is not the current version." in page
    assert "You are reading version 1; the current version is 2." in page
    assert 'href="/guidelines/tone-of-voice/" class="alert-link">Read the current version' in page
    assert "<p>Answer within a day.</p>" in page
    assert "within two hours" not in page


def test_the_current_version_page_has_no_old_version_banner(client, outsider, edited):
    client.force_login(outsider)
    page = html(client.get("/guidelines/tone-of-voice/v/2/"))
    assert 'data-testid="old-version"' not in page
    assert "This is the current version." in page
    assert "<p>Answer within two hours.</p>" in page


def test_the_diff_shows_the_rendered_text_with_changed_words_marked(client, outsider, edited):
    client.force_login(outsider)
    page = html(client.get("/guidelines/tone-of-voice/diff/1/2/"))
    assert re.search(
        r'<p class="diff-block diff-changed diff-paragraph"><span aria-hidden="true">± </span>'
        r'<span class="visually-hidden">Changed: </span>'
        r"Answer within <del>a day</del><ins>two hours</ins>.</p>",
        page,
    )
    # Rendered: no Markdown signs, the unchanged blocks as the reader sees them.
    assert '<p class="diff-block diff-same diff-heading">Be kind</p>' in page
    assert "## Be kind" not in page
    assert page.count("<del>") == page.count("<ins>") == 1
    assert 'data-testid="meta-changes"' not in page


def test_the_diff_shows_title_and_summary_changes(client, outsider, reviewer, guideline):
    guideline.publish(
        by=reviewer,
        title="Our voice",
        summary="New summary.",
        body=GUIDELINE_BODY,
        change_note="Renamed.",
    )
    client.force_login(outsider)
    page = html(client.get("/guidelines/tone-of-voice/diff/1/2/"))
    assert "<del>Tone of voice</del>" in page
    assert "<ins>Our voice</ins>" in page
    assert "<del>Summary of Tone of voice.</del>" in page
    assert "<ins>New summary.</ins>" in page
    assert "The text is the same in both versions." in page


def test_diff_text_is_escaped(client, outsider, reviewer, guideline):
    guideline.publish(
        by=reviewer,
        title="Tone of voice",
        summary="Summary of Tone of voice.",
        body=GUIDELINE_BODY + "\n\n<script>alert(1)</script>",
        change_note="Added a payload.",
    )
    client.force_login(outsider)
    page = html(client.get("/guidelines/tone-of-voice/diff/1/2/"))
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "<script>alert(1)" not in page


# --- The acknowledgement status page ------------------------------------------------


def test_the_status_page_counts_and_lists_who_has_not_acknowledged(
    client, reviewer, unit, submitter, colleague, outsider, guideline
):
    crisis = make_guideline(by=reviewer, slug="crisis", title="In a crisis", ordering=5)
    make_guideline(by=reviewer, slug="for-all", title="For all", applies_to_owners=False)
    running = make_channel(unit=unit, owner=submitter, deputy=colleague, name="Eng news")
    make_channel(unit=unit, owner=outsider, name="Old", status="closed")
    done = make_user(username="done")
    make_channel(unit=unit, owner=done, name="Done channel")
    acknowledge(done, [guideline.current_version, crisis.current_version])
    acknowledge(colleague, [crisis.current_version])
    client.force_login(reviewer)
    response = client.get("/guidelines/status/")
    page = html(response)
    counts = [(v.title, missing) for v, missing in response.context["versions"]]
    assert counts == [("Tone of voice", 2), ("In a crisis", 1)]
    people = [
        (row["person"].username, [v.title for v in row["pending"]])
        for row in response.context["rows"]
    ]
    assert people == [
        ("colleague", ["Tone of voice"]),
        ("submitter", ["Tone of voice", "In a crisis"]),
    ]
    assert f'<a href="/registry/{running.pk}/">Eng news</a> (Deputy)' in page
    assert f'<a href="/registry/{running.pk}/">Eng news</a> (Responsible owner)' in page
    assert 'href="mailto:submitter@example.org"' in page
    assert "outsider" not in page  # only a closed channel
    assert "done@example.org" not in page


def test_the_status_page_says_when_everyone_has_acknowledged(client, reviewer, unit, guideline):
    owner = make_user()
    make_channel(unit=unit, owner=owner)
    acknowledge(owner, [guideline.current_version])
    client.force_login(reviewer)
    page = html(client.get("/guidelines/status/"))
    assert 'data-testid="everyone-acknowledged"' in page
    assert '<td data-testid="missing-tone-of-voice">0 people</td>' in page


def test_the_status_page_makes_the_same_number_of_queries_however_many_people(
    client, reviewer, unit, guideline, django_assert_num_queries
):
    make_channel(unit=unit, owner=make_user(), deputy=make_user())
    client.force_login(reviewer)
    client.get("/guidelines/status/")
    # user (session, roles and banners from the cache), versions, how many current
    # owner guidelines there are, people, their channel roles, their acknowledgements
    with django_assert_num_queries(6):
        client.get("/guidelines/status/")
    for _ in range(5):
        make_channel(unit=unit, owner=make_user(), deputy=make_user())
    client.get("/guidelines/status/")  # my facts again, after the new channels
    with django_assert_num_queries(6):
        response = client.get("/guidelines/status/")
    assert len(response.context["rows"]) == 12


# --- The admin ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/guidelines/guideline/",
        "/admin/guidelines/guidelineversion/",
        "/admin/guidelines/principle/",
        "/admin/guidelines/acknowledgement/",
    ],
)
def test_portal_admins_see_the_guidelines_in_the_admin(portal_admin_client, guideline, path):
    assert portal_admin_client.get(path).status_code == 200


def test_the_admin_shows_a_guidelines_versions_but_does_not_change_its_text(
    portal_admin_client, edited
):
    response = portal_admin_client.get(f"/admin/guidelines/guideline/{edited.pk}/change/")
    page = html(response)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.fields) == {
        "slug",
        "ordering",
        "applies_to_owners",
    }
    assert "Faster answers." in page  # the versions, inline
    inline = response.context["inline_admin_formsets"][0]
    assert (inline.has_add_permission, inline.has_change_permission) == (False, False)
    assert response.context["has_delete_permission"] is False


def test_guideline_versions_cannot_be_added_changed_or_deleted_in_the_admin(
    portal_admin_client, guideline
):
    version = guideline.current_version
    assert portal_admin_client.get("/admin/guidelines/guidelineversion/add/").status_code == 403
    response = portal_admin_client.post(
        f"/admin/guidelines/guidelineversion/{version.pk}/change/", {"title": "Changed"}
    )
    assert response.status_code == 403
    delete = f"/admin/guidelines/guidelineversion/{version.pk}/delete/"
    assert portal_admin_client.post(delete, {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.title == "Tone of voice"


def test_principles_are_reordered_in_the_admin_list(portal_admin_client, db):
    first = Principle.objects.create(text="First", ordering=1)
    second = Principle.objects.create(text="Second", ordering=2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(first.pk),
        "form-0-ordering": "3",
        "form-1-id": str(second.pk),
        "form-1-ordering": "2",
        "_save": "Save",
    }
    response = portal_admin_client.post("/admin/guidelines/principle/", data)
    assert response.status_code == 302
    assert list(Principle.objects.values_list("text", flat=True)) == ["Second", "First"]


def test_acknowledgements_are_read_only_in_the_admin(portal_admin_client, submitter, guideline):
    acknowledge(submitter, [guideline.current_version])
    ack = Acknowledgement.objects.get()
    assert portal_admin_client.get("/admin/guidelines/acknowledgement/add/").status_code == 403
    delete = f"/admin/guidelines/acknowledgement/{ack.pk}/delete/"
    assert portal_admin_client.post(delete, {"post": "yes"}).status_code == 403
    filtered = portal_admin_client.get(
        "/admin/guidelines/acknowledgement/", {"guideline": str(guideline.pk)}
    )
    assert list(filtered.context["cl"].result_list) == [ack]
