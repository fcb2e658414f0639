# mypy: disable-error-code="import-untyped"
"""A filled-in workbook back into the system: scores of its evaluation, or a new one.

``scores_import`` is the one path of the page and of ``import_evaluation``: the 评分表 goes
through ``EvaluationScoreResource`` inside one transaction (``use_transactions`` with
``rollback_on_validation_errors``), each changed row through ``evaluation_indicator_score``;
any error in any row rolls every row back. A dry run is the same import, rolled back: the
preview shows exactly what confirming would write, and the totals it would give.

``workbook_create`` reads the 评分表 as a new tree (``EvaluationTreeResource``), the 评价信息 for
the project and year and the 预算执行 for the budget row, and creates a self-evaluation with
``self_evaluation_create`` (a dry run rolls it back).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from budgets.models import (
    AmountUnit,
    BudgetYear,
    EconomicCategory,
    Organisation,
    Project,
)
from budgets.services import BudgetLineData, organisation_create, project_create
from core.concurrency import last_saved_by, model_field_label, shown
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.resources import (
    HEADERS,
    REQUIRED_HEADERS,
    Change,
    EvaluationScoreResource,
    EvaluationTreeResource,
    indicator_tree,
    leaf_deviations,
    leaf_settings,
)
from evaluations.resources.cells import BUDGET_EXECUTION, unescape_formula
from evaluations.resources.trees import TreeRow
from evaluations.scoring import RuleKind
from evaluations.selectors import evaluation_score
from evaluations.services import (
    BudgetRowData,
    IndicatorData,
    ValueData,
    finding_add,
    recommendation_add,
    self_evaluation_create,
)
from evaluations.workbooks.layout import (
    BUDGET_HEADERS,
    BUDGET_SHEET,
    FINDING_HEADERS,
    FINDINGS_SHEET,
    INFO_CODE,
    INFO_DEPARTMENT,
    INFO_EVALUATOR,
    INFO_GOAL,
    INFO_GOAL_ACHIEVED,
    INFO_KIND,
    INFO_PROJECT,
    INFO_PROJECT_NAME,
    INFO_PUBLISHED_GRADE,
    INFO_PUBLISHED_TOTAL,
    INFO_SHEET,
    INFO_STATUS,
    INFO_TITLE,
    INFO_UNIT,
    INFO_YEAR,
    LINE_HEADERS,
    SCORE_SHEET,
)
from evaluations.workbooks.reading import Cell, ParsedWorkbook, WorkbookRefused
from kernel.rates import Rate


@dataclass(frozen=True)
class ImportReport:
    """What an import of scores did, or would do (``applied`` is false for a preview)."""

    evaluation: Evaluation
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_before: Decimal | None = None
    grade_before: str = ""
    total_after: Decimal | None = None
    grade_after: str = ""
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


SCORE_FIELDS = ("final_score", "reason", "applicable", "tier")
"""What an import may change on an indicator."""


def evaluation_fingerprint(evaluation: Evaluation) -> str:
    """A digest of everything an import may change, to tell a stale preview."""
    digest = hashlib.sha256()
    for row in evaluation.indicators.order_by("pk").values_list("pk", *SCORE_FIELDS):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def evaluation_scores_seen(evaluation: Evaluation) -> dict[str, list[str]]:
    """What an import may change, by indicator, as text (kept with a preview, to name
    what someone else changed before it is confirmed)."""
    return {
        str(pk): [shown(value) for value in values]
        for pk, *values in evaluation.indicators.order_by("pk").values_list(
            "pk", *SCORE_FIELDS
        )
    }


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:29] + "…"


def _changed_since_preview(
    evaluation: Evaluation, seen: Mapping[str, Sequence[str]]
) -> list[str]:
    """Each score, reason, applicability or tier saved after the preview: where, who,
    before → after."""
    lines = []
    for indicator in evaluation.indicators.order_by("position", "pk"):
        before = seen.get(str(indicator.pk))
        now = [shown(getattr(indicator, name)) for name in SCORE_FIELDS]
        if before is None or list(before) == now:
            continue
        by, _at = last_saved_by(indicator)
        changes = "；".join(
            f"{model_field_label(EvaluationIndicator, name)}"
            f"由“{_short(old)}”改为“{_short(new)}”"
            for name, old, new in zip(SCORE_FIELDS, before, now, strict=True)
            if old != new
        )
        lines.append(
            f"“{indicator.name}”：{changes}" + (f"（{by}保存）" if by else "") + "。"
        )
    return lines


def header_errors(headers: Sequence[str]) -> list[str]:
    """The 评分表 header row against the official nine headers (and no header twice)."""
    if not any(header in headers for header in REQUIRED_HEADERS):
        found = "、".join(h for h in headers[:4] if h) or "空行"
        return [
            f"第1行（表头）：应为“{'、'.join(REQUIRED_HEADERS)}”，工作簿中为“{found}…”"
            "——表头行可能被删除了。"
        ]
    errors = []
    for index, header in enumerate(REQUIRED_HEADERS):
        if header in headers:
            continue
        found = headers[index] if index < len(headers) else ""
        if found and found not in HEADERS:
            errors.append(
                f"第1行{get_column_letter(index + 1)}列（表头）：应为“{header}”，"
                f"工作簿中为“{found}”——表头不能改名。"
            )
        else:
            errors.append(f"第1行（表头）：缺少“{header}”列。")
    for header in HEADERS:
        columns = [
            get_column_letter(i + 1) for i, h in enumerate(headers) if h == header
        ]
        if len(columns) > 1:
            errors.append(
                f"第1行（表头）：“{header}”列出现了多次（{'、'.join(columns)}列）。"
            )
    return errors


def _dataset(parsed: ParsedWorkbook) -> tablib.Dataset:
    headers = list(parsed.score_headers)
    dataset = tablib.Dataset(headers=headers)
    for cells in parsed.score_rows:
        values = [parsed.value(c) for c in cells[: len(headers)]]
        dataset.append(values + [None] * (len(headers) - len(values)))
    return dataset


def evaluation_of_workbook(parsed: ParsedWorkbook) -> Evaluation:
    """The evaluation the workbook's 评价信息 names (for the command)."""
    code = str(parsed.info.get(INFO_CODE) or "").strip()
    if not code:
        raise WorkbookRefused(
            [f"工作簿的“{INFO_SHEET}”表没有“{INFO_CODE}”：无法确定要导入到哪项评价。"]
        )
    try:
        return Evaluation.objects.select_related("project").get(code=code)
    except Evaluation.DoesNotExist:
        raise WorkbookRefused([f"没有代码为“{code}”的绩效评价。"]) from None


