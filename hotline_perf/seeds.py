"""Load the seed fixtures (``fixtures/``) through the services, all or nothing.

The YAML files are document-shaped (see ``fixtures/seeds/README.md``); this module maps them
onto the services of each app, so a seed goes through the same validation as a user's input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from budgets import services as budget_services
from budgets.models import BudgetYear, DepartmentBudget, Organisation, Project
from evaluations import seeds as evaluation_seeds
from evaluations import services as evaluation_services
from evaluations.models import Evaluation, Framework
from operations import services as operations_services
from targets import services as target_services
from targets.models import (
    IndicatorCategory,
    LibraryIndicator,
    TargetForm,
    TargetIndicator,
)
from targets.selectors import LibraryIndex, library_index

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
SEED_FILES = ("tianjin-2020", "shanghai-2019", "suzhou-2023", "panjin-2023")

Doc = Mapping[str, Any]


class SeedError(Exception):
    """A seed file that cannot be loaded as it stands."""


class SeedsAlreadyLoaded(SeedError):
    pass


@dataclass
class LoadReport:
    organisations: int = 0
    projects: int = 0
    budget_years: int = 0
    department_budgets: int = 0
    target_forms: int = 0
    indicators: int = 0
    library_indicators: int = 0
    frameworks: int = 0
    evaluations: int = 0
    operating_data_uploads: int = 0
    operating_values: int = 0
    files: list[str] = field(default_factory=list)


def dec(value: object) -> Decimal | None:
    """A fixture number: a quoted string or an int, never a YAML float (binary rounding)."""
    if value is None:
        return None
    if isinstance(value, float):
        raise SeedError(f"浮点数 {value!r} 不能作为金额：请在 YAML 中加引号")
    try:
        return Decimal(str(value).replace(",", ""))
    except ArithmeticError:
        raise SeedError(f"{value!r} 不是数字") from None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def read(path: Path) -> Doc:
    with path.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    if not isinstance(doc, dict):
        raise SeedError(f"{path.name}: 顶层必须是映射")
    return doc


def seed_paths() -> list[Path]:
    return [FIXTURES_DIR / "seeds" / f"{name}.yaml" for name in SEED_FILES]


def seeds_loaded() -> bool:
    return (
        TargetForm.objects.filter(code__in=SEED_FILES).exists()
        or Project.objects.filter(code__in=SEED_FILES).exists()
    )


@transaction.atomic
def seeds_load(*, replace: bool = False) -> LoadReport:
    """Load the indicator library and every seed document. With ``replace``, existing seed
    objects are deleted first; otherwise loading twice raises ``SeedsAlreadyLoaded``."""
    if seeds_loaded() or LibraryIndicator.objects.exists():
        if not replace:
            raise SeedsAlreadyLoaded("种子数据已加载；如需重新加载请使用 --replace")
        _delete_seeds()
    report = LoadReport()
    _load_library(read(FIXTURES_DIR / "indicator_library.yaml"), report)
    docs = [(path.name, read(path)) for path in seed_paths()]
    organisations: dict[str, Organisation] = {}
    # organisations first: a file may name another file's organisation
    for name, doc in docs:
        for org in doc.get("organisations") or ():
            organisations[org["code"]] = _organisation(org, organisations, report)
        report.files.append(name)
    library = library_index()
    for _name, doc in docs:
        notes = "\n".join(_text(n) for n in doc.get("notes") or ())
        projects = {
            p["code"]: _project(p, organisations, notes, report)
            for p in doc.get("projects") or ()
        }
        for budget_year in doc.get("budget_years") or ():
            _budget_year(budget_year, report)
        for department_budget in doc.get("department_budgets") or ():
            _department_budget(department_budget, organisations, report)
        for form in doc.get("target_forms") or ():
            _target_form(form, projects, organisations, library, notes, report)
    # the centres' operating data before the evaluations, which take their actuals from it
    report.operating_data_uploads, report.operating_values = (
        operations_services.seed_workbooks_load()
    )
    evaluation_seeds.load_frameworks(FIXTURES_DIR / "frameworks")
    for code in evaluation_seeds.EVALUATION_FILES:
        doc = read(FIXTURES_DIR / "seeds" / "evaluations" / f"{code}.yaml")
        notes_list = [_text(n) for n in doc.get("notes") or ()]
        evaluation_seeds.load_evaluation(doc, notes=notes_list)
        report.evaluations += 1
    # a seed loaded as submitted or approved prints, from then on, what it holds now
    target_services.target_form_snapshots_take_missing()
    evaluation_services.evaluation_snapshots_take_missing()
    report.frameworks = Framework.objects.count()
    return report


def _delete_seeds() -> None:
    Evaluation.objects.all().delete()
    Framework.objects.all().delete()
    TargetForm.objects.filter(code__in=SEED_FILES).delete()
    BudgetYear.objects.filter(project__code__in=SEED_FILES).delete()
    Project.objects.filter(code__in=SEED_FILES).delete()
    docs = [read(path) for path in seed_paths()]
    codes = [org["code"] for doc in docs for org in doc.get("organisations") or ()]
    DepartmentBudget.objects.filter(organisation__code__in=codes).delete()
    # children before parents (PROTECT)
    for org in sorted(
        Organisation.objects.filter(code__in=codes), key=lambda o: o.parent_id is None
    ):
        org.delete()
    LibraryIndicator.objects.all().delete()
    IndicatorCategory.objects.all().delete()


def _load_library(doc: Doc, report: LoadReport) -> None:
    categories: dict[tuple[str, str, str], IndicatorCategory] = {}
    for position, entry in enumerate(doc.get("categories") or (), start=1):
        root = target_services.indicator_category_create_tree(
            layout=entry["layout"],
            level1=entry["level1"],
            level2=entry.get("level2") or (),
            position=position,
        )
        for child in root.children.all():
            categories[(entry["layout"], entry["level1"], child.name)] = child
    by_names = {(l1, l2): cat for (_layout, l1, l2), cat in categories.items()}
    for entry in doc.get("indicators") or ():
        standard = entry.get("standard") or {}
        target_services.library_indicator_create(
            code=entry["code"],
            name=entry["name"],
            aliases=entry.get("aliases") or (),
            level2_aliases=entry.get("level2_aliases") or (),
            category=by_names.get((entry.get("level1"), entry.get("level2"))),
            unit=_text(entry.get("unit")),
            comparator=_text(entry.get("comparator")),
            direction=entry["direction"],
            numerator=_text(entry.get("numerator")),
            denominator=_text(entry.get("denominator")),
            definition=_text(entry.get("definition")),
            standard_text=_text(standard.get("text")),
            standard_comparator=_text(standard.get("comparator")),
            # a qualitative standard (定性, e.g. 7×24小时) is stated in its text only
            standard_value=(
                None
                if standard.get("comparator") == "定性"
                else dec(standard.get("value"))
            ),
            recommended_for_hotline="hotline" in (entry.get("recommended_for") or ()),
        )
        report.library_indicators += 1


def _organisation(
    doc: Doc, known: Mapping[str, Organisation], report: LoadReport
) -> Organisation:
    parent_code = doc.get("parent")
    if parent_code and parent_code not in known:
        raise SeedError(f"组织 {doc['code']} 的上级 {parent_code} 须在其之前列出")
    report.organisations += 1
    return budget_services.organisation_create(
        code=doc["code"],
        name=doc["name"],
        kind=doc["kind"],
        region=_text(doc.get("region")),
        city=_text(doc.get("city")),
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
    doc: Doc, organisations: Mapping[str, Organisation], notes: str, report: LoadReport
) -> Project:
    total = doc.get("total_budget") or {}
    department = _org(doc["department"], organisations)
    unit = _org(doc["unit"], organisations)
    assert department is not None and unit is not None
    report.projects += 1
    return budget_services.project_create(
        code=doc["code"],
        name=doc["name"],
        department=department,
        unit=unit,
        applicant=_org(doc.get("applicant"), organisations),
        contractor=_org(doc.get("contractor"), organisations),
        project_type=_text(doc.get("project_type")),
        fund_use=_text(doc.get("fund_use")),
        overview=_text(doc.get("overview")),
        basis=_text(doc.get("basis")),
        necessity=_text(doc.get("necessity")),
        feasibility=_text(doc.get("feasibility")),
        safeguards=_text(doc.get("safeguards")),
        implementation_plan=_text(doc.get("implementation_plan")),
        manager=_text(doc.get("manager")),
        manager_phone=_text(doc.get("manager_phone")),
        start_date=_date(doc.get("start_date")),
        end_date=_date(doc.get("end_date")),
        period_text=_text(doc.get("period_text")),
        total_budget=dec(total.get("amount")),
        total_budget_unit=total.get("unit") or "万元",
        source_notes=notes,
        tasks=[
            budget_services.TaskData(
                content=_text(t["content"]),
                planned_start=_text(t.get("planned_start")),
                planned_finish=_text(t.get("planned_finish")),
            )
            for t in doc.get("tasks") or ()
        ],
    )


def _budget_year(doc: Doc, report: LoadReport) -> None:
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
                budget=_required(line, "budget"),
                received=dec(line.get("received")),
                expenditure=dec(line.get("expenditure")),
            )
            for line in doc.get("lines") or ()
        ],
        sub_projects=[
            budget_services.SubProjectData(
                name=_text(s["name"]), amount=_required(s, "amount")
            )
            for s in doc.get("sub_projects") or ()
        ],
        payroll=[
            budget_services.PayrollLineData(
                title=_text(row["position"]),
                year_end_headcount=row.get("year_end"),
                monthly_average_headcount=row.get("monthly_average"),
                total=_required(row, "total"),
                basic_pay=_required(row, "basic_pay"),
                insurance=_required(row, "insurance"),
                housing_fund=_required(row, "housing_fund"),
            )
            for row in doc.get("payroll") or ()
        ],
        goods_services=[
            budget_services.GoodsServicesLineData(
                item=_text(g["item"]), expenditure=_required(g, "expenditure")
            )
            for g in doc.get("goods_services") or ()
        ],
    )
    report.budget_years += 1


def _required(doc: Doc, key: str) -> Decimal:
    value = dec(doc.get(key))
    if value is None:
        raise SeedError(f"缺少金额 {key}: {dict(doc)}")
    return value


def _department_budget(
    doc: Doc, organisations: Mapping[str, Organisation], report: LoadReport
) -> None:
    organisation = _org(doc["organisation"], organisations)
    assert organisation is not None
    budget_services.department_budget_create(
        organisation=organisation,
        year=int(doc["year"]),
        unit=doc.get("unit") or "万元",
        income=[
            budget_services.IncomeData(
                source=line["source"], amount=_required(line, "amount")
            )
            for line in doc.get("income") or ()
        ],
        expenditure=[
            budget_services.ExpenditureData(
                kind=line["kind"],
                name=_text(line["name"]),
                half_year_plan=dec(line.get("half_year_plan")),
                full_year_budget=_required(line, "full_year_budget"),
            )
            for line in doc.get("expenditure") or ()
        ],
    )
    report.department_budgets += 1


LEVELS = {1: "level1", 2: "level2", 3: "level3", "task": "key_task"}


def _target_form(
    doc: Doc,
    projects: Mapping[str, Project],
    organisations: Mapping[str, Organisation],
    library: LibraryIndex,
    notes: str,
    report: LoadReport,
) -> None:
    funds = doc.get("funds") or {}
    project = projects.get(doc["project"]) if doc.get("project") else None
    if doc.get("project") and project is None:
        project = Project.objects.get(code=doc["project"])
    form = target_services.target_form_create(
        code=doc["code"],
        layout=doc["layout"],
        year=int(doc["year"]),
        project=project,
        organisation=_org(doc.get("organisation"), organisations),
        title=_text(doc.get("title")),
        has_half_year=bool(doc.get("has_half_year")),
        funds_unit=funds.get("unit") or "万元",
        funds_total=dec(funds.get("total")),
        funds_fiscal=dec(funds.get("fiscal")),
        funds_other=dec(funds.get("other")),
        overall_goal=_text(doc.get("overall_goal")),
        annual_goal=_text(doc.get("annual_goal")),
        long_term_goal=_text(doc.get("long_term_goal")),
        main_functions=_text(doc.get("main_functions")),
        staffing=_text(doc.get("staffing")),
        source_notes=notes,
    )
    report.target_forms += 1
    _indicators(form, None, doc.get("indicators") or (), library, report)


def _indicators(
    form: TargetForm,
    parent: TargetIndicator | None,
    nodes: Sequence[Doc],
    library: LibraryIndex,
    report: LoadReport,
) -> None:
    for node in nodes:
        try:
            level = LEVELS[node["level"]]
        except KeyError:
            raise SeedError(
                f"{form.code}: 未知指标层级 {node.get('level')!r}"
            ) from None
        name = _text(node["name"])
        indicator = target_services.target_indicator_add(
            form=form,
            parent=parent,
            level=level,
            name=name,
            source_text=_text(node.get("source_text")),
            value=_raw(node.get("value")),
            half_year_value=_raw(node.get("half_year_value")),
            library_indicator=(
                library.match(name, _level2_name(parent)) if level == "level3" else None
            ),
        )
        report.indicators += 1
        _indicators(form, indicator, node.get("children") or (), library, report)


def _level2_name(parent: TargetIndicator | None) -> str:
    """The 二级 a 三级 row sits under (through a 重点工作 on department forms)."""
    while parent is not None and parent.level != "level2":
        parent = parent.parent
    return parent.name if parent is not None else ""


def _raw(value: object) -> str:
    """A 指标值 exactly as written (no stripping: the text must round-trip)."""
    if value is None:
        return ""
    if isinstance(value, float):
        raise SeedError(f"指标值 {value!r} 须加引号")
    return str(value)
