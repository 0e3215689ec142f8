"""Proposals for new official accounts and the checklist they are written against.

Everything is imported from here: ``from checklist.models import Proposal``.
"""

from checklist.models.proposals import (
    ANSWER_MAX_LENGTH,
    MEASURABLE_GOALS,
    PROPOSALS_SEARCH_TIMEOUT,
    PROPOSALS_TIMEOUT,
    PROPOSALS_VERSION,
    Answer,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateQuerySet,
    Goal,
    ItemComment,
    Proposal,
    ProposalQuerySet,
    Transition,
    endorsed_by_q,
)

__all__ = [
    "ANSWER_MAX_LENGTH",
    "MEASURABLE_GOALS",
    "PROPOSALS_SEARCH_TIMEOUT",
    "PROPOSALS_TIMEOUT",
    "PROPOSALS_VERSION",
    "Answer",
    "ChecklistItem",
    "ChecklistTemplate",
    "ChecklistTemplateQuerySet",
    "Goal",
    "ItemComment",
    "Proposal",
    "ProposalQuerySet",
    "Transition",
    "endorsed_by_q",
]
