from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.utils.crypto import get_random_string

from portal.oidc.views import PortalOIDCAdapter


class PortalOIDCProvider(OpenIDConnectProvider):
    id = "portal_oidc"
    oauth2_adapter_class = PortalOIDCAdapter
    # Proof key for the code exchange, on by default.
    pkce_enabled_default = True

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """Sends a fresh nonce with the login and keeps it in allauth's state."""
        nonce = get_random_string(32)
        auth_params = kwargs.get("auth_params")
        if auth_params is None:
            auth_params = self.get_auth_params()
        kwargs["auth_params"] = {**auth_params, "nonce": nonce}
        kwargs["nonce"] = nonce
        return super().redirect(request, process, next_url, data, **kwargs)

    def extract_uid(self, data):
        return str(data["id_token"]["sub"])

    def extract_common_fields(self, data):
        return super().extract_common_fields({"userinfo": {**data["id_token"], **data["userinfo"]}})

    def extract_email_addresses(self, data):
        return super().extract_email_addresses(
            {"userinfo": {**data["id_token"], **data["userinfo"]}}
        )


provider_classes = [PortalOIDCProvider]
