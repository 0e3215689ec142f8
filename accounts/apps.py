from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The registry of official social media accounts, and the units they belong to."""

    name = "accounts"
    verbose_name = _("Registry of official accounts")

    def ready(self):
        from accounts import access, caching
        from accounts.signals import user_saved
        from core import person_facts
        from guidelines import audience

        post_save.connect(user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="orphans")
        for cached in caching.CACHED:
            cached.connect()
        person_facts.contribute("is_unit_head", access.heads_a_unit)
        person_facts.contribute(
            "pending_guidelines", access.pending_owner_guidelines, caching.PERSON_FACT_INPUTS
        )
        # Who the guidelines and crisis notices are for: the people who run channels.
        audience.provide(people=access.guideline_audience, with_channels=access.with_channels)
