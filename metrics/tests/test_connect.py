"""Connecting a channel by signing in to its platform, end to end against a local OAuth
authorization server (metrics/tests/oauth_server.py): consent, refusal, a wrong state,
a replayed code, the account that does not manage the channel, who may connect, who
may still paste, and the renewal of tokens before they expire."""

import datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from metrics.models import ChannelToken
from metrics.providers.meta import InstagramProvider
from metrics.tasks import refresh_tokens
from portal.tests.factories import make_channel

from .oauth_server import CLIENTS, FakeAuthorizationServer

PAGE_ID = "104857600"
INSTAGRAM_ID = "17841400000000001"
ORGANIZATION_ID = "2414183"
YOUTUBE_ID = "UCabcdefghijklmnopqrstuv"


@pytest.fixture
def server(settings):
    with FakeAuthorizationServer() as fake:
        settings.METRICS_OAUTH_BASE_URL = fake.url
        settings.METRICS_OAUTH_CLIENTS = dict(CLIENTS)
        fake.pages = [
            {"id": PAGE_ID, "name": "Engineering"},
            {"id": "999", "name": "Another Page", "instagram_business_account": {"id": "555"}},
        ]
        fake.organizations = [ORGANIZATION_ID]
        fake.youtube_channels = [YOUTUBE_ID]
        yield fake


@pytest.fixture
def facebook(unit, submitter, deputy):
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        platform="facebook",
        profile_url=f"https://www.facebook.com/profile.php?id={PAGE_ID}",
        platform_id=PAGE_ID,
    )


@pytest.fixture
def linkedin(unit, submitter, deputy):
    return make_channel(
        unit=unit,
        owner=submitter,
        deputy=deputy,
        platform="linkedin",
        profile_url=f"https://www.linkedin.com/company/{ORGANIZATION_ID}/",
        platform_id=ORGANIZATION_ID,
    )


def connect_url(channel):
    return f"/metrics/channels/{channel.pk}/connect/"


def token_url(channel):
    return f"/metrics/channels/{channel.pk}/token/"


def start(client, channel):
    """Press "Connect": the address of the platform's consent page."""
    response = client.post(connect_url(channel))
    assert response.status_code == 302, response
    return response["Location"]


def consent(authorize_url):
    """What the platform does on its consent page: the address it sends the person
    back to (path and query, on the portal)."""
    answer = httpx.get(authorize_url, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    return f"{back.path}?{back.query}"


def sign_in(client, channel):
    return client.get(consent(start(client, channel)))


def stored():
    return list(ChannelToken.objects.all())


# --- Consent -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_owner_connects_a_facebook_page_and_its_page_token_is_stored(
    client, submitter, facebook, server
):
    client.force_login(submitter)

    response = sign_in(client, facebook)

    assert response.status_code == 302
    assert response["Location"] == token_url(facebook)
    token = ChannelToken.objects.get()
    assert token.value.startswith(f"page-{PAGE_ID}-")
    assert token.method == ChannelToken.Method.CONNECTED
    assert token.connected_as == "Alice Owner"
    assert token.saved_by == submitter
    # A Page token made from a long-lived user token does not expire; there is nothing
    # to renew and no day to warn about.
    assert (token.expires_at, token.expires_on, token.refresh_value) == (None, None, "")
    assert [form["grant_type"] for form in server.token_requests()] == [
        "authorization_code",
        "fb_exchange_token",
    ]
    page = client.get(token_url(facebook)).content.decode()
    assert "The channel is connected as Alice Owner." in page
    assert "Connected as Alice Owner, with no end date." in page
    assert "Reconnect with Facebook" in page


@pytest.mark.django_db
def test_the_token_is_stored_encrypted_and_never_shown(client, submitter, facebook, server):
    client.force_login(submitter)
    sign_in(client, facebook)
    token = ChannelToken.objects.get()
    assert token.value.encode() not in bytes(token.encrypted)
    assert token.value not in client.get(token_url(facebook)).content.decode()


@pytest.mark.django_db
def test_an_instagram_channel_takes_the_token_of_the_page_it_is_linked_to(
    client, submitter, unit, server
):
    server.pages.append(
        {"id": "777", "name": "Engineering", "instagram_business_account": {"id": INSTAGRAM_ID}}
    )
    channel = make_channel(
        unit=unit, owner=submitter, platform="instagram", platform_id=INSTAGRAM_ID
    )
    client.force_login(submitter)

    assert sign_in(client, channel).status_code == 302

    assert ChannelToken.objects.get().value.startswith("page-777-")


