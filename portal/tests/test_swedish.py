"""Swedish: the pages speak it when asked, and every string in the catalogue has it."""

import gettext as gettext_module
import re
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext, override

from portal.tests.responses import nav_labels

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"

CHECKLIST_TITLES = {
    "Need and research": "Behov och omvärldsanalys",
    "Background": "Bakgrund",
    "Goals and purpose": "Mål och syfte",
    "Target audience": "Målgrupp",
    "Resources and staffing": "Resurser och bemanning",
    "Moderation": "Moderering",
    "Analysis and follow-up": "Analys och uppföljning",
    "Visual identity": "Visuell identitet",
    "Data protection": "Dataskydd",
    "Accessibility": "Tillgänglighet",
}


def test_the_login_page_is_in_swedish_with_the_language_cookie(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get("/login/").content.decode()
    assert '<html lang="sv">' in html
    assert '<h1 class="h3 mb-3">Logga in</h1>' in html
    assert "Logga in med ditt konto vid Fictional University" in html


def test_the_login_page_is_in_swedish_when_the_browser_asks_for_it(client, db):
    html = client.get("/login/", headers={"accept-language": "sv"}).content.decode()
    assert '<html lang="sv">' in html
    assert '<h1 class="h3 mb-3">Logga in</h1>' in html


def test_a_signed_in_staff_member_sees_the_navigation_in_swedish(client, submitter):
    client.force_login(submitter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get("/").content.decode()
    assert nav_labels(html, "Huvudnavigering") == [
        "Start",
        "Förslag",
        "Register",
        "Siffror",
        "Riktlinjer",
        "Offentlig förteckning",
    ]
    assert "Mina förslag" in html
    assert "Logga ut" in html


def test_the_office_sees_notices_in_the_swedish_navigation(client, reviewer):
    client.force_login(reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    labels = nav_labels(client.get("/").content.decode(), "Huvudnavigering")
    assert labels == [
        "Start",
        "Förslag",
        "Granskning",
        "Register",
        "Siffror",
        "Riktlinjer",
        "Misstänkta konton",
        "Meddelanden",
        "Offentlig förteckning",
    ]


def test_a_proposal_reaches_a_unit_head_who_reads_swedish_in_swedish(
    unit, submitter, mailoutbox, django_capture_on_commit_callbacks
):
    from checklist.tests.factories import make_proposal
    from core.models import Preference

    Preference.choose_language(unit.head, "sv")
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True, name="Notiser")
    # The submitter's language does not matter: the unit head's does.
    with override("en"), django_capture_on_commit_callbacks(execute=True):
        proposal.submit(by=submitter)
    (mail,) = mailoutbox
    html = mail.alternatives[0][0]
    assert mail.subject == (
        "Ett förslag om ett nytt officiellt konto väntar på din tillstyrkan: Notiser"
    )
    assert mail.body.startswith(
        "Siri föreslår ett nytt officiellt konto för School of Engineering: Notiser på "
        "Mastodon.\n\nSom enhetschef ber vi dig läsa förslaget och tillstyrka det (eller "
        "skicka tillbaka det) i portalen: http"
    )
    assert '<html lang="sv">' in html


def test_the_checklist_titles_have_their_swedish_translations(db):
    with override("sv"):
        assert {english: gettext(english) for english in CHECKLIST_TITLES} == CHECKLIST_TITLES


def test_the_new_proposal_form_shows_the_ten_checklist_items_in_swedish(client, submitter):
    client.force_login(submitter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get("/proposals/new/").content.decode()
    legends = re.findall(r'<legend class="h4">\d+\. ([^<]+)</legend>', html)
    assert legends == list(CHECKLIST_TITLES.values())
    assert "Föreslå ett nytt konto" in html
    with override("sv"):
        help_text = gettext("In a few sentences: why does your unit need this account now?")
    assert help_text == "Med några meningar: varför behöver din enhet det här kontot just nu?"
    assert escape(help_text) in html
    assert "Need and research" not in html


def _po_entries(text):
    """Each entry of a .po file but the header, as a dict: "flags", "msgid",
    "msgid_plural" (if any) and "msgstr" (a list: one string, or one per plural form)."""

    def unquote(lines):
        return "".join(
            line[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
            for line in lines
        )

    entries = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if not line.startswith("#~")]
        flags = {
            flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")
        }
        fields, current = {}, None
        for line in lines:
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[\d+\])?|msgctxt) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        values = {key: unquote(value) for key, value in fields.items()}
        if values.get("msgid", "") == "":
            continue
        entries.append(
            {
                "flags": flags,
                "msgctxt": values.get("msgctxt"),
                "msgid": values["msgid"],
                "msgid_plural": values.get("msgid_plural"),
                "msgstr": [value for key, value in values.items() if key.startswith("msgstr")],
            }
        )
    return entries


def test_every_string_in_the_catalogue_has_a_swedish_translation():
    entries = _po_entries(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 600
    untranslated = [
        entry["msgid"]
        for entry in entries
        if "fuzzy" in entry["flags"] or not entry["msgstr"] or not all(entry["msgstr"])
    ]
    assert untranslated == []


def test_the_compiled_catalogue_matches_its_source():
    with PO_FILE.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext_module.GNUTranslations(mo_file)
    stale = []
    for entry in _po_entries(PO_FILE.read_text(encoding="utf-8")):
        if entry["msgctxt"]:
            shown = [compiled.pgettext(entry["msgctxt"], entry["msgid"])]
        elif entry["msgid_plural"]:
            shown = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
        else:
            shown = [compiled.gettext(entry["msgid"])]
        if shown != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == []
