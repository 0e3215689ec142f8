"""The base every app builds on; it imports no app of the portal.

Environment settings (env), the group roles and a person's cached facts (roles,
person_facts), cached values, their inputs and versions, and the degrading Redis cache (caching,
redis_cache), the outbox of e-mails and follow-up tasks (models, tasks, notifications),
append-only models (append_only), the client's address (client_ip), shared validators
and view helpers, and the admin site. A module belongs here when it knows nothing of
channels, proposals, guidelines or figures; the import rules in pyproject.toml
([tool.importlinter]) fail the build when one starts to.
"""
