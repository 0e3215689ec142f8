"""A proposal's history, append-only: its moves from state to state (``Transition``)
and the reviewers' comments on its answers (``ItemComment``)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checklist.models.states import ProposalState
from checklist.models.templates import ANSWER_MAX_LENGTH, ChecklistItem
from core.append_only import AppendOnlyModel


class ItemComment(AppendOnlyModel):
    """A reviewer's comment on one answer of a proposal; part of the audit trail."""

    proposal = models.ForeignKey(
        "checklist.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="comments",
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
        "checklist.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20, choices=ProposalState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ProposalState.choices)
    comment = models.TextField(_("comment"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self):
        return f"{self.proposal}: {self.from_state} → {self.to_state}"
