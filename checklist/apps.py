from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistConfig(AppConfig):
    """Proposals for new official accounts, written against a versioned checklist, and
    their review."""

    name = "checklist"
    verbose_name = _("Proposals and review")

    def ready(self):
        from checklist import caching

        for cached in caching.CACHED:
            cached.connect()
