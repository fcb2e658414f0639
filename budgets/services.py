"""Writes to organisations, projects and budgets. Every object is ``full_clean()``ed first, so
bad input raises ``ValidationError`` (with a message in the user's language) and writes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from budgets.models import (
    AmountUnit,
    BudgetAdjustment,
    BudgetLine,
    BudgetYear,
    DepartmentBudget,
    DepartmentExpenditure,
    DepartmentIncome,
    DepartmentSpending,
    GoodsServicesLine,
    Organisation,
    PayrollLine,
    Project,
    ProjectTask,
    SubProject,
)
from core.adjustments import adjustment_decide
from core.concurrency import claim, model_field_label


@dataclass(frozen=True)
class TaskData:
    content: str
    planned_start: str = ""
    planned_finish: str = ""


@dataclass(frozen=True)
class BudgetLineData:
    category: str
    budget: Decimal
    received: Decimal | None = None
    expenditure: Decimal | None = None


@dataclass(frozen=True)
class SubProjectData:
    name: str
    amount: Decimal


@dataclass(frozen=True)
class PayrollLineData:
    title: str
    total: Decimal
    basic_pay: Decimal
    insurance: Decimal
    housing_fund: Decimal
    year_end_headcount: int | None = None
    monthly_average_headcount: int | None = None


@dataclass(frozen=True)
class GoodsServicesLineData:
    item: str
    expenditure: Decimal


@dataclass(frozen=True)
class IncomeData:
    source: str
    amount: Decimal


@dataclass(frozen=True)
class ExpenditureData:
    kind: str
    name: str
    full_year_budget: Decimal
    half_year_plan: Decimal | None = None


def _save[M: models.Model](obj: M) -> M:
    obj.full_clean()
    obj.save()
    return obj


def organisation_create(
    *,
    code: str,
    name: str,
    kind: str,
    region: str = "",
    city: str = "",
    parent: Organisation | None = None,
) -> Organisation:
    return _save(
        Organisation(
            code=code, name=name, kind=kind, region=region, city=city, parent=parent
        )
    )


@transaction.atomic
def project_create(
    *,
    code: str,
    name: str,
    department: Organisation,
    unit: Organisation,
    applicant: Organisation | None = None,
    contractor: Organisation | None = None,
    project_type: str = "",
    fund_use: str = "",
    overview: str = "",
    basis: str = "",
    necessity: str = "",
    feasibility: str = "",
    safeguards: str = "",
    implementation_plan: str = "",
    manager: str = "",
    manager_phone: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    period_text: str = "",
    total_budget: Decimal | None = None,
    total_budget_unit: str = AmountUnit.WAN_YUAN,
    source_notes: str = "",
    tasks: Sequence[TaskData] = (),
) -> Project:
    """Create a project with its 项目基本情况表 and its 实施内容 rows."""
    project = _save(
        Project(
            code=code,
            name=name,
            department=department,
            unit=unit,
            applicant=applicant,
            contractor=contractor,
            project_type=project_type,
            fund_use=fund_use,
            overview=overview,
            basis=basis,
            necessity=necessity,
            feasibility=feasibility,
            safeguards=safeguards,
            implementation_plan=implementation_plan,
            manager=manager,
            manager_phone=manager_phone,
            start_date=start_date,
            end_date=end_date,
            period_text=period_text,
            total_budget=total_budget,
            total_budget_unit=total_budget_unit,
            source_notes=source_notes,
        )
    )
    for position, task in enumerate(tasks, start=1):
        _save(
            ProjectTask(
                project=project,
                position=position,
                content=task.content,
                planned_start=task.planned_start,
                planned_finish=task.planned_finish,
            )
        )
    return project


@transaction.atomic
def budget_year_create(
    *,
    project: Project,
    year: int,
    unit: str = AmountUnit.WAN_YUAN,
    initial: Decimal = Decimal(0),
    addition: Decimal = Decimal(0),
    reduction: Decimal = Decimal(0),
    received: Decimal | None = None,
    expenditure: Decimal | None = None,
    previous_budget: Decimal | None = None,
    previous_expenditure: Decimal | None = None,
    lines: Sequence[BudgetLineData] = (),
    sub_projects: Sequence[SubProjectData] = (),
    payroll: Sequence[PayrollLineData] = (),
    goods_services: Sequence[GoodsServicesLineData] = (),
) -> BudgetYear:
    """Create a project's budget year with its lines and detail tables, all or nothing."""
    budget_year = _save(
        BudgetYear(
            project=project,
            year=year,
            unit=unit,
            initial=initial,
            addition=addition,
            reduction=reduction,
            received=received,
            expenditure=expenditure,
            previous_budget=previous_budget,
            previous_expenditure=previous_expenditure,
        )
    )
    for position, line in enumerate(lines, start=1):
        _save(
            BudgetLine(
                budget_year=budget_year,
                position=position,
                category=line.category,
                budget=line.budget,
                received=line.received,
                expenditure=line.expenditure,
            )
        )
    for position, sub in enumerate(sub_projects, start=1):
        _save(
            SubProject(
                budget_year=budget_year,
                position=position,
                name=sub.name,
                amount=sub.amount,
            )
        )
    for position, row in enumerate(payroll, start=1):
        _save(
            PayrollLine(
                budget_year=budget_year,
                position=position,
                title=row.title,
                year_end_headcount=row.year_end_headcount,
                monthly_average_headcount=row.monthly_average_headcount,
                total=row.total,
                basic_pay=row.basic_pay,
                insurance=row.insurance,
                housing_fund=row.housing_fund,
            )
        )
    for position, item in enumerate(goods_services, start=1):
        _save(
            GoodsServicesLine(
                budget_year=budget_year,
                position=position,
                item=item.item,
                expenditure=item.expenditure,
            )
        )
    return budget_year


