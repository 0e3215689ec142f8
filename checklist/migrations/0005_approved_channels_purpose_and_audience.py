"""The channels approved before the approval carried them over get the purpose and the
target audience their proposals answered (the "goals" and "audience" items), where the
registry entry has none yet. A purpose or audience someone already wrote is kept."""

from django.db import migrations

# checklist.models.templates.PURPOSE_ITEM and AUDIENCE_ITEM, as they were.
FIELDS = {"purpose": "goals", "audience": "audience"}


def carry_over(apps, schema_editor):
    Channel = apps.get_model("accounts", "Channel")
    Answer = apps.get_model("checklist", "Answer")
    channels = list(Channel.objects.filter(origin_proposal__isnull=False))
    answers = {
        (proposal, key): text.strip()
        for proposal, key, text in Answer.objects.filter(
            proposal__in=[channel.origin_proposal_id for channel in channels],
            item__key__in=FIELDS.values(),
        ).values_list("proposal_id", "item__key", "text")
    }
    changed = []
    for channel in channels:
        filled = False
        for field, key in FIELDS.items():
            text = answers.get((channel.origin_proposal_id, key), "")
            if text and not getattr(channel, field).strip():
                setattr(channel, field, text)
                filled = True
        if filled:
            changed.append(channel)
    Channel.objects.bulk_update(changed, list(FIELDS), batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("checklist", "0004_review_comments_and_meeting"),
        ("accounts", "0009_facebook_ids_one_canonical_form"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
