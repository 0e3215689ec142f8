from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo university (``manage.py seed_demo``): demo data only, no models."""

    name = "demo"
    verbose_name = _("Demo data")
