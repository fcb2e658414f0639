"""Self-evaluations (单位自评): a project's unit evaluates its own year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from budgets.models import BudgetYear, Project
from budgets.services import BudgetLineData, budget_year_create
from core.concurrency import allocate
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.services.creation import IndicatorData, evaluation_create
from targets.models import TargetForm


@dataclass(frozen=True)
class BudgetRowData:
    """A budget year as a self-evaluation workbook states it (its 预算执行 sheet)."""

    unit: str
    initial: Decimal
    addition: Decimal = Decimal(0)
    reduction: Decimal = Decimal(0)
    received: Decimal | None = None
    expenditure: Decimal | None = None
    lines: Sequence[BudgetLineData] = ()


def self_evaluation_code(project: Project, year: int) -> str:
    """The first free ``<project>-<year>-self-N``."""
    number = 1
    while True:
        suffix = f"-{year}-self-{number}"
        code = project.code[: 64 - len(suffix)] + suffix
        if not Evaluation.objects.filter(code=code).exists():
            return code
        number += 1


@transaction.atomic
def self_evaluation_create(
    *,
    project: Project,
    year: int,
    indicators: Sequence[IndicatorData],
    title: str = "",
    evaluator_name: str = "",
    budget: BudgetRowData | None = None,
    leaf_settings: Mapping[tuple[str, ...], tuple[bool, str]] | None = None,
) -> Evaluation:
    """Create a new self-evaluation (单位自评) of ``project`` for ``year`` with its own tree.

    The code is ``<project>-<year>-self-N``; the project's unit evaluates. ``budget`` creates
    the project's budget year when it has none (an existing one is left as it is).
    ``evaluator_name`` is the evaluator as the report names it when that is not the
    unit's own name (the unit still holds the evaluation). ``leaf_settings`` gives, by the path of names, what ``IndicatorData`` does not carry:
    whether a 三级 indicator applies and its qualitative tier. All or nothing.
    """
    if (
        budget is not None
        and not BudgetYear.objects.filter(project=project, year=year).exists()
    ):
        budget_year_create(
            project=project,
            year=year,
            unit=budget.unit,
            initial=budget.initial,
            addition=budget.addition,
            reduction=budget.reduction,
            received=budget.received,
            expenditure=budget.expenditure,
            lines=budget.lines,
        )
    target_form = TargetForm.objects.filter(project=project, year=year).first()
    # the code is read as the first free one, then inserted: a simultaneous creation may
    # take it first (the unique code refuses ours), and the next free one is taken
    evaluation = allocate(
        lambda attempt: evaluation_create(
            code=self_evaluation_code(project, year),
            kind=EvaluationKind.SELF,
            year=year,
            title=(title or f"{project.name}{year}年度绩效自评")[:200],
            project=project,
            target_form=target_form,
            indicators=indicators,
            evaluator=project.unit,
            evaluator_name=evaluator_name,
        ),
        field="code",
    )
    if leaf_settings:
        nodes = list(evaluation.indicators.order_by("position"))
        by_pk = {node.pk: node for node in nodes}
        for node in nodes:
            path: list[str] = []
            current: EvaluationIndicator | None = node
            while current is not None:
                path.insert(0, current.name)
                current = by_pk.get(current.parent_id) if current.parent_id else None
            setting = leaf_settings.get(tuple(path))
            if setting is not None:
                node.applicable, node.tier = setting
                node.full_clean()
                node.save()
    return evaluation
