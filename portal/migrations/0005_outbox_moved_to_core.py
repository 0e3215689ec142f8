"""The outbox now belongs to core (core/migrations/0001_outbox.py); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_two_step_failure"),
        ("core", "0001_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="OutboxMessage")],
        ),
    ]
