"""The Bluesky handle check on a channel's page (the "atproto-handle" method of
accounts.models.verification): what the owner sets up, and what the latest check
found, in words."""

from django import template
from django.conf import settings

from accounts.models.verification import bluesky_handle, handle_domain, registered_did

register = template.Library()


@register.inclusion_tag("accounts/_atproto_instructions.html")
def atproto_instructions(channel):
    """How ``channel``'s Bluesky handle comes to point at its account: the portal's
    own answer at the well-known address, or the DNS record to add."""
    handle = bluesky_handle(channel)
    did = registered_did(channel)
    return {
        "handle": handle,
        "did": did,
        # The TXT record's value, as the owner adds it.
        "txt_value": f"did={did}",
        "domain": handle_domain(handle),
        "domains": settings.PORTAL_HANDLE_DOMAINS,
        "record": f"_atproto.{handle}",
        "well_known": f"https://{handle}/.well-known/atproto-did",
    }


@register.inclusion_tag("accounts/_atproto_evidence.html")
def atproto_evidence(found):
    """What the latest check of a Bluesky handle found (its ``evidence``)."""
    return {"found": found}
