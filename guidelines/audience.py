"""Who the guidelines and the crisis notices are for: the people who run the
organisation's channels.

The registry (accounts), a layer above this app, knows who they are; it says so once at
start-up (``AccountsConfig.ready`` calls ``provide``), as apps contribute a person's
facts (core.person_facts). This app asks through the two functions below and never
imports the registry.

Two audiences:

- ``RUNNING``: the owners and deputies of every channel that is not closed (planned,
  active or dormant). They must acknowledge the owner guidelines, and are told of a new
  version.
- ``LIVE``: the owners and deputies of the channels that can post now (active or
  dormant: a dormant channel is quiet, not closed). A crisis notice reaches them.
"""

from django.core.exceptions import ImproperlyConfigured

RUNNING = "running"
LIVE = "live"

_provided = {}


def provide(*, people, with_channels):
    """Called once by the registry: ``people(audience)`` returns the active people of
    ``audience`` (a queryset of users, each once); ``with_channels(people, audience)``
    returns the queryset ``people``, each with ``channel_roles_now``: their current
    owner and deputy roles (with the channel) of ``audience``'s channels, or of every
    channel when ``audience`` is None."""
    _provided.update(people=people, with_channels=with_channels)


def _provider(name):
    try:
        return _provided[name]
    except KeyError:
        raise ImproperlyConfigured(
            "No app provides the guidelines' audience: is 'accounts' in INSTALLED_APPS?"
        ) from None


def people(audience):
    """The active people of ``audience`` (RUNNING or LIVE), each once, ordered by pk."""
    return _provider("people")(audience)


def with_channels(people, audience=None):
    """``people``, each with ``channel_roles_now``: the owner and deputy roles they hold
    now, with their channels (those of ``audience`` only, if given)."""
    return _provider("with_channels")(people, audience)
