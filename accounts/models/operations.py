"""What happens to a channel: its operations, mixed into ``Channel``.

Every change to a channel that matters to its history is a method here that checks who
may make it, locks the row, writes one ``ChannelEvent`` and tells the people concerned
after the transaction commits.
"""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.events import ChannelEvent
from accounts.models.people import ChannelRole, check_responsible, responsibility_problem
from core import roles
from core.caching import rows_changed
from core.names import person_name
from core.notifications import notify
from guidelines.models import pending_owner_guidelines_of


def recertification_due(from_date):
    return from_date + relativedelta(months=settings.PORTAL_RECERTIFICATION_MONTHS)


def _communications_office():
    return list(get_user_model().objects.filter(groups__name=roles.COMMUNICATIONS, is_active=True))


# The fields owners and the office may change through Channel.update_details().
CHANNEL_EDITABLE_FIELDS = [
    "name",
    "profile_url",
    "handle",
    "platform_id",
    "purpose",
    "audience",
    "languages",
    "is_public",
    "credentials_location",
    "two_factor_enabled",
    "recovery_contact",
]


class Recertification(models.TextChoices):
    KEEP = "keep", _("Keep the channel as it is")
    CHANGE = "change", _("Keep it, but something needs changing")
    CLOSE = "close", _("Ask to close the channel")


