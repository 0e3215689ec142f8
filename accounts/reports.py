"""Reports of suspicious accounts from the public directory.

The operation lives here rather than on SuspiciousAccountReport's manager while
accounts/models.py is being split into a package; it can move onto the model's
QuerySet (``SuspiciousAccountReport.objects.submit(...)``) once that split is in.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import SuspiciousAccountReport
from accounts.platforms import detect_platform
from core import roles
from core.notifications import notify


def submit_report(*, reported_url, description, contact_email=""):
    """Store a member of the public's report and mail the communications office's
    active members, or neither: the mail goes after commit, once the report is kept."""
    office = get_user_model().objects.filter(groups__name=roles.COMMUNICATIONS, is_active=True)
    with transaction.atomic():
        report = SuspiciousAccountReport.objects.create(
            reported_url=reported_url,
            detected_platform=detect_platform(reported_url) or "",
            description=description,
            contact_email=contact_email,
        )
        notify(office, "accounts/email/suspicious_report", {"report": report})
    return report
