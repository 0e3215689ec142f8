"""The cache version and timeouts of the proposals' pages."""

from core.cache_versions import CacheVersion

# Each reader's review queue, and a proposal's content as its readers who do not review
# it see it, are cached, rendered, under a version bumped whenever a proposal, its
# answers, goals, transitions or comments, a checklist, a unit or a person's name or
# account is saved or deleted (ChecklistConfig.ready); a minute at most for a filtered
# queue, ten otherwise.
PROPOSALS_VERSION = CacheVersion("checklist:proposals:version")
PROPOSALS_TIMEOUT = 600
PROPOSALS_SEARCH_TIMEOUT = 60
