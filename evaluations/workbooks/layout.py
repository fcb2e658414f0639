# mypy: disable-error-code="import-untyped"
"""The evaluation workbook as written: its four sheets, their columns and formats.

Text is written as text (``kernel.spreadsheets.writing``: Excel's quote prefix where it
would read a formula, so ``=100%`` prints and reads back as written); numbers stay numbers.
The only formulas are ours: the 一级/二级 得分 of the 评分表 and the total on 评价信息.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evaluations.models import Evaluation
from evaluations.resources import EvaluationScoreResource
from evaluations.resources.cells import (
    ACTUAL,
    COMPUTED,
    DEVIATION,
    EXPLANATION,
    HEADERS,
    KEY,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    METHOD,
    NOT_APPLICABLE,
    POINTS,
    REASON,
    RECONSTRUCTED,
    RULE_KIND,
    RULE_PARAMS,
    SCORE,
    TARGET,
    TIER,
    WEIGHT,
)
from evaluations.selectors import (
    ScoredEvaluation,
    evaluation_budget,
    evaluation_score,
)
from kernel.rates import Rate
from kernel.spreadsheets.writing import write_value

SCORE_SHEET = "评分表"
INFO_SHEET = "评价信息"
BUDGET_SHEET = "预算执行"
FINDINGS_SHEET = "存在问题与建议"
FORMAT_VERSION = 1


# 评价信息: label → what it holds (the labels are what an import reads).
INFO_CODE, INFO_TITLE, INFO_KIND, INFO_YEAR = (
    "评价代码",
    "评价名称",
    "评价类型",
    "评价年度",
)
INFO_PROJECT, INFO_PROJECT_NAME = "项目代码", "项目名称"
INFO_EVALUATOR, INFO_STATUS = "评价机构", "状态"
INFO_TOTAL, INFO_EXPORT_TOTAL, INFO_GRADE = "总分（按评分表汇总）", "导出时总分", "等级"
INFO_EXPORTED, INFO_VERSION, INFO_NOTES = "导出时间", "格式版本", "填写说明"
# the project's organisations by name (``--create --create-project`` creates them), and
# the total and grade a published table printed (kept beside the engine's)
INFO_DEPARTMENT, INFO_UNIT = "主管部门", "实施单位"
INFO_PUBLISHED_TOTAL, INFO_PUBLISHED_GRADE = "公布总分", "公布等级"
# 年度总体目标: 预期目标 and 实际完成情况 (a self-evaluation's, as its 自评表 prints them)
INFO_GOAL, INFO_GOAL_ACHIEVED = (
    "年度总体目标（预期目标）",
    "年度总体目标（实际完成情况）",
)

BUDGET_HEADERS = (
    "预算年度",
    "金额单位",
    "年初预算",
    "追加",
    "调减",
    "调整后预算",
    "到位",
    "支出",
    "到位率",
    "执行率",
)
LINE_HEADERS = ("经济分类", "预算", "到位", "支出", "执行率")
FINDING_HEADERS = ("类别", "序号", "标题", "内容", "相关指标", "对应问题")

NOTES = (
    "1. 在“评分表”的黄色单元格填写三级指标的“得分”“评分说明”（以及“不适用”“档次”）；"
    "得分留空表示采用“计算得分”。\n"
    "2. 一级、二级指标的得分是公式，随三级指标得分自动汇总，导入时由系统重新计算。\n"
    "3. 请勿修改指标名称、分值和“指标编号”：导入时据此对应指标。"
    "指标值、实际完成值、评分方法的修改不会导入。\n"
    "4. 在系统的评分页选择“导入 Excel”，预览修改后确认；任何一行有错误则全部不导入。"
)

_THIN = Side(style="thin", color="B0B7C0")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="D9DEE5")
_LEVEL_FILLS = {
    1: PatternFill("solid", fgColor="E4E9EF"),
    2: PatternFill("solid", fgColor="F1F4F7"),
}
_INPUT_FILL = PatternFill("solid", fgColor="FFF6CC")
_HELPER_FONT = Font(color="616E7C")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_SCORE_FORMAT = "0.00"
_RATE_FORMAT = "0.00%"
_AMOUNT_FORMAT = "#,##0.00"

_WIDTHS = {
    LEVEL1: 10,
    LEVEL2: 12,
    LEVEL3: 20,
    WEIGHT: 7,
    TARGET: 14,
    ACTUAL: 18,
    METHOD: 30,
    SCORE: 8,
    REASON: 50,
    COMPUTED: 9,
    KEY: 8,
    TIER: 8,
    EXPLANATION: 36,
    RULE_KIND: 12,
    RULE_PARAMS: 18,
    POINTS: 10,
    DEVIATION: 36,
}
_WRAPPED = {
    TARGET,
    ACTUAL,
    METHOD,
    REASON,
    EXPLANATION,
    RULE_PARAMS,
    LEVEL3,
    DEVIATION,
}
_INPUTS = (SCORE, REASON, NOT_APPLICABLE, TIER, POINTS)
_HEADER_COMMENTS = {
    SCORE: "三级指标填写得分（0 至分值，最多两位小数）；留空表示采用计算得分。"
    "一级、二级指标的得分是自动汇总的公式。",
    KEY: "导入时用来对应指标，请勿修改。",
    RECONSTRUCTED: "“是”：评价报告未公布该分值，为重构值。",
    NOT_APPLICABLE: "填“是”表示该指标不适用，其分值按比例分配给其他指标。",
    POINTS: "清单评分的指标：填写满足的评分要点编号，如 1、3、5（见“规则参数”中的要点顺序）。",
}


def _cell(sheet: Any, row: int, column: int, value: object) -> Any:
    """The cell at ``row``, ``column`` holding ``value``: a text as text, a number as
    a number."""
    cell = sheet.cell(row=row, column=column)
    write_value(cell, value)
    return cell


# ----------------------------------------------------------------------------- export


def workbook_export(evaluation: Evaluation) -> bytes:
    """The evaluation's workbook as xlsx bytes."""
    scored = evaluation_score(evaluation)
    workbook = Workbook()
    score_sheet = workbook.active
    assert score_sheet is not None
    score_sheet.title = SCORE_SHEET
    level1_rows = _write_scores(score_sheet, scored)
    _write_info(workbook.create_sheet(INFO_SHEET), scored, level1_rows)
    _write_budget(workbook.create_sheet(BUDGET_SHEET), evaluation)
    _write_findings(workbook.create_sheet(FINDINGS_SHEET), evaluation)
    workbook.calculation.fullCalcOnLoad = True  # the sums show as soon as it is opened
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _head(sheet: Any, headers: Sequence[str], row: int = 1) -> None:
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=header)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )


