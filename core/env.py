"""Read typed settings from the environment.

Each helper returns the default when the variable is unset (or empty) and raises
``ImproperlyConfigured`` naming the variable when its value cannot be understood,
so that a typo in a deployment stops the process at start-up instead of being
silently read as something else.
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name):
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name, default=None):
    value = _raw(name)
    return default if value is None else value


def env_matching(name, default, pattern, *, example):
    """A string that must match ``pattern`` (a regular expression, matched whole)."""
    value = env_str(name, default)
    if not re.fullmatch(pattern, value):
        raise ImproperlyConfigured(f"{name} must look like {example!r}, not {value!r}.")
    return value


def env_bool(name, default):
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {value!r}.")


def env_int(name, default, *, minimum=None):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name, default=()):
    """A comma-separated list; blanks around items are ignored."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_rates(name, default):
    """Rates as ``key=number`` pairs (``mastodon=5,bluesky=10``), merged over ``default``;
    every number must be positive."""
    rates = dict(default)
    for item in env_list(name):
        key, sep, number = item.partition("=")
        try:
            rate = float(number)
        except ValueError:
            rate = 0
        if not sep or not key.strip() or not rate > 0:
            raise ImproperlyConfigured(
                f"{name} must be comma-separated platform=requests-per-second pairs, not {item!r}."
            )
        rates[key.strip()] = rate
    return rates


def env_time(name, default):
    """A time of day as ``HH:MM``; returns (hour, minute)."""
    value = _raw(name) or default
    hour, sep, minute = value.partition(":")
    digits = (hour + minute).isascii() and hour.isdigit() and minute.isdigit()
    if sep and digits and int(hour) < 24 and int(minute) < 60:
        return int(hour), int(minute)
    raise ImproperlyConfigured(f"{name} must be a time of day as HH:MM, not {value!r}.")
