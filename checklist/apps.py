from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _person_saved(sender, instance, created, update_fields=None, **kwargs):
    from accounts.signals import shown_person_changed
    from checklist.models import PROPOSALS_VERSION

    if shown_person_changed(created, update_fields):
        PROPOSALS_VERSION.changed()


class ChecklistConfig(AppConfig):
    """Proposals for new official accounts, written against a versioned checklist, and
    their review."""

    name = "checklist"
    verbose_name = _("Proposals and review")

    def ready(self):
        from accounts.models import Unit
        from checklist.models import (
            PROPOSALS_VERSION,
            Answer,
            ChecklistItem,
            ChecklistTemplate,
            Goal,
            ItemComment,
            Proposal,
            Transition,
        )

        # What the review queues and the proposals' pages show (checklist/views/).
        shown = (Proposal, Answer, Goal, Transition, ItemComment, ChecklistItem, ChecklistTemplate)
        for signal in (post_save, post_delete):
            for model in (*shown, Unit):
                signal.connect(PROPOSALS_VERSION.changed, sender=model, dispatch_uid="queue")
        post_save.connect(_person_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="queue")
