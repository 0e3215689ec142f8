"""Proposals for new official accounts, written against a versioned checklist.

A proposal is pinned to the checklist template version it was written against; a
changed checklist is a new template version, so a submitted proposal always reads as
it was written. Every state change is a Proposal method that checks who acts, locks
the row, writes one Transition and tells people after commit.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import is_unit_head
from accounts.models import Channel, Unit
from accounts.platforms import Platform, parse_profile
from checklist import access
from core import roles
from core.append_only import AppendOnlyModel
from core.cache_versions import CacheVersion
from core.notifications import notify

ANSWER_MAX_LENGTH = 5000
# The key of the measurable goals' problems (the checklist has an item keyed "goals").
MEASURABLE_GOALS = "measurable_goals"


class ChecklistTemplateQuerySet(models.QuerySet):
    def current(self):
        return self.order_by("-version").first()


class ChecklistTemplate(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_in_use(self):
        return self.proposals.exists()

    def new_version(self):
        """A copy of this template, with its items, as the next version: what an edit
        of a template that proposals were written against becomes."""
        with transaction.atomic():
            latest = ChecklistTemplate.objects.select_for_update().order_by("-version").first()
            copy = ChecklistTemplate.objects.create(version=latest.version + 1, name=self.name)
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    template=copy,
                    key=item.key,
                    title=item.title,
                    help_text=item.help_text,
                    required=item.required,
                    guideline_slug=item.guideline_slug,
                    ordering=item.ordering,
                )
                for item in self.items.all()
            )
        return copy


class ChecklistItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    key = models.SlugField(_("key"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    help_text = models.TextField(_("help"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    guideline_slug = models.SlugField(
        _("guideline"),
        blank=True,
        help_text=_("The address of the guideline that explains this item, if any."),
    )
    ordering = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "ordering", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="checklistitem_unique_key")
        ]

    def __str__(self):
        return self.title


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


# Each reader's review queue, and a proposal's content as its readers who do not review
# it see it, are cached, rendered, under a version bumped whenever a proposal, its
# answers, goals, transitions or comments, a checklist, a unit or a person's name or
# account is saved or deleted (ChecklistConfig.ready); a minute at most for a filtered
# queue, ten otherwise.
PROPOSALS_VERSION = CacheVersion("checklist:proposals:version")
PROPOSALS_TIMEOUT = 600
PROPOSALS_SEARCH_TIMEOUT = 60


class Proposal(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_UNIT_HEAD = "awaiting_unit_head", _("Awaiting the unit head")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

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
                    _("%(name)s no longer has an active account.")
                    % {"name": person.get_full_name() or person.get_username()},
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

    def _acting_as(self, user, allowed):
        """'self' when ``user`` holds the role, 'admin' when a portal admin stands in
        (which the transition records), or a refusal."""
        if allowed:
            return "self"
        if roles.is_portal_admin(user):
            return "admin"
        raise PermissionDenied(_("You may not do this with this proposal."))

    # --- Transitions -------------------------------------------------------------------
    # Each one: lock the row, check who acts and that the move is legal (a refusal is a
    # PermissionDenied or ValidationError and changes nothing), write one Transition,
    # tell people after commit. A second, concurrent request finds the new state under
    # the lock and is refused: "already decided".

    def _locked(self):
        # of=("self",): PostgreSQL cannot lock the nullable side of the join to unit.
        locking = Proposal.objects.select_for_update(of=("self",))
        return locking.select_related("unit").get(pk=self.pk)

    def _require_state(self, *states):
        if self.state not in states:
            raise ValidationError(
                _("This cannot be done now: the proposal is %(state)s.")
                % {"state": self.get_state_display()}
            )

    def _require_comment(self, comment):
        if not (comment or "").strip():
            raise ValidationError({"comment": _("Say why, for the submitter.")})

    def submit(self, *, by):
        """Send the proposal to its unit head (or, with nobody to endorse it, straight to
        review). Refused, listing every problem, while it is incomplete."""
        with transaction.atomic():
            proposal = self._locked()
            if by.pk != proposal.submitter_id:
                raise PermissionDenied(_("Only the submitter can submit a proposal."))
            if proposal.state != self.State.DRAFT:
                raise ValidationError(
                    _("This proposal was already submitted (it is %(state)s).")
                    % {"state": proposal.get_state_display()}
                )
            problems = proposal.problems()
            if problems:
                raise ValidationError(problems)
            endorser = proposal.endorser()
            if endorser is None:
                proposal._move(
                    by, self.State.IN_REVIEW, "proposal.submitted", endorsement="skipped"
                )
            else:
                proposal._move(
                    by, self.State.AWAITING_UNIT_HEAD, "proposal.submitted", endorser=endorser.pk
                )
            proposal.submitted_at = timezone.now()
            proposal.save(update_fields=["state", "submitted_at", "updated_at"])
        if endorser is None:
            notify(proposal._reviewers(), "checklist/email/endorsed", {"proposal": proposal})
        else:
            notify([endorser], "checklist/email/submitted", {"proposal": proposal})
        self.refresh_from_db()

    def endorse(self, *, by, comment=""):
        """The unit takes responsibility: on to the reviewers."""
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.AWAITING_UNIT_HEAD)
            acting = proposal._acting_as(by, by == proposal.endorser())
            proposal._move(by, self.State.IN_REVIEW, "proposal.endorsed", comment, acting=acting)
            proposal.save(update_fields=["state", "updated_at"])
        notify(proposal._reviewers(), "checklist/email/endorsed", {"proposal": proposal})
        self.refresh_from_db()

    def request_changes(self, *, by, comment):
        """Back to the submitter, from the unit head or the reviewers; resubmitting
        returns it to the stage that asked."""
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.AWAITING_UNIT_HEAD, self.State.IN_REVIEW)
            if proposal.state == self.State.AWAITING_UNIT_HEAD:
                allowed = by == proposal.endorser()
            else:
                allowed = proposal.is_reviewer(by) and by.pk != proposal.submitter_id
            acting = proposal._acting_as(by, allowed)
            proposal._require_comment(comment)
            proposal._move(
                by,
                self.State.CHANGES_REQUESTED,
                "proposal.changes_requested",
                comment,
                acting=acting,
                returned_from=proposal.state,
            )
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            [proposal.submitter],
            "checklist/email/changes_requested",
            {"proposal": proposal, "comment": comment},
        )
        self.refresh_from_db()

    return_to_submitter = request_changes

    def resubmit(self, *, by):
        """The submitter sends the changed proposal back to the stage that asked."""
        with transaction.atomic():
            proposal = self._locked()
            if by.pk != proposal.submitter_id:
                raise PermissionDenied(_("Only the submitter can resubmit a proposal."))
            proposal._require_state(self.State.CHANGES_REQUESTED)
            problems = proposal.problems()
            if problems:
                raise ValidationError(problems)
            asked = proposal.transitions.filter(action="proposal.changes_requested").last()
            back_to = asked.from_state if asked else self.State.IN_REVIEW
            proposal._move(by, back_to, "proposal.resubmitted")
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            [asked.actor if asked else None], "checklist/email/resubmitted", {"proposal": proposal}
        )
        self.refresh_from_db()

    def approve(self, *, by, comment=""):
        """Approve: the channel enters the registry (planned) with the proposed owner
        and deputy, in the same transaction. People who have not yet acknowledged the
        guidelines are asked to before the channel can go active."""
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.IN_REVIEW)
            proposal._check_decider(by)
            acting = proposal._acting_as(by, proposal.is_reviewer(by))
            channel = Channel.create_from_proposal(proposal, by=by)
            proposal._move(
                by,
                self.State.APPROVED,
                "proposal.approved",
                comment,
                acting=acting,
                channel=channel.pk,
            )
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            proposal._decision_audience(),
            "checklist/email/decided",
            {"proposal": proposal, "approved": True, "comment": comment, "channel": channel},
        )
        self.refresh_from_db()
        return channel

    def reject(self, *, by, comment):
        with transaction.atomic():
            proposal = self._locked()
            proposal._require_state(self.State.IN_REVIEW)
            proposal._check_decider(by)
            acting = proposal._acting_as(by, proposal.is_reviewer(by))
            proposal._require_comment(comment)
            proposal._move(by, self.State.REJECTED, "proposal.rejected", comment, acting=acting)
            proposal.save(update_fields=["state", "updated_at"])
        notify(
            proposal._decision_audience(),
            "checklist/email/decided",
            {"proposal": proposal, "approved": False, "comment": comment},
        )
        self.refresh_from_db()

    def withdraw(self, *, by, comment=""):
        """The submitter takes the proposal back before a decision."""
        with transaction.atomic():
            proposal = self._locked()
            if by.pk != proposal.submitter_id:
                raise PermissionDenied(_("Only the submitter can withdraw a proposal."))
            proposal._require_state(
                self.State.DRAFT,
                self.State.AWAITING_UNIT_HEAD,
                self.State.IN_REVIEW,
                self.State.CHANGES_REQUESTED,
            )
            proposal._move(by, self.State.WITHDRAWN, "proposal.withdrawn", comment)
            proposal.save(update_fields=["state", "updated_at"])
        self.refresh_from_db()

    def can_review(self, user):
        """May comment on items and record the review meeting: the platform's reviewer
        group (or a portal admin), once the proposal is in review, never on their own."""
        return (
            self.state == self.State.IN_REVIEW
            and user.is_authenticated
            and user.pk != self.submitter_id
            and (self.is_reviewer(user) or roles.is_portal_admin(user))
        )

    def save_draft(self, *, by, answers, goals=(), removed_goals=()):
        """Save the draft as this instance holds it (the channel fields), with its
        ``answers`` ({checklist item: text}; an empty text clears a stored answer and
        adds none) and its ``goals`` (new or changed Goal instances, and the
        ``removed_goals``), all or nothing. Refused (PermissionDenied) unless ``by``
        may edit it: a proposal submitted meanwhile, in another tab, stays as it is."""
        # The stored answers, before any write (prefetched with the proposal: no query).
        stored = {answer.item_id for answer in self.answers.all()} if self.pk else set()
        with transaction.atomic():
            if self.pk is None:
                if by.pk != self.submitter_id:
                    raise PermissionDenied(_("You may not do this with this proposal."))
            elif not Proposal.objects.select_for_update().get(pk=self.pk).can_edit(by):
                raise PermissionDenied(_("You may not do this with this proposal."))
            self.save()
            Answer.objects.bulk_create(
                [
                    Answer(proposal=self, item=item, text=text)
                    for item, text in answers.items()
                    if text or item.pk in stored
                ],
                update_conflicts=True,
                unique_fields=["proposal", "item"],
                update_fields=["text"],
            )
            for goal in goals:
                goal.proposal = self
                goal.save()
            for goal in removed_goals:
                goal.delete()
        return self

    def record_meeting(self, *, by, at, place, notes):
        """Record when and where the reviewers meet about the proposal, and what they
        noted: the reviewers' working notes, so no transition and no email."""
        with transaction.atomic():
            proposal = self._locked()
            if not proposal.can_review(by):
                raise PermissionDenied(_("Only the reviewers record the review meeting."))
            proposal.meeting_at, proposal.meeting_place, proposal.meeting_notes = at, place, notes
            proposal.save(update_fields=["meeting_at", "meeting_place", "meeting_notes"])
        self.meeting_at, self.meeting_place, self.meeting_notes = at, place, notes

    def comment_on(self, *, item, by, text):
        """A reviewer's comment on one answer (append-only, like the transitions)."""
        if not self.can_review(by):
            raise PermissionDenied(_("Only the reviewers comment on a proposal in review."))
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write the comment.")})
        if item.template_id != self.template_id:
            raise ValidationError(_("This item is not part of the proposal's checklist."))
        return ItemComment.objects.create(proposal=self, item=item, author=by, text=text)

    def _check_decider(self, by):
        if by.pk == self.submitter_id:
            raise PermissionDenied(_("Nobody decides on their own proposal."))

    def _reviewers(self):
        from django.contrib.auth import get_user_model

        return list(
            get_user_model().objects.filter(groups__name=self.reviewer_group, is_active=True)
        )

    def _decision_audience(self):
        return [
            self.submitter,
            self.proposed_owner,
            self.proposed_deputy,
            self.unit.head if self.unit else None,
        ]

    def _move(self, actor, to_state, action, comment="", **payload):
        Transition.objects.create(
            proposal=self,
            actor=actor,
            action=action,
            from_state=self.state,
            to_state=to_state,
            comment=(comment or "").strip(),
            payload=payload,
        )
        self.state = to_state


