"""The base every app builds on; it imports no app of the portal.

Environment settings (env), cache versions and the degrading Redis cache
(cache_versions, redis_cache), append-only models (append_only), the client's
address (client_ip) and shared validators (validators). A module belongs here when it
knows nothing of channels, proposals, guidelines or figures; the import rules in
pyproject.toml ([tool.importlinter]) fail the build when one starts to.
"""
