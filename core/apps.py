from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base of the portal (core/__init__.py); its one model is the outbox, shown in
    the admin as "Delivery"."""

    name = "core"
    verbose_name = _("Delivery")

    def ready(self):
        from django.core import signals

        from core import caching
        from core.person_facts import PEOPLE

        PEOPLE.connect()
        # The cache versions are read once per request (core.caching).
        signals.request_started.connect(caching.request_started, dispatch_uid="versions")
        signals.request_finished.connect(caching.request_finished, dispatch_uid="versions")
