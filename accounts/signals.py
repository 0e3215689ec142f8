"""The registry's signals. The user model is Django's, not ours, so its save is the
only place that sees an account being deactivated, wherever that happens (admin,
single sign-on sync, shell); the work itself is a task, after commit. And the public
directory's cached pages are dropped whenever a channel or a unit is saved or deleted,
wherever that happens (the registry's operations, the admin, the shell)."""

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


def directory_source_changed(sender, instance, **kwargs):
    from accounts.models import directory_changed

    directory_changed()
