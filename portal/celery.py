"""The Celery app. Its configuration is the CELERY_* part of portal.settings.

Every task of the portal is a ``PortalTask``, which makes each one survive what a
restart or failover of PostgreSQL or of the broker does to a worker:

- before each task, the worker drops a database connection that broke (Celery reuses
  connections across tasks: CELERY_DB_REUSE_MAX), so that the first task after a
  restart does not inherit ``the connection is closed``;
- a task that meets a transient database or broker error is retried with exponential
  backoff and jitter (CELERY_DB_RETRY_*), not lost. Tasks are idempotent by design
  (docs/architecture.md), so running one again is safe.

When a worker starts it sweeps the outbox at once (core.tasks.sweep_outbox), so that
messages written while no worker or broker was there go out without waiting for beat.
"""

import contextlib
import os

import kombu.exceptions
from celery import Celery, Task
from celery.signals import task_prerun, worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class PortalTask(Task):
    # InterfaceError: "the connection is closed". OperationalError: "terminating
    # connection due to administrator command", "connection refused", a failover.
    autoretry_for = (OperationalError, InterfaceError, kombu.exceptions.OperationalError)
    retry_jitter = True
    retry_backoff_max = 600

    @property
    def retry_backoff(self):
        return settings.CELERY_DB_RETRY_BASE_SECONDS

    @property
    def retry_kwargs(self):
        return {"max_retries": settings.CELERY_DB_RETRY_MAX}


app = Celery("portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect(dispatch_uid="portal.celery.drop_broken_connections")
def drop_broken_connections(task=None, **kwargs):
    """Close connections that broke or outlived DATABASE_CONN_MAX_AGE; Django then
    checks the others before their next query (conn_health_checks). Never in eager
    mode, where it would close the caller's connection mid-transaction."""
    if task is not None and not task.request.is_eager:
        close_old_connections()


@worker_ready.connect(dispatch_uid="portal.celery.sweep_outbox_on_start")
def sweep_outbox_on_start(sender=None, **kwargs):
    from core.tasks import sweep_outbox  # imports models, and this module loads before the apps do

    # Without a broker, beat's next sweep will do it.
    with contextlib.suppress(kombu.exceptions.OperationalError):
        sweep_outbox.delay()