def _write_scores(sheet: Any, scored: ScoredEvaluation) -> list[int]:
    """The 评分表; returns the sheet rows of the 一级 indicators (the total sums them)."""
    resource = EvaluationScoreResource(scored=scored)
    resource.escapes_formulas = False  # the cells are written as text (``_cell``)
    indicators = resource.rows()
    dataset = resource.export(queryset=indicators)
    headers = list(dataset.headers)
    assert tuple(headers) == HEADERS
    col = {header: index + 1 for index, header in enumerate(headers)}
    letter = {header: get_column_letter(index) for header, index in col.items()}
    _head(sheet, headers)
    for header, comment in _HEADER_COMMENTS.items():
        sheet.cell(row=1, column=col[header]).comment = Comment(comment, "hotline_perf")

    sheet_row = {indicator.pk: number for number, indicator in enumerate(indicators, 2)}
    validations: dict[Decimal, DataValidation] = {}
    for number, (indicator, values) in enumerate(
        zip(indicators, dataset, strict=True), start=2
    ):
        kids = scored.children.get(indicator.pk, [])
        for header, value in zip(headers, values, strict=True):
            cell = _cell(sheet, number, col[header], value)
            cell.border = _BORDER
            if header in (WEIGHT, SCORE, COMPUTED):
                cell.number_format = _SCORE_FORMAT
            if header in _WRAPPED:
                cell.alignment = _WRAP_TOP
            else:
                cell.alignment = Alignment(vertical="top")
            if header in (COMPUTED, KEY, RECONSTRUCTED, RULE_KIND, RULE_PARAMS):
                cell.font = _HELPER_FONT
            if kids and indicator.level in _LEVEL_FILLS:
                cell.fill = _LEVEL_FILLS[indicator.level]
                cell.font = Font(bold=True)
            elif not kids and header in _INPUTS:
                cell.fill = _INPUT_FILL
        if kids:
            terms = []
            for kid in kids:
                row = sheet_row[kid.pk]
                if scored.children.get(kid.pk):
                    terms.append(f"{letter[SCORE]}{row}")
                else:
                    terms.append(
                        f'IF({letter[NOT_APPLICABLE]}{row}="是",0,'
                        f'IF({letter[SCORE]}{row}="",N({letter[COMPUTED]}{row}),'
                        f"{letter[SCORE]}{row}))"
                    )
            sheet.cell(row=number, column=col[SCORE]).value = "=" + "+".join(terms)
        else:
            validation = validations.get(indicator.weight)
            if validation is None:
                validation = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="0",
                    formula2=str(indicator.weight),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="得分超出范围",
                    error=f"得分须在 0 至分值 {indicator.weight} 之间。",
                )
                validations[indicator.weight] = validation
                sheet.add_data_validation(validation)
            validation.add(f"{letter[SCORE]}{number}")

    for header, index in col.items():
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(header, 8)
    sheet.freeze_panes = "D2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return [sheet_row[i.pk] for i in scored.children.get(None, [])]


