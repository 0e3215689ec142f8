from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelinesConfig(AppConfig):
    """The organisation's social media guidelines, versioned, and who acknowledged them."""

    name = "guidelines"
    verbose_name = _("Guidelines")
