"""What the portal's own pages cache, what each cached value is computed from, and how
long it is kept (core.caching). PortalConfig.ready connects the inputs; nothing else
drops these values."""

from core.caching import Cached, Input

# The office's overview on its home (portal.overview): the same figures for everyone in
# the office, read by each of them on every visit. Counting dormant and behind-plan
# channels aggregates the whole registry (~100 ms on 100,000 channels), so the figures,
# not the page, are kept; each reader's home is rendered around them. The proposals'
# ages move with the clock: the key holds the day and the timeout bounds the rest (and
# the searches the impersonation watch skips in bulk when a platform's quota is spent,
# which are not failures).
OFFICE_OVERVIEW = Cached(
    "portal:office-overview",
    inputs=[
        Input("checklist.Proposal", fields=frozenset({"state", "submitted_at"})),
        Input("checklist.Transition"),
        Input("accounts.SuspiciousAccountReport"),
        Input("accounts.Channel", fields=frozenset({"status"})),
        # The channels whose account no longer links back.
        Input("accounts.ChannelVerification", fields=frozenset({"state"})),
        Input("metrics.ChannelSummary"),
        # The impersonation watch's failed searches.
        Input("lookalikes.SearchRecord"),
        Input("guidelines.SiteNotice"),
        Input("guidelines.NoticeRecipient"),
        Input("guidelines.NoticeAcknowledgement"),
    ],
    timeout=300,
)

CACHED = [OFFICE_OVERVIEW]
