"""Single sign-on with OpenID Connect, through allauth's real flow against a fake
identity provider on the loopback interface: the login starts with state, nonce and
PKCE; the callback makes allauth fetch the token over HTTP; only a correctly signed
id_token for this portal, with the nonce sent, signs the person in, who is known by the
provider's subject."""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY, get_user_model

from portal.tests import oidc_provider
from portal.tests.factories import make_user, signed_in_user

LOGIN = "/accounts/oidc/university/login/"
CALLBACK = "/accounts/oidc/university/login/callback/"


@pytest.fixture
def idp(db, settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with oidc_provider.FakeIdentityProvider() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "portal_oidc": {
                "APPS": [
                    {
                        "provider_id": "university",
                        "name": "University ID",
                        "client_id": oidc_provider.CLIENT_ID,
                        "secret": oidc_provider.CLIENT_SECRET,
                        "settings": {"server_url": provider.url},
                    }
                ]
            }
        }
        yield provider


def start(client):
    response = client.post(LOGIN)
    assert response.status_code == 302
    return urlparse(response["Location"]), parse_qs(urlparse(response["Location"]).query)


def sign_in(client, idp, *, sub="f3a9-0001", **claims):
    """The whole round trip; returns the portal's answer to the callback."""
    _url, params = start(client)
    code = idp.issue_code(
        nonce=params["nonce"][0], code_challenge=params["code_challenge"][0], sub=sub, **claims
    )
    return client.get(CALLBACK, {"code": code, "state": params["state"][0]})


def test_the_login_starts_at_the_provider_with_state_nonce_and_pkce(client, idp):
    url, params = start(client)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{idp.url}/authorize"
    assert params["client_id"] == ["portal"]
    assert params["redirect_uri"] == ["http://testserver/accounts/oidc/university/login/callback/"]
    assert params["response_type"] == ["code"]
    assert sorted(params["scope"][0].split()) == ["email", "openid", "profile"]
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["state"][0]) >= 12
    assert len(params["nonce"][0]) == 32


def test_a_first_sign_in_makes_an_account_known_by_the_subject(client, idp):
    response = sign_in(
        client,
        idp,
        sub="f3a9-0001",
        preferred_username="anna",
        given_name="Anna",
        family_name="Berg",
        email="anna.berg@example.edu",
    )

    assert (response.status_code, response["Location"]) == (302, "/")
    user = signed_in_user(client)
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "anna",
        "Anna",
        "Berg",
        "anna.berg@example.edu",
    )
    assert list(SocialAccount.objects.values_list("provider", "uid", "user")) == [
        ("university", "f3a9-0001", user.pk)
    ]
    assert idp.token_requests == 1


def test_the_next_sign_in_finds_the_same_account(client, idp):
    sign_in(client, idp, sub="f3a9-0001", preferred_username="anna")
    first = signed_in_user(client)
    client.post("/logout/")

    sign_in(client, idp, sub="f3a9-0001", preferred_username="anna-renamed")

    assert signed_in_user(client) == first
    assert get_user_model().objects.count() == 1


def test_an_email_equal_to_a_local_account_does_not_sign_into_it(client, idp):
    local = make_user(username="staffer")  # staffer@example.org

    response = sign_in(
        client, idp, sub="f3a9-0002", preferred_username="staffer", email="staffer@example.org"
    )

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user != local
    assert user.username != "staffer"
    assert SocialAccount.objects.get().user == user
    assert not SocialAccount.objects.filter(user=local).exists()


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda idp: setattr(idp, "tamper", True), id="tampered payload"),
        pytest.param(
            lambda idp: setattr(idp, "signing_key", oidc_provider.new_key()), id="foreign key"
        ),
        pytest.param(
            lambda idp: idp.id_token_changes.update(aud="another-portal"), id="wrong audience"
        ),
        pytest.param(
            lambda idp: idp.id_token_changes.update(iss="http://127.0.0.1:1"), id="wrong issuer"
        ),
        pytest.param(lambda idp: idp.id_token_changes.update(nonce="replayed"), id="wrong nonce"),
        pytest.param(lambda idp: idp.id_token_changes.update(exp=1), id="expired"),
        pytest.param(
            lambda idp: idp.userinfo_changes.update(sub="someone-else"), id="userinfo subject"
        ),
    ],
)
def test_a_bad_id_token_signs_nobody_in(client, idp, spoil):
    spoil(idp)

    response = sign_in(client, idp, sub="f3a9-0003", preferred_username="mallory")

    assert response.status_code == 401
    assert "Third-Party Login Failure" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert get_user_model().objects.count() == 0


def test_a_callback_without_the_login_state_signs_nobody_in(client, idp):
    code = idp.issue_code(nonce="x", code_challenge="y", sub="f3a9-0004")
    response = client.get(CALLBACK, {"code": code, "state": "forged"})
    assert response.status_code == 401
    assert SESSION_KEY not in client.session
    assert idp.token_requests == 0


def test_without_provisioning_an_unknown_person_gets_no_account(client, idp, settings):
    settings.PORTAL_SSO_PROVISION = False
    response = sign_in(client, idp, sub="f3a9-0005", preferred_username="newcomer")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert get_user_model().objects.count() == 0


def test_the_login_page_offers_the_provider_only_when_configured(client, db, settings):
    assert "single-sign-on" not in client.get("/login/").content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "portal_oidc": {
            "APPS": [
                {
                    "provider_id": "university",
                    "name": "University ID",
                    "client_id": "portal",
                    "secret": "x",
                    "settings": {"server_url": "http://127.0.0.1:9"},
                }
            ]
        }
    }
    html = client.get("/login/?next=/registry/").content.decode()
    assert 'action="/accounts/oidc/university/login/?process=login&amp;next=%2Fregistry%2F"' in html
    assert ">Sign in with University ID</button>" in html


def test_the_locale_claim_becomes_the_persons_language(client, idp):
    from core.models import Preference

    sign_in(client, idp, sub="f3a9-0001", preferred_username="anna", locale="sv-SE")
    anna = signed_in_user(client)
    assert Preference.objects.languages_of([anna]) == {anna.pk: "sv"}
    client.post("/logout/")

    sign_in(client, idp, sub="f3a9-0001", preferred_username="anna", locale="en")
    assert Preference.objects.languages_of([anna]) == {anna.pk: "en"}
