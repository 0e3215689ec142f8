from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base of the portal (core/__init__.py); its one model is the outbox, shown in
    the admin as "Delivery"."""

    name = "core"
    verbose_name = _("Delivery")

    def ready(self):
        from core.person_facts import PEOPLE

        PEOPLE.connect()
