from django.apps import AppConfig


class OIDCConfig(AppConfig):
    name = "portal.oidc"
    label = "portal_oidc"
    verbose_name = "OpenID Connect"
