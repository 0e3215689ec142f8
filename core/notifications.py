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

Each recipient is written to in their own language (core.models.Preference; the
portal's default, LANGUAGE_CODE, for who has none), not in the language of whoever
caused the message. Links start with PORTAL_BASE_URL.
"""

from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from core.models import OutboxMessage, Preference


def notify(recipients, template, context):
    """Mail each active recipient that has an address (duplicates are sent once), in
    their language."""
    people = {}
    for person in recipients:
        if person and person.is_active and person.email:
            people.setdefault(person.email, person)
    if not people:
        return
    languages = Preference.objects.languages_of(people.values())
    context = {**context, "portal_url": settings.PORTAL_BASE_URL}
    rendered = {}
    for address in sorted(people):
        language = languages.get(people[address].pk, settings.LANGUAGE_CODE)
        if language not in rendered:
            with translation.override(language):
                rendered[language] = _render(template, context)
        subject, body, html = rendered[language]
        OutboxMessage.objects.add_email(to=address, subject=subject, body=body, html=html)


def _render(template, context):
    """(subject, body, html) of ``template`` in the active language."""
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
            "language": translation.get_language(),
            "organisation_name": settings.PORTAL_ORGANISATION_NAME,
        },
    )
    return subject, body, html