def scores_import(
    *,
    evaluation: Evaluation,
    parsed: ParsedWorkbook,
    dry_run: bool,
    fingerprint: str = "",
    seen: Mapping[str, Sequence[str]] | None = None,
) -> ImportReport:
    """Import the 评分表's scores into ``evaluation``: all rows or none.

    ``fingerprint`` (from the preview) refuses a confirmation when the evaluation changed
    since the preview was shown; ``seen`` (``evaluation_scores_seen`` at the preview)
    names what changed. The evaluation is locked from that check to the last write, so a
    score saved on the scoring page meanwhile waits, and is not lost.
    """
    if dry_run:
        return _scores_import(evaluation, parsed, True, fingerprint, seen)
    with transaction.atomic():
        Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
        return _scores_import(evaluation, parsed, False, fingerprint, seen)


def _scores_import(
    evaluation: Evaluation,
    parsed: ParsedWorkbook,
    dry_run: bool,
    fingerprint: str,
    seen: Mapping[str, Sequence[str]] | None,
) -> ImportReport:
    scored = evaluation_score(evaluation)
    report = ImportReport(
        evaluation=evaluation,
        total_before=scored.result.total,
        grade_before=scored.result.grade,
    )
    code = str(parsed.info.get(INFO_CODE) or "").strip()
    if evaluation.is_locked:
        errors = [_("This evaluation has been submitted and can no longer change.")]
    elif code and code != evaluation.code:
        errors = [
            f"这个工作簿属于评价“{code}”，不能导入到“{evaluation.title}”"
            f"（{evaluation.code}）。"
        ]
    elif fingerprint and fingerprint != evaluation_fingerprint(evaluation):
        errors = [
            "预览之后评价的评分已被修改：请重新上传工作簿，确认新的预览后再导入。",
            *_changed_since_preview(evaluation, seen or {}),
        ]
    else:
        errors = header_errors(parsed.score_headers)
    if errors:
        return replace(report, errors=errors)

    dataset = _dataset(parsed)
    resource = EvaluationScoreResource(scored=scored, sheet_rows=parsed.sheet_rows)
    try:
        resource.before_import(dataset)  # the base Resource's row and column caps
    except ValidationError as exc:
        return replace(report, errors=exc.messages)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    errors = resource.result_messages(result)
    after = resource.scored_after
    return replace(
        report,
        changes=[] if errors else resource.changes,
        errors=errors,
        notes=resource.notes,
        total_after=after.result.total if after and not errors else None,
        grade_after=after.result.grade if after and not errors else "",
        applied=not dry_run and not errors,
    )


