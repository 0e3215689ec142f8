"""The outbox: e-mails and follow-up tasks written with the action that causes them
(core.notifications.notify, OutboxMessage.objects.add_task) and delivered by a worker
after it commits, retried until sent, never sent twice (core/tasks.py).

The table keeps the name it was created with (``portal_outboxmessage``): the model
moved here from the project package (core/migrations/0001_outbox.py).
"""

import functools
import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class OutboxQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(delivered_at=None, failed_at=None)

    def due(self, now=None):
        """Pending messages whose time has come and that no deliverer holds."""
        now = now or timezone.now()
        return (
            self.pending()
            .filter(due_at__lte=now)
            .filter(models.Q(leased_until=None) | models.Q(leased_until__lt=now))
        )

    def add_email(self, *, to, subject, body, html=""):
        payload = {"to": to, "subject": subject, "body": body, "html": html}
        return self._add(self.model.Kind.EMAIL, payload)

    def add_task(self, name, *args):
        return self._add(self.model.Kind.TASK, {"task": name, "args": list(args)})

    def _add(self, kind, payload):
        """Written in the caller's transaction, so that it exists exactly when the
        action that caused it does; offered to a worker once that transaction commits."""
        message = self.create(kind=kind, payload=payload)
        transaction.on_commit(functools.partial(offer_to_worker, message.pk))
        return message

    def claim(self, pk, *, lease):
        """Compare-and-set: take message ``pk`` for ``lease`` seconds if it is pending,
        due and held by nobody. True if this caller now holds it."""
        now = timezone.now()
        return bool(self.due(now).filter(pk=pk).update(leased_until=now + timedelta(seconds=lease)))

    def retry_now(self):
        """The admin's "send again": failed or waiting messages become due at once."""
        return self.filter(delivered_at=None).update(
            failed_at=None, due_at=timezone.now(), leased_until=None
        )

    def prune(self, *, before):
        """Forget delivered messages older than ``before``. Returns how many."""
        return self.filter(delivered_at__lt=before).delete()[0]


