"""Encryption of the per-channel API tokens at rest (Fernet: AES with an HMAC, from the
``cryptography`` package).

The keys come from ``METRICS_TOKEN_KEYS`` (comma-separated Fernet keys; the first
encrypts, all decrypt, which is how a key is rotated). Without it, one key is derived
from ``SECRET_KEY`` so that the demo runs with no set-up; production sets its own.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet():
    keys = settings.METRICS_TOKEN_KEYS
    if not keys:
        digest = hashlib.sha256(b"portal.metrics.tokens:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "METRICS_TOKEN_KEYS must be Fernet keys (32 url-safe base64 bytes each)."
        ) from error


def encrypt(value):
    return _fernet().encrypt(value.encode())


def decrypt(data):
    """The token, or "" if no configured key opens it (a lost or rotated-out key)."""
    try:
        return _fernet().decrypt(data).decode()
    except InvalidToken:
        return ""