@transaction.atomic
def department_budget_create(
    *,
    organisation: Organisation,
    year: int,
    unit: str = AmountUnit.WAN_YUAN,
    income: Sequence[IncomeData] = (),
    expenditure: Sequence[ExpenditureData] = (),
) -> DepartmentBudget:
    """Create a department-wide budget (收入 by source, 支出 基本/项目) for one year."""
    budget = _save(DepartmentBudget(organisation=organisation, year=year, unit=unit))
    for line in income:
        _save(
            DepartmentIncome(
                department_budget=budget, source=line.source, amount=line.amount
            )
        )
    for position, item in enumerate(expenditure, start=1):
        _save(
            DepartmentExpenditure(
                department_budget=budget,
                position=position,
                kind=item.kind,
                name=item.name,
                half_year_plan=item.half_year_plan,
                full_year_budget=item.full_year_budget,
            )
        )
    return budget


YEAR_FIGURES = ("initial", "addition", "reduction", "received", "expenditure")
LINE_FIGURES = ("budget", "received", "expenditure")


@dataclass(frozen=True)
class LineFigures:
    """The figures of one line to change, by name (``LINE_FIGURES``); those not given
    stay as they are."""

    line: BudgetLine
    figures: Mapping[str, Decimal | None]


def _apply(obj: BudgetYear | BudgetLine, figures: Mapping[str, Decimal | None]) -> bool:
    """Set the given figures on ``obj``; whether any of them changed."""
    changed = False
    for name, value in figures.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def budget_year_update(
    *,
    budget_year: BudgetYear,
    figures: Mapping[str, Decimal | None],
    lines: Sequence[LineFigures] = (),
    version: int | None = None,
) -> BudgetYear:
    """Change the given figures of a budget year (``YEAR_FIGURES``, by name) and of its
    lines, all or nothing; a figure not given is left as stored. Who may change which
    figure is decided before (``budgets.scoping.budget_figures_editable``). Each change
    is recorded in the history (who, when, before, after).

    ``version`` is the budget year's version the page was drawn from (it covers the
    lines too): when someone saved the page since, ``EditConflict`` refuses the save and
    names each figure they saved that differs from the one given (nothing is written)."""
    unknown = set(figures) - set(YEAR_FIGURES)
    unknown |= {name for item in lines for name in item.figures} - set(LINE_FIGURES)
    if unknown:
        raise ValueError(f"not budget figures: {sorted(unknown)}")
    for item in lines:
        if item.line.budget_year_id != budget_year.pk:
            raise ValidationError(_("The line belongs to another budget year."))
    given = {line.line.pk: line.figures for line in lines}
    claim(
        budget_year,
        version=version,
        what=_("the budget of %(year)s") % {"year": budget_year.year},
        typed=_page_figures(figures, given, budget_year.lines.all()),
        saved=lambda stored: _page_figures(
            {name: getattr(stored, name) for name in figures},
            {
                line.pk: {name: getattr(line, name) for name in given[line.pk]}
                for line in stored.lines.filter(pk__in=given)
            },
            stored.lines.all(),
        ),
    )
    if _apply(budget_year, figures):
        _save(budget_year)
    for item in lines:
        if _apply(item.line, item.figures):
            _save(item.line)
    return budget_year


