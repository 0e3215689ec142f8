"""What the guidelines cache, what each cached value is computed from, and how long it
is kept (core.caching). GuidelinesConfig.ready connects the inputs; nothing else drops
these values."""

from core.caching import Cached, Input

# The notices in force, shown on every page: one entry for everyone, kept until the next
# notice starts or ends (notices_in_force), and a minute at most.
NOTICES = Cached("portal:notices", inputs=[Input("guidelines.SiteNotice")], timeout=60)

# The fact this app adds to a person's cached facts (core.person_facts): the notices in
# force they have dismissed. What one person does for themselves drops only their facts.
PERSON_FACT_INPUTS = [
    Input("guidelines.SiteNotice"),
    Input("guidelines.NoticeAcknowledgement", per_person="user_id"),
]

# The current versions of the guidelines every channel owner must acknowledge: a few
# ids, the same for everyone, against which the office's proposal page checks the
# proposed owner and deputy (pending_owner_guidelines_of).
OWNER_VERSIONS = Cached(
    "guidelines:owner-versions", inputs=[Input("guidelines.Guideline")], timeout=600
)

CACHED = [NOTICES, OWNER_VERSIONS]
