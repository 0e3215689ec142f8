"""What the platforms that need the owner's own token share: finding a usable token and
the account's numeric id, and keeping the token out of everything that is stored or
shown (platforms echo a malformed token in their error messages, and Graph's paging
links carry it)."""

from django.core.exceptions import ObjectDoesNotExist

from .base import FetchError, NotCollectable, Provider

REDACTED = "[token]"


def redact(data, secret):
    """``data`` (a string, or decoded JSON) with every occurrence of ``secret`` hidden."""
    if not secret:
        return data
    if isinstance(data, str):
        return data.replace(secret, REDACTED)
    if isinstance(data, dict):
        return {redact(key, secret): redact(value, secret) for key, value in data.items()}
    if isinstance(data, list):
        return [redact(value, secret) for value in data]
    return data


def _connected_account_id(channel):
    try:
        stored = channel.api_token
    except ObjectDoesNotExist:
        return ""
    return stored.account_id if stored is not None else ""


class OwnerTokenProvider(Provider):
    """A provider that asks with the channel owner's token for the account ``platform_id``
    (Facebook, Instagram, LinkedIn)."""

    def check(self, channel):
        self.token(channel)
        self.account_id(channel)

    def token(self, channel):
        """The decrypted token; NotCollectable if there is none that can be used."""
        try:
            stored = channel.api_token
        except ObjectDoesNotExist:
            stored = None
        if stored is None:
            raise NotCollectable("The channel has no API token.")
        if stored.is_expired():
            raise NotCollectable("The channel's API token has expired.")
        value = stored.value
        if not value:
            raise NotCollectable("The channel's API token cannot be decrypted (its key is gone).")
        return value

    def account_id(self, channel):
        """The account's numeric id in the platform's API: the channel's, else the one
        found when the owner connected the channel by signing in."""
        value = (channel.platform_id or "").strip() or _connected_account_id(channel)
        if not value:
            raise NotCollectable("The channel has no platform id.")
        if not (value.isascii() and value.isdigit()):
            raise NotCollectable("The channel's platform id is not a numeric id.")
        return value

    def get_with_token(self, channel, token, url, *, params=None, headers=None):
        """``get_json`` with the token in the Authorization header; a FetchError it raises
        is scrubbed of the token (platforms echo a malformed token in their message)."""
        try:
            payload = self.get_json(
                channel,
                url,
                params=params,
                headers={**(headers or {}), "Authorization": f"Bearer {token}"},
            )
        except FetchError as error:
            error.message = redact(error.message, token)
            error.args = (error.message,)
            error.raw = redact(error.raw, token)
            raise
        return redact(payload, token)
