"""Proposals for new official accounts and the checklist they are written against.

One module per object: ``templates`` (``ChecklistTemplate`` and its ``ChecklistItem``
questions), ``states`` (``ProposalState``, a proposal's states), ``proposals``
(``Proposal`` and its ``ProposalQuerySet``), ``operations`` (what may happen to a
proposal, mixed into ``Proposal``), ``answers`` (``Answer`` and ``Goal``, what a proposal
says), and ``history`` (``Transition`` and ``ItemComment``, append-only). Everything is
imported from here: ``from checklist.models import Proposal``. What the proposals'
pages cache is declared in checklist/caching.py.
"""

from checklist.models.answers import Answer, Goal
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
