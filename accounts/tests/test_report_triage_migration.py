"""accounts/migrations/0010: reports marked "handled" in the admin become closed
reports (without an outcome: nobody recorded one); the others wait in the queue, as
reports from the public."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0009_facebook_ids_one_canonical_form")]
AFTER = [("accounts", "0010_report_triage")]
AT = datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_handled_reports_are_closed_and_the_others_stay_open():
    old_apps = migrate(BEFORE)
    Report = old_apps.get_model("accounts", "SuspiciousAccountReport")
    handled = Report.objects.create(
        reported_url="@old_fake", description="Spam.", reported_at=AT, handled=True
    )
    waiting = Report.objects.create(reported_url="@new_fake", description="Odd.", reported_at=AT)
    try:
        new_apps = migrate(AFTER)
        Report = new_apps.get_model("accounts", "SuspiciousAccountReport")
        rows = Report.objects.order_by("pk").values_list(
            "pk", "source", "closed_at", "outcome", "evidence"
        )
        assert list(rows) == [
            (handled.pk, "public", AT, "", {}),
            (waiting.pk, "public", None, "", {}),
        ]
        # And back again.
        old_apps = migrate(BEFORE)
        Report = old_apps.get_model("accounts", "SuspiciousAccountReport")
        assert list(Report.objects.order_by("pk").values_list("handled", flat=True)) == [
            True,
            False,
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
