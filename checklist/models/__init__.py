"""Proposals for new official accounts and the checklist they are written against.

One module per object: ``templates`` (``ChecklistTemplate`` and its ``ChecklistItem``
questions), ``states`` (``ProposalState``, a proposal's states), ``proposals``
(``Proposal`` and its ``ProposalQuerySet``), ``operations`` (what may happen to a
proposal, mixed into ``Proposal``), ``answers`` (``Answer`` and ``Goal``, what a proposal
says), ``history`` (``Transition`` and ``ItemComment``, append-only), and ``caches`` (the
cache version and timeouts of the proposals' pages). Everything is imported from here:
``from checklist.models import Proposal``.
"""

from checklist.models.answers import Answer, Goal
from checklist.models.caches import (
    PROPOSALS_SEARCH_TIMEOUT,
    PROPOSALS_TIMEOUT,
    PROPOSALS_VERSION,
)
from checklist.models.history import ItemComment, Transition
from checklist.models.operations import ProposalOperations
from checklist.models.proposals import Proposal, ProposalQuerySet, endorsed_by_q
from checklist.models.states import ProposalState
from checklist.models.templates import (
    ANSWER_MAX_LENGTH,
    MEASURABLE_GOALS,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateQuerySet,
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
    "ProposalOperations",
    "ProposalQuerySet",
    "ProposalState",
    "Transition",
    "endorsed_by_q",
]