# ----------------------------------------------------------------------------- create


@dataclass(frozen=True)
class CreateReport:
    """A self-evaluation created from a workbook (``evaluation`` is None on a dry run or an
    error; ``code`` is the code it has, or would have)."""

    code: str = ""
    evaluation: Evaluation | None = None
    errors: list[str] = field(default_factory=list)
    indicators: int = 0
    total: Decimal | None = None
    grade: str = ""
    budget_created: bool = False
    # what the workbook states that the new self-evaluation does not take, and why
    notes: list[str] = field(default_factory=list)
    # a published table as it stands: the project (and organisations) created for it, the
    # points it does not itemise, the rows whose rule came from their 指标值, and the
    # engine's flags on what does not add up
    created: list[str] = field(default_factory=list)
    unlisted: Decimal = Decimal(0)
    defaulted_rules: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    source_total: Decimal | None = None
    source_grade: str = ""
    kind: str = EvaluationKind.SELF

    @property
    def ok(self) -> bool:
        return not self.errors


def _not_taken(parsed: ParsedWorkbook, code: str) -> list[str]:
    """评价信息 rows a new self-evaluation cannot take as they are (named, not refused:
    an exported workbook of any evaluation creates a self-evaluation from its tree)."""
    notes = []
    stated = str(parsed.info.get(INFO_CODE) or "").strip()
    if stated and code and stated != code:
        notes.append(f"“{INFO_SHEET}”的{INFO_CODE}“{stated}”：新评价的代码为 {code}。")
    status = str(parsed.info.get(INFO_STATUS) or "").strip()
    if status and status != str(Evaluation.Status.DRAFT.label):
        notes.append(
            f"“{INFO_SHEET}”的{INFO_STATUS}“{status}”：新评价为"
            f"{Evaluation.Status.DRAFT.label}。"
        )
    return notes


def _info_error(parsed: ParsedWorkbook, label: str, message: str) -> str:
    row = parsed.info_rows.get(label)
    where = f"第{row}行（{label}）" if row else f"缺少“{label}”"
    return f"“{INFO_SHEET}”{where}：{message}"


@dataclass(frozen=True)
class _NewProject:
    """A project ``--create-project`` creates from 评价信息, with its organisations (an
    organisation found by its exact name is taken, else created)."""

    code: str
    name: str
    department: Organisation | str
    unit: Organisation | str


_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _organisation(
    parsed: ParsedWorkbook, label: str, kind: str, errors: list[str]
) -> Organisation | str:
    """The organisation 评价信息 names under ``label``: the one of that name (and kind),
    or its name, to create."""
    name = str(parsed.info.get(label) or "").strip()
    limit = Organisation._meta.get_field("name").max_length or 200
    if not name:
        errors.append(_info_error(parsed, label, f"新建项目须填写{label}名称。"))
        return ""
    if len(name) > limit:
        errors.append(
            _info_error(parsed, label, f"有 {len(name)} 个字，最多 {limit} 个字。")
        )
        return ""
    found = list(Organisation.objects.filter(name=name, kind=kind)[:2])
    if len(found) > 1:
        errors.append(
            _info_error(
                parsed, label, f"系统中有多个名为“{name}”的单位，请先在系统中建立项目。"
            )
        )
        return ""
    return found[0] if found else name


def _new_project(
    parsed: ParsedWorkbook, code: str, errors: list[str]
) -> _NewProject | None:
    before = len(errors)
    if not _SLUG.match(code) or len(code) > 64:
        errors.append(
            _info_error(
                parsed,
                INFO_PROJECT,
                f"“{code}”不能作为项目代码：请用字母、数字、-、_（最多 64 个）。",
            )
        )
    name = str(parsed.info.get(INFO_PROJECT_NAME) or "").strip()
    limit = Project._meta.get_field("name").max_length or 200
    if not name:
        errors.append(
            _info_error(parsed, INFO_PROJECT_NAME, "新建项目须填写项目名称。")
        )
    elif len(name) > limit:
        errors.append(
            _info_error(
                parsed, INFO_PROJECT_NAME, f"有 {len(name)} 个字，最多 {limit} 个字。"
            )
        )
    department = _organisation(
        parsed, INFO_DEPARTMENT, Organisation.Kind.DEPARTMENT, errors
    )
    unit = _organisation(parsed, INFO_UNIT, Organisation.Kind.UNIT, errors)
    if len(errors) > before:
        return None
    return _NewProject(code=code, name=name, department=department, unit=unit)


