"""The page for an unexpected error, and the one for an unreachable database.

While PostgreSQL restarts or fails over, every request that needs it fails with
``OperationalError`` (or ``InterfaceError`` for a connection that broke in use). That is
not a bug in the portal: the answer is 503 with ``Retry-After``, so that a browser, a load
balancer and a monitor all read it as "come back shortly", and a page that tells the
person their typing is still in the browser. Neither page touches the database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

# Seconds a client is asked to wait: about as long as a PostgreSQL restart.
RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request, *args, **kwargs):
    """``handler500``: called while the exception is being handled."""
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request, *args, **kwargs)
