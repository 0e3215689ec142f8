"""Single sign-on with SAML 2.0, through allauth's real flow: the portal asks the
identity provider to authenticate, and accepts only a response to that request whose
assertion the identity provider signed. The identity provider is played here with a key
and certificate made by the test; nothing goes over the network."""

import base64
import datetime as dt
import uuid
import zlib
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.contrib.auth import SESSION_KEY, get_user_model
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from portal.tests.factories import make_user, signed_in_user

IDP = "https://idp.example.edu/idp"
SP = "https://portal.example.edu/saml"
LOGIN = "/accounts/saml/university/login/"
ACS = "/accounts/saml/university/acs/"
HOST = "portal.example.edu"  # python3-saml wants a dotted host name
ACS_URL = f"http://{HOST}{ACS}"


def key_and_certificate(name="idp.example.edu"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def idp_keys():
    return key_and_certificate()


@pytest.fixture
def saml(db, settings, idp_keys, client):
    _key, certificate = idp_keys
    settings.ALLOWED_HOSTS = [HOST]
    client.defaults["HTTP_HOST"] = HOST
    settings.SOCIALACCOUNT_PROVIDERS = {
        "saml": {
            "APPS": [
                {
                    "client_id": "university",
                    "provider_id": "university",
                    "name": "University login",
                    "settings": {
                        "idp": {
                            "entity_id": IDP,
                            "sso_url": f"{IDP}/sso",
                            "x509cert": certificate,
                        },
                        "sp": {"entity_id": SP},
                        "attribute_mapping": {
                            "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
                            "email": ["mail"],
                            "first_name": ["givenName"],
                            "last_name": ["sn"],
                            "username": ["uid"],
                        },
                        "advanced": {
                            "strict": True,
                            "want_assertion_signed": True,
                            "reject_idp_initiated_sso": True,
                        },
                    },
                }
            ]
        }
    }


def start(client):
    """The portal's request to the identity provider; returns its ID."""
    response = client.post(LOGIN)
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{IDP}/sso"
    request_xml = zlib.decompress(
        base64.b64decode(parse_qs(location.query)["SAMLRequest"][0]), -15
    ).decode()
    return request_xml.split(' ID="', 1)[1].split('"', 1)[0]


def timestamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def assertion_xml(*, in_response_to, subject_id, audience=SP, attributes=None):
    now = dt.datetime.now(dt.UTC)
    later = timestamp(now + dt.timedelta(minutes=5))
    values = {"urn:oasis:names:tc:SAML:attribute:subject-id": subject_id, **(attributes or {})}
    statements = "".join(
        f'<saml:Attribute Name="{name}"><saml:AttributeValue>{value}</saml:AttributeValue>'
        "</saml:Attribute>"
        for name, value in values.items()
    )
    return (
        '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{timestamp(now)}">'
        f"<saml:Issuer>{IDP}</saml:Issuer>"
        "<saml:Subject>"
        '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">'
        f"_{uuid.uuid4().hex}</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient="{ACS_URL}" '
        f'InResponseTo="{in_response_to}"/>'
        "</saml:SubjectConfirmation></saml:Subject>"
        f'<saml:Conditions NotBefore="{timestamp(now - dt.timedelta(minutes=1))}" '
        f'NotOnOrAfter="{later}">'
        f"<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{timestamp(now)}" SessionIndex="_session">'
        "<saml:AuthnContext><saml:AuthnContextClassRef>"
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
        f"<saml:AttributeStatement>{statements}</saml:AttributeStatement>"
        "</saml:Assertion>"
    )


def sign(xml, keys):
    key, certificate = keys
    signed = OneLogin_Saml2_Utils.add_sign(
        xml,
        key,
        certificate,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return signed.decode() if isinstance(signed, bytes) else signed


def response_xml(assertion, *, in_response_to):
    now = timestamp(dt.datetime.now(dt.UTC))
    assertion = assertion.removeprefix('<?xml version="1.0"?>').strip()
    return (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{now}" '
        f'Destination="{ACS_URL}" InResponseTo="{in_response_to}">'
        f"<saml:Issuer>{IDP}</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        "</samlp:Status>"
        f"{assertion}"
        "</samlp:Response>"
    )


def post_to_acs(client, xml):
    encoded = base64.b64encode(xml.encode()).decode()
    return client.post(ACS, {"SAMLResponse": encoded, "RelayState": ""}, follow=True)


ATTRIBUTES = {"mail": "anna.berg@example.edu", "givenName": "Anna", "sn": "Berg", "uid": "anna"}


def test_a_signed_assertion_signs_the_person_in_by_their_subject_id(client, saml, idp_keys):
    request_id = start(client)
    assertion = sign(
        assertion_xml(
            in_response_to=request_id, subject_id="a1b2@example.edu", attributes=ATTRIBUTES
        ),
        idp_keys,
    )

    response = post_to_acs(client, response_xml(assertion, in_response_to=request_id))

    assert response.redirect_chain[-1] == ("/", 302)
    user = signed_in_user(client)
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "anna",
        "Anna",
        "Berg",
        "anna.berg@example.edu",
    )
    assert list(SocialAccount.objects.values_list("provider", "uid", "user")) == [
        ("university", "a1b2@example.edu", user.pk)
    ]


def test_an_email_equal_to_a_local_account_does_not_sign_into_it(client, saml, idp_keys):
    local = make_user(username="anna")  # anna@example.org
    request_id = start(client)
    assertion = sign(
        assertion_xml(
            in_response_to=request_id,
            subject_id="a1b2@example.edu",
            attributes={"mail": "anna@example.org", "uid": "anna"},
        ),
        idp_keys,
    )

    post_to_acs(client, response_xml(assertion, in_response_to=request_id))

    user = signed_in_user(client)
    assert user is not None and user != local
    assert SocialAccount.objects.get().user == user


def refused(client, response):
    return (
        SESSION_KEY not in client.session
        and response.status_code == 401
        and "Third-Party Login Failure" in response.content.decode()
        and get_user_model().objects.count() == 0
    )


def test_an_unsigned_response_is_refused(client, saml):
    request_id = start(client)
    assertion = assertion_xml(in_response_to=request_id, subject_id="a1b2@example.edu")
    response = post_to_acs(client, response_xml(assertion, in_response_to=request_id))
    assert refused(client, response)


def test_a_response_signed_with_another_key_is_refused(client, saml):
    request_id = start(client)
    assertion = sign(
        assertion_xml(in_response_to=request_id, subject_id="a1b2@example.edu"),
        key_and_certificate("impostor.example.org"),
    )
    response = post_to_acs(client, response_xml(assertion, in_response_to=request_id))
    assert refused(client, response)


def test_an_assertion_changed_after_signing_is_refused(client, saml, idp_keys):
    request_id = start(client)
    assertion = sign(
        assertion_xml(in_response_to=request_id, subject_id="a1b2@example.edu"), idp_keys
    ).replace("a1b2@example.edu", "admin@example.edu")
    response = post_to_acs(client, response_xml(assertion, in_response_to=request_id))
    assert refused(client, response)


def test_an_assertion_for_another_service_is_refused(client, saml, idp_keys):
    request_id = start(client)
    assertion = sign(
        assertion_xml(
            in_response_to=request_id,
            subject_id="a1b2@example.edu",
            audience="https://other.example.edu/saml",
        ),
        idp_keys,
    )
    response = post_to_acs(client, response_xml(assertion, in_response_to=request_id))
    assert refused(client, response)


def test_a_response_the_portal_did_not_ask_for_is_refused(client, saml, idp_keys):
    assertion = sign(
        assertion_xml(in_response_to="_never-asked", subject_id="a1b2@example.edu"), idp_keys
    )
    response = post_to_acs(client, response_xml(assertion, in_response_to="_never-asked"))
    assert SESSION_KEY not in client.session
    assert get_user_model().objects.count() == 0
    assert response.status_code == 403


def test_the_login_page_offers_the_saml_provider(client, saml):
    html = client.get("/login/").content.decode()
    assert 'action="/accounts/saml/university/login/?process=login"' in html
    assert ">Sign in with University login</button>" in html