def _organisation_code(name: str, prefix: str) -> str:
    """A code for an organisation known by its Chinese name alone: stable for the name,
    the next free one if taken."""
    stem = f"{prefix}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"
    code, number = stem, 1
    while Organisation.objects.filter(code=code).exists():
        number += 1
        code = f"{stem}-{number}"
    return code


def _project_of(new: _NewProject, created: list[str]) -> Project:
    """Create ``new`` (inside the caller's transaction) and say what was created: a new
    implementing unit sits under the project's 主管部门."""
    department = new.department
    if not isinstance(department, Organisation):
        department = organisation_create(
            code=_organisation_code(department, "dept"),
            name=department,
            kind=Organisation.Kind.DEPARTMENT,
        )
        created.append(f"{INFO_DEPARTMENT}“{department.name}”（{department.code}）")
    unit = new.unit
    if not isinstance(unit, Organisation):
        unit = organisation_create(
            code=_organisation_code(unit, "unit"),
            name=unit,
            kind=Organisation.Kind.UNIT,
            parent=department,
        )
        created.append(f"{INFO_UNIT}“{unit.name}”（{unit.code}）")
    project = project_create(
        code=new.code, name=new.name, department=department, unit=unit
    )
    created.insert(0, f"项目“{project.name}”（{project.code}）")
    return project


def _project_and_year(
    parsed: ParsedWorkbook, errors: list[str], *, create_project: bool = False
) -> tuple[Project | _NewProject | None, int | None]:
    project: Project | _NewProject | None = None
    code = str(parsed.info.get(INFO_PROJECT) or "").strip()
    if not code:
        errors.append(_info_error(parsed, INFO_PROJECT, "请填写项目代码。"))
    else:
        project = Project.objects.select_related("unit").filter(code=code).first()
        if project is None and create_project:
            project = _new_project(parsed, code, errors)
        elif project is None:
            errors.append(
                _info_error(
                    parsed,
                    INFO_PROJECT,
                    f"没有代码为“{code}”的项目（要按“{INFO_SHEET}”的项目名称、"
                    "主管部门、实施单位新建，请加 --create-project）。",
                )
            )
    year = None
    raw = parsed.info.get(INFO_YEAR)
    try:
        number = Decimal(str(raw).strip())
        if number == number.to_integral_value() and 2000 <= number <= 2100:
            year = int(number)
    except (InvalidOperation, ValueError):
        pass
    if year is None:
        shown = "" if raw is None else str(raw)
        errors.append(
            _info_error(parsed, INFO_YEAR, f"“{shown}”不是年度，请填写如 2023 的年份。")
        )
    return project, year


def _amount(
    value: object, row: int, column: str, errors: list[str], *, required: bool = False
) -> Decimal | None:
    where = f"“{BUDGET_SHEET}”第{row}行“{column}”列"
    if value is None or str(value).strip() == "":
        if required:
            errors.append(f"{where}：请填写金额。")
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors.append(f"{where}：“{value}”不是金额。")
        return None
    if not amount.is_finite() or amount < 0:
        errors.append(f"{where}：金额须为不小于 0 的数。")
        return None
    return amount.quantize(Decimal("0.01"))