class Answer(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "item"], name="answer_once_per_item")
        ]

    def __str__(self):
        return f"{self.item}: {self.text[:50]}"


class Goal(models.Model):
    class Metric(models.TextChoices):
        FOLLOWERS = "followers", _("Followers")
        POSTS_PER_WEEK = "posts_per_week", _("Posts per week")
        ENGAGEMENT_RATE = "engagement_rate", _("Engagement rate (%)")
        RESPONSE_TIME = "response_time_hours", _("Response time (hours)")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="goals"
    )
    metric = models.CharField(_("measure"), max_length=30, choices=Metric.choices)
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    target_date = models.DateField(_("by"))

    class Meta:
        ordering = ["target_date", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return f"{self.get_metric_display()}: {self.target_value} by {self.target_date}"

    def problems(self, today):
        problems = []
        if self.target_value is not None and self.target_value <= 0:
            problems.append(_("A goal's target must be more than zero."))
        if self.target_date is not None and self.target_date <= today:
            problems.append(_("A goal's date must be in the future."))
        if (
            self.metric == self.Metric.ENGAGEMENT_RATE
            and self.target_value
            and self.target_value > 100
        ):
            problems.append(_("An engagement rate is a percentage: at most 100."))
        return problems


class ItemComment(AppendOnlyModel):
    """A reviewer's comment on one answer of a proposal; part of the audit trail."""

    proposal = models.ForeignKey(
        "Proposal", verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="comments"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=ANSWER_MAX_LENGTH)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return f"{self.item}: {self.text[:50]}"


class Transition(AppendOnlyModel):
    """Append-only log of a proposal's state changes."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="transitions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20, choices=Proposal.State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=Proposal.State.choices)
    comment = models.TextField(_("comment"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self):
        return f"{self.proposal}: {self.from_state} → {self.to_state}"