@pytest.mark.django_db
def test_an_instagram_channel_without_its_id_learns_it_from_the_only_linked_page(
    client, submitter, unit, server
):
    channel = make_channel(unit=unit, owner=submitter, platform="instagram")
    client.force_login(submitter)

    assert sign_in(client, channel).status_code == 302

    token = ChannelToken.objects.get()
    assert (token.account_id, token.value.startswith("page-999-")) == ("555", True)
    channel.refresh_from_db()
    assert InstagramProvider().account_id(channel) == "555"


@pytest.mark.django_db
def test_a_linkedin_page_is_connected_with_a_token_the_portal_renews(
    client, submitter, linkedin, server, frozen_now
):
    client.force_login(submitter)

    authorize = start(client, linkedin)
    # The least LinkedIn grants for what the portal reads (metrics/oauth.py says why).
    assert parse_qs(urlsplit(authorize).query)["scope"] == ["openid profile rw_organization_admin"]
    assert client.get(consent(authorize)).status_code == 302

    token = ChannelToken.objects.get()
    assert token.value.startswith("linkedin-access-")
    assert token.refresh_value.startswith("linkedin-refresh-")
    assert token.connected_as == "Alice Owner"
    assert token.scopes == "openid profile rw_organization_admin"
    assert abs(token.expires_at - (frozen_now + datetime.timedelta(days=60))) < (
        datetime.timedelta(minutes=1)
    )
    assert token.expires_on is None  # renewed, so nobody is warned


@pytest.mark.django_db
def test_google_is_asked_with_pkce_and_for_offline_access(client, submitter, unit, server):
    channel = make_channel(
        unit=unit,
        owner=submitter,
        platform="youtube",
        profile_url=f"https://www.youtube.com/channel/{YOUTUBE_ID}",
        platform_id=YOUTUBE_ID,
    )
    client.force_login(submitter)

    authorize = start(client, channel)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["access_type"] == ["offline"]
    # The channel's own id (youtube.readonly) and its private figures (yt-analytics).
    assert query["scope"] == [
        "openid email https://www.googleapis.com/auth/youtube.readonly "
        "https://www.googleapis.com/auth/yt-analytics.readonly"
    ]
    assert client.get(consent(authorize)).status_code == 302

    token = ChannelToken.objects.get()
    assert token.connected_as == "alice@example.org"
    assert token.refresh_value.startswith("google-refresh-")
    assert server.token_requests("authorization_code")[0]["code_verifier"]


@pytest.mark.django_db
def test_meta_and_linkedin_are_asked_without_pkce_but_with_a_fresh_state(
    client, submitter, facebook, server
):
    client.force_login(submitter)
    first = parse_qs(urlsplit(start(client, facebook)).query)
    second = parse_qs(urlsplit(start(client, facebook)).query)
    assert "code_challenge" not in first
    assert len(first["state"][0]) >= 32
    assert first["state"] != second["state"]
    assert first["redirect_uri"] == ["http://127.0.0.1:8000/metrics/oauth/callback/"]


@pytest.mark.django_db
def test_facebook_login_for_business_asks_with_its_configuration_instead_of_a_scope(
    client, submitter, facebook, server, settings
):
    settings.METRICS_META_CONFIG_ID = "1234567890"
    client.force_login(submitter)
    authorize = start(client, facebook)
    query = parse_qs(urlsplit(authorize).query)
    assert query["config_id"] == ["1234567890"]
    assert "scope" not in query
    assert client.get(consent(authorize)).status_code == 302
    assert ChannelToken.objects.get().value.startswith(f"page-{PAGE_ID}-")


# --- Refusal and mistakes: nothing is stored ------------------------------------------


@pytest.mark.django_db
def test_refusing_on_the_consent_page_stores_nothing_and_says_so(
    client, submitter, facebook, server
):
    server.consent = False
    client.force_login(submitter)

    response = sign_in(client, facebook)

    assert response.status_code == 302
    assert response["Location"] == token_url(facebook)
    assert stored() == []
    assert server.token_requests() == []
    page = client.get(token_url(facebook)).content.decode()
    assert "You did not allow the portal to read the channel. Nothing was saved." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["state=forged&code=abc", "code=abc", "state=&code=abc", "state=forged&error=x"]
)
def test_a_wrong_or_missing_state_is_refused_and_nothing_is_stored(
    client, submitter, facebook, server, query
):
    client.force_login(submitter)
    start(client, facebook)

    response = client.get(f"/metrics/oauth/callback/?{query}")

    assert response.status_code == 400
    assert "does not match a connection you started here" in response.content.decode()
    assert stored() == []
    assert server.token_requests() == []