def _budget(
    parsed: ParsedWorkbook, year: int | None, errors: list[str]
) -> tuple[BudgetRowData | None, int]:
    """The 预算执行 sheet's budget row and lines (``None`` when it states no budget), and
    the sheet row of the budget row."""
    rows = parsed.budget_rows or []
    head = next(
        (i for i, r in enumerate(rows) if r and r[0] == BUDGET_HEADERS[0]), None
    )
    if head is None or head + 1 >= len(rows):
        return None, 0
    col = {str(h).strip(): i for i, h in enumerate(rows[head]) if h is not None}
    values = rows[head + 1]
    number = head + 2

    def cell(header: str) -> object:
        index = col.get(header)
        return values[index] if index is not None and index < len(values) else None

    if cell("年初预算") in (None, ""):
        return None, number
    stated_year = cell("预算年度")
    if year is not None and str(stated_year).strip() not in (str(year), f"{year}.0"):
        errors.append(
            f"“{BUDGET_SHEET}”第{number}行“预算年度”列：应为评价年度 {year}，"
            f"工作簿中为“{stated_year}”。"
        )
    unit = str(cell("金额单位") or AmountUnit.WAN_YUAN).strip()
    if unit not in AmountUnit.values:
        errors.append(
            f"“{BUDGET_SHEET}”第{number}行“金额单位”列：应为“万元”或“元”，工作簿中为“{unit}”。"
        )
    amounts = {
        header: _amount(
            cell(header), number, header, errors, required=header == "年初预算"
        )
        for header in ("年初预算", "追加", "调减", "调整后预算", "到位", "支出")
    }
    initial = amounts["年初预算"] or Decimal(0)
    addition = amounts["追加"] or Decimal(0)
    reduction = amounts["调减"] or Decimal(0)
    adjusted = amounts["调整后预算"]
    if adjusted is not None and adjusted != initial + addition - reduction:
        errors.append(
            f"“{BUDGET_SHEET}”第{number}行“调整后预算”列：{adjusted} 不等于 年初预算 + 追加 − 调减"
            f"（{initial + addition - reduction}）。"
        )
    lines: list[BudgetLineData] = []
    line_head = next(
        (i for i, r in enumerate(rows) if r and r[0] == LINE_HEADERS[0]), None
    )
    if line_head is not None:
        for index in range(line_head + 1, len(rows)):
            line = rows[index] + [None] * 5
            category = str(line[0] or "").strip()
            if not category or category == "合计":
                break
            row = index + 1
            if category not in EconomicCategory.values:
                errors.append(
                    f"“{BUDGET_SHEET}”第{row}行“经济分类”列：“{category}”不是支出经济分类。"
                )
                continue
            line_budget = _amount(line[1], row, "预算", errors, required=True)
            lines.append(
                BudgetLineData(
                    category=category,
                    budget=line_budget or Decimal(0),
                    received=_amount(line[2], row, "到位", errors),
                    expenditure=_amount(line[3], row, "支出", errors),
                )
            )
    return BudgetRowData(
        unit=unit,
        initial=initial,
        addition=addition,
        reduction=reduction,
        received=amounts["到位"],
        expenditure=amounts["支出"],
        lines=lines,
    ), number


def _budget_mismatch(
    existing: BudgetYear, budget: BudgetRowData, row: int
) -> list[str]:
    errors = []
    for header, stated, stored in (
        ("金额单位", budget.unit, existing.unit),
        ("年初预算", budget.initial, existing.initial),
        ("追加", budget.addition, existing.addition),
        ("调减", budget.reduction, existing.reduction),
        ("到位", budget.received, existing.received),
        ("支出", budget.expenditure, existing.expenditure),
    ):
        if stated != stored:
            errors.append(
                f"“{BUDGET_SHEET}”第{row}行“{header}”列：与系统中 {existing.year} 年的预算"
                f"（{'—' if stored is None else stored}）不一致；已有的预算不能由工作簿修改。"
            )
    return errors


_FINDING, _RECOMMENDATION = "存在问题", "建议"


@dataclass(frozen=True)
class _FindingRow:
    """A row of 存在问题与建议: a finding or a recommendation."""

    row: int
    category: str
    position: int
    title: str
    text: str
    indicators: tuple[str, ...] = ()
    answers: str = (
        ""  # a recommendation's 对应问题: the title of the finding it answers
    )


def _title_and_evaluator(
    parsed: ParsedWorkbook, project: Project | _NewProject | None, errors: list[str]
) -> tuple[str, str]:
    """评价名称 and 评价机构 as the workbook names them (the evaluator's name left empty
    when it is the project's unit, which holds a self-evaluation)."""
    title = str(parsed.info.get(INFO_TITLE) or "").strip()
    limit = Evaluation._meta.get_field("title").max_length or 200
    if len(title) > limit:
        errors.append(
            _info_error(
                parsed, INFO_TITLE, f"评价名称有 {len(title)} 个字，最多 {limit} 个字。"
            )
        )
    evaluator = str(parsed.info.get(INFO_EVALUATOR) or "").strip()
    limit = Evaluation._meta.get_field("evaluator_name").max_length or 200
    if len(evaluator) > limit:
        errors.append(
            _info_error(
                parsed,
                INFO_EVALUATOR,
                f"评价机构有 {len(evaluator)} 个字，最多 {limit} 个字。",
            )
        )
    unit = project.unit if project is not None else None
    unit_name = unit.name if isinstance(unit, Organisation) else unit
    if unit_name and evaluator == unit_name:
        evaluator = ""
    return title, evaluator


def _tree_names(nodes: Sequence[IndicatorData]) -> set[str]:
    names: set[str] = set()
    for node in nodes:
        names.add(node.name)
        names |= _tree_names(node.children)
    return names


