"""What the registry caches, what each cached value is computed from, and how long it
is kept (core.caching). AccountsConfig.ready connects the inputs; nothing else drops
these values.

A save or delete that bypasses the signals (a bulk update, SQL) shows when the value
expires (its timeout), or, with a per-process cache (no CACHE_URL), a change made in
another process."""

from django.conf import settings

from core.caching import Cached, Input

# What lists show of a person (their name, whether they can still sign in): not a
# sign-in, which saves last_login only.
SHOWN_OF_A_PERSON = frozenset({"first_name", "last_name", "username", "is_active"})

# The registry's warning counts (orphaned, overdue, no deputy) take ~120 ms to aggregate
# over 100,000 channels, too slow for every page view, and are the same for everyone.
# They change with a channel's status or due date (not with an edit of its details),
# its people, or a person's account (de)activated.
WARNING_COUNTS = Cached(
    "registry:warning-counts",
    inputs=[
        Input("accounts.Channel", fields=frozenset({"status", "recertification_due_on"})),
        Input("accounts.ChannelRole"),
        Input(settings.AUTH_USER_MODEL, fields=frozenset({"is_active"}), on_create=False),
    ],
    timeout=600,
)

# The public directory's pages are the same for every visitor, and counting and ordering
# a search over 100,000 channels costs ~100 ms: each search's count and each page's
# results, rendered, are kept; a search's results a minute only (anyone can type any
# number of different searches; a popular one is asked again within the minute). The
# "is this account official?" answers are kept a minute too.
# A channel's verification state shows there too; a daily check that changes nothing but
# the day it was made does not change the directory.
DIRECTORY = Cached(
    "directory",
    inputs=[
        Input("accounts.Channel"),
        Input("accounts.Unit"),
        Input("accounts.ChannelVerification", fields=frozenset({"state", "since"})),
    ],
    timeout=600,
    search_timeout=60,
)

# The registry's pages are the same for every member of staff (the scope
# Channel.objects.visible_scope names), and a page of 50 channels with their people
# costs ~30 ms of Python and 15 of SQL: each page's listing, rendered without its
# reader, is kept ten minutes, a search or filter a minute.
REGISTRY = Cached(
    "registry",
    inputs=[
        Input("accounts.Channel"),
        # The filter of channels that no longer link back.
        Input("accounts.ChannelVerification", fields=frozenset({"state"})),
        Input("accounts.Unit"),
        Input("accounts.ChannelRole"),
        Input(settings.AUTH_USER_MODEL, fields=SHOWN_OF_A_PERSON, on_create=False),
    ],
    timeout=600,
    search_timeout=60,
)

# The facts the registry adds to a person's cached facts (core.person_facts): whether
# they head a unit, and which owner guidelines they must acknowledge because they run a
# channel (read from the guidelines, a layer below).
PERSON_FACT_INPUTS = [
    Input("accounts.Unit"),
    Input("accounts.Channel"),
    Input("accounts.ChannelRole"),
    Input("guidelines.Guideline"),
    Input("guidelines.GuidelineVersion"),
    Input("guidelines.Acknowledgement", per_person="user_id"),
]

CACHED = [WARNING_COUNTS, DIRECTORY, REGISTRY]
