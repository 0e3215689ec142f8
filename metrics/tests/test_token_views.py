"""The owner's API token: who may save and remove it, bad input, and that the token is
stored encrypted and never shown again."""

import datetime

import pytest

from metrics.models import ChannelToken
from portal.tests.factories import make_channel
from portal.tests.responses import text

TOKEN = "EAAGm0PX4ZCpsBAFictionalTokenValue1234567890abcdef"
OLD_TOKEN = "IGQVJOldFictionalTokenValue0987654321zyxwv"


@pytest.fixture
def stored(channel, submitter):
    return ChannelToken.store(
        channel=channel, value=OLD_TOKEN, expires_on=datetime.date(2027, 1, 31), by=submitter
    )


def token_url(channel):
    return f"/metrics/channels/{channel.pk}/token/"


def delete_url(channel):
    return f"/metrics/channels/{channel.pk}/token/delete/"


def stored_values():
    return [(token.value, token.expires_on) for token in ChannelToken.objects.all()]


# --- Who -----------------------------------------------------------------------------

ROLES = [
    ("submitter", 302),  # the responsible owner
    ("deputy", 302),
    ("reviewer", 302),  # the communications office
    ("portal_admin", 302),
    ("colleague", 403),
    ("outsider", 403),
    ("unit_head", 403),
]


