"""The budgets part of the seed files (core/seeding.py): organisations, projects, project
budget years and department budgets, through the budgets services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from budgets import services as budget_services
from budgets.models import BudgetYear, DepartmentBudget, Organisation, Project
from core.seeding import (
    SEED_FILES,
    Doc,
    LoadReport,
    SeedDocument,
    SeedError,
    date_value,
    dec,
    required,
    text,
)


def seeds_present() -> bool:
    return Project.objects.filter(code__in=SEED_FILES).exists()


def seeds_delete(documents: Sequence[SeedDocument]) -> None:
    BudgetYear.objects.filter(project__code__in=SEED_FILES).delete()
    Project.objects.filter(code__in=SEED_FILES).delete()
    codes = [
        org["code"]
        for document in documents
        for org in document.doc.get("organisations") or ()
    ]
    DepartmentBudget.objects.filter(organisation__code__in=codes).delete()
    # children before parents (PROTECT)
    for org in sorted(
        Organisation.objects.filter(code__in=codes), key=lambda o: o.parent_id is None
    ):
        org.delete()


def seeds_load(documents: Sequence[SeedDocument], report: LoadReport) -> None:
    organisations: dict[str, Organisation] = {}
    loaded = projects = budget_years = department_budgets = 0
    # organisations first: a file may name another file's organisation
    for document in documents:
        for org in document.doc.get("organisations") or ():
            organisations[org["code"]] = _organisation(org, organisations)
            loaded += 1
    for document in documents:
        for project in document.doc.get("projects") or ():
            _project(project, organisations, document.notes)
            projects += 1
        for budget_year in document.doc.get("budget_years") or ():
            _budget_year(budget_year)
            budget_years += 1
        for department_budget in document.doc.get("department_budgets") or ():
            _department_budget(department_budget, organisations)
            department_budgets += 1
    report.parts += [
        f"{loaded} 个组织",
        f"{projects} 个项目",
        f"{budget_years} 个项目预算年度",
        f"{department_budgets} 个部门预算",
    ]


def seed_organisation(code: object) -> Organisation | None:
    """The organisation a seed names by its code (``None`` for none)."""
    if code is None:
        return None
    try:
        return Organisation.objects.get(code=str(code))
    except Organisation.DoesNotExist:
        raise SeedError(f"未知组织代码 {code}") from None


def _organisation(doc: Doc, known: Mapping[str, Organisation]) -> Organisation:
    parent_code = doc.get("parent")
    if parent_code and parent_code not in known:
        raise SeedError(f"组织 {doc['code']} 的上级 {parent_code} 须在其之前列出")
    return budget_services.organisation_create(
        code=doc["code"],
        name=doc["name"],
        kind=doc["kind"],
        region=text(doc.get("region")),
        city=text(doc.get("city")),
        parent=known[parent_code] if parent_code else None,
    )


def _org(
    code: object, organisations: Mapping[str, Organisation]
) -> Organisation | None:
    if code is None:
        return None
    try:
        return organisations[str(code)]
    except KeyError:
        raise SeedError(f"未知组织代码 {code}") from None


def _project(
    doc: Doc, organisations: Mapping[str, Organisation], notes: str
) -> Project:
    total = doc.get("total_budget") or {}
    department = _org(doc["department"], organisations)
    unit = _org(doc["unit"], organisations)
    assert department is not None and unit is not None
    return budget_services.project_create(
        code=doc["code"],
        name=doc["name"],
        department=department,
        unit=unit,
        applicant=_org(doc.get("applicant"), organisations),
        contractor=_org(doc.get("contractor"), organisations),
        project_type=text(doc.get("project_type")),
        fund_use=text(doc.get("fund_use")),
        overview=text(doc.get("overview")),
        basis=text(doc.get("basis")),
        necessity=text(doc.get("necessity")),
        feasibility=text(doc.get("feasibility")),
        safeguards=text(doc.get("safeguards")),
        implementation_plan=text(doc.get("implementation_plan")),
        manager=text(doc.get("manager")),
        manager_phone=text(doc.get("manager_phone")),
        start_date=date_value(doc.get("start_date")),
        end_date=date_value(doc.get("end_date")),
        period_text=text(doc.get("period_text")),
        total_budget=dec(total.get("amount")),
        total_budget_unit=total.get("unit") or "万元",
        source_notes=notes,
        tasks=[
            budget_services.TaskData(
                content=text(t["content"]),
                planned_start=text(t.get("planned_start")),
                planned_finish=text(t.get("planned_finish")),
            )
            for t in doc.get("tasks") or ()
        ],
    )


def _budget_year(doc: Doc) -> None:
    project = Project.objects.get(code=doc["project"])
    zero = Decimal(0)
    budget_services.budget_year_create(
        project=project,
        year=int(doc["year"]),
        unit=doc.get("unit") or "万元",
        initial=dec(doc.get("initial")) or zero,
        addition=dec(doc.get("addition")) or zero,
        reduction=dec(doc.get("reduction")) or zero,
        received=dec(doc.get("received")),
        expenditure=dec(doc.get("expenditure")),
        previous_budget=dec(doc.get("previous_budget")),
        previous_expenditure=dec(doc.get("previous_expenditure")),
        lines=[
            budget_services.BudgetLineData(
                category=line["category"],
                budget=required(line, "budget"),
                received=dec(line.get("received")),
                expenditure=dec(line.get("expenditure")),
            )
            for line in doc.get("lines") or ()
        ],
        sub_projects=[
            budget_services.SubProjectData(
                name=text(s["name"]), amount=required(s, "amount")
            )
            for s in doc.get("sub_projects") or ()
        ],
        payroll=[
            budget_services.PayrollLineData(
                title=text(row["position"]),
                year_end_headcount=row.get("year_end"),
                monthly_average_headcount=row.get("monthly_average"),
                total=required(row, "total"),
                basic_pay=required(row, "basic_pay"),
                insurance=required(row, "insurance"),
                housing_fund=required(row, "housing_fund"),
            )
            for row in doc.get("payroll") or ()
        ],
        goods_services=[
            budget_services.GoodsServicesLineData(
                item=text(g["item"]), expenditure=required(g, "expenditure")
            )
            for g in doc.get("goods_services") or ()
        ],
    )


def _department_budget(doc: Doc, organisations: Mapping[str, Organisation]) -> None:
    organisation = _org(doc["organisation"], organisations)
    assert organisation is not None
    budget_services.department_budget_create(
        organisation=organisation,
        year=int(doc["year"]),
        unit=doc.get("unit") or "万元",
        income=[
            budget_services.IncomeData(
                source=line["source"], amount=required(line, "amount")
            )
            for line in doc.get("income") or ()
        ],
        expenditure=[
            budget_services.ExpenditureData(
                kind=line["kind"],
                name=text(line["name"]),
                half_year_plan=dec(line.get("half_year_plan")),
                full_year_budget=required(line, "full_year_budget"),
            )
            for line in doc.get("expenditure") or ()
        ],
    )
