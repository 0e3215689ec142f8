"""The states a proposal moves through: ``Proposal.State``, and the words of its
``Transition`` history, which therefore need not import the proposal itself."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_UNIT_HEAD = "awaiting_unit_head", _("Awaiting the unit head")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