def _finding_rows(
    parsed: ParsedWorkbook, tree: Sequence[IndicatorData], errors: list[str]
) -> list[_FindingRow]:
    """The 存在问题与建议 sheet, every row checked; each error names its row and column."""
    rows = parsed.findings_rows or []
    if not rows or not any(c not in (None, "") for c in rows[0]):
        return []
    headers = [str(h or "").strip() for h in rows[0]]
    missing = [h for h in FINDING_HEADERS if h not in headers]
    if missing:
        errors.append(
            f"“{FINDINGS_SHEET}”第1行缺少列：{'、'.join(missing)}"
            f"（应为 {'、'.join(FINDING_HEADERS)}）。"
        )
        return []
    col = {h: headers.index(h) for h in FINDING_HEADERS}
    names = _tree_names(tree)
    errors_before = len(errors)
    found: list[_FindingRow] = []
    for index, values in enumerate(rows[1:], start=2):

        def cell(header: str, values: list[Cell] = values) -> str:
            i = col[header]
            value = values[i] if i < len(values) else None
            return "" if value is None else unescape_formula(str(value).strip())

        if not any(cell(h) for h in FINDING_HEADERS):
            continue
        where = f"“{FINDINGS_SHEET}”第{index}行"
        category = cell("类别")
        if category not in (_FINDING, _RECOMMENDATION):
            errors.append(
                f"{where}“类别”列：应为“{_FINDING}”或“{_RECOMMENDATION}”，"
                f"工作簿中为“{category}”。"
            )
            continue
        raw_position = cell("序号")
        try:
            position = Decimal(raw_position or "0")
            if position != position.to_integral_value() or position < 0:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"{where}“序号”列：“{raw_position}”不是序号。")
            continue
        title, body = cell("标题"), cell("内容")
        for header, value, limit in (("标题", title, 200), ("内容", body, None)):
            if not value:
                errors.append(f"{where}“{header}”列：请填写{header}。")
            elif limit is not None and len(value) > limit:
                errors.append(
                    f"{where}“{header}”列：有 {len(value)} 个字，最多 {limit} 个字。"
                )
        indicators = tuple(n for n in cell("相关指标").split("、") if n.strip())
        answers = cell("对应问题")
        if category == _RECOMMENDATION and indicators:
            errors.append(f"{where}“相关指标”列：建议不关联指标，请填在对应的问题上。")
        if category == _FINDING and answers:
            errors.append(f"{where}“对应问题”列：只有建议才对应问题。")
        unknown = [n for n in indicators if n.strip() not in names]
        if unknown:
            errors.append(
                f"{where}“相关指标”列：评分表中没有指标“{'、'.join(unknown)}”。"
            )
        found.append(
            _FindingRow(
                row=index,
                category=category,
                position=int(position),
                title=title,
                text=body,
                indicators=tuple(n.strip() for n in indicators),
                answers=answers,
            )
        )
    if len(errors) > errors_before:
        return found  # a row in error may be the finding that another row answers
    titles = Counter(r.title for r in found if r.category == _FINDING)
    for row in found:
        if row.answers and titles[row.answers] != 1:
            problem = "没有" if not titles[row.answers] else "有多条"
            errors.append(
                f"“{FINDINGS_SHEET}”第{row.row}行“对应问题”列：{problem}标题为"
                f"“{row.answers}”的存在问题。"
            )
    return found


def _findings_add(evaluation: Evaluation, rows: Sequence[_FindingRow]) -> None:
    """The rows in the order of their 序号 (then of the sheet), findings first."""
    ordered = sorted(rows, key=lambda r: (r.position, r.row))
    findings = {}
    for row in ordered:
        if row.category == _FINDING:
            findings[row.title] = finding_add(
                evaluation=evaluation,
                title=row.title,
                text=row.text,
                indicator_names=row.indicators,
            )
    for row in ordered:
        if row.category == _RECOMMENDATION:
            recommendation_add(
                evaluation=evaluation,
                title=row.title,
                text=row.text,
                finding=findings.get(row.answers),
            )


def _kind(parsed: ParsedWorkbook, errors: list[str]) -> str:
    """评价类型 as the table states it (单位自评 when it states none)."""
    stated = str(parsed.info.get(INFO_KIND) or "").strip()
    if not stated:
        return EvaluationKind.SELF
    with translation.override("zh-hans"):
        labels = {str(kind.label): kind.value for kind in EvaluationKind}
    kind = labels.get(stated) or _KIND_WORDS.get(stated)
    if kind is None:
        errors.append(
            _info_error(
                parsed,
                INFO_KIND,
                f"“{stated}”不是评价类型，应为{'、'.join(labels)}之一。",
            )
        )
        return EvaluationKind.SELF
    return kind


