"""The outbox's jobs: deliver a message when it is offered, sweep what waits, forget
what was delivered long ago (core/models.py)."""

import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.models import OutboxMessage

# A sweep delivers at most this many messages, for at most this long (well inside the
# task's time limit); the next sweep, a minute later, takes the rest.
SWEEP_BATCH = 200
SWEEP_SECONDS = 60


@shared_task
def deliver_outbox_message(pk):
    """Deliver one outgoing message (core.models.OutboxMessage), offered when the
    action that wrote it committed. Does nothing if it was delivered or is held by
    another worker; a failure makes it due again later, for the sweep."""
    message = OutboxMessage.objects.filter(pk=pk).first()
    return bool(message and message.deliver())


@shared_task
def sweep_outbox():
    """Every minute (and when a worker starts): deliver the outgoing messages that are
    due and were not delivered when offered, because the broker was down, a worker
    died holding one, or a try failed and its backoff has passed."""
    delivered = 0
    stop_at = time.monotonic() + SWEEP_SECONDS
    for message in OutboxMessage.objects.due().order_by("due_at", "pk")[:SWEEP_BATCH]:
        if time.monotonic() > stop_at:
            break  # a slow mail server: the next sweep goes on
        delivered += message.deliver()
    return delivered


@shared_task
def prune_outbox():
    """Forget delivered outgoing messages older than PORTAL_OUTBOX_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.PORTAL_OUTBOX_RETENTION_DAYS)
    return OutboxMessage.objects.prune(before=cutoff)
