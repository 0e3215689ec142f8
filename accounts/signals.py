"""The one signal in the registry: the user model is Django's, not ours, so its save
is the only place that sees an account being deactivated, wherever that happens
(admin, single sign-on sync, shell). The work itself is a task, after commit."""

from django.db import transaction


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and "is_active" not in update_fields):
        return
    from accounts.models import forget_warning_counts
    from accounts.tasks import report_orphaned_channels

    # An account (re)activated or deactivated may change who is orphaned.
    transaction.on_commit(forget_warning_counts)
    if not instance.is_active:
        transaction.on_commit(lambda: report_orphaned_channels.delay(instance.pk))
