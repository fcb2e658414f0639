"""结果应用 has no seed data of its own: loading the seeds makes sure the default grade
rule is there (a test database emptied after a browser test lost what the migration
wrote); replacing them deletes the recorded decisions, which protect the evaluations."""

from __future__ import annotations

from collections.abc import Sequence

from core.seeding import LoadReport, SeedDocument
from results_use.models import BudgetDecision
from results_use.rules import default_rules_ensure


def seeds_delete(documents: Sequence[SeedDocument]) -> None:
    BudgetDecision.objects.all().delete()


def seeds_load(documents: Sequence[SeedDocument], report: LoadReport) -> None:
    default_rules_ensure()
