"""In a real browser: a person who switches the portal to Swedish is written to in
Swedish from then on, whoever causes the e-mail, while a colleague keeps getting
English (issue 18, item 9); a Swedish reader gets the Swedish text of a guideline, a
note where only English exists, and the changes between versions as rendered text
(item 10). The pages changed for these, and for recovery codes (item 12), pass
axe-core."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from core import roles
from core.models import Preference
from guidelines.models import Guideline, SiteNotice
from portal.tests.factories import PASSWORD, make_channel, make_unit, make_user
from portal.tests.test_browser_accessibility import Persona, axe_violations, report

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    office = make_user(username="office", first_name="Olle", groups=[roles.COMMUNICATIONS])
    head = make_user(username="head", first_name="Hedda")
    unit = make_unit(name="School of Engineering", head=head)
    eva = make_user(username="eva", first_name="Eva")
    anna = make_user(username="anna", first_name="Anna")
    make_channel(unit=unit, owner=eva, deputy=anna, name="Engineering news")
    return {"office": office, "eva": eva, "anna": anna}


@pytest.fixture
def tabs(browser, live_server):
    personas = []

    def open_tab(user, language="en"):
        personas.append(Persona(browser, live_server, user, language))
        return personas[-1].tab

    yield open_tab
    for persona in personas:
        persona.close()
    assert [f for persona in personas for f in persona.failed] == [], "requests failed"


def test_after_switching_to_swedish_a_person_is_mailed_in_swedish_and_a_colleague_in_english(
    tabs, people, mailoutbox
):
    eva = tabs(people["eva"])
    eva.goto("/")
    eva.get_by_label("Language").select_option("sv")
    eva.get_by_role("button", name="Change").click()
    eva.wait_for_load_state()
    assert eva.locator("html").get_attribute("lang") == "sv"
    assert Preference.objects.languages_of([people["eva"]]) == {people["eva"].pk: "sv"}

    # The office, reading in English, declares a crisis: both owners are mailed.
    office = tabs(people["office"])
    office.goto("/notices/new/")
    office.get_by_role("radio", name="Crisis").check()
    office.get_by_label("Title in English").fill("Network outage")
    office.get_by_label("Message in English").fill("Pause all posts.")
    office.get_by_label("Title in Swedish").fill("Nätverksavbrott")
    office.get_by_label("Message in Swedish").fill("Pausa alla inlägg.")
    office.get_by_label(re.compile("I understand that a crisis notice")).check()
    office.get_by_role("button", name="Publish", exact=True).click()
    office.wait_for_load_state()
    assert SiteNotice.objects.count() == 1

    by_person = {message.to[0]: message for message in mailoutbox}
    assert set(by_person) == {people["eva"].email, people["anna"].email}
    to_eva, to_anna = by_person[people["eva"].email], by_person[people["anna"].email]
    assert to_eva.subject.startswith("KRIS: Nätverksavbrott")
    assert "Pausa alla inlägg." in to_eva.body
    assert to_anna.subject.startswith("CRISIS: Network outage")
    assert "Pause all posts." in to_anna.body


@pytest.fixture
def guidelines(people):
    office = people["office"]
    tone = Guideline.objects.create_with_version(
        by=office,
        slug="tone",
        title="Tone of voice",
        summary="How we sound.",
        body="## Be kind\n\nAnswer within a day.",
        title_sv="Tonläge",
        summary_sv="Hur vi låter.",
        body_sv="## Var vänlig\n\nSvara inom en dag.",
    )
    tone.publish(
        by=office,
        title="Tone of voice",
        summary="How we sound.",
        body="## Be kind\n\nAnswer within two hours.",
        title_sv="Tonläge",
        summary_sv="Hur vi låter.",
        body_sv="## Var vänlig\n\nSvara inom två timmar.",
        change_note="Faster answers.",
    )
    Guideline.objects.create_with_version(
        by=office, slug="crisis", title="In a crisis", summary="Pause.", body="Pause posts."
    )
    return tone


def test_a_swedish_reader_gets_swedish_text_a_fallback_note_and_a_rendered_diff(
    tabs, people, guidelines
):
    tab = tabs(people["anna"], language="sv")
    tab.goto("/guidelines/tone/")
    assert tab.get_by_role("heading", level=1).inner_text() == "Tonläge"
    assert "Svara inom två timmar." in tab.get_by_test_id("guideline-text").inner_text()
    assert tab.get_by_test_id("language-note").count() == 0

    tab.goto("/guidelines/crisis/")
    assert tab.get_by_role("heading", level=1).inner_text() == "In a crisis"
    assert tab.get_by_test_id("language-note").inner_text() == (
        "Finns inte på svenska; visas på engelska."
    )

    tab.goto("/guidelines/tone/diff/1/2/")
    diff = tab.get_by_test_id("diff")
    assert "##" not in diff.inner_text()
    assert diff.locator("del").all_inner_texts() == ["en dag"]
    assert diff.locator("ins").all_inner_texts() == ["två timmar"]


def test_the_changed_pages_pass_axe(browser, live_server, people, guidelines):
    office, anna = people["office"], people["anna"]
    SiteNotice.publish(by=office, level="info", title="Only English", body="Text.")
    Authenticator.objects.create(user=anna, type="totp", data={"secret": "A" * 32})
    RecoveryCodes.activate(anna)
    pages = {
        # (user, language): [urls]
        (office, "en"): ["/guidelines/new/", "/guidelines/tone/edit/", "/notices/new/"],
        (anna, "sv"): [
            "/guidelines/",
            "/guidelines/tone/",
            "/guidelines/crisis/",
            "/guidelines/tone/diff/1/2/",
            f"/notices/{SiteNotice.objects.get().pk}/",
            "/accounts/2fa/",
        ],
        (anna, "en"): ["/guidelines/tone/diff/1/2/", "/accounts/2fa/"],
    }
    found = {}
    for (user, language), urls in pages.items():
        persona = Persona(browser, live_server, user, language)
        try:
            for url in urls:
                persona.tab.goto(url)
                violations = axe_violations(persona.tab)
                if violations:
                    found[f"{url} ({language})"] = violations
        finally:
            persona.close()
        assert persona.failed == []
    assert found == {}, report(found)


def test_the_recovery_codes_page_shows_the_codes_once_and_passes_axe(browser, live_server, people):
    anna = people["anna"]
    Authenticator.objects.create(user=anna, type="totp", data={"secret": "A" * 32})
    codes = RecoveryCodes.activate(anna).get_unused_codes()
    persona = Persona(browser, live_server, anna, "sv")
    try:
        tab = persona.tab
        # Seeing the codes asks for the password again first.
        tab.goto("/accounts/2fa/recovery-codes/")
        tab.get_by_label(re.compile("Lösenord")).fill(PASSWORD)
        tab.get_by_role("button", name="Bekräfta").click()
        tab.wait_for_url("**/accounts/2fa/recovery-codes/")
        assert tab.get_by_test_id("recovery-code").all_inner_texts() == codes
        assert tab.get_by_role("link", name="Ladda ner koderna").get_attribute("download") == (
            "recovery-codes.txt"
        )
        violations = axe_violations(tab)
        assert violations == [], report({"recovery codes": violations})
        tab.reload()
        assert tab.get_by_test_id("recovery-code").count() == 0  # shown once
    finally:
        persona.close()
    assert persona.failed == []
