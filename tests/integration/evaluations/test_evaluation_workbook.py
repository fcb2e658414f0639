"""The evaluation workbook: export, round trip, preview of changes, refused workbooks."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.resources import Change
from evaluations.selectors import evaluation_score
from evaluations.services import evaluation_indicator_score
from evaluations.workbooks import (
    ParsedWorkbook,
    WorkbookRefused,
    read_workbook,
    reading,
    scores_import,
    workbook_export,
)

pytestmark = pytest.mark.django_db

D = Decimal
NINE = [
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "指标值",
    "实际完成值",
    "评分方法",
    "得分",
    "评分说明",
]
HELPERS = [
    "计算得分",
    "指标编号",
    "分值重构",
    "不适用",
    "档次",
    "指标解释",
    "评分规则",
    "规则参数",
    "清单要点",
    "偏差原因分析及改进措施",  # a self-evaluation's (issue 15 §1)
]
PANJIN_ROW = 22  # 产出 / 产出数量 / 话务接通率 on the Panjin 评分表


def _export(code: str) -> Workbook:
    content = workbook_export(Evaluation.objects.get(code=code))
    return load_workbook(io.BytesIO(content))


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_of(sheet: Worksheet, name: str) -> int:
    (row,) = [c.row for c in sheet["C"] if c.value == name]
    return int(row)


def _column(sheet: Worksheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def _edit(code: str, change: Callable[[Worksheet], None]) -> ParsedWorkbook:
    workbook = _export(code)
    change(workbook["评分表"])
    return read_workbook(_bytes(workbook))


def _state(code: str) -> list[tuple[object, ...]]:
    """Everything an import may change, for 'nothing changed' assertions."""
    return list(
        EvaluationIndicator.objects.filter(evaluation__code=code)
        .order_by("pk")
        .values_list("pk", "final_score", "reason", "applicable", "tier")
    )


def _import(code: str, parsed: ParsedWorkbook, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return scores_import(
        evaluation=Evaluation.objects.get(code=code), parsed=parsed, dry_run=dry_run
    )


# ----------------------------------------------------------------------------- layout


def test_the_score_sheet_has_the_nine_official_headers_first() -> None:
    workbook = _export("panjin-2023")
    assert workbook.sheetnames == ["评分表", "评价信息", "预算执行", "存在问题与建议"]
    assert [c.value for c in workbook["评分表"][1]] == NINE + HELPERS


def test_rows_list_the_tree_with_numbers_as_numbers() -> None:
    sheet = _export("panjin-2023")["评分表"]
    assert _row_of(sheet, "话务接通率") == PANJIN_ROW
    row = [c.value for c in sheet[PANJIN_ROW]]
    assert row[:4] == ["产出", "产出数量", "话务接通率", 10]
    assert row[4:6] == ["≥80%", "98.01%"]
    assert row[6].startswith("正向：")
    assert row[7] == 10
    assert row[9:11] == [10, 21]
    assert sheet.cell(PANJIN_ROW, 8).data_type == "n"
    assert sheet.cell(PANJIN_ROW, 4).number_format == "0.00"
    # a 二级 row: names down to its level, its score summed by a formula
    assert [c.value for c in sheet[20]][:4] == ["产出", "产出数量", None, 20]
    assert sheet.cell(20, 8).value == (
        '=IF(M21="是",0,IF(H21="",N(J21),H21))+IF(M22="是",0,IF(H22="",N(J22),H22))'
    )


def test_reconstructed_weights_are_marked() -> None:
    tianjin = _export("tianjin-2020")["评分表"]
    assert tianjin.cell(_row_of(tianjin, "立项依据充分性"), 12).value == "是"
    panjin = _export("panjin-2023")["评分表"]
    assert {c.value for c in panjin["L"][1:]} == {None}


def test_info_budget_and_findings_sheets() -> None:
    workbook = _export("tianjin-2020")
    info = {
        r[0]: r[1] for r in workbook["评价信息"].iter_rows(min_row=2, values_only=True)
    }
    assert info["评价代码"] == "tianjin-2020"
    assert info["评价名称"] == "2020年天津市便民专线服务中心运行经费项目绩效评价报告"
    assert info["评价年度"] == 2020
    assert info["项目代码"] == "tianjin-2020"
    assert info["导出时总分"] == 92.37
    assert info["等级"] == "优"
    budget = list(workbook["预算执行"].iter_rows(values_only=True))
    assert budget[0] == (
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
    assert budget[1] == (
        2020,
        "万元",
        10200.59,
        913,
        21.19,
        11092.4,
        11092.4,
        11076.79,
        1,
        0.9986,
    )
    assert budget[3][:5] == ("经济分类", "预算", "到位", "支出", "执行率")
    assert budget[5][:5] == ("商品和服务支出", 1969.62, 1969.62, 1978.55, 1.0045)
    assert budget[7][:5] == ("合计", 11092.4, 11092.4, 11076.79, 0.9986)
    assert workbook["预算执行"]["J2"].number_format == "0.00%"
    findings = list(workbook["存在问题与建议"].iter_rows(values_only=True))
    assert findings[0] == ("类别", "序号", "标题", "内容", "相关指标", "对应问题")
    assert [(r[0], r[1]) for r in findings[1:]] == [
        ("存在问题", 1),
        ("存在问题", 2),
        ("存在问题", 3),
        ("存在问题", 4),
        ("建议", 1),
        ("建议", 2),
        ("建议", 3),
        ("建议", 4),
    ]
    assert findings[1][2] == "绩效目标设置合理性不足"
    assert findings[5][5] == "绩效目标设置合理性不足"


def test_text_that_looks_like_a_formula_is_exported_as_written_and_read_back() -> None:
    """The text itself, as a string with Excel's quote prefix (not a literal apostrophe,
    which Excel would print); a workbook of before, with the apostrophe in the cell,
    still reads back without it."""
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    )
    evaluation_indicator_score(indicator=leaf, final_score=D("10"), reason="=1+1 核实")
    workbook = _export("panjin-2023")
    cell = workbook["评分表"].cell(PANJIN_ROW, 9)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1 核实", "s", True)
    report = _import("panjin-2023", read_workbook(workbook_export(leaf.evaluation)))
    assert (report.errors, report.changes) == ([], [])
    leaf.refresh_from_db()
    assert leaf.reason == "=1+1 核实"

    cell.value, cell.quotePrefix = "'=1+1 核实", False
    report = _import("panjin-2023", read_workbook(_bytes(workbook)))
    assert (report.errors, report.changes) == ([], [])


# ----------------------------------------------------------------------------- round trip


def test_line_ends_and_not_applicable_survive_the_round_trip() -> None:
    evaluation = Evaluation.objects.get(code="panjin-2023")
    leaf = EvaluationIndicator.objects.get(evaluation=evaluation, name="话务好评率")
    evaluation_indicator_score(
        indicator=leaf, final_score=None, reason="第一行\r\n第二行", applicable=False
    )
    workbook = load_workbook(io.BytesIO(workbook_export(evaluation)))
    assert workbook["评分表"].cell(24, 13).value == "是"
    report = _import("panjin-2023", read_workbook(_bytes(workbook)))
    assert (report.errors, report.changes) == ([], [])
    leaf.refresh_from_db()
    assert (leaf.reason, leaf.applicable) == ("第一行\r\n第二行", False)

    workbook["评分表"].cell(24, 13).value = None
    workbook["评分表"].cell(24, 8).value = 10
    report = _import("panjin-2023", read_workbook(_bytes(workbook)), dry_run=True)
    assert [(c.row, c.column, c.old, c.new) for c in report.changes] == [
        (24, "得分", "（空）", "10.00"),
        (24, "不适用", "是", "否"),
    ]
    assert (report.total_before, report.total_after) == (D("100.00"), D("100.00"))


@pytest.mark.parametrize(
    ("code", "total"), [("panjin-2023", D("100.00")), ("tianjin-2020", D("92.37"))]
)
def test_export_then_import_unchanged_gives_identical_scores(
    code: str, total: D
) -> None:
    evaluation = Evaluation.objects.get(code=code)
    before = evaluation_score(evaluation)
    leaves_before = {
        i.pk: (before.result_for(i).final_score, i.final_score, i.reason)  # type: ignore[union-attr]
        for i in before.indicators
        if not before.children.get(i.pk)
    }
    parsed = read_workbook(workbook_export(evaluation))

    preview = scores_import(evaluation=evaluation, parsed=parsed, dry_run=True)
    assert (preview.errors, preview.changes, preview.notes) == ([], [], [])
    assert (preview.total_before, preview.total_after) == (total, total)

    report = scores_import(evaluation=evaluation, parsed=parsed, dry_run=False)
    assert (report.errors, report.changes, report.applied) == ([], [], True)
    after = evaluation_score(evaluation)
    assert after.result.total == before.result.total == total
    assert [n.score for n in after.result.nodes] == [
        n.score for n in before.result.nodes
    ]
    assert {
        i.pk: (after.result_for(i).final_score, i.final_score, i.reason)  # type: ignore[union-attr]
        for i in after.indicators
        if not after.children.get(i.pk)
    } == leaves_before


def test_the_preview_shows_old_and_new_and_writes_nothing() -> None:
    def edit(sheet: Worksheet) -> None:
        sheet.cell(PANJIN_ROW, 8).value = 8
        sheet.cell(PANJIN_ROW, 9).value = "抽查发现高峰时段接通率偏低"

    parsed = _edit("panjin-2023", edit)
    state = _state("panjin-2023")
    preview = _import("panjin-2023", parsed, dry_run=True)
    old_reason = EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    ).reason
    assert preview.errors == []
    assert preview.changes == [
        Change(22, "产出 / 产出数量 / 话务接通率", "得分", "10.00", "8.00"),
        Change(
            22,
            "产出 / 产出数量 / 话务接通率",
            "评分说明",
            old_reason,
            "抽查发现高峰时段接通率偏低",
        ),
    ]
    assert (preview.total_before, preview.grade_before) == (D("100.00"), "优")
    assert (preview.total_after, preview.grade_after) == (D("98.00"), "优")
    assert preview.applied is False
    assert _state("panjin-2023") == state

    report = _import("panjin-2023", parsed)
    assert report.applied is True
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    )
    assert (leaf.final_score, leaf.reason) == (D("8.00"), "抽查发现高峰时段接通率偏低")
    assert evaluation_score(leaf.evaluation).result.total == D("98.00")


def test_edits_of_read_only_columns_are_reported_not_imported() -> None:
    def edit(sheet: Worksheet) -> None:
        sheet.cell(PANJIN_ROW, 6).value = "97%"

    report = _import("panjin-2023", _edit("panjin-2023", edit))
    assert report.errors == []
    assert report.changes == []
    assert report.notes == [
        "第22行“实际完成值”列：导入只更新得分、评分说明、不适用和档次，此列的修改不会导入。"
    ]
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    )
    assert leaf.actual_text == "98.01%"


def test_rows_without_the_key_column_are_matched_by_their_names() -> None:
    def edit(sheet: Worksheet) -> None:
        sheet.cell(PANJIN_ROW, 8).value = 9
        sheet.cell(PANJIN_ROW, 9).value = "按通报数据复核"
        sheet.delete_cols(_column(sheet, "指标编号"))

    report = _import("panjin-2023", _edit("panjin-2023", edit), dry_run=True)
    assert report.errors == []
    assert [(c.row, c.column, c.new) for c in report.changes] == [
        (22, "得分", "9.00"),
        (22, "评分说明", "按通报数据复核"),
    ]


# ----------------------------------------------------------------------------- refused


def _set(row: int, header: str, value: object) -> Callable[[Worksheet], None]:
    def edit(sheet: Worksheet) -> None:
        sheet.cell(row, _column(sheet, header)).value = value

    return edit


def _add_unknown_row(sheet: Worksheet) -> None:
    sheet.append(["产出", "产出数量", "不存在的指标", 5, None, None, None, 5, "新增"])


def _rename_header(sheet: Worksheet) -> None:
    sheet["H1"] = "分数"


def _delete_header_row(sheet: Worksheet) -> None:
    sheet.delete_rows(1)


BAD_WORKBOOKS = [
    pytest.param(
        _set(PANJIN_ROW, "得分", "十分"),
        ["第22行“得分”列：“十分”不是数字，请填写数字，如 8.5。"],
        id="text-in-a-number-cell",
    ),
    pytest.param(
        _set(PANJIN_ROW, "得分", 11),
        ["第22行“得分”列：得分须在 0 至分值 10.00 之间。"],
        id="score-above-its-weight",
    ),
    pytest.param(
        _set(PANJIN_ROW, "得分", 8.555),
        ["第22行“得分”列：“8.555”超过两位小数，请保留两位小数。"],
        id="more-than-two-decimals",
    ),
    pytest.param(
        _add_unknown_row,
        ["第31行“三级指标”列：本评价没有指标“产出 / 产出数量 / 不存在的指标”。"],
        id="unknown-indicator",
    ),
    pytest.param(
        _set(PANJIN_ROW, "指标编号", 999),
        ["第22行“指标编号”列：本评价没有编号为 999 的指标。"],
        id="unknown-key",
    ),
    pytest.param(
        _set(PANJIN_ROW, "三级指标", "话务接通率（调整）"),
        [
            "第22行“三级指标”列：指标编号 21 是“话务接通率”，工作簿中为“话务接通率（调整）”"
            "：指标名称不能在导入时修改。"
        ],
        id="renamed-indicator",
    ),
    pytest.param(
        _set(PANJIN_ROW, "分值", 12),
        ["第22行“分值”列：分值是 10.00，工作簿中为 12.00：分值不能在导入时修改。"],
        id="changed-weight",
    ),
    pytest.param(
        _set(PANJIN_ROW, "得分", "=5+3"),
        [
            "第22行“得分”列：公式没有计算结果：请在 Excel 中打开并保存后再导入，或直接填写数值。"
        ],
        id="uncalculated-formula",
    ),
    pytest.param(
        _set(PANJIN_ROW, "不适用", "也许"),
        ["第22行“不适用”列：“也许”无法识别：请填写“是”或留空。"],
        id="not-yes-or-blank",
    ),
    pytest.param(
        _set(PANJIN_ROW, "指标编号", "二十一"),
        ["第22行“指标编号”列：“二十一”不是指标编号：指标编号是导出时给出的正整数。"],
        id="key-not-a-number",
    ),
    pytest.param(
        _rename_header,
        ["第1行H列（表头）：应为“得分”，工作簿中为“分数”——表头不能改名。"],
        id="renamed-header",
    ),
    pytest.param(
        _delete_header_row,
        [
            "第1行（表头）：应为“一级指标、二级指标、三级指标、分值、指标值、实际完成值、评分方法、"
            "得分、评分说明”，工作簿中为“决策、6…”——表头行可能被删除了。"
        ],
        id="deleted-header-row",
    ),
]


@pytest.mark.parametrize(("edit", "messages"), BAD_WORKBOOKS)
def test_a_bad_workbook_is_refused_with_row_and_column_and_nothing_changes(
    edit: Callable[[Worksheet], None], messages: list[str]
) -> None:
    state = _state("panjin-2023")
    parsed = _edit("panjin-2023", edit)
    for dry_run in (True, False):
        report = _import("panjin-2023", parsed, dry_run=dry_run)
        assert report.errors == messages
        assert (report.changes, report.applied) == ([], False)
    assert _state("panjin-2023") == state


def test_one_bad_row_refuses_every_row() -> None:
    def edit(sheet: Worksheet) -> None:
        sheet.cell(PANJIN_ROW, 8).value = 9  # fine on its own, with a reason
        sheet.cell(PANJIN_ROW, 9).value = "复核"
        sheet.cell(24, 8).value = 9  # 话务好评率: differs from the rule, no reason
        sheet.cell(24, 9).value = None

    state = _state("panjin-2023")
    report = _import("panjin-2023", _edit("panjin-2023", edit))
    assert report.errors == [
        "第24行“评分说明”列：得分与评分规则计算的 10.00 不同，请说明理由。"
    ]
    assert _state("panjin-2023") == state


def test_errors_in_several_rows_are_all_listed_in_row_order() -> None:
    def edit(sheet: Worksheet) -> None:
        sheet.cell(24, 8).value = "满分"
        sheet.cell(PANJIN_ROW, 8).value = 10.5

    report = _import("panjin-2023", _edit("panjin-2023", edit))
    assert report.errors == [
        "第22行“得分”列：得分须在 0 至分值 10.00 之间。",
        "第24行“得分”列：“满分”不是数字，请填写数字，如 8.5。",
    ]


def test_a_row_given_twice_is_refused() -> None:
    def edit(sheet: Worksheet) -> None:
        sheet.append([*[c.value for c in sheet[PANJIN_ROW]][:9], None, 21])

    report = _import("panjin-2023", _edit("panjin-2023", edit))
    assert report.errors == ["第31行“指标编号”列：与第22行是同一个指标。"]


def test_a_workbook_of_another_evaluation_is_refused() -> None:
    parsed = read_workbook(workbook_export(Evaluation.objects.get(code="tianjin-2020")))
    report = _import("panjin-2023", parsed)
    assert report.errors == [
        "这个工作簿属于评价“tianjin-2020”，不能导入到“2023年度12345热线平台运营及人员外包经费项目"
        "（政策）重点绩效评价报告”（panjin-2023）。"
    ]


def test_a_submitted_evaluation_refuses_any_import() -> None:
    parsed = _edit("panjin-2023", _set(PANJIN_ROW, "得分", 8))
    Evaluation.objects.filter(code="panjin-2023").update(
        status=Evaluation.Status.SUBMITTED
    )
    state = _state("panjin-2023")
    report = _import("panjin-2023", parsed)
    assert report.errors == ["该评价已提交，不能再修改。"]
    assert _state("panjin-2023") == state


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"evaluation,score\npanjin,10\n",
            "这不是 Excel 工作簿（.xlsx）文件，无法读取：请上传从本系统导出的评价工作簿。",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "这不是 Excel 工作簿（.xlsx）文件，无法读取：请上传从本系统导出的评价工作簿。",
        ),
        (
            b"PK\x03\x04broken",
            "这不是 Excel 工作簿（.xlsx）文件，无法读取：请上传从本系统导出的评价工作簿。",
        ),
    ],
    ids=["csv", "legacy-xls", "broken-zip"],
)
def test_a_file_that_is_not_a_workbook_gets_a_clear_message(
    content: bytes, message: str
) -> None:
    with pytest.raises(WorkbookRefused) as refused:
        read_workbook(content)
    assert refused.value.messages == [message]


def test_a_broken_or_oversized_package_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    with pytest.raises(WorkbookRefused) as refused:
        read_workbook(buffer.getvalue())
    assert refused.value.messages == [
        "文件已损坏或不是 Excel 工作簿，无法打开：请用 Excel 打开确认后另存为 .xlsx。"
    ]
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(WorkbookRefused) as refused:
        read_workbook(workbook_export(Evaluation.objects.get(code="panjin-2023")))
    assert refused.value.messages == [
        "工作簿解压后超过 1 KB 或包含过多文件，不像是评价工作簿，已拒绝。"
    ]


def test_a_workbook_without_the_score_sheet_is_refused() -> None:
    workbook = Workbook()
    workbook.active.title = "Sheet1"  # type: ignore[union-attr]
    with pytest.raises(WorkbookRefused) as refused:
        read_workbook(_bytes(workbook))
    assert refused.value.messages == [
        "工作簿中没有“评分表”工作表：请使用从本系统导出的评价工作簿。"
    ]


def test_the_file_size_and_row_caps_are_enforced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(WorkbookRefused) as refused:
        read_workbook(b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024))
    assert refused.value.messages == ["文件大小 6 MB 超过上限 5 MB。"]
    content = workbook_export(Evaluation.objects.get(code="panjin-2023"))
    monkeypatch.setattr(reading, "MAX_IMPORT_ROWS", 20)
    with pytest.raises(WorkbookRefused) as refused:
        read_workbook(content)
    assert refused.value.messages == ["文件有 20+ 行，一次最多导入 20 行。"]
