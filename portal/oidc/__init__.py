"""Single sign-on with OpenID Connect: django-allauth's provider, made stricter.

allauth's generic OpenID Connect provider skips the id_token's signature when the
token came straight from the token endpoint, sends no nonce, and takes the subject
from the userinfo answer. Here the id_token is always checked against the identity
provider's published keys (JWKS), for issuer, audience, expiry and the nonce sent with
the login; the person is the id_token's ``sub``; and a userinfo answer about another
subject is refused. Registered with allauth as the provider ``portal_oidc``.
"""
