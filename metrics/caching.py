"""What the figures' pages cache, what each cached value is computed from, and how long
it is kept (core.caching). MetricsConfig.ready connects the inputs; nothing else drops
these values.

A change that bypasses the signals (a bulk update, SQL) shows when the value expires
(its timeout), or, with a per-process cache (no CACHE_URL), a change made in another
process."""

from checklist.models import Proposal
from core.caching import Cached, Input


def _of_an_approved_proposal(goal):
    """A goal of an approved proposal (its channel's) shows in the unit report; a
    draft's goals change often and show nowhere in the figures."""
    return Proposal.objects.filter(pk=goal.proposal_id, state=Proposal.State.APPROVED).exists()


def _approved(proposal):
    return proposal.state == Proposal.State.APPROVED


# The portfolio's breakdown (totals, per unit, per platform) aggregates every running
# channel the reader may see with its summary: ~60 ms on 100,000 channels, the same for
# everyone with the same scope (Channel.objects.metrics_scope). The portfolio's listing
# (its rows and pages, rendered without the reader) is kept per scope too, a search or
# filter a minute (as the registry's); and the figures part of a unit's monthly report,
# the same for everyone allowed to read it (an aggregate over the unit's channels cost
# 15 to 30 ms a view on 5,000 channels).
PORTFOLIO = Cached(
    "metrics:portfolio",
    inputs=[
        Input("accounts.Channel"),
        Input("accounts.ChannelEvent"),
        Input("accounts.ChannelRole"),
        Input("accounts.Unit"),
        Input("metrics.ChannelSummary"),
        # Snapshot.save() and delete() tell the cache themselves: a post_delete
        # receiver would make deleting a channel load and signal each of its thousands
        # of snapshots instead of deleting them in one query.
        Input("metrics.Snapshot", receivers=False),
        # The unit report shows the goals of the approved proposals its channels came
        # from (approving a proposal also creates its channel).
        Input("checklist.Proposal", when=_approved),
        Input("checklist.Goal", when=_of_an_approved_proposal),
    ],
    timeout=600,
    search_timeout=60,
)

CACHED = [PORTFOLIO]
