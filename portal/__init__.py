"""The social media governance portal (project package)."""

# Load the Celery app with Django so that @shared_task binds to it.
from portal.celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["__version__", "celery_app"]
