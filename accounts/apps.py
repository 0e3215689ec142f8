from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The registry of official social media accounts, and the units they belong to."""

    name = "accounts"
    verbose_name = _("Registry of official accounts")

    def ready(self):
        from accounts import access
        from accounts.models import (
            DIRECTORY_VERSION,
            REGISTRY_VERSION,
            Channel,
            ChannelRole,
            Unit,
        )
        from accounts.signals import user_saved
        from core import person_facts
        from core.person_facts import PEOPLE_VERSION
        from guidelines import audience

        post_save.connect(user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="orphans")
        for signal in (post_save, post_delete):
            for model in (Channel, Unit):
                signal.connect(DIRECTORY_VERSION.changed, sender=model, dispatch_uid="directory")
            for model in (Channel, ChannelRole, Unit):
                signal.connect(REGISTRY_VERSION.changed, sender=model, dispatch_uid="registry")
                # Who heads a unit, who runs a channel (a person's facts, below).
                signal.connect(PEOPLE_VERSION.changed, sender=model, dispatch_uid="people")
        person_facts.contribute("is_unit_head", access.heads_a_unit)
        person_facts.contribute("pending_guidelines", access.pending_owner_guidelines)
        # Who the guidelines and crisis notices are for: the people who run channels.
        audience.provide(people=access.guideline_audience, with_channels=access.with_channels)
