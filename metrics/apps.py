from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    """Follower and engagement figures collected from the platforms, and dormancy."""

    name = "metrics"
    verbose_name = _("Metrics")

    def ready(self):
        from metrics import caching

        for cached in caching.CACHED:
            cached.connect()
