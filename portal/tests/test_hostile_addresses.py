"""Profile addresses that cannot be read, in every form and query parameter that takes
one: bracketed hosts (as wapiti sends them), a user name or password before the host, a
port, a host name over 253 characters, Facebook ids in other scripts' digits.

Every answer is the page itself or a 4xx with the reason next to the field: never a
500, nothing stored. An address stored before these checks (or written around them)
never makes a page fail either: the page shows it, with the reason it cannot be used.
"""

import pytest
from django.urls import reverse

from accounts.models import Channel, ChannelEvent, ChannelRole, SuspiciousAccountReport
from accounts.tests.test_admin import edit_data as admin_edit_data
from accounts.tests.test_registry_pages import edit_data, register_data
from checklist.models import Answer, Goal, Proposal, Transition
from checklist.tests.factories import make_proposal
from checklist.tests.test_proposal_form import NEW, form_data
from portal.tests.factories import make_channel
from portal.tests.payloads import (
    ADDRESS_REASONS,
    BRACKETED_HOSTS,
    HOSTILE_ADDRESSES,
    NON_ASCII_DIGITS,
    assert_escaped,
)
from portal.tests.responses import html

NOT_A_PROFILE = "This Facebook address does not name a profile."


def stored():
    """Counts of everything the address forms may write."""
    return {
        "channels": Channel.objects.count(),
        "roles": ChannelRole.objects.count(),
        "events": ChannelEvent.objects.count(),
        "reports": SuspiciousAccountReport.objects.count(),
        "proposals": Proposal.objects.count(),
        "answers": Answer.objects.count(),
        "goals": Goal.objects.count(),
        "transitions": Transition.objects.count(),
    }


# --- The public check and report (no login) -------------------------------------------


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_checking_an_address_that_cannot_be_read_answers_400_with_the_reason(
    client, channel, address
):
    response = client.get(reverse("accounts:verify"), {"url": address})
    assert response.status_code == 400
    page = html(response)
    assert ADDRESS_REASONS[address] in page
    assert_escaped(page)
    assert "Engineering news" not in page


@pytest.mark.parametrize(
    "query",
    [
        "url=https://%5Bx%5D/",
        "url=https://[x]/",
        "url=http://[::1]/",
        "url=https://[",
        "url=https://%5B",
        "url=%5Bx%5D",
        "url=@fictionaluni@%5Bx%5D",
    ],
)
def test_checking_a_bracketed_host_typed_in_the_query_string_answers_400(client, channel, query):
    response = client.get(f"{reverse('accounts:verify')}?{query}")
    assert response.status_code == 400
    assert "invalid-feedback" in html(response)


@pytest.mark.parametrize("address", NON_ASCII_DIGITS)
def test_checking_a_facebook_id_in_other_digits_answers_400(client, channel, address):
    response = client.get(reverse("accounts:verify"), {"url": address})
    assert response.status_code == 400
    assert NOT_A_PROFILE in html(response)


REPORT = {"description": "It uses our logo.", "contact_email": ""}


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_reporting_an_address_that_cannot_be_read_is_refused_and_nothing_is_stored_or_sent(
    client, reviewer, mailoutbox, address
):
    response = client.post(reverse("accounts:report"), {**REPORT, "reported_url": address})
    assert response.status_code == 400
    page = html(response)
    assert ADDRESS_REASONS[address] in page
    assert_escaped(page)
    assert stored() == dict.fromkeys(stored(), 0)
    assert mailoutbox == []


@pytest.mark.parametrize("text", ["not an address at all", "<b>fake</b>", "@a@b@c"])
def test_a_report_must_name_an_address_or_a_handle(client, reviewer, mailoutbox, text):
    response = client.post(reverse("accounts:report"), {**REPORT, "reported_url": text})
    assert response.status_code == 400
    assert SuspiciousAccountReport.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("reported", "platform"),
    [
        ("https://www.instagram.com/p/Cxyz123/", "instagram"),  # a post: still worth a look
        ("https://forum.example.edu/fake", "other"),
        ("@fake_engineering", ""),
        ("@fake@mastodon.example", ""),
    ],
)
def test_a_report_of_a_readable_address_or_a_handle_is_stored(client, reviewer, reported, platform):
    response = client.post(reverse("accounts:report"), {**REPORT, "reported_url": reported})
    assert response.status_code == 302
    report = SuspiciousAccountReport.objects.get()
    assert (report.reported_url, report.detected_platform) == (reported, platform)


@pytest.mark.parametrize("address", BRACKETED_HOSTS)
def test_the_report_form_opened_with_a_bracketed_host_shows_it_in_the_field(client, address):
    response = client.get(reverse("accounts:report"), {"url": address})
    assert response.status_code == 200
    assert f'value="{address}"' in html(response)