def _page_figures(
    figures: Mapping[str, Decimal | None],
    lines: Mapping[int, Mapping[str, Decimal | None]],
    all_lines: Iterable[BudgetLine],
) -> dict[str, object]:
    """The budget page's figures by the labels the conflict message shows."""
    labelled: dict[str, object] = {
        model_field_label(BudgetYear, name): value for name, value in figures.items()
    }
    for line in all_lines:
        for name, value in lines.get(line.pk, {}).items():
            label = model_field_label(BudgetLine, name)
            labelled[f"{line.get_category_display()}：{label}"] = value
    return labelled


def budget_adjustment_request(
    *, line: BudgetLine, user: User, amount: Decimal, reason: str
) -> BudgetAdjustment:
    """预算调整: ask to raise a line's budget by ``amount``, with a reason."""
    return _save(
        BudgetAdjustment(
            line=line, amount=amount, reason=reason.strip(), requested_by=user
        )
    )


@transaction.atomic
def budget_adjustment_decide(
    *, adjustment: BudgetAdjustment, user: User, approve: bool
) -> BudgetAdjustment:
    """Approve or reject. The line's printed budget is not rewritten: monitoring counts
    approved adjustments against any overspend (``targets.monitoring``). Two people
    deciding at once take turns: the second finds it decided."""
    _save(adjustment_decide(adjustment, user=user, approve=approve))
    return adjustment


@transaction.atomic
def department_spending_record(
    *,
    budget: DepartmentBudget,
    month: int,
    amounts: Mapping[int, Decimal | None],
) -> DepartmentBudget:
    """Record what the given expenditure lines (by id) of ``budget`` had spent from
    1 January to the end of ``month``; ``None`` removes a line's figure (not reported).
    Lines not given stay as they are; each change is kept in the history."""
    if not 1 <= month <= 12:
        raise ValidationError(_("The month must be from 1 to 12."))
    lines = {line.pk: line for line in budget.expenditure_lines.all()}
    unknown = set(amounts) - set(lines)
    if unknown:
        raise ValidationError(_("The line belongs to another budget."))
    stored = {
        row.line_id: row
        for row in DepartmentSpending.objects.filter(
            line__in=list(amounts), month=month
        )
    }
    for pk, amount in amounts.items():
        row = stored.get(pk)
        if amount is None:
            if row is not None:
                row.delete()
            continue
        if row is None:
            _save(DepartmentSpending(line=lines[pk], month=month, amount=amount))
        elif row.amount != amount:
            row.amount = amount
            _save(row)
    return budget
