from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LookalikesConfig(AppConfig):
    """The impersonation watch: searching the platforms for accounts that look like the
    registry's official ones, scoring them, and handing the likely ones to the office's
    triage queue (accounts' suspicious-account reports, source "lookalike")."""

    name = "lookalikes"
    verbose_name = _("Impersonation watch")
