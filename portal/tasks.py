import smtplib

from celery import shared_task
from django.core.mail import send_mail


@shared_task(ignore_result=False)
def ping(token):
    """Echo ``token``: proves a message travelled through the broker to a worker."""
    return token


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=8,
)
def send_email(to, subject, body):
    """Send one message; the mail server's transient failures are retried with backoff."""
    send_mail(subject, body, None, [to])
