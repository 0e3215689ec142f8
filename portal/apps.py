from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal import caching, checks  # noqa: F401  (checks registers the system checks)
        from portal.sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="portal.sessions")
        for cached in caching.CACHED:
            cached.connect()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, served by the portal's own admin site (core.admin_site)."""

    default = False
    default_site = "core.admin_site.PortalAdminSite"
