"""Playing the demo's history: the portal's own operations, each at its moment in the
past, with the mail they send held.

The demo is not written row by row: seed_demo lists what happened and when (a channel
registered four years ago, a guideline published 200 days ago, a proposal endorsed last
week) and ``History.play()`` performs those operations in the order they happened, the
clock stopped at each one's moment (time-machine), so that every date the operation
writes (registered at, acknowledged at, submitted at, the audit rows' times) is the
moment it happened, and every check the operation makes (has the new owner acknowledged
the guidelines?) is made against the portal as it was then.

The operations write their e-mail to the outbox as they always do. ``held_mail()``
delivers it at once, at the same moment, to Django's in-memory backend, whose copies
are then dropped: not one message leaves the machine, and the outbox holds what a
running portal's would (delivered messages, none pending) until its daily pruning
forgets those older than PORTAL_OUTBOX_RETENTION_DAYS, which seed_demo runs at the end.
Follow-up tasks written to the outbox (the orphaned-channel report of a person who
left) run in the process, at the moment of the action that wrote them.
"""

import contextlib
import dataclasses
import datetime
import functools
import logging

from celery import current_app
from django.core import mail
from django.test.utils import override_settings
from django.utils import timezone

from core.models import OutboxMessage

try:
    import time_machine
except ImportError:  # pragma: no cover - a development requirement (requirements-dev.in)
    time_machine = None


def nine_o_clock(day, hour=9):
    """``hour`` o'clock on ``day`` in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclasses.dataclass(order=True)
class _Event:
    when: datetime.datetime
    order: int
    action: functools.partial = dataclasses.field(compare=False)


class History:
    """What happened, collected in any order, played in the order it happened (at equal
    moments, in the order it was added)."""

    def __init__(self):
        self.events = []
        self.played = []

    def at(self, when, action, *args, **kwargs):
        self.events.append(
            _Event(when, len(self.events), functools.partial(action, *args, **kwargs))
        )

    def play(self):
        if self.events and time_machine is None:
            raise RuntimeError(
                "seed_demo needs time-machine (pip install -r requirements-dev.txt)."
            )
        for event in sorted(self.events):
            with time_machine.travel(event.when, tick=False):
                event.action()
                deliver_held()
        self.played, self.events = self.played + self.events, []


def deliver_held():
    """Deliver what the outbox holds for now (held_mail() keeps it from leaving), until
    nothing is left: a follow-up task may write more."""
    while True:
        pending = list(OutboxMessage.objects.pending().order_by("pk"))
        if not pending:
            return
        for message in pending:
            if not message.deliver():
                raise RuntimeError(f"Outgoing message {message.pk}: {message.last_error}")


@contextlib.contextmanager
def held_mail():
    """E-mail goes to the in-memory backend, and is dropped; tasks run in the process
    (also the offers to deliver made when the transaction commits: they find nothing
    left to deliver)."""
    kept = getattr(mail, "outbox", None)
    mail.outbox = []
    current_app.loader.import_default_modules()  # the apps' tasks, as a worker has them
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    # Not a line per task run in the process ("succeeded: False" for every offer).
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            yield
    finally:
        trace.setLevel(level)
        current_app.conf.task_always_eager = eager
        if kept is None:
            del mail.outbox
        else:
            mail.outbox = kept
