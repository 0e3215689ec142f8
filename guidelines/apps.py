from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelinesConfig(AppConfig):
    """The organisation's social media guidelines, versioned, and who acknowledged them."""

    name = "guidelines"
    verbose_name = _("Guidelines")

    def ready(self):
        from core import person_facts
        from guidelines import caching
        from guidelines.models import dismissed_notices

        for cached in caching.CACHED:
            cached.connect()
        person_facts.contribute("dismissed_notices", dismissed_notices, caching.PERSON_FACT_INPUTS)
        # Every signed-in page shows the notices in force (portal.context_processors).
        person_facts.read_along(caching.NOTICES)
