"""Indexes for the duplicate check (Channel.objects.similar_to), on PostgreSQL only.

Every proposal page lists the running channels like the proposed one: a name key that
contains the proposed one (``name_key LIKE '%key%'``: a trigram index on the key), or
the same handle (``UPPER(handle) = UPPER(...)``: a b-tree on that expression; the
trigram index on it served the equality too, but reads every handle that shares a
trigram). With every condition indexed, PostgreSQL gathers the few matches instead of
walking the registry in name order: 13 instead of 250 to 570 ms on 100,000 channels
(bench/README.md, "Issue 16, load target").
"""

from django.db import migrations

INDEXES = {
    "channel_name_key_trgm_idx": "USING gin (name_key gin_trgm_ops)",
    "channel_handle_upper_idx": '(UPPER("handle"::text))',
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON accounts_channel {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0015_channelevent_profile_changes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
