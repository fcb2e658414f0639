"""Reported figures verified against raw records, as the operating-data pages show them,
from the app that recomputes them.

Operations sits below records in the layers (docs/architecture.md), so it never imports
it: the records app hands its reader in when Django starts (``RecordsConfig.ready`` calls
``provide``), as operations hands targets its actual values (``targets/actuals.py``).
Until then — or in a project without the records app — the year page shows no
verification.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from budgets.models import Organisation

Reader = Callable[[Organisation, int], Any]

_reader: Reader | None = None


def provide(reader: Reader) -> None:
    """Install the reader of a year's verification (called once, from ``ready``)."""
    global _reader
    _reader = reader


def year_verification(*, organisation: Organisation, year: int) -> Any:
    """The year's verification (``records.selectors.YearVerification``) or None."""
    return None if _reader is None else _reader(organisation, year)
