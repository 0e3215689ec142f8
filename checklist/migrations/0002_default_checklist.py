"""The default checklist (version 1): what a proposal for a new official account must
answer. The texts are the portal's own, after the checklist Nordic universities use.
They are stored in English; the pages translate them (gettext_noop marks them for
makemessages, and locale/sv has the Swedish)."""

from django.db import migrations
from django.utils.translation import gettext_noop as _

ITEMS = [
    (
        "need",
        _("Need and research"),
        _(
            "Is there a real need for a new channel? Look in the registry for channels that "
            "already reach the same people, and say what you found. The form lists "
            "existing channels that look similar."
        ),
        "official-channels",
    ),
    (
        "background",
        _("Background"),
        _("In a few sentences: why does your unit need this account now?"),
        "",
    ),
    (
        "goals",
        _("Goals and purpose"),
        _(
            "What should the channel achieve? Be as concrete as you can, and add at least "
            "one measurable goal below (a number and a date), so that the portal can follow "
            "it once the channel runs."
        ),
        "official-channels",
    ),
    (
        "audience",
        _("Target audience"),
        _(
            "Whom do you want to reach? Describe them, for example by age, country or "
            "region, interests and profession."
        ),
        "",
    ),
    (
        "resources",
        _("Resources and staffing"),
        _(
            "Who will post and answer, how often, and how many hours a week? Who stands in "
            "during holidays?"
        ),
        "official-channels",
    ),
    (
        "moderation",
        _("Moderation"),
        _(
            "How will you handle comments and messages, including inappropriate content? "
            "Refer to the terms of use for the organisation's accounts."
        ),
        "official-voice",
    ),
    (
        "follow_up",
        _("Analysis and follow-up"),
        _(
            "Which figures will you follow against your goals (for example engagement, "
            "clicks, reactions, cost per click or view), and how often?"
        ),
        "",
    ),
    (
        "visual_identity",
        _("Visual identity"),
        _("How will the organisation's graphic profile be applied to the account?"),
        "",
    ),
    (
        "data_protection",
        _("Data protection"),
        _(
            "How does the GDPR apply to the account, with examples? Consider transfers of "
            "personal data to countries outside the EU/EEA after the Schrems II ruling."
        ),
        "data-protection",
    ),
    (
        "accessibility",
        _("Accessibility"),
        _(
            "How will the law on accessibility of digital public services apply to the "
            "account, with examples (captions, image descriptions, plain language)?"
        ),
        "official-channels",
    ),
]


def create_default_checklist(apps, schema_editor):
    ChecklistTemplate = apps.get_model("checklist", "ChecklistTemplate")
    ChecklistItem = apps.get_model("checklist", "ChecklistItem")
    template, _created = ChecklistTemplate.objects.get_or_create(
        version=1, defaults={"name": "Checklist for a new official account"}
    )
    for ordering, (key, title, help_text, guideline) in enumerate(ITEMS, start=1):
        ChecklistItem.objects.get_or_create(
            template=template,
            key=key,
            defaults={
                "title": title,
                "help_text": help_text,
                "required": True,
                "guideline_slug": guideline,
                "ordering": ordering,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("checklist", "0001_initial")]

    operations = [migrations.RunPython(create_default_checklist, migrations.RunPython.noop)]
