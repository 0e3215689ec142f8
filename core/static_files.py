"""The static files' storage in production: WhiteNoise's compressed, hashed files, with
each file's address worked out once per process.

``{% static %}`` asks the storage for a file's address on every use: a look-up in the
manifest, then splitting, quoting and joining the address, about 9 µs each; a
signed-in page asks for six or more (bench/README.md, "Load"). The manifest is read
once when the process starts and does not change while it runs, so neither do the
addresses; ``post_process`` (collectstatic) writes a new manifest and forgets them.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            # A missing file raises here, as without the memo, and is not kept.
            address = self._addresses[name] = super().url(name)
            return address

    def post_process(self, *args, **kwargs):
        self._addresses = {}
        yield from super().post_process(*args, **kwargs)
        self._addresses = {}