# --- The registry -------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["instagram", "mastodon", "other"])
@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_registering_an_address_that_cannot_be_read_is_refused_next_to_the_field(
    client, reviewer, submitter, unit, mailoutbox, address, platform
):
    client.force_login(reviewer)
    data = register_data(unit, platform=platform, profile_url=address)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    page = html(response)
    assert ADDRESS_REASONS[address] in page
    assert_escaped(page)
    assert stored() == dict.fromkeys(stored(), 0)
    assert mailoutbox == []


@pytest.mark.parametrize("address", NON_ASCII_DIGITS)
def test_registering_a_facebook_id_in_other_digits_is_refused(
    client, reviewer, submitter, unit, address
):
    client.force_login(reviewer)
    data = register_data(unit, platform="facebook", profile_url=address)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert NOT_A_PROFILE in html(response)
    assert stored() == dict.fromkeys(stored(), 0)


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_editing_in_an_address_that_cannot_be_read_is_refused_and_changes_nothing(
    client, submitter, channel, address
):
    client.force_login(submitter)
    before = stored()
    response = client.post(
        reverse("accounts:edit", args=[channel.pk]), edit_data(channel, profile_url=address)
    )
    assert response.status_code == 400
    assert ADDRESS_REASONS[address] in html(response)
    channel.refresh_from_db()
    assert channel.profile_url == "https://www.instagram.com/eng.news/"
    assert stored() == before


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_the_admin_refuses_an_address_that_cannot_be_read_and_changes_nothing(
    client, portal_admin, channel, address
):
    client.force_login(portal_admin)
    before = stored()
    response = client.post(
        reverse("admin:accounts_channel_change", args=[channel.pk]),
        admin_edit_data(channel, profile_url=address),
    )
    assert response.status_code == 200  # the admin shows its form again
    assert response.context["adminform"].form.errors["profile_url"]
    channel.refresh_from_db()
    assert channel.profile_url == "https://www.instagram.com/eng.news/"
    assert stored() == before


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_a_stored_address_that_cannot_be_read_breaks_no_page_and_can_be_corrected(
    client, submitter, portal_admin, channel, address
):
    Channel.objects.filter(pk=channel.pk).update(profile_url=address)
    client.force_login(submitter)
    for path in [
        reverse("accounts:detail", args=[channel.pk]),
        reverse("accounts:edit", args=[channel.pk]),
        reverse("accounts:registry"),
        reverse("accounts:directory"),
        reverse("accounts:directory_json"),
        f"{reverse('accounts:verify')}?url=@eng.news",
        reverse("metrics:channel", args=[channel.pk]),
    ]:
        assert client.get(path).status_code == 200, path
    client.force_login(portal_admin)
    admin_page = reverse("admin:accounts_channel_change", args=[channel.pk])
    assert client.get(admin_page).status_code == 200
    client.force_login(submitter)

    edit = reverse("accounts:edit", args=[channel.pk])
    response = client.post(edit, edit_data(channel, profile_url=address))
    assert response.status_code == 400
    assert ADDRESS_REASONS[address] in html(response)
    response = client.post(edit, edit_data(channel, profile_url="@eng.news"))
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.profile_url == "https://www.instagram.com/eng.news/"


@pytest.mark.parametrize("handle", ["fictionaluni@[x]", "fictionaluni@[::1]", "@[", "a@b@c"])
def test_a_mastodon_channel_whose_handle_cannot_be_read_shows_its_pages(
    client, submitter, unit, handle
):
    channel = make_channel(unit=unit, owner=submitter, platform="mastodon", handle="fictionaluni")
    Channel.objects.filter(pk=channel.pk).update(handle=handle)
    client.force_login(submitter)
    for path in [
        reverse("accounts:detail", args=[channel.pk]),
        reverse("metrics:channel", args=[channel.pk]),
    ]:
        assert client.get(path).status_code == 200, path


# --- Proposals --------------------------------------------------------------------------


@pytest.mark.parametrize("address", [*HOSTILE_ADDRESSES, *NON_ASCII_DIGITS])
@pytest.mark.parametrize("platform", ["", "instagram", "facebook", "mastodon", "other"])
def test_the_live_matches_answer_an_address_that_cannot_be_read(
    client, submitter, channel, address, platform
):
    client.force_login(submitter)
    response = client.get(
        reverse("checklist:matches"), {"profile": address, "platform": platform, "name": ""}
    )
    assert response.status_code == 200
    assert_escaped(html(response))


