from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base of the portal (core/__init__.py); its one model is the outbox, shown in
    the admin as "Delivery"."""

    name = "core"
    verbose_name = _("Delivery")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.person_facts import PEOPLE_VERSION

        # A person's groups are one of their cached facts (core.person_facts); the other
        # facts' inputs are declared by the apps that contribute them.
        memberships = get_user_model().groups.through
        m2m_changed.connect(PEOPLE_VERSION.changed, sender=memberships, dispatch_uid="people")
        for signal in (post_save, post_delete):
            signal.connect(PEOPLE_VERSION.changed, sender=Group, dispatch_uid="people")