class OutboxMessage(models.Model):
    """Something to do after an action: an e-mail to send or a follow-up task to hand
    to the workers. Written in the action's own transaction, so that neither exists
    without the other; delivered by a worker (``deliver``), retried with backoff until
    it succeeds or PORTAL_OUTBOX_MAX_ATTEMPTS is spent; never delivered twice, because a
    deliverer first claims it (``OutboxQuerySet.claim``) and a delivered message is
    never claimed again. A broker or mail-server outage delays the message; the person
    who acted never sees it."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        TASK = "task", _("Follow-up task")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    due_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    leased_until = models.DateTimeField(_("held by a worker until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    failed_at = models.DateTimeField(
        _("given up"),
        null=True,
        blank=True,
        help_text=_("Set after the last allowed attempt failed; 'Send again now' retries it."),
    )

    objects = OutboxQuerySet.as_manager()

    class Meta:
        db_table = "portal_outboxmessage"  # created in the project package (see above)
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [
            # The worker's sweep: pending messages by when they are due (OutboxQuerySet.due).
            models.Index(
                fields=["due_at"],
                name="outbox_pending_due",
                condition=models.Q(delivered_at=None, failed_at=None),
            ),
            # Pruning delivered messages (OutboxQuerySet.prune).
            models.Index(fields=["delivered_at"], name="outbox_delivered"),
        ]

    def __str__(self):
        if self.kind == self.Kind.EMAIL:
            return f"{self.payload.get('to')}: {self.payload.get('subject')}"
        return str(self.payload.get("task"))

    @property
    def state(self):
        if self.delivered_at:
            return _("delivered")
        if self.failed_at:
            return _("given up")
        return _("waiting")

    def deliver(self):
        """Deliver this message if it is still pending and nobody else holds it. True
        if it was delivered now. A failure is recorded and the message made due again
        after a backoff (the sweep takes it up then). The network call is made outside
        any database transaction; the claim keeps other deliverers away meanwhile."""
        lease = settings.PORTAL_OUTBOX_LEASE_SECONDS
        if not OutboxMessage.objects.claim(self.pk, lease=lease):
            return False
        try:
            if self.kind == self.Kind.EMAIL:
                self._send_email()
            else:
                self._hand_task_over()
        except Exception as error:  # every failure is retried, then given up visibly
            self._failed(error)
            return False
        OutboxMessage.objects.filter(pk=self.pk).update(
            delivered_at=timezone.now(), leased_until=None, attempts=F("attempts") + 1
        )
        return True

    def _send_email(self):
        payload = self.payload
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
        message = EmailMultiAlternatives(
            payload["subject"],
            payload["body"],
            None,
            [payload["to"]],
            # One Message-ID per outgoing message, however often it is tried: a copy sent
            # again after a crash between the mail server's "accepted" and our record of it
            # is recognisably the same message.
            headers={"Message-ID": f"<outbox-{self.pk}.{self.created_at:%Y%m%d%H%M%S}@{domain}>"},
        )
        if payload.get("html"):
            message.attach_alternative(payload["html"], "text/html")
        message.send()

    def _hand_task_over(self):
        task = current_app.tasks[self.payload["task"]]
        # retry=False: a broker that does not answer fails this attempt now, and the
        # message waits for the next sweep, instead of blocking here.
        task.apply_async(args=self.payload.get("args", []), retry=False)

    def _failed(self, error):
        attempts = self.attempts + 1
        now = timezone.now()
        given_up = attempts >= settings.PORTAL_OUTBOX_MAX_ATTEMPTS
        delay = min(settings.PORTAL_OUTBOX_RETRY_SECONDS * 2 ** (attempts - 1), 3600)
        logger.warning(
            "Outgoing message %s failed (attempt %s%s): %r",
            self.pk,
            attempts,
            ", giving up" if given_up else "",
            error,
        )
        OutboxMessage.objects.filter(pk=self.pk).update(
            attempts=attempts,
            last_error=repr(error)[:2000],
            leased_until=None,
            due_at=now + timedelta(seconds=delay),
            failed_at=now if given_up else None,
        )


def offer_to_worker(pk):
    """Ask a worker to deliver message ``pk`` now. If the broker cannot be reached the
    message simply waits in the table for the workers' sweep (core.tasks.
    sweep_outbox): the action that wrote it has already succeeded."""
    from core.tasks import deliver_outbox_message  # a cycle: core.tasks imports this module

    try:
        deliver_outbox_message.apply_async(args=[pk], retry=False)
    except Exception:  # the broker's errors differ by transport; none may fail the request
        logger.warning("Broker unreachable: outgoing message %s waits for the sweep.", pk)


class PreferenceQuerySet(models.QuerySet):
    def languages_of(self, people):
        """{user id: language code} for each of ``people`` who has a language stored."""
        return dict(
            self.filter(user__in=[person.pk for person in people])
            .exclude(language="")
            .values_list("user_id", "language")
        )


class Preference(models.Model):
    """What a person chose for themselves: for now the language the portal writes to
    them in (core.notifications.notify). Set by the language switcher when they are
    signed in, or from the identity provider's ``locale`` claim at single sign-on until
    they choose one themselves."""

    class Source(models.TextChoices):
        CHOSEN = "chosen", _("chosen in the portal")
        IDENTITY_PROVIDER = "idp", _("from the identity provider")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preference",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    language_source = models.CharField(
        _("language from"), max_length=10, choices=Source.choices, blank=True
    )

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")

    def __str__(self):
        return str(self.user)

    @classmethod
    def choose_language(cls, user, language):
        """The person picked ``language`` in the portal: it wins over the identity
        provider's."""
        cls.objects.update_or_create(
            user=user, defaults={"language": language, "language_source": cls.Source.CHOSEN}
        )

    @classmethod
    def language_from_identity_provider(cls, user, language):
        """The identity provider says the person reads ``language``; kept unless they
        chose one in the portal."""
        preference, created = cls.objects.get_or_create(
            user=user,
            defaults={"language": language, "language_source": cls.Source.IDENTITY_PROVIDER},
        )
        if not created and preference.language_source != cls.Source.CHOSEN:
            cls.objects.filter(pk=preference.pk).exclude(language_source=cls.Source.CHOSEN).update(
                language=language, language_source=cls.Source.IDENTITY_PROVIDER
            )
