from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelinesConfig(AppConfig):
    """The organisation's social media guidelines, versioned, and who acknowledged them."""

    name = "guidelines"
    verbose_name = _("Guidelines")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core import person_facts
        from core.person_facts import PEOPLE_VERSION
        from guidelines.models import (
            NOTICES_VERSION,
            Guideline,
            GuidelineVersion,
            SiteNotice,
            dismissed_notices,
        )

        for signal in (post_save, post_delete):
            # The guidelines a person must acknowledge (accounts' fact) change with them.
            for model in (Guideline, GuidelineVersion):
                signal.connect(PEOPLE_VERSION.changed, sender=model, dispatch_uid="people")
            signal.connect(NOTICES_VERSION.changed, sender=SiteNotice, dispatch_uid="notices")
        person_facts.contribute("dismissed_notices", dismissed_notices)
