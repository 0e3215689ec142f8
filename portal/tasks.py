from celery import shared_task


@shared_task(ignore_result=False)
def ping(token):
    """Echo ``token``: proves a message travelled through the broker to a worker."""
    return token