@pytest.mark.parametrize(
    "query",
    ["profile=https://%5Bx%5D/&platform=instagram", "profile=https://[&platform=other"],
)
def test_the_live_matches_answer_a_bracketed_host_typed_in_the_query_string(
    client, submitter, channel, query
):
    client.force_login(submitter)
    assert client.get(f"{reverse('checklist:matches')}?{query}").status_code == 200


@pytest.mark.parametrize("unit_id", ["\u00b2", "\u0661", "\uff11", "1\u00b2"])
def test_the_live_matches_ignore_a_unit_in_other_digits(client, submitter, channel, unit_id):
    client.force_login(submitter)
    response = client.get(reverse("checklist:matches"), {"unit": unit_id, "name": "Engineering"})
    assert response.status_code == 200
    assert "Engineering news" in html(response)


@pytest.mark.parametrize("action", ["save", "submit"])
@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_proposing_an_address_that_cannot_be_read_is_refused_and_nothing_is_saved(
    client, submitter, unit, mailoutbox, address, action
):
    client.force_login(submitter)
    data = form_data(action=action, unit=unit.pk, platform="instagram", profile=address)
    response = client.post(NEW, data)
    assert response.status_code == 400
    page = html(response)
    assert ADDRESS_REASONS[address] in page
    assert 'href="#id_profile"' in page
    assert 'id="id_profile_error"' in page
    assert_escaped(page)
    assert stored() == dict.fromkeys(stored(), 0)
    assert mailoutbox == []


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_editing_in_an_address_that_cannot_be_read_keeps_the_stored_draft(
    client, submitter, unit, address
):
    proposal = make_proposal(
        submitter=submitter, unit=unit, platform="instagram", profile="@eng.news"
    )
    client.force_login(submitter)
    data = form_data(unit=unit.pk, platform="instagram", name="Renamed", profile=address)
    response = client.post(reverse("checklist:edit", args=[proposal.pk]), data)
    assert response.status_code == 400
    assert ADDRESS_REASONS[address] in html(response)
    proposal.refresh_from_db()
    assert (proposal.name, proposal.profile) == ("", "@eng.news")


@pytest.mark.parametrize("address", NON_ASCII_DIGITS)
def test_a_proposal_with_a_facebook_id_in_other_digits_cannot_be_submitted(
    client, submitter, unit, mailoutbox, address
):
    proposal = make_proposal(submitter=submitter, unit=unit, complete=True, platform="facebook")
    client.force_login(submitter)
    data = form_data(
        action="submit",
        unit=unit.pk,
        platform="facebook",
        name=proposal.name,
        profile=address,
        proposed_owner="submitter",
    )
    response = client.post(reverse("checklist:edit", args=[proposal.pk]), data)
    assert response.status_code == 400
    assert NOT_A_PROFILE in html(response)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DRAFT
    assert Transition.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_a_stored_draft_whose_address_cannot_be_read_shows_the_reason_and_can_be_corrected(
    client, submitter, unit, address
):
    # Written around the form, as before the form read addresses.
    proposal = make_proposal(
        submitter=submitter, unit=unit, complete=True, platform="instagram", profile=address
    )
    client.force_login(submitter)
    edit = reverse("checklist:edit", args=[proposal.pk])

    response = client.get(edit)
    assert response.status_code == 200
    page = html(response)
    reason = ADDRESS_REASONS[address]
    # Next to the field, and in what is still missing before it can be submitted.
    assert 'id="id_profile_error"' in page
    assert 'aria-invalid="true"' in page
    assert page.count(reason) == 2
    assert 'href="#id_profile"' in page
    for name in ["checklist:detail", "checklist:export_markdown", "checklist:export_html"]:
        assert client.get(reverse(name, args=[proposal.pk])).status_code == 200, name
    assert client.get(reverse("checklist:list")).status_code == 200

    data = form_data(
        action="submit",
        unit=unit.pk,
        platform="instagram",
        name=proposal.name,
        profile=address,
        proposed_owner="submitter",
    )
    response = client.post(edit, data)
    assert response.status_code == 400
    assert reason in html(response)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DRAFT

    # Answers and goals: what the submitter types on the page, kept as stored.
    data |= {f"answer-{answer.item.key}": answer.text for answer in proposal.answers.all()}
    goal = proposal.goals.get()
    data |= {
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "1",
        "goals-0-id": goal.pk,
        "goals-0-metric": goal.metric,
        "goals-0-target_value": goal.target_value,
        "goals-0-target_date": goal.target_date.isoformat(),
        "profile": "https://www.instagram.com/Eng.News/",
    }
    response = client.post(edit, data)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.profile == "https://www.instagram.com/Eng.News/"
    assert proposal.state == Proposal.State.AWAITING_UNIT_HEAD
