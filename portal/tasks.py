import smtplib

from celery import shared_task
from django.core.mail import EmailMultiAlternatives


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
def send_email(to, subject, body, html=None):
    """Send one message (text, and HTML when given); the mail server's transient
    failures are retried with backoff."""
    message = EmailMultiAlternatives(subject, body, None, [to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