@pytest.mark.django_db
def test_another_persons_state_is_refused(client, submitter, deputy, facebook, server):
    client.force_login(submitter)
    back = consent(start(client, facebook))
    client.force_login(deputy)  # a new session: the state is not theirs

    assert client.get(back).status_code == 400
    assert stored() == []


@pytest.mark.django_db
def test_a_sign_in_left_unfinished_too_long_is_refused(client, submitter, facebook, server):
    client.force_login(submitter)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        back = consent(start(client, facebook))
        clock.shift(datetime.timedelta(minutes=16))
        client.force_login(submitter)  # the session's own idle limit is not what is tested

        response = client.get(back)

    assert response.status_code == 400
    assert stored() == []
    assert server.token_requests() == []


@pytest.mark.django_db
def test_the_same_answer_cannot_be_used_twice(client, submitter, facebook, server):
    client.force_login(submitter)
    back = consent(start(client, facebook))
    assert client.get(back).status_code == 302
    first = ChannelToken.objects.get().value

    response = client.get(back)

    assert response.status_code == 400
    assert ChannelToken.objects.get().value == first


@pytest.mark.django_db
def test_a_replayed_code_is_refused_by_the_platform_and_nothing_changes(
    client, submitter, facebook, server
):
    client.force_login(submitter)
    back = consent(start(client, facebook))
    assert client.get(back).status_code == 302
    first = ChannelToken.objects.get().value
    used = parse_qs(urlsplit(back).query)["code"][0]

    # A new flow, answered with the code that was already exchanged.
    state = parse_qs(urlsplit(start(client, facebook)).query)["state"][0]
    response = client.get(f"/metrics/oauth/callback/?state={state}&code={used}")

    assert response.status_code == 400
    assert "refused the sign-in code" in response.content.decode()
    assert ChannelToken.objects.get().value == first


@pytest.mark.django_db
def test_an_account_that_does_not_manage_the_page_is_refused(client, submitter, facebook, server):
    server.pages = [{"id": "999", "name": "Another Page"}]
    client.force_login(submitter)

    response = sign_in(client, facebook)

    assert response.status_code == 400
    assert "does not manage this channel" in response.content.decode()
    assert stored() == []


@pytest.mark.django_db
def test_a_linkedin_account_that_is_no_administrator_is_refused(
    client, submitter, linkedin, server
):
    server.organizations = ["1"]
    client.force_login(submitter)

    response = sign_in(client, linkedin)

    assert response.status_code == 400
    assert "not an administrator" in response.content.decode()
    assert stored() == []


@pytest.mark.django_db
def test_a_platform_that_does_not_answer_gives_a_clear_page(
    client, submitter, facebook, server, settings
):
    client.force_login(submitter)
    back = consent(start(client, facebook))
    server.__exit__()
    response = client.get(back)
    assert response.status_code == 502
    assert "did not answer as expected" in response.content.decode()
    assert stored() == []


# --- Who -----------------------------------------------------------------------------

ROLES = [
    ("submitter", 302),
    ("deputy", 302),
    ("reviewer", 302),
    ("portal_admin", 302),
    ("colleague", 403),
    ("outsider", 403),
    ("unit_head", 403),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), ROLES)
