from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.models import Channel, ChannelRole, Unit
        from guidelines.models import Guideline, GuidelineVersion, SiteNotice
        from portal import checks  # noqa: F401  (registers the portal's system checks)
        from portal.person_cache import NOTICES_VERSION, PEOPLE_VERSION
        from portal.sessions import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="portal.sessions")
        # What the cached facts of many people at once depend on (portal.person_cache).
        memberships = get_user_model().groups.through
        m2m_changed.connect(PEOPLE_VERSION.changed, sender=memberships, dispatch_uid="people")
        for signal in (post_save, post_delete):
            for model in (Group, Unit, Channel, ChannelRole, Guideline, GuidelineVersion):
                signal.connect(PEOPLE_VERSION.changed, sender=model, dispatch_uid="people")
            signal.connect(NOTICES_VERSION.changed, sender=SiteNotice, dispatch_uid="notices")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, served by the portal's own admin site (portal.admin_site)."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"
