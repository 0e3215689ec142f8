from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    """Follower and engagement figures collected from the platforms, and dormancy."""

    name = "metrics"
    verbose_name = _("Metrics")

    def ready(self):
        from accounts.models import Channel, ChannelEvent, ChannelRole, Unit
        from checklist.models import Goal
        from metrics.models import PORTFOLIO_VERSION, ChannelSummary, goal_changed

        # What the portfolio's cached breakdown shows, and who sees which channels.
        for model in (Channel, ChannelEvent, ChannelRole, ChannelSummary, Unit):
            for signal in (post_save, post_delete):
                signal.connect(PORTFOLIO_VERSION.changed, sender=model, dispatch_uid="portfolio")
        for signal in (post_save, post_delete):
            signal.connect(goal_changed, sender=Goal, dispatch_uid="portfolio")