class ChannelOperations:
    """``Channel``'s operations: registering, handing over, opening, recertifying,
    closing, and what the scheduled jobs find (orphaned, due, dormant, active again).

    Mixed into ``Channel`` only, which imports this module: ``type(self).objects`` is
    ``Channel.objects``."""

    @classmethod
    def register(cls, *, by, owner, deputy=None, comment="", tell_people=True, **fields):
        """Enter a channel in the registry with its responsible owner (and deputy).
        ``tell_people=False`` when the caller tells them itself: an import sends each
        person one mail for all their channels (accounts.imports)."""
        if not roles.is_reviewer(by):
            raise PermissionDenied(_("Only the communications office registers channels."))
        check_responsible(owner, _("The responsible owner"))
        if deputy is not None:
            check_responsible(deputy, _("The deputy"))
            if deputy == owner:
                raise ValidationError(
                    {"deputy": _("The deputy must be someone else than the owner.")}
                )
        channel = cls(**fields)
        if channel.status == cls.Status.ACTIVE and channel.recertification_due_on is None:
            channel.recertification_due_on = recertification_due(
                channel.approved_on or timezone.localdate()
            )
        channel.full_clean()
        with transaction.atomic():
            channel._save_profile_unique(force_insert=True)
            ChannelRole.objects.create(channel=channel, user=owner, kind=ChannelRole.Kind.OWNER)
            if deputy is not None:
                ChannelRole.objects.create(
                    channel=channel, user=deputy, kind=ChannelRole.Kind.DEPUTY
                )
            channel._log(
                by,
                ChannelEvent.Action.CREATED,
                comment,
                owner=owner.pk,
                deputy=deputy.pk if deputy else None,
            )
        if tell_people:
            notify(
                [owner, deputy],
                "accounts/email/registered",
                {"channel": channel, "owner": owner, "deputy": deputy},
            )
        return channel

    @classmethod
    def proposed_people_problems(cls, proposal):
        """Why the proposed owner and deputy of ``proposal`` may not yet run the channel
        its approval creates (``responsibility_problem``, the rule of a hand-over), one
        message each; empty when they may. The proposal page shows these to the office."""
        people = [(proposal.proposed_owner, _("The proposed responsible owner"))]
        if proposal.proposed_deputy is not None:
            people.append((proposal.proposed_deputy, _("The proposed deputy")))
        # Whether each has acknowledged the guidelines: one query for both.
        pending = pending_owner_guidelines_of(
            [person for person, _who in people if person is not None and person.is_active]
        )
        return [
            problem
            for person, who in people
            if (problem := responsibility_problem(person, who, pending)) is not None
        ]

    @classmethod
    def create_from_proposal(cls, proposal, *, by, purpose="", audience=""):
        """The registry entry of an approved proposal: planned, with the proposed owner
        and deputy, and the ``purpose`` and ``audience`` the proposal's answers gave.
        Called inside the approval's transaction, and refused, naming each person and
        why, unless both may be responsible for a channel."""
        problems = cls.proposed_people_problems(proposal)
        if problems:
            raise ValidationError(problems)
        profile = proposal.normalised_profile()
        channel = cls(
            name=proposal.name,
            platform=proposal.platform,
            profile_url=profile.url if profile else "",
            handle=profile.handle if profile else "",
            unit=proposal.unit,
            languages=proposal.languages,
            purpose=purpose.strip(),
            audience=audience.strip(),
            status=cls.Status.PLANNED,
            approved_on=timezone.localdate(),
            origin_proposal=proposal,
        )
        channel.full_clean()
        channel._save_profile_unique(force_insert=True)
        ChannelRole.objects.create(
            channel=channel, user=proposal.proposed_owner, kind=ChannelRole.Kind.OWNER
        )
        if proposal.proposed_deputy is not None:
            ChannelRole.objects.create(
                channel=channel, user=proposal.proposed_deputy, kind=ChannelRole.Kind.DEPUTY
            )
        channel._log(by, ChannelEvent.Action.CREATED, "", proposal=proposal.pk)
        return channel

    def hand_over(self, *, to, by, comment=""):
        """Make ``to`` the responsible owner; the previous owner's role ends."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_hand_over(by):
                raise PermissionDenied(_("You may not hand over this channel."))
            check_responsible(to, _("The new responsible owner"), field="to")
            previous = channel.current_role(ChannelRole.Kind.OWNER)
            if previous is not None and previous.user_id == to.pk:
                raise ValidationError(
                    {
                        "to": _("%(name)s is already the responsible owner.")
                        % {"name": person_name(to)}
                    }
                )
            now = timezone.now()
            if previous is not None:
                previous.end(now)
            deputy_role = channel.current_role(ChannelRole.Kind.DEPUTY)
            if deputy_role is not None and deputy_role.user_id == to.pk:
                deputy_role.end(now)  # the deputy steps up; a new deputy is needed
            ChannelRole.objects.create(
                channel=channel, user=to, kind=ChannelRole.Kind.OWNER, started_at=now
            )
            channel._log(
                by,
                ChannelEvent.Action.HANDED_OVER,
                comment,
                previous_owner=previous.user_id if previous else None,
                new_owner=to.pk,
            )
        previous_owner = previous.user if previous else None
        notify(
            [previous_owner, to],
            "accounts/email/handed_over",
            {"channel": channel, "previous": previous_owner, "new": to, "by": by},
        )
        self.refresh_from_db()

    def take_over(self, *, by):
        """The deputy of an orphaned channel becomes its responsible owner, in one step:
        the departed owner's role ends and so does their deputy role (a new deputy is
        needed). Refused, saying why, while the owner is still active or while the
        deputy has not acknowledged the current owner guidelines."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_take_over(by):
                raise PermissionDenied(_("Only the channel's deputy can take it over."))
            if not channel.is_orphaned:
                raise ValidationError(
                    _(
                        "%(name)s is still the responsible owner: ask them to hand the "
                        "channel over to you."
                    )
                    % {"name": person_name(channel.owner)}
                )
            if responsibility_problem(by, _("The deputy")) is not None:
                raise ValidationError(
                    _(
                        "You have not acknowledged the current social media guidelines. "
                        "Read and acknowledge them (Guidelines), then take over the channel."
                    )
                )
            previous = channel.current_role(ChannelRole.Kind.OWNER)
            now = timezone.now()
            if previous is not None:
                previous.end(now)
            channel.current_role(ChannelRole.Kind.DEPUTY).end(now)
            ChannelRole.objects.create(
                channel=channel, user=by, kind=ChannelRole.Kind.OWNER, started_at=now
            )
            channel._log(
                by,
                ChannelEvent.Action.TAKEN_OVER,
                "",
                previous_owner=previous.user_id if previous else None,
                new_owner=by.pk,
            )
        notify(
            [channel.unit.head, by],
            "accounts/email/taken_over",
            {"channel": channel, "new": by, "previous": previous.user if previous else None},
        )
        self.refresh_from_db()

    def set_deputy(self, *, to, by, comment=""):
        """Make ``to`` the deputy (``to=None`` leaves the channel without one)."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not change this channel's deputy."))
            current = channel.current_role(ChannelRole.Kind.DEPUTY)
            if to is not None:
                check_responsible(to, _("The deputy"), field="to")
                owner = channel.current_role(ChannelRole.Kind.OWNER)
                if owner is not None and owner.user_id == to.pk:
                    raise ValidationError(
                        {"to": _("The deputy must be someone else than the owner.")}
                    )
                if current is not None and current.user_id == to.pk:
                    raise ValidationError(
                        {"to": _("%(name)s is already the deputy.") % {"name": person_name(to)}}
                    )
            now = timezone.now()
            if current is not None:
                current.end(now)
            if to is not None:
                ChannelRole.objects.create(
                    channel=channel, user=to, kind=ChannelRole.Kind.DEPUTY, started_at=now
                )
            channel._log(
                by,
                ChannelEvent.Action.DEPUTY_CHANGED,
                comment,
                previous_deputy=current.user_id if current else None,
                new_deputy=to.pk if to else None,
            )
        notify(
            [current.user if current else None, to],
            "accounts/email/deputy_changed",
            {"channel": channel, "previous": current.user if current else None, "new": to},
        )

    def update_details(self, *, by, **changes):
        """Change descriptive fields (not status, people or recertification)."""
        editable = set(CHANNEL_EDITABLE_FIELDS)
        unknown = set(changes) - editable
        if unknown:
            raise ValueError(f"Not editable here: {sorted(unknown)}")
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not edit this channel."))
            before = {field: getattr(channel, field) for field in changes}
            for field, value in changes.items():
                setattr(channel, field, value)
            channel.full_clean()
            changed = sorted(f for f in changes if getattr(channel, f) != before[f])
            if not changed:
                return []
            channel._save_profile_unique(update_fields=[*changed, "updated_at"])
            channel._log(by, ChannelEvent.Action.EDITED, "", fields=changed)
        self.refresh_from_db()
        return changed

    def recertify(self, *, by, outcome, answers, comment=""):
        """The owner's yearly confirmation that the channel is still right. Confirming
        that two-factor is on (``answers["two_factor_on"]``) records it as on; not
        confirming it changes no record (it is not a statement that it is off)."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not recertify this channel."))
            today = timezone.localdate()
            channel.last_recertified_on = today
            channel.recertification_due_on = recertification_due(today)
            fields = ["last_recertified_on", "recertification_due_on", "updated_at"]
            changed = {}
            if answers.get("two_factor_on") and not channel.two_factor_enabled:
                channel.two_factor_enabled = True
                fields.append("two_factor_enabled")
                changed["two_factor_enabled"] = True
            channel.save(update_fields=fields)
            channel._log(
                by,
                ChannelEvent.Action.RECERTIFIED,
                comment,
                outcome=outcome,
                answers=answers,
                next_due=channel.recertification_due_on,
                **changed,
            )
        if outcome != Recertification.KEEP:
            notify(
                _communications_office(),
                "accounts/email/recertified_with_request",
                {
                    "channel": channel,
                    "outcome": Recertification(outcome).label,
                    "by": by,
                    "comment": comment,
                },
            )
        self.refresh_from_db()

    def open(self, *, by, on=None):
        """The planned account is live: the channel becomes active (and, when it is
        listed, appears in the public directory). Its owner and deputy must have
        acknowledged the guidelines, and an open channel needs its profile address."""
        today = timezone.localdate()
        on = on or today
        if on > today:
            raise ValidationError({"opened_on": _("The date cannot be in the future.")})
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_edit(by):
                raise PermissionDenied(_("You may not change this channel."))
            if channel.status != self.Status.PLANNED:
                raise ValidationError(
                    _("Only a planned channel can be opened; this one is %(status)s.")
                    % {"status": channel.get_status_display().lower()}
                )
            owner = channel.owner
            check_responsible(owner, _("The responsible owner"))
            if channel.deputy is not None:
                check_responsible(channel.deputy, _("The deputy"))
            channel.status = self.Status.ACTIVE
            channel.opened_on = on
            channel.recertification_due_on = channel.recertification_due_on or (
                recertification_due(channel.approved_on or on)
            )
            channel.full_clean()
            channel.save(
                update_fields=["status", "opened_on", "recertification_due_on", "updated_at"]
            )
            channel._log(
                by,
                ChannelEvent.Action.STATUS_CHANGED,
                "",
                previous_status=self.Status.PLANNED,
                status=self.Status.ACTIVE,
                opened_on=on,
            )
        self.refresh_from_db()

    def close(self, *, by, reason, on=None):
        """Close the channel: it leaves the public directory; its history stays."""
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the channel is closed.")})
        with transaction.atomic():
            channel = self._lock()
            if not channel.can_close(by):
                if channel.status == self.Status.CLOSED:
                    raise ValidationError(_("This channel is already closed."))
                raise PermissionDenied(_("Only the communications office closes channels."))
            previous_status = channel.status
            channel.status = self.Status.CLOSED
            channel.closed_on = on or timezone.localdate()
            channel.close_reason = reason.strip()
            channel.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
            people = list(channel.roles.current().select_related("user"))
            now = timezone.now()
            for role in people:
                role.end(now)
            channel._log(
                by, ChannelEvent.Action.CLOSED, reason.strip(), previous_status=previous_status
            )
        notify(
            [role.user for role in people],
            "accounts/email/closed",
            {"channel": channel, "reason": channel.close_reason},
        )
        self.refresh_from_db()

    def record_orphaned(self):
        """Record, once per owner, that the channel has no active owner. Returns
        whether this was news; ``ChannelQuerySet.report_orphaned`` tells the people
        concerned, one message each for all the channels of a run."""
        with transaction.atomic():
            channel = self._lock()
            if not channel.is_orphaned:
                return False
            owner_role = channel.current_role(ChannelRole.Kind.OWNER)
            since = owner_role.started_at if owner_role else channel.created_at
            already = channel.events.filter(
                action=ChannelEvent.Action.ORPHANED, at__gte=since
            ).exists()
            if already:
                return False
            channel._log(
                None,
                ChannelEvent.Action.ORPHANED,
                "",
                owner=owner_role.user_id if owner_role else None,
            )
        return True

    def remind_recertification(self, today=None):
        """Remind the owner and deputy that recertification is due (and the unit head
        once it is long overdue). Returns False when a reminder went out recently."""
        today = today or timezone.localdate()
        with transaction.atomic():
            channel = self._lock()
            if not type(self).objects.filter(pk=channel.pk).due_for_reminder(today).exists():
                return False
            due = channel.recertification_due_on
            escalated = (today - due).days > settings.PORTAL_RECERTIFICATION_ESCALATION_DAYS
            channel._log(None, ChannelEvent.Action.REMINDED, "", due=due, escalated=escalated)
        recipients = [channel.owner, channel.deputy]
        if escalated:
            recipients.append(channel.unit.head)
        notify(
            recipients,
            "accounts/email/recertification_due",
            {"channel": channel, "due": due, "overdue": due < today, "escalated": escalated},
        )
        return True

    def mark_dormant(self, *, quiet_since, days):
        """An active channel quiet since ``quiet_since`` (``days`` days or more) becomes
        dormant, and its owner and deputy are told. Compare-and-set: a second run the
        same day changes nothing. Returns whether the status changed."""
        return self._change_activity(
            self.Status.ACTIVE,
            self.Status.DORMANT,
            ChannelEvent.Action.WENT_DORMANT,
            "accounts/email/went_dormant",
            quiet_since=quiet_since,
            days=days,
        )

    def mark_active_again(self, *, last_post_on):
        """A dormant channel that posted again is active again; its people are told."""
        return self._change_activity(
            self.Status.DORMANT,
            self.Status.ACTIVE,
            ChannelEvent.Action.REACTIVATED,
            "accounts/email/reactivated",
            last_post_on=last_post_on,
        )

    # --- Internals ---------------------------------------------------------------

    def _change_activity(self, old, new, action, template, **facts):
        with transaction.atomic():
            changed = (
                type(self)
                .objects.filter(pk=self.pk, status=old)
                .update(status=new, updated_at=timezone.now())
            )
            if not changed:
                return False
            self.status = new
            rows_changed(type(self))  # update() sends no signal
            self._log(
                None,
                action,
                "",
                **{
                    key: value.isoformat() if hasattr(value, "isoformat") else value
                    for key, value in facts.items()
                },
            )
        notify([self.owner, self.deputy], template, {"channel": self, **facts})
        return True

    def _save_profile_unique(self, **kwargs):
        """save(), turning a lost race for the same profile address (another request
        registered it between our check and our write) into the same message the
        check gives, instead of a database error."""
        try:
            with transaction.atomic():
                self.save(**kwargs)
        except IntegrityError:
            self.validate_constraints()  # names the channel that won the race
            raise

    def _lock(self):
        return type(self).objects.select_for_update().get(pk=self.pk)

    def _log(self, actor, action, comment="", **payload):
        return ChannelEvent.objects.create(
            channel=self, actor=actor, action=action, comment=comment, payload=payload
        )
