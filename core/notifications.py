"""E-mail to people, written to the outbox with the action that causes it and sent by a
worker after that action's transaction commits.

The subject and body are rendered now, from ``<template>_subject.txt`` and
``<template>_body.txt`` by the "text" template engine (plain text: no HTML escaping),
so that the message says what was true when it happened. Every message also has an
HTML part: the same text in the portal's mail layout (portal/email/message.html),
escaped, with its links clickable. Each message is a row of the durable outbox
(core.models.OutboxMessage), written in the caller's transaction: a slow or broken
mail server, or a broker that is down, delays the message and never fails the request
that caused it, nor loses the message.
"""

from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.models import OutboxMessage


def notify(recipients, template, context):
    """Mail each active recipient that has an address (duplicates are sent once)."""
    addresses = sorted(
        {person.email for person in recipients if person and person.is_active and person.email}
    )
    if not addresses:
        return
    context = {**context, "portal_url": settings.PORTAL_BASE_URL}
    text = engines["text"]
    subject = " ".join(text.get_template(f"{template}_subject.txt").render(context).split())
    # A rendered template is a SafeString: make it plain text again, or the HTML layout
    # would take it as markup and not escape it.
    body = "".join([text.get_template(f"{template}_body.txt").render(context)])
    html = render_to_string(
        "portal/email/message.html",
        {
            "subject": subject,
            "body": body,
            "language": get_language(),
            "organisation_name": settings.PORTAL_ORGANISATION_NAME,
        },
    )
    for address in addresses:
        OutboxMessage.objects.add_email(to=address, subject=subject, body=body, html=html)
