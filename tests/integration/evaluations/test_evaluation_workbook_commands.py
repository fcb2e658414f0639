"""``export_evaluation`` / ``import_evaluation`` [--dry-run] [--create]."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from budgets.models import BudgetYear
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.selectors import evaluation_score

pytestmark = pytest.mark.django_db

D = Decimal
PANJIN_ROW = 22  # 产出 / 产出数量 / 话务接通率


def _run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def exported(tmp_path: Path) -> Callable[[str], Path]:
    def export(code: str) -> Path:
        path = tmp_path / f"{code}.xlsx"
        assert _run("export_evaluation", code, "-o", str(path)) == [
            f"已导出 {Evaluation.objects.get(code=code).title}（{code}）→ {path}"
        ]
        return path

    return export


def _edit(path: Path, change: Callable[[Workbook], None]) -> Path:
    workbook = load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def _score(row: int, score: object, reason: str) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        sheet = workbook["评分表"]
        sheet.cell(row, 8).value = score
        sheet.cell(row, 9).value = reason

    return change


def test_export_then_import_unchanged_reports_no_changes(
    exported: Callable[[str], Path],
) -> None:
    lines = _run("import_evaluation", str(exported("tianjin-2020")))
    assert lines == [
        "2020年天津市便民专线服务中心运行经费项目绩效评价报告（tianjin-2020）",
        "没有修改。总分 92.37（优）→ 92.37（优）",
    ]


def test_import_dry_run_prints_the_changes_and_writes_nothing(
    exported: Callable[[str], Path],
) -> None:
    path = _edit(exported("panjin-2023"), _score(PANJIN_ROW, 8, "高峰时段接通率偏低"))
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="panjin-2023", name="话务接通率"
    )
    old_reason = leaf.reason
    lines = _run("import_evaluation", str(path), "--dry-run")
    assert lines[1:] == [
        "第22行 产出 / 产出数量 / 话务接通率 得分：10.00 → 8.00",
        f"第22行 产出 / 产出数量 / 话务接通率 评分说明：{old_reason} → 高峰时段接通率偏低",
        "试运行：2 处修改，未写入。总分 100.00（优）→ 98.00（优）",
    ]
    leaf.refresh_from_db()
    assert leaf.final_score == D("10.00")

    assert _run("import_evaluation", str(path))[-1] == (
        "已导入 2 处修改。总分 100.00（优）→ 98.00（优）"
    )
    leaf.refresh_from_db()
    assert (leaf.final_score, leaf.reason) == (D("8.00"), "高峰时段接通率偏低")


def test_import_errors_are_a_command_error_naming_row_and_column(
    exported: Callable[[str], Path],
) -> None:
    path = _edit(exported("panjin-2023"), _score(PANJIN_ROW, "十分", "?"))
    with pytest.raises(CommandError) as error:
        _run("import_evaluation", str(path))
    assert str(error.value) == (
        "未导入任何数据：\n第22行“得分”列：“十分”不是数字，请填写数字，如 8.5。"
    )


def test_import_of_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "scores.xlsx"
    path.write_text("一级指标,得分\n决策,6\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        _run("import_evaluation", str(path))
    assert str(error.value) == (
        "这不是 Excel 工作簿（.xlsx）文件，无法读取：请上传从本系统导出的评价工作簿。"
    )


def test_export_of_an_unknown_evaluation(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="没有代码为 nowhere-2020 的绩效评价"):
        _run("export_evaluation", "nowhere-2020", "-o", str(tmp_path / "x.xlsx"))


# ----------------------------------------------------------------------------- --create


def test_create_from_the_exported_panjin_workbook_scores_100(
    exported: Callable[[str], Path],
) -> None:
    lines = _run("import_evaluation", "--create", str(exported("panjin-2023")))
    code = lines[-1]
    assert code == "panjin-2023-2023-self-1"
    evaluation = Evaluation.objects.get(code=code)
    # the workbook's own 评价类型 and 公布总分 (issue 15 §6): Panjin's is a 部门评价
    assert (evaluation.kind, evaluation.year) == (EvaluationKind.DEPARTMENT, 2023)
    assert (evaluation.source_total, evaluation.source_grade) == (D("100.00"), "优")
    assert evaluation.project is not None and evaluation.project.code == "panjin-2023"
    assert evaluation.evaluator == evaluation.project.unit
    scored = evaluation_score(evaluation)
    assert (scored.result.total, scored.result.grade) == (D("100.00"), "优")
    assert [(n.name, n.weight, n.score) for n in scored.result.nodes] == [
        ("决策", D("6.00"), D("6.00")),
        ("管理", D("24.00"), D("24.00")),
        ("产出", D("40.00"), D("40.00")),
        ("效益", D("30.00"), D("30.00")),
    ]
    leaves = EvaluationIndicator.objects.filter(evaluation=evaluation, level=3)
    assert leaves.count() == 16
    leaf = leaves.get(name="话务接通率")
    assert (leaf.target_text, leaf.actual_text, leaf.rule_kind) == (
        "≥80%",
        "98.01%",
        "positive",
    )
    assert (leaf.final_score, leaf.published_score) == (D("10.00"), D("10.00"))
    assert (
        lines[-2]
        # the workbook's 评价名称 (issue 14 item 7), no longer a generated title
        == "已创建部门评价“2023年度12345热线平台运营及人员外包经费项目（政策）重点绩效评价报告”："
        "16 个三级指标，总分 100.00，等级 优；公布总分 100.00，等级 优。"
    )


def test_create_again_gets_the_next_code_and_an_edited_score_gives_its_total(
    exported: Callable[[str], Path],
) -> None:
    path = exported("panjin-2023")
    assert (
        _run("import_evaluation", "--create", str(path))[-1]
        == "panjin-2023-2023-self-1"
    )
    _edit(path, _score(PANJIN_ROW, 7.5, "接通率抽查不达标"))
    code = _run("import_evaluation", "--create", str(path))[-1]
    assert code == "panjin-2023-2023-self-2"
    scored = evaluation_score(Evaluation.objects.get(code=code))
    assert scored.result.total == D("97.50")


def test_create_from_the_tianjin_workbook_keeps_reconstructed_weights(
    exported: Callable[[str], Path],
) -> None:
    code = _run("import_evaluation", "--create", str(exported("tianjin-2020")))[-1]
    assert code == "tianjin-2020-2020-self-1"
    evaluation = Evaluation.objects.get(code=code)
    scored = evaluation_score(evaluation)
    assert (scored.result.total, scored.result.grade) == (D("92.37"), "优")
    assert [n.score for n in scored.result.nodes] == [
        D("15.00"),
        D("19.50"),
        D("38.00"),
        D("19.87"),
    ]
    leaf = EvaluationIndicator.objects.get(evaluation=evaluation, name="资金到位率")
    assert leaf.weight_reconstructed is True
    assert (leaf.rule_kind, leaf.rule_params) == (
        "ladder",
        {"deduct": "1", "full_at": "100", "step": "10"},
    )


def test_create_dry_run_creates_nothing(exported: Callable[[str], Path]) -> None:
    count = Evaluation.objects.count()
    lines = _run(
        "import_evaluation", "--create", "--dry-run", str(exported("panjin-2023"))
    )
    assert lines == [
        "试运行：将创建部门评价 panjin-2023-2023-self-1：16 个三级指标，总分 100.00，"
        "等级 优；公布总分 100.00，等级 优；未写入。"
    ]
    assert Evaluation.objects.count() == count


def test_create_records_weights_that_do_not_add_up_with_their_flag(
    exported: Callable[[str], Path],
) -> None:
    """Issue 15 §6: an inconsistent table is recorded as it stands, flagged (it was
    refused, and so could not be recorded at all)."""

    def change(workbook: Workbook) -> None:
        workbook["评分表"].cell(PANJIN_ROW, 4).value = 12

    path = _edit(exported("panjin-2023"), change)
    lines = _run("import_evaluation", "--create", str(path))
    assert lines[:1] == [
        "标记：「产出数量」下级指标分值合计 22.00 分，与其分值 20.00 分不一致。"
    ]
    evaluation = Evaluation.objects.get(code=lines[-1])
    leaf = EvaluationIndicator.objects.get(evaluation=evaluation, name="话务接通率")
    assert (leaf.weight, leaf.final_score, leaf.published_score) == (
        D("12.00"),
        D("10.00"),
        D("10.00"),
    )
    assert EvaluationIndicator.objects.get(
        evaluation=evaluation, name="产出数量"
    ).weight == D("20.00")


def test_create_records_a_table_itemising_fewer_than_100_points(
    tmp_path: Path,
) -> None:
    """Issue 15 §6: the points a published table does not itemise are recorded as
    unlisted (the table was refused)."""
    workbook = Workbook()
    info = workbook.active
    assert info is not None
    info.title = "评价信息"
    info.append(["项目", "内容"])
    info.append(["项目代码", "panjin-2023"])
    info.append(["评价年度", 2023])
    sheet = workbook.create_sheet("评分表")
    sheet.append(
        [
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
    )
    sheet.append(
        ["产出", "产出数量", "平台人员数量", 60, "52人", "52人", "正向", 60, ""]
    )
    sheet.append(
        ["效益", "社会效益", "诉求解决率", 30, "≥90%", "99.88%", "正向", 30, ""]
    )
    path = tmp_path / "self.xlsx"
    workbook.save(path)
    lines = _run("import_evaluation", "--create", str(path))
    assert lines[:2] == [
        "未列示分值：10.00 分（表中一级指标合计 90.00 分）",
        "标记：一级指标分值合计 90.00 分，与满分 100 分不一致。",
    ]
    partial = Evaluation.objects.get(code=lines[-1])
    assert evaluation_score(partial).result.total == D("90.00")

    sheet["D3"], sheet["H3"] = 40, 38.5
    sheet["I3"] = "部分诉求办理超时"
    workbook.save(path)
    code = _run("import_evaluation", "--create", str(path))[-1]
    evaluation = Evaluation.objects.get(code=code)
    scored = evaluation_score(evaluation)
    assert scored.result.total == D("98.50")
    # the 一级 and 二级 rows were implied by the names of the 三级 rows
    assert list(
        EvaluationIndicator.objects.filter(evaluation=evaluation)
        .order_by("position")
        .values_list("level", "name", "weight")
    ) == [
        (1, "产出", D("60.00")),
        (2, "产出数量", D("60.00")),
        (3, "平台人员数量", D("60.00")),
        (1, "效益", D("40.00")),
        (2, "社会效益", D("40.00")),
        (3, "诉求解决率", D("40.00")),
    ]
    leaf = EvaluationIndicator.objects.get(evaluation=evaluation, name="平台人员数量")
    assert (leaf.rule_kind, leaf.target_number, leaf.actual_number) == (
        "positive",
        D("52"),
        D("52"),
    )


def test_create_for_a_year_without_budget_creates_the_budget_row(
    exported: Callable[[str], Path],
) -> None:
    def change(workbook: Workbook) -> None:
        info = workbook["评价信息"]
        for row in info.iter_rows(min_row=2):
            if row[0].value == "评价年度":
                row[1].value = 2024
        budget = workbook["预算执行"]
        budget["A2"], budget["C2"], budget["D2"], budget["G2"], budget["H2"] = (
            2024,
            380,
            20,
            400,
            396,
        )
        budget["F2"] = 400

    path = _edit(exported("panjin-2023"), change)
    lines = _run("import_evaluation", "--create", str(path))
    assert lines[-1] == "panjin-2023-2024-self-1"
    assert lines[-2].endswith("，并按“预算执行”创建了该年度预算。")
    budget_year = BudgetYear.objects.get(project__code="panjin-2023", year=2024)
    assert (budget_year.initial, budget_year.addition, budget_year.adjusted) == (
        D("380.00"),
        D("20.00"),
        D("400.00"),
    )
    assert str(budget_year.execution_rate) == "99.00%"


def test_create_refuses_a_budget_row_that_contradicts_the_stored_one(
    exported: Callable[[str], Path],
) -> None:
    def change(workbook: Workbook) -> None:
        workbook["预算执行"]["C2"] = workbook["预算执行"]["F2"] = 365

    path = _edit(exported("panjin-2023"), change)
    with pytest.raises(CommandError) as error:
        _run("import_evaluation", "--create", str(path))
    assert str(error.value) == (
        "未创建评价：\n“预算执行”第2行“年初预算”列：与系统中 2023 年的预算（360.00）不一致；"
        "已有的预算不能由工作簿修改。"
    )


def test_create_refuses_an_unknown_project(exported: Callable[[str], Path]) -> None:
    def change(workbook: Workbook) -> None:
        for row in workbook["评价信息"].iter_rows(min_row=2):
            if row[0].value == "项目代码":
                row[1].value = "dalian-2023"

    path = _edit(exported("panjin-2023"), change)
    with pytest.raises(CommandError) as error:
        _run("import_evaluation", "--create", str(path))
    assert (
        str(error.value)
        == "未创建评价：\n“评价信息”第6行（项目代码）：没有代码为“dalian-2023”的项目"
        "（要按“评价信息”的项目名称、主管部门、实施单位新建，请加 --create-project）。"
    )


FULL_HEADERS = [
    "一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "评分方法", "得分", "评分说明",
    "计算得分", "指标编号", "分值重构", "不适用", "档次", "指标解释", "评分规则", "规则参数",
]  # fmt: skip


def _self_workbook(tmp_path: Path, *rows: list[object]) -> Path:
    workbook = Workbook()
    info = workbook.active
    assert info is not None
    info.title = "评价信息"
    info.append(["项目", "内容"])
    info.append(["项目代码", "panjin-2023"])
    info.append(["评价年度", 2023])
    sheet = workbook.create_sheet("评分表")
    sheet.append(FULL_HEADERS)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "self.xlsx"
    workbook.save(path)
    return path


def _leaf_row(name: str, weight: object, **cells: object) -> list[object]:
    row: list[object] = [
        "产出",
        "产出数量",
        name,
        weight,
        "≥80%",
        "98%",
        "正向",
        None,
        None,
    ]
    row += [None] * (len(FULL_HEADERS) - len(row))
    for header, value in cells.items():
        row[FULL_HEADERS.index(header)] = value
    return row


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [_leaf_row("话务接通率", 100, 评分规则="magic")],
            "第2行“评分规则”列：“magic”不是评分规则，应为 positive、reverse_template、"
            "reverse_system、equal、proportional、ladder、checklist、qualitative、judgment 之一。",
        ),
        (
            [_leaf_row("话务接通率", 100, 规则参数="{full_at: 100")],
            '第2行“规则参数”列：规则参数须为 JSON 对象，如 {"full_at": "100"}。',
        ),
        (
            [
                _leaf_row(
                    "话务接通率", 100, 评分规则="ladder", 规则参数='{"full_at": "100"}'
                )
            ],
            "第2行“规则参数”列：评分规则参数无效：rule parameter 'step' is required",
        ),
        (
            [_leaf_row("话务接通率", 100, 得分=101)],
            "第2行“得分”列：得分须在 0 至分值 100.00 之间。",
        ),
        (
            [_leaf_row("话务接通率", None)],
            "第2行“分值”列：请填写分值。",
        ),
        (
            [_leaf_row("话务接通率", 100, 得分="=50+50")],
            "第2行“得分”列：公式没有计算结果：请在 Excel 中打开并保存后再导入，或直接填写数值。",
        ),
        (
            [_leaf_row("话务接通率", 50), _leaf_row("话务接通率", 50)],
            "第3行“三级指标”列：指标“产出 / 产出数量 / 话务接通率”在第2行已出现。",
        ),
        (
            [[None, None, "话务接通率", 100]],
            "第2行“一级指标”列：缺少一级指标名称。",
        ),
    ],
    ids=[
        "unknown-rule",
        "params-not-json",
        "params-invalid",
        "score-above-weight",
        "no-weight",
        "uncalculated-formula",
        "twice",
        "no-level1",
    ],
)
def test_create_names_the_row_and_column_of_each_error(
    tmp_path: Path, rows: list[list[object]], message: str
) -> None:
    count = Evaluation.objects.count()
    with pytest.raises(CommandError) as error:
        _run("import_evaluation", "--create", str(_self_workbook(tmp_path, *rows)))
    assert str(error.value) == f"未创建评价：\n{message}"
    assert Evaluation.objects.count() == count
