"""Guideline versions and notices in English and Swedish: each reader gets their
language, or the other with a note; one acknowledgement per version whatever the
language; e-mail in each recipient's language."""

import importlib

import pytest

from core.models import Preference
from guidelines.models import Acknowledgement, Guideline, SiteNotice
from portal.tests.factories import make_channel
from portal.tests.responses import html

SWEDISH = {"accept-language": "sv"}
NOTE_SV = "Finns inte på svenska; visas på engelska."


@pytest.fixture
def bilingual(reviewer):
    return Guideline.objects.create_with_version(
        by=reviewer,
        slug="ton",
        title="Tone of voice",
        summary="How we sound.",
        body="## Be kind\n\nAnswer within a day.",
        title_sv="Tonläge",
        summary_sv="Hur vi låter.",
        body_sv="## Var vänlig\n\nSvara inom en dag.",
    )


@pytest.fixture
def english_only(reviewer):
    return Guideline.objects.create_with_version(
        by=reviewer, slug="crisis", title="In a crisis", summary="Pause.", body="Pause posts."
    )


def test_a_swedish_reader_gets_the_swedish_text(client, outsider, bilingual):
    client.force_login(outsider)
    page = html(client.get("/guidelines/ton/", headers=SWEDISH))
    assert '<h1 class="h3 mb-0" lang="sv">Tonläge</h1>' in page
    assert "<h2>Var vänlig</h2>" in page
    assert "Answer within a day" not in page
    assert 'data-testid="language-note"' not in page


def test_an_english_reader_gets_the_english_text(client, outsider, bilingual):
    client.force_login(outsider)
    page = html(client.get("/guidelines/ton/"))
    assert "<h2>Be kind</h2>" in page
    assert "Var vänlig" not in page


def test_a_missing_language_falls_back_with_a_note(client, outsider, english_only):
    client.force_login(outsider)
    page = html(client.get("/guidelines/crisis/", headers=SWEDISH))
    assert '<h1 class="h3 mb-0" lang="en">In a crisis</h1>' in page
    assert NOTE_SV in page
    assert '<article class="guideline-text mb-4" data-testid="guideline-text" lang="en">' in page
    listing = html(client.get("/guidelines/", headers=SWEDISH))
    assert NOTE_SV in listing


def test_one_acknowledgement_covers_the_version_in_both_languages(
    client, submitter, unit, bilingual
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(submitter)
    client.post("/guidelines/ton/acknowledge/", headers=SWEDISH)
    assert Acknowledgement.objects.filter(user=submitter).count() == 1
    page = html(client.get("/guidelines/ton/"))
    assert "You have read and accepted version 1." in page


def test_a_swedish_only_version_is_fine_and_an_incomplete_language_is_refused(client, reviewer):
    client.force_login(reviewer)
    data = {"slug": "sv-only", "ordering": "0", "title_sv": "Bara svenska", "summary_sv": "S."}
    response = client.post("/guidelines/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "body_sv": ["Fill this in too, or leave the Swedish text empty."]
    }
    assert 'value="Bara svenska"' in html(response)

    response = client.post("/guidelines/new/", {**data, "body_sv": "Text."})
    assert response.status_code == 302
    version = Guideline.objects.get(slug="sv-only").current_version
    assert (version.title_en, version.title_sv, version.languages) == ("", "Bara svenska", ["sv"])


def test_a_notice_is_shown_in_the_readers_language(client, outsider, reviewer):
    SiteNotice.publish(
        by=reviewer,
        level="info",
        title="Maintenance",
        body="Slow.",
        title_sv="Underhåll",
        body_sv="Långsamt.",
    )
    SiteNotice.publish(by=reviewer, level="warning", title="Only English", body="Text.")
    client.force_login(outsider)
    page = html(client.get("/", headers=SWEDISH))
    assert "Underhåll" in page and "Långsamt." in page
    assert "Maintenance" not in page
    assert '<strong lang="en">Only English</strong>' in page
    assert NOTE_SV in page


def test_e_mail_about_a_new_version_is_in_each_owners_language(
    reviewer, unit, submitter, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    make_channel(unit=unit, owner=submitter, deputy=colleague)
    Preference.choose_language(submitter, "sv")
    with django_capture_on_commit_callbacks(execute=True):
        Guideline.objects.create_with_version(
            by=reviewer,
            slug="ton",
            title="Tone of voice",
            summary="How we sound.",
            body="Text.",
            title_sv="Tonläge",
            summary_sv="Hur vi låter.",
            body_sv="Text.",
        )
    by_person = {message.to[0]: message for message in mailoutbox}
    assert "Tonläge" in by_person[submitter.email].subject
    assert "Hur vi låter." in by_person[submitter.email].body
    assert "Tone of voice" in by_person[colleague.email].subject
    assert "How we sound." in by_person[colleague.email].body


def test_the_pending_guidelines_banner_follows_the_page_language(
    client, submitter, unit, bilingual
):
    make_channel(unit=unit, owner=submitter)
    client.force_login(submitter)
    assert ">Tone of voice</a>" in html(client.get("/"))
    assert ">Tonläge</a>" in html(client.get("/", headers=SWEDISH))


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        (["Tone of voice", "How we sound and what we do."], "en"),
        (["Tonläge", "Så här låter vi och det är viktigt att vara vänlig."], "sv"),
        (["Kris", "Pausa alla planerade inlägg på kanalen."], "sv"),
        (["", ""], "en"),
    ],
)
def test_the_migration_moves_a_text_to_the_language_it_was_written_in(texts, language):
    migration = importlib.import_module("guidelines.migrations.0003_texts_in_english_and_swedish")
    assert migration.written_in(*texts) == language
