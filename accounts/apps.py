from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The registry of official social media accounts, and the units they belong to."""

    name = "accounts"
    verbose_name = _("Registry of official accounts")
