"""The registry's signals. The user model is Django's, not ours, so its save is the
only place that sees an account being deactivated, wherever that happens (admin,
single sign-on sync, shell); the work itself is a follow-up task, written to the outbox
with the save (core.models.OutboxMessage). And the cached
pages of the public directory and of the registry are dropped whenever what they show
is saved or deleted, wherever that happens (the registry's operations, the admin, the
shell)."""

from django.db import transaction

from accounts.models import REGISTRY_VERSION, WARNING_COUNTS_VERSION
from core.models import OutboxMessage

# What lists show of a person (the registry's rows, the review queue's).
_SHOWN_OF_A_PERSON = {"first_name", "last_name", "username", "is_active"}


def shown_person_changed(created, update_fields):
    """Did a save of an existing user change what lists show of them? (Not a sign-in,
    which saves last_login only.)"""
    return not created and (update_fields is None or bool(_SHOWN_OF_A_PERSON & set(update_fields)))


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created:
        return
    if shown_person_changed(created, update_fields):
        REGISTRY_VERSION.changed()
    if update_fields is not None and "is_active" not in update_fields:
        return
    # An account (re)activated or deactivated may change who is orphaned.
    transaction.on_commit(WARNING_COUNTS_VERSION.bump)
    if not instance.is_active:
        OutboxMessage.objects.add_task("accounts.tasks.report_orphaned_channels", instance.pk)
