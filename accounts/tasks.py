"""Scheduled and triggered jobs of the registry. Thin: they pick channels and call the
channel's own method, which is idempotent (it records what it did as a ChannelEvent
and does not do it again)."""

from celery import shared_task

from accounts.models import Channel, ChannelRole, SuspiciousAccountReport


@shared_task
def report_orphaned_channels(user_id=None):
    """Record and announce channels left without an active owner: those of one person
    (when their account was just deactivated), or all (the daily safety net, which also
    catches deactivations that bypassed the ORM's save). Each person concerned gets one
    message for all of them."""
    channels = Channel.objects.orphaned()
    if user_id is not None:
        channels = channels.filter(
            roles__user_id=user_id, roles__kind=ChannelRole.Kind.OWNER, roles__ended_at=None
        )
    pks = list(channels.values_list("pk", flat=True))
    return Channel.objects.filter(pk__in=pks).report_orphaned()


@shared_task
def send_recertification_reminders():
    pks = list(Channel.objects.due_for_reminder().values_list("pk", flat=True))
    return sum(Channel.objects.get(pk=pk).remind_recertification() for pk in pks)


@shared_task
def remind_open_reports():
    """One digest a day to the office of the reports of suspected fake accounts left
    open too long (idempotent: a second run the same day sends nothing)."""
    return SuspiciousAccountReport.objects.remind_office()
