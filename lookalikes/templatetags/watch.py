"""What the impersonation watch searches, for the office's triage pages (accounts'
templates load these tags; accounts' Python imports nothing from lookalikes)."""

from django import template
from django.conf import settings

from lookalikes.search import configured
from lookalikes.search.mastodon import KNOWN_ACCOUNTS_ONLY

register = template.Library()


@register.inclusion_tag("lookalikes/_watch_scope.html")
def watch_scope():
    """The searches this installation runs, and what each of them cannot see."""
    searches = [search.name for search in configured()] if settings.LOOKALIKES_ENABLED else []
    mastodon = any(name.startswith("mastodon:") for name in searches)
    return {"searches": searches, "note": KNOWN_ACCOUNTS_ONLY if mastodon else ""}


@register.simple_tag
def search_note(search_name):
    """What a search named ``search_name`` cannot find ("" when nothing needs saying)."""
    return KNOWN_ACCOUNTS_ONLY if str(search_name).startswith("mastodon:") else ""
