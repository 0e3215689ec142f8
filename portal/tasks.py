from datetime import timedelta

from axes.models import AccessFailureLog, AccessLog
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from portal.models import AccessDenial


@shared_task(ignore_result=False)
def ping(token):
    """Echo ``token``: proves a message travelled through the broker to a worker."""
    return token


@shared_task
def prune_access_audit():
    """Forget the access audit's rows (denied accesses, sign-ins and sign-outs, failed
    sign-ins) older than PORTAL_ACCESS_AUDIT_RETENTION_DAYS: anyone can add a row with
    a refused request, so the tables must not grow for ever."""
    cutoff = timezone.now() - timedelta(days=settings.PORTAL_ACCESS_AUDIT_RETENTION_DAYS)
    denied = AccessDenial.objects.prune(before=cutoff)
    logs, _by_model = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    failures, _by_model = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    return denied + logs + failures