def test_who_may_connect(client, request, facebook, server, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(connect_url(facebook))
    assert response.status_code == status
    assert bool(client.session.get("metrics_oauth")) == (status == 302)
    if status == 302:
        assert response["Location"].startswith(
            f"{server.url}/{django_settings.METRICS_META_GRAPH_VERSION}/dialog/oauth?"
        )


@pytest.mark.django_db
def test_connecting_needs_a_post(client, submitter, facebook, server):
    client.force_login(submitter)
    assert client.get(connect_url(facebook)).status_code == 405


@pytest.mark.django_db
def test_without_the_platforms_app_there_is_no_connect_button(client, submitter, facebook):
    client.force_login(submitter)
    assert client.post(connect_url(facebook)).status_code == 404
    assert "Connect with" not in client.get(token_url(facebook)).content.decode()


@pytest.mark.django_db
def test_where_signing_in_works_only_administrators_paste_a_token(
    client, submitter, reviewer, facebook, server
):
    client.force_login(submitter)
    page = client.get(token_url(facebook)).content.decode()
    assert "Connect with Facebook" in page
    assert 'name="token"' not in page
    response = client.post(token_url(facebook), {"token": "x" * 40})
    assert response.status_code == 403
    assert stored() == []

    client.force_login(reviewer)
    assert 'name="token"' in client.get(token_url(facebook)).content.decode()
    assert client.post(token_url(facebook), {"token": "x" * 40}).status_code == 302
    assert ChannelToken.objects.get().method == ChannelToken.Method.PASTED


# --- Renewal -------------------------------------------------------------------------


@pytest.fixture
def connected_linkedin(client, submitter, linkedin, server, frozen_now):
    client.force_login(submitter)
    sign_in(client, linkedin)
    return ChannelToken.objects.get()


@pytest.mark.django_db
def test_a_token_is_renewed_before_it_expires(connected_linkedin, server, frozen_now):
    assert refresh_tokens() == 0  # 60 days left: not yet
    with time_machine.travel(frozen_now + datetime.timedelta(days=58), tick=False):
        assert refresh_tokens() == 1
        token = ChannelToken.objects.get()
        assert token.value != connected_linkedin.value
        assert token.value.startswith("linkedin-access-")
        # LinkedIn keeps the refresh token (it does not send a new one).
        assert token.refresh_value == connected_linkedin.refresh_value
        expected = timezone.now() + datetime.timedelta(days=60)
        assert abs(token.expires_at - expected) < datetime.timedelta(seconds=2)
        assert refresh_tokens() == 0  # renewed: due again in 58 days


@pytest.mark.django_db
@pytest.mark.parametrize("end", ["expire", "revoke"])
def test_an_expired_or_revoked_refresh_token_marks_the_token_refused_and_tells_once(
    connected_linkedin,
    server,
    frozen_now,
    mailoutbox,
    submitter,
    deputy,
    end,
    django_capture_on_commit_callbacks,
):
    getattr(server, end)(connected_linkedin.refresh_value)
    with (
        time_machine.travel(frozen_now + datetime.timedelta(days=58), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert refresh_tokens() == 0
        assert refresh_tokens() == 0

    token = ChannelToken.objects.get()
    assert token.rejected_at is not None
    assert token.value == connected_linkedin.value
    assert len(server.token_requests("refresh_token")) == 1  # a refused one is left alone
    assert sorted(m.to[0] for m in mailoutbox) == sorted([submitter.email, deputy.email])
    assert mailoutbox[0].subject == f"Connect {token.channel.name} again"


@pytest.mark.django_db
def test_a_platform_that_does_not_answer_leaves_the_token_for_the_next_run(
    connected_linkedin, server, frozen_now, mailoutbox
):
    server.__exit__()
    with time_machine.travel(frozen_now + datetime.timedelta(days=58), tick=False):
        assert refresh_tokens() == 0
    token = ChannelToken.objects.get()
    assert (token.rejected_at, token.value, mailoutbox) == (None, connected_linkedin.value, [])


@pytest.mark.django_db
def test_reconnecting_clears_a_refusal(client, connected_linkedin, server, linkedin):
    connected_linkedin.mark_rejected()
    assert sign_in(client, linkedin).status_code == 302
    assert ChannelToken.objects.get().rejected_at is None


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_login_from_both_addresses(client, facebook, server):
    for response in [
        client.post(connect_url(facebook)),
        client.get("/metrics/oauth/callback/?state=x&code=y"),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert server.requests == []


@pytest.mark.django_db
def test_a_linkedin_token_without_refresh_token_is_warned_about_before_it_ends(
    client, submitter, linkedin, server, frozen_now, mailoutbox, django_capture_on_commit_callbacks
):
    from metrics.tasks import warn_expiring_tokens

    server.refresh_tokens.clear()  # LinkedIn gives refresh tokens to partners only
    original = server._new_token

    def without_refresh(platform, *, scope, refresh=True):
        return original(platform, scope=scope, refresh=False)

    server._new_token = without_refresh
    client.force_login(submitter)
    sign_in(client, linkedin)
    token = ChannelToken.objects.get()
    assert token.refresh_value == ""
    assert token.expires_on == timezone.localdate(token.expires_at)

    with (
        time_machine.travel(frozen_now + datetime.timedelta(days=50), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert refresh_tokens() == 0
        assert warn_expiring_tokens() == 1
    assert "connect the channel again" in mailoutbox[0].body
