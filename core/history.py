"""History (django-simple-history) of the rows people edit, without rows for saves that
change nothing.

simple-history writes a historical row on every ``save()``; a page posted back unchanged
would add one that records no change at all and pushes the real changes down the history
page. ``ChangesOnlyHistory`` is ``HistoricalRecords`` that compares an update with the
latest historical row and writes a new one only when a tracked field differs. Creations
and deletions are always written. Fields that change on every save by design — the
optimistic-concurrency ``version`` and ``auto_now`` timestamps — are not compared.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

# Bookkeeping fields that every save changes, so they never count as a change on their own.
BOOKKEEPING_FIELDS = frozenset({"version"})


class ChangesOnlyHistory(HistoricalRecords):  # type: ignore[misc]
    """``HistoricalRecords`` that records an update only when a tracked field changed."""

    def create_historical_record(
        self, instance: models.Model, history_type: str, using: str | None = None
    ) -> None:
        if history_type == "~" and not self.changed_since_last_record(instance):
            return
        super().create_historical_record(instance, history_type, using=using)

    def changed_since_last_record(self, instance: models.Model) -> bool:
        """Whether ``instance`` differs from its latest historical row in a tracked field
        (true when it has none)."""
        last: Any = getattr(instance, self.manager_name).first()
        if last is None:
            return True
        for field in self.fields_included(instance):
            if field.name in BOOKKEEPING_FIELDS or getattr(field, "auto_now", False):
                continue
            if getattr(instance, field.attname) != getattr(last, field.attname):
                return True
        return False
