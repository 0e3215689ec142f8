"""The outbox moves from the project package to core: only Django's idea of which app
owns the model changes. The table portal/migrations/0003_outbox.py created stays as it
is, under its name, with its rows (portal/migrations/0005_outbox_moved_to_core.py
forgets the model on the portal's side)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("portal", "0004_two_step_failure"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('email', 'E-mail'), ('task', 'Follow-up task')], max_length=10, verbose_name='kind')),
                        ('payload', models.JSONField(verbose_name='payload')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('due_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='next attempt')),
                        ('leased_until', models.DateTimeField(blank=True, null=True, verbose_name='held by a worker until')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered')),
                        ('failed_at', models.DateTimeField(blank=True, help_text="Set after the last allowed attempt failed; 'Send again now' retries it.", null=True, verbose_name='given up')),
                    ],
                    options={
                        'verbose_name': 'outgoing message',
                        'verbose_name_plural': 'outgoing messages',
                        'db_table': 'portal_outboxmessage',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(condition=models.Q(('delivered_at', None), ('failed_at', None)), fields=['due_at'], name='outbox_pending_due'), models.Index(fields=['delivered_at'], name='outbox_delivered')],
                    },
                ),
            ],
        ),
    ]
