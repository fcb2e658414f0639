"""The operations part of the seeds (core/seeding.py): the hotline centres' operating-data
workbooks of ``fixtures/operating_data/``, uploaded through the import service. They are
loaded before the evaluations, which take their actual values from them; ``--replace``
leaves them (a second upload of the same figures changes nothing)."""

from __future__ import annotations

from collections.abc import Sequence

from core.seeding import LoadReport, SeedDocument
from operations.services import seed_workbooks_load


def seeds_load(documents: Sequence[SeedDocument], report: LoadReport) -> None:
    seed_workbooks_load()
