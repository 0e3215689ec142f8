"""What the review pages cache, what each cached value is computed from, and how long it
is kept (core.caching). ChecklistConfig.ready connects the inputs; nothing else drops
these values.

A change that bypasses the signals (a bulk update, SQL) shows when the value expires
(its timeout), or, with a per-process cache (no CACHE_URL), a change made in another
process."""

from django.conf import settings

from accounts.caching import SHOWN_OF_A_PERSON
from core.caching import Cached, Input

# Each reader's review queue and proposal list (rendered for that reader only: scope is
# the person and their roles' version), and a proposal's content as data (its answers,
# goals, history and comments: rendered for each reader, with their own forms, from the
# cached data).
PROPOSALS = Cached(
    "checklist:proposals",
    inputs=[
        Input("checklist.Proposal"),
        Input("checklist.Answer"),
        Input("checklist.Goal"),
        Input("checklist.Transition"),
        Input("checklist.ItemComment"),
        Input("checklist.ChecklistItem"),
        Input("checklist.ChecklistTemplate"),
        Input("accounts.Unit"),
        Input(settings.AUTH_USER_MODEL, fields=SHOWN_OF_A_PERSON, on_create=False),
    ],
    timeout=600,
    search_timeout=60,
)

# The registry's channels a proposal may duplicate and the channel it became, shown to
# every reader of the proposal: a search over the registry that cost ~8 ms of CPU a view
# on 100,000 channels, the same for everyone until a channel or the proposal changes.
PROPOSAL_CHANNELS = Cached(
    "checklist:proposal-channels",
    inputs=[Input("accounts.Channel"), Input("accounts.Unit"), Input("checklist.Proposal")],
    timeout=600,
)

CACHED = [PROPOSALS, PROPOSAL_CHANNELS]