@pytest.mark.parametrize(("persona", "status"), ROLES)
def test_who_may_save_a_token(client, request, frozen_now, channel, stored, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(token_url(channel), {"token": TOKEN, "expires_on": "2027-06-30"})
    assert response.status_code == status
    if status == 302:
        assert stored_values() == [(TOKEN, datetime.date(2027, 6, 30))]
    else:
        assert stored_values() == [(OLD_TOKEN, datetime.date(2027, 1, 31))]


@pytest.mark.parametrize(("persona", "status"), [(p, 200 if s == 302 else s) for p, s in ROLES])
def test_who_may_open_the_token_page(client, request, channel, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(token_url(channel)).status_code == status


@pytest.mark.parametrize(("persona", "status"), ROLES)
def test_who_may_remove_the_token(client, request, channel, stored, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(delete_url(channel))
    assert response.status_code == status
    assert ChannelToken.objects.count() == (0 if status == 302 else 1)


@pytest.mark.parametrize("url", [token_url, delete_url])
def test_an_anonymous_visitor_is_sent_to_login_and_nothing_changes(client, channel, stored, url):
    response = client.post(url(channel), {"token": TOKEN})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert stored_values() == [(OLD_TOKEN, datetime.date(2027, 1, 31))]


def test_an_inactive_account_is_sent_to_login(client, inactive_user, channel):
    client.force_login(inactive_user)
    response = client.get(token_url(channel))
    assert (response.status_code, response["Location"].startswith("/login/")) == (302, True)


def test_nobody_saves_or_removes_the_token_of_a_closed_channel(client, reviewer, unit, submitter):
    closed = make_channel(unit=unit, owner=submitter, status="closed")
    ChannelToken.store(channel=closed, value=OLD_TOKEN, expires_on=None, by=submitter)
    client.force_login(reviewer)
    assert client.get(token_url(closed)).status_code == 403
    assert client.post(token_url(closed), {"token": TOKEN}).status_code == 403
    assert client.post(delete_url(closed)).status_code == 403
    assert stored_values() == [(OLD_TOKEN, None)]


@pytest.mark.parametrize("url", [token_url, delete_url])
def test_a_platform_that_needs_no_token_has_no_token_page(client, submitter, unit, url):
    mastodon = make_channel(unit=unit, owner=submitter, platform="mastodon")
    client.force_login(submitter)
    assert client.post(url(mastodon), {"token": TOKEN}).status_code == 404
    assert ChannelToken.objects.count() == 0


def test_an_unknown_channel_answers_404(client, submitter):
    client.force_login(submitter)
    assert client.get("/metrics/channels/999999/token/").status_code == 404


@pytest.mark.parametrize(
    ("platform", "address"),
    [
        ("facebook", "https://www.facebook.com/fictionaluni"),
        ("instagram", "https://www.instagram.com/fictional.uni/"),
        ("linkedin", "https://www.linkedin.com/company/fictional-uni/"),
    ],
)
def test_facebook_instagram_and_linkedin_channels_take_a_token(
    client, submitter, unit, platform, address
):
    other = make_channel(unit=unit, owner=submitter, platform=platform, profile_url=address)
    client.force_login(submitter)
    assert client.post(token_url(other), {"token": TOKEN}).status_code == 302
    assert ChannelToken.objects.get().channel == other


# --- Saving --------------------------------------------------------------------------


def test_a_saved_token_is_stored_encrypted_and_the_owner_goes_back_to_the_channel(
    client, frozen_now, submitter, channel
):
    client.force_login(submitter)
    response = client.post(
        token_url(channel), {"token": f"  {TOKEN}\n", "expires_on": "2027-06-30"}, follow=True
    )
    assert response.redirect_chain == [(f"/registry/{channel.pk}/", 302)]
    assert "The token is saved. It will not be shown again." in text(response)
    token = ChannelToken.objects.get()
    assert (token.value, token.expires_on, token.saved_by) == (
        TOKEN,
        datetime.date(2027, 6, 30),
        submitter,
    )
    assert TOKEN.encode() not in bytes(token.encrypted)
    assert TOKEN not in text(response)


def test_saving_a_new_token_replaces_the_old_one_and_its_refusal(
    client, frozen_now, deputy, channel, stored
):
    stored.mark_rejected()
    client.force_login(deputy)
    client.post(token_url(channel), {"token": TOKEN, "expires_on": ""})
    token = ChannelToken.objects.get()
    assert (token.value, token.expires_on, token.saved_by, token.rejected_at) == (
        TOKEN,
        None,
        deputy,
        None,
    )


def test_the_page_tells_about_the_stored_token_but_never_shows_it(
    client, frozen_now, submitter, channel, stored
):
    stored.mark_rejected()
    client.force_login(submitter)
    page = text(client.get(token_url(channel)))
    assert "2026-11-20 07:00 by Siri" in page  # saved, in Stockholm time
    assert "2027-01-31" in page  # expires
    assert "refused" in page
    assert '<input type="password" name="token"' in page
    assert 'name="token" value' not in page
    assert OLD_TOKEN not in page


def test_the_page_says_when_no_token_is_stored(client, submitter, channel):
    client.force_login(submitter)
    assert "No token is stored." in text(client.get(token_url(channel)))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Paste the token."),
        ("   ", "Paste the token."),
        ("tooshort123", "This is too short for a token (at least 20 characters)"),
        ("x" * 4001, "This is too long for a token (at most 4000 characters)"),
        (f"{TOKEN} {TOKEN}", "A token has no spaces or line breaks"),
        (f"{TOKEN}\n{TOKEN}", "A token has no spaces or line breaks"),
    ],
)
def test_a_bad_token_is_refused_with_a_message_and_the_expiry_date_kept(
    client, frozen_now, submitter, channel, typed, message
):
    client.force_login(submitter)
    response = client.post(token_url(channel), {"token": typed, "expires_on": "2027-06-30"})
    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "paste it again" in page
    assert 'value="2027-06-30"' in page
    assert 'name="token" value' not in page
    assert ChannelToken.objects.count() == 0


def test_a_past_expiry_date_is_refused_and_the_token_must_be_pasted_again(
    client, frozen_now, submitter, channel
):
    client.force_login(submitter)
    response = client.post(token_url(channel), {"token": TOKEN, "expires_on": "2026-11-19"})
    assert response.status_code == 400
    page = text(response)
    assert "This date has passed." in page
    assert 'value="2026-11-19"' in page
    assert TOKEN not in page
    assert ChannelToken.objects.count() == 0


def test_an_unreadable_expiry_date_is_refused(client, submitter, channel):
    client.force_login(submitter)
    response = client.post(token_url(channel), {"token": TOKEN, "expires_on": "next spring"})
    assert response.status_code == 400
    assert "Enter a valid date." in text(response)
    assert TOKEN not in text(response)


def test_the_token_appears_in_no_page_after_saving(client, submitter, channel):
    client.force_login(submitter)
    client.post(token_url(channel), {"token": TOKEN})
    pages = [
        token_url(channel),
        f"/registry/{channel.pk}/",
        f"/metrics/channels/{channel.pk}/figures/",
    ]
    assert {page: TOKEN in text(client.get(page)) for page in pages} == dict.fromkeys(pages, False)


# --- Removing ------------------------------------------------------------------------


def test_the_owner_removes_the_token(client, submitter, channel, stored):
    client.force_login(submitter)
    response = client.post(delete_url(channel), follow=True)
    assert response.redirect_chain == [(f"/registry/{channel.pk}/", 302)]
    assert "The token is removed." in text(response)
    assert ChannelToken.objects.count() == 0


def test_removing_when_there_is_no_token_says_so(client, submitter, channel):
    client.force_login(submitter)
    response = client.post(delete_url(channel), follow=True)
    assert "There was no token to remove." in text(response)


def test_removing_needs_a_post(client, submitter, channel, stored):
    client.force_login(submitter)
    assert client.get(delete_url(channel)).status_code == 405
    assert ChannelToken.objects.count() == 1


def test_the_token_page_speaks_swedish(client, settings, submitter, channel):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    client.force_login(submitter)
    page = text(client.get(token_url(channel)))
    assert "Åtkomsttoken för Instagram" in page
    assert "Ingen åtkomsttoken är sparad." in page