# 评价类型 as published tables also write it
_KIND_WORDS = {
    "自评": EvaluationKind.SELF,
    "单位自评": EvaluationKind.SELF,
    "项目自评": EvaluationKind.SELF,
    "绩效自评": EvaluationKind.SELF,
    "部门评价": EvaluationKind.DEPARTMENT,
    "部门自评": EvaluationKind.DEPARTMENT,
    "第三方评价": EvaluationKind.THIRD_PARTY,
    "重点评价": EvaluationKind.THIRD_PARTY,
    "第三方重点评价": EvaluationKind.THIRD_PARTY,
}


def _published(parsed: ParsedWorkbook, errors: list[str]) -> tuple[Decimal | None, str]:
    """公布总分 and 公布等级: what the table printed, kept beside the engine's."""
    raw = parsed.info.get(INFO_PUBLISHED_TOTAL)
    total = None
    if raw is not None and str(raw).strip() != "":
        try:
            total = Decimal(str(raw).strip())
            if not total.is_finite() or not Decimal(0) <= total <= Decimal(100):
                raise InvalidOperation
            if total != total.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                _info_error(
                    parsed,
                    INFO_PUBLISHED_TOTAL,
                    f"“{raw}”不是总分：请填写 0 至 100 之间、最多两位小数的数。",
                )
            )
            total = None
        else:
            total = total.quantize(Decimal("0.01"))
    grade = str(parsed.info.get(INFO_PUBLISHED_GRADE) or "").strip()
    limit = Evaluation._meta.get_field("source_grade").max_length or 4
    if len(grade) > limit:
        errors.append(
            _info_error(
                parsed, INFO_PUBLISHED_GRADE, f"等级最多 {limit} 个字，如“优”“良”。"
            )
        )
        grade = ""
    return total, grade


def _execution_rate(
    budget: BudgetRowData | None, existing: BudgetYear | None
) -> ValueData | None:
    """预算执行率 as the budget states it: 支出 ÷ 调整后预算 of the 预算执行 sheet (or of
    the year already stored)."""
    if budget is not None:
        adjusted = budget.initial + budget.addition - budget.reduction
        spent, where = budget.expenditure, f"“{BUDGET_SHEET}”表"
    elif existing is not None:
        adjusted, spent = existing.adjusted, existing.expenditure
        where = f"{existing.year}年度预算"
    else:
        return None
    if spent is None or not adjusted:
        return None
    rate = Rate(spent, adjusted).percent
    assert rate is not None
    return ValueData(
        text=f"{rate}%",
        number=rate,
        unit="%",
        source=f"{where}：支出 {spent} ÷ 调整后预算 {adjusted}",
        numerator=spent,
        denominator=adjusted,
    )


def _with_execution_rate(
    tree: Sequence[IndicatorData], rate: ValueData | None
) -> list[IndicatorData]:
    """The 预算执行率 leaf without an actual value takes the budget's rate."""
    if rate is None:
        return list(tree)

    def fill(node: IndicatorData) -> IndicatorData:
        if node.children:
            return replace(node, children=[fill(c) for c in node.children])
        if node.name == BUDGET_EXECUTION and node.actual is None:
            return replace(node, actual=rate)
        return node

    return [fill(node) for node in tree]


