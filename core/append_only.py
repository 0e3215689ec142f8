"""Rows that are written once and never changed or deleted by the portal: the audit
trails (channel events, proposal transitions, review comments) and published guideline
versions. On PostgreSQL, triggers add the same refusal in the database for the
proposal's trail (checklist migrations 0003 and 0004)."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are never changed.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are never deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are never deleted.")
