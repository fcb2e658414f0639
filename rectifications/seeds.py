"""Rectification items have no seed data; replacing the seeds (``load_seeds --replace``)
deletes them first, since they protect the evaluations' findings the seeds delete."""

from __future__ import annotations

from collections.abc import Sequence

from core.seeding import LoadReport, SeedDocument
from rectifications.models import RectificationItem


def seeds_delete(documents: Sequence[SeedDocument]) -> None:
    # every evaluation goes (evaluations.seeds), and with it what was found in it
    RectificationItem.objects.all().delete()


def seeds_load(documents: Sequence[SeedDocument], report: LoadReport) -> None:
    return None