def workbook_create(
    *, parsed: ParsedWorkbook, dry_run: bool, create_project: bool = False
) -> CreateReport:
    """A new evaluation from the workbook alone (a dry run rolls it back): the 评分表's
    tree, 评价信息's project, year, 评价名称, 评价类型, 评价机构, 公布总分 and 公布等级,
    预算执行's budget row and every row of 存在问题与建议 — or none of it, with each error
    named.

    A published table comes in as it stands: with ``create_project`` an unknown 项目代码
    is created with its 主管部门 and 实施单位 (by name); weights that do not add up are
    recorded (the engine's flags name them), fewer than 100 itemised points leave the
    rest unlisted; a row that names no rule takes one from its 指标值 (``default_kind``),
    the 预算执行率 row the 预算执行 sheet's rate as its actual value; 得分 is the published
    score, kept beside the rule's."""
    errors: list[str] = []
    project, year = _project_and_year(parsed, errors, create_project=create_project)
    title, evaluator_name = _title_and_evaluator(parsed, project, errors)
    kind = _kind(parsed, errors)
    source_total, source_grade = _published(parsed, errors)
    budget, budget_row = _budget(parsed, year, errors)
    existing = (
        BudgetYear.objects.filter(project=project, year=year).first()
        if isinstance(project, Project) and year is not None
        else None
    )
    if existing is not None and budget is not None:
        errors += _budget_mismatch(existing, budget, budget_row)
    headers = header_errors(parsed.score_headers)
    if headers:
        return CreateReport(errors=errors + [f"“{SCORE_SHEET}”{e}" for e in headers])
    resource = EvaluationTreeResource(sheet_rows=parsed.sheet_rows)
    dataset = _dataset(parsed)
    try:
        resource.before_import(dataset)
    except ValidationError as exc:
        return CreateReport(errors=errors + exc.messages)
    result = resource.import_data(dataset, dry_run=True, use_transactions=True)
    row_errors = resource.result_messages(result)
    tree = []
    if not row_errors:
        try:
            tree = indicator_tree(resource.tree_rows, strict=False)
        except ValidationError as exc:
            row_errors = exc.messages
    errors += row_errors
    finding_rows = _finding_rows(parsed, tree, errors)
    if errors or project is None or year is None:
        return CreateReport(errors=errors)
    tree = _with_execution_rate(tree, _execution_rate(budget, existing))
    listed = sum((node.weight for node in tree), Decimal(0))
    created: list[str] = []
    try:
        with transaction.atomic():
            if isinstance(project, _NewProject):
                project = _project_of(project, created)
            evaluation = self_evaluation_create(
                project=project,
                year=year,
                indicators=tree,
                title=title,
                evaluator_name=evaluator_name,
                budget=budget if existing is None else None,
                leaf_settings=leaf_settings(resource.tree_rows),
                kind=kind,
                source_total=source_total,
                source_grade=source_grade,
                check_weights=False,
            )
            _texts_add(evaluation, parsed, leaf_deviations(resource.tree_rows))
            _findings_add(evaluation, finding_rows)
            scored = evaluation_score(evaluation)
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as exc:
        return CreateReport(errors=exc.messages)
    return CreateReport(
        code=evaluation.code,
        evaluation=None if dry_run else evaluation,
        indicators=sum(1 for i in scored.indicators if not scored.children.get(i.pk)),
        total=scored.result.total,
        grade=scored.result.grade,
        budget_created=existing is None and budget is not None,
        notes=_not_taken(parsed, evaluation.code),
        created=created,
        unlisted=max(Decimal(100) - listed, Decimal(0)),
        defaulted_rules=[
            f"第{row.row}行“{row.indicator.name}”：指标值“{row.indicator.target_text}”"
            f"→ {RuleKind(row.indicator.rule_kind).label}"
            if row.indicator.target_text
            else f"第{row.row}行“{row.indicator.name}”→ "
            f"{RuleKind(row.indicator.rule_kind).label}"
            for row in resource.tree_rows
            if row.rule_defaulted and row.path not in _group_paths(resource.tree_rows)
        ],
        flags=[flag.message for flag in scored.result.flags],
        source_total=source_total,
        source_grade=source_grade,
        kind=kind,
    )


def _texts_add(
    evaluation: Evaluation,
    parsed: ParsedWorkbook,
    deviations: Mapping[tuple[str, ...], str],
) -> None:
    """What the 自评表 prints besides scores: the 年度总体目标's 预期目标 and 实际完成情况
    (评价信息) and each 三级's 偏差原因分析及改进措施 (评分表), as written."""
    goal = unescape_formula(str(parsed.info.get(INFO_GOAL) or "").strip())
    achieved = unescape_formula(str(parsed.info.get(INFO_GOAL_ACHIEVED) or "").strip())
    if goal or achieved:
        evaluation.annual_goal = goal or evaluation.annual_goal
        evaluation.goal_achieved = achieved
        evaluation.full_clean()
        evaluation.save(update_fields=["annual_goal", "goal_achieved"])
    if not deviations:
        return
    nodes = list(evaluation.indicators.order_by("position"))
    by_pk = {node.pk: node for node in nodes}
    for node in nodes:
        path: list[str] = []
        current: EvaluationIndicator | None = node
        while current is not None:
            path.insert(0, current.name)
            current = by_pk.get(current.parent_id) if current.parent_id else None
        text = deviations.get(tuple(path))
        if text:
            node.deviation_reason = text
            node.full_clean()
            node.save(update_fields=["deviation_reason"])


def _group_paths(rows: Sequence[TreeRow]) -> set[tuple[str, ...]]:
    """The paths of rows that have rows below them (groups carry no rule)."""
    return {row.path[:-1] for row in rows}