def _info_rows(
    scored: ScoredEvaluation, level1_rows: Sequence[int]
) -> list[tuple[str, object]]:
    evaluation = scored.evaluation
    project = evaluation.project
    score = get_column_letter(HEADERS.index(SCORE) + 1)
    cells = ",".join(f"'{SCORE_SHEET}'!{score}{row}" for row in level1_rows)
    return [
        (INFO_CODE, evaluation.code),
        (INFO_TITLE, evaluation.title),
        (INFO_KIND, evaluation.get_kind_display()),
        (INFO_YEAR, evaluation.year),
        (INFO_PROJECT, project.code if project else ""),
        (INFO_PROJECT_NAME, project.name if project else ""),
        (INFO_DEPARTMENT, project.department.name if project else ""),
        (INFO_UNIT, project.unit.name if project else ""),
        # as the report signs it: the name it gives, else the organisation's
        (
            INFO_EVALUATOR,
            evaluation.evaluator_name or str(evaluation.evaluator or ""),
        ),
        (INFO_STATUS, evaluation.get_status_display()),
        (INFO_GOAL, evaluation.annual_goal),
        (INFO_GOAL_ACHIEVED, evaluation.goal_achieved),
        (INFO_TOTAL, f"=SUM({cells})" if cells else 0),
        (INFO_EXPORT_TOTAL, scored.result.total),
        (INFO_GRADE, scored.result.grade),
        # as the source printed them; an import --create keeps them beside the engine's
        *(
            [
                (INFO_PUBLISHED_TOTAL, evaluation.source_total),
                (INFO_PUBLISHED_GRADE, evaluation.source_grade),
            ]
            if evaluation.source_total is not None
            else []
        ),
        (INFO_EXPORTED, timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (INFO_VERSION, FORMAT_VERSION),
        (INFO_NOTES, NOTES),
    ]


def _write_info(
    sheet: Any, scored: ScoredEvaluation, level1_rows: Sequence[int]
) -> None:
    _head(sheet, ("项目", "内容"))
    for number, (label, value) in enumerate(_info_rows(scored, level1_rows), start=2):
        label_cell = sheet.cell(row=number, column=1, value=label)
        label_cell.font = _HEAD_FONT
        label_cell.border = _BORDER
        is_formula = isinstance(value, str) and value.startswith("=SUM(")
        if is_formula:  # ours: the total
            cell = sheet.cell(row=number, column=2, value=value)
        else:
            cell = _cell(sheet, number, 2, value)
        cell.border = _BORDER
        cell.alignment = _WRAP_TOP
        if label in (INFO_TOTAL, INFO_EXPORT_TOTAL, INFO_PUBLISHED_TOTAL):
            cell.number_format = _SCORE_FORMAT
            cell.alignment = Alignment(horizontal="left")
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 90


def _rate(rate: Rate | None) -> Decimal | None:
    """A rate as a fraction for a percent-formatted cell (99.86% → 0.9986)."""
    percent = rate.percent if rate is not None else None
    return None if percent is None else percent / 100


def _write_budget(sheet: Any, evaluation: Evaluation) -> None:
    _head(sheet, BUDGET_HEADERS)
    # As submitted once the evaluation is submitted (its snapshot), live before.
    figures = evaluation_budget(evaluation)
    sheet.cell(row=2, column=1, value=evaluation.year)
    for column in range(1, len(BUDGET_HEADERS) + 1):
        sheet.cell(row=2, column=column).border = _BORDER
    if figures is None:
        sheet.cell(row=4, column=1, value="系统中没有该项目该年度的预算数据。")
    else:
        year = figures.budget_year
        values: list[object] = [
            year.year,
            year.unit,
            year.initial,
            year.addition,
            year.reduction,
            year.adjusted,
            year.received,
            year.expenditure,
            _rate(year.receipt_rate),
            _rate(year.execution_rate),
        ]
        for column, value in enumerate(values, start=1):
            cell = _cell(sheet, 2, column, value)
            if 3 <= column <= 8:
                cell.number_format = _AMOUNT_FORMAT
            elif column >= 9:
                cell.number_format = _RATE_FORMAT
        if figures.lines:
            _head(sheet, LINE_HEADERS, row=4)
            number = 5
            for line in figures.lines:
                _line(
                    sheet,
                    number,
                    line.category,
                    line.budget,
                    line.received,
                    line.expenditure,
                    line.execution_rate,
                )
                number += 1
            total = figures.lines_total
            _line(
                sheet,
                number,
                "合计",
                total.budget,
                total.received,
                total.expenditure,
                total.execution_rate,
            )
            for column in range(1, len(LINE_HEADERS) + 1):
                sheet.cell(row=number, column=column).font = _HEAD_FONT
    for index in range(1, len(BUDGET_HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14


def _line(
    sheet: Any,
    row: int,
    category: str,
    budget: Decimal,
    received: Decimal | None,
    expenditure: Decimal | None,
    rate: Rate | None,
) -> None:
    values = (category, budget, received, expenditure, _rate(rate))
    for column, value in enumerate(values, start=1):
        cell = _cell(sheet, row, column, value)
        cell.border = _BORDER
        if 2 <= column <= 4:
            cell.number_format = _AMOUNT_FORMAT
        elif column == 5:
            cell.number_format = _RATE_FORMAT


def _write_findings(sheet: Any, evaluation: Evaluation) -> None:
    _head(sheet, FINDING_HEADERS)
    rows: list[tuple[object, ...]] = []
    findings = list(evaluation.findings.prefetch_related("indicators"))
    for finding in findings:
        names = "、".join(i.name for i in finding.indicators.all())
        rows.append(
            ("存在问题", finding.position, finding.title, finding.text, names, "")
        )
    for recommendation in evaluation.recommendations.select_related("finding"):
        answered = recommendation.finding.title if recommendation.finding else ""
        rows.append(
            (
                "建议",
                recommendation.position,
                recommendation.title,
                recommendation.text,
                "",
                answered,
            )
        )
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = _cell(sheet, number, column, value)
            cell.border = _BORDER
            cell.alignment = _WRAP_TOP
    for letter, width in zip("ABCDEF", (10, 6, 30, 80, 24, 30), strict=True):
        sheet.column_dimensions[letter].width = width
