"""The registry's signals. The user model is Django's, not ours, so its save is the
only place that sees an account being deactivated, wherever that happens (admin,
single sign-on sync, shell); the work itself is a follow-up task, written to the outbox
with the save (core.models.OutboxMessage). (What the cached pages are computed from is
declared in accounts/caching.py.)"""

from core.models import OutboxMessage


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and "is_active" not in update_fields):
        return
    if not instance.is_active:
        OutboxMessage.objects.add_task("accounts.tasks.report_orphaned_channels", instance.pk)
