"""Signed-in sessions that end: after PORTAL_SESSION_IDLE_MINUTES without a request,
and PORTAL_SESSION_MAX_HOURS after signing in whatever happens; and pages for signed-in
people that no browser or proxy keeps.

Django's session cookie alone has one age, renewed or not; an idle limit and an
absolute one need the two times kept in the session, checked on every request.

Also the session engine (SESSION_ENGINE): Django's cached_db, whose read from the cache
brings the request's cache versions in the same round trip (core.caching).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends import cached_db
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core import caching

STARTED = "_portal_started"
SEEN = "_portal_seen"


def seen_resolution():
    """How often, at most, the last-seen time is written (not on every request): a
    tenth of the idle limit, at most a minute. The recorded time may lag the last
    request by up to this much, so an idle session ends between the idle limit and the
    limit plus this, never before: with one minute, after 60 to 66 seconds."""
    return min(60, settings.PORTAL_SESSION_IDLE_MINUTES * 60 / 10)


def start_session_clock(sender, request, user, **kwargs):
    """On signing in: both times start now, written with the new session (so that the
    following requests do not each write the session)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionLimitsMiddleware:
    """Ends a signed-in session that has been idle or alive too long (with a message
    saying why), and marks every page served to a signed-in person as not to be
    cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                # Signed out, the request goes on as an anonymous one: a public page
                # still shows, any other is sent to the login page by
                # LoginRequiredMiddleware, which decides after this.
                logout(request)
                messages.info(request, expired)
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    def _expired(self, request):
        session = request.session
        now = time.time()
        started = session.setdefault(STARTED, now)  # a session from before this code
        seen = session.get(SEEN, now)
        resolution = seen_resolution()
        if now - seen >= settings.PORTAL_SESSION_IDLE_MINUTES * 60 + resolution:
            return _("You were signed out after a while without activity. Please sign in again.")
        if now - started > settings.PORTAL_SESSION_MAX_HOURS * 3600:
            return _("Your session has reached its time limit. Please sign in again.")
        if now - seen >= resolution or SEEN not in session:
            session[SEEN] = now
        return None


class SessionStore(cached_db.SessionStore):
    """Django's cached_db sessions; the session is read from the cache together with the
    request's cache versions, which every page reads next (one round trip less). A miss
    is Django's: the database, then the cache."""

    def load(self):
        if settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS:
            try:
                data = caching.get_with_versions(self.cache_key)
            except Exception:  # as Django's: an unusable key is no session
                data = None
            if data is not None:
                return data
        return super().load()
