"""The platforms' account searches, one module each, behind one small interface
(``base.Search``). ``SEARCHES`` names them; ``configured()`` gives those this
installation can use (a platform that needs a key or a server list and has none is
left out)."""

from django.utils.module_loading import import_string

#: platform -> the dotted path of its Search class.
SEARCHES = {
    "bluesky": "lookalikes.search.bluesky.BlueskySearch",
    "mastodon": "lookalikes.search.mastodon.MastodonSearch",
    "youtube": "lookalikes.search.youtube.YouTubeSearch",
}


def configured():
    """Every search this installation can run: one per platform, and on Mastodon one
    per configured server."""
    for path in SEARCHES.values():
        yield from import_string(path).configured()
