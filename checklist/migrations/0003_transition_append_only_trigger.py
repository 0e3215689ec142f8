"""On PostgreSQL, the database itself refuses UPDATE and DELETE of a transition, so the
audit trail stays whole whatever code (or person with a SQL prompt) runs against it.
The application already refuses (Transition.save/delete and its QuerySet); this is the
second lock. Other databases rely on the application only."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION checklist_transition_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'checklist_transition is append-only: %% refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS checklist_transition_append_only ON checklist_transition;
CREATE TRIGGER checklist_transition_append_only
    BEFORE UPDATE OR DELETE ON checklist_transition
    FOR EACH ROW EXECUTE FUNCTION checklist_transition_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS checklist_transition_append_only ON checklist_transition;
DROP FUNCTION IF EXISTS checklist_transition_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("checklist", "0002_default_checklist")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
