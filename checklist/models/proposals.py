"""Proposals for new official accounts, written against a versioned checklist.

A proposal is pinned to the checklist template version it was written against; a
changed checklist is a new template version, so a submitted proposal always reads as
it was written. Every state change is a Proposal method (``operations``) that checks
who acts, locks the row, writes one Transition and tells people after commit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import is_unit_head
from accounts.models import Channel, Unit
from accounts.platforms import Platform, parse_profile
from checklist import access
from checklist.models.operations import ProposalOperations
from checklist.models.states import ProposalState
from checklist.models.templates import ANSWER_MAX_LENGTH, MEASURABLE_GOALS, ChecklistTemplate
from core import roles
from core.names import person_name


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The submitter sees their own proposals in every state; a unit head those of
        their units once submitted; a platform's own reviewer group (LinkedIn's working
        group) that platform's submitted ones; the office (and admins) every submitted
        one."""
        if not roles.is_staff_member(user):
            return self.none()
        submitted = ~Q(state=Proposal.State.DRAFT)
        if roles.is_reviewer(user):
            return self.filter(Q(submitter=user) | submitted)
        mine = Q(submitter=user)
        if is_unit_head(user):
            mine |= endorsed_by_q(user) & submitted
        groups = roles.group_names(user)
        reviewed = [p for p, group in settings.PORTAL_REVIEWER_GROUPS.items() if group in groups]
        if reviewed:
            mine |= Q(platform__in=reviewed) & submitted
        return self.filter(mine)


def endorsed_by_q(user):
    """The proposals of the units ``user`` endorses for (Proposal.endorser(), one level
    up the tree): their own units', and those of a unit just below whose head cannot
    endorse: the submitter, nobody, or someone no longer active."""
    head_cannot = (
        Q(unit__head=F("submitter")) | Q(unit__head__isnull=True) | Q(unit__head__is_active=False)
    )
    return Q(unit__head=user) | (Q(unit__parent__head=user) & head_cannot)


class Proposal(ProposalOperations, models.Model):
    State = ProposalState  # in states.py, so that the Transition history need not import this

    EDITABLE_STATES = [State.DRAFT, State.CHANGES_REQUESTED]

    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitter"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, blank=True)
    name = models.CharField(_("proposed name"), max_length=200, blank=True)
    profile = models.CharField(
        _("handle or address"),
        max_length=500,
        blank=True,
        help_text=_("The handle or address you would like, if you know it."),
    )
    proposed_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed responsible owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    why_new_channel = models.TextField(
        _("why a new channel is needed"),
        blank=True,
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("Required when similar channels already exist."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The review meeting the office usually holds with the submitter.
    meeting_at = models.DateTimeField(_("review meeting"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    meeting_notes = models.TextField(_("meeting notes"), blank=True, max_length=ANSWER_MAX_LENGTH)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            # "My proposals" and the review queues: WHERE submitter_id = ... / state = ...
            models.Index(fields=["submitter", "-updated_at"], name="proposal_submitter_idx"),
            models.Index(fields=["state"], name="proposal_state_idx"),
        ]

    def __str__(self):
        return self.name or str(_("Untitled proposal"))

    def get_absolute_url(self):
        return reverse("checklist:detail", args=[self.pk])

    # --- Derived ---------------------------------------------------------------------

    @property
    def is_showcase_page(self):
        """LinkedIn accounts are showcase pages by subject area, decided by their own
        reviewer group."""
        return self.platform == Platform.LINKEDIN

    @property
    def reviewer_group(self):
        return access.platform_reviewer_group(self.platform)

    def normalised_profile(self):
        """The canonical address of ``profile`` on the platform, or None."""
        if not (self.platform and self.profile):
            return None
        try:
            return parse_profile(self.platform, self.profile)
        except ValidationError:
            return None

    def similar_channels(self):
        return Channel.objects.similar_to(
            name=self.name,
            platform=self.platform,
            profile=self.profile,
            unit=self.unit,
        )

    # --- Who may do what -------------------------------------------------------------

    def can_edit(self, user):
        return (
            user.is_authenticated
            and user.pk == self.submitter_id
            and (self.state in self.EDITABLE_STATES)
        )

    # --- Checks ----------------------------------------------------------------------

    def problems(self, today=None):
        """Everything that stops the proposal from being submitted, as {field or item
        key: [messages]}; empty when it is complete. One pass, so that the form can
        show every problem at once."""
        today = today or timezone.localdate()
        problems = {}

        def add(key, message):
            problems.setdefault(key, []).append(message)

        for attribute, key, message in [
            ("unit_id", "unit", _("Choose the unit the channel belongs to.")),
            ("platform", "platform", _("Choose the platform.")),
            ("name", "name", _("Give the channel a name.")),
            (
                "proposed_owner_id",
                "proposed_owner",
                _("Name the person who will be responsible for the channel."),
            ),
        ]:
            if not getattr(self, attribute):
                add(key, message)
        for field in ["proposed_owner", "proposed_deputy"]:
            person = getattr(self, field)
            if person is not None and not person.is_active:
                add(
                    field,
                    _("%(name)s no longer has an active account.") % {"name": person_name(person)},
                )
        if self.proposed_owner_id and self.proposed_owner_id == self.proposed_deputy_id:
            add("proposed_deputy", _("The deputy must be someone else than the owner."))
        if self.platform and self.profile:
            try:
                parse_profile(self.platform, self.profile)
            except ValidationError as error:
                add("profile", error.messages[0])

        answers = {answer.item_id: answer.text for answer in self.answers.all()}
        for item in self.template.items.all():
            text = (answers.get(item.pk) or "").strip()
            if item.required and not text:
                add(item.key, _("Answer this item."))
            if len(text) > ANSWER_MAX_LENGTH:
                add(
                    item.key,
                    _("Keep the answer under %(limit)s characters.") % {"limit": ANSWER_MAX_LENGTH},
                )

        goals = list(self.goals.all())
        if not goals:
            add(MEASURABLE_GOALS, _("Set at least one measurable goal."))
        for goal in goals:
            for message in goal.problems(today):
                add(MEASURABLE_GOALS, message)

        if self.similar_channels().exists() and not self.why_new_channel.strip():
            add(
                "why_new_channel",
                _("Similar channels already exist: say why a new one is needed."),
            )
        return problems

    # --- Who acts at each stage --------------------------------------------------------

    def endorser(self):
        """Who endorses for the unit: the nearest head up the unit tree who is active and
        is not the submitter (so a head's own proposal goes to the head above); None
        when there is nobody, and the step is then skipped."""
        unit = self.unit
        while unit is not None:
            head = unit.head
            if head is not None and head.pk != self.submitter_id and head.is_active:
                return head
            unit = unit.parent
        return None

    def is_reviewer(self, user):
        """A member of the group that reviews this platform's proposals."""
        return access.reviews_platform(user, self.platform)

    def can_review(self, user):
        """May comment on items and record the review meeting: the platform's reviewer
        group (or a portal admin), once the proposal is in review, never on their own."""
        return (
            self.state == self.State.IN_REVIEW
            and user.is_authenticated
            and user.pk != self.submitter_id
            and (self.is_reviewer(user) or roles.is_portal_admin(user))
        )
