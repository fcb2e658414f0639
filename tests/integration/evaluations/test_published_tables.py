"""Past years in (issue 15 §6): a published 项目支出绩效自评表 comes in as published with one
``import_evaluation --create``. Each test is one of the issue's refusals, and fails on the
code before it: the project had to exist, a table itemising fewer than 100 points or adding
up to more was refused, 公布总分 was ignored, every row needed its rule typed, 预算执行率 had to
be worked out by hand, and 评价名称/评价类型 were replaced."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from budgets.models import BudgetYear, Organisation, Project
from documents.kinds import document_type
from documents.models import DocumentFormat, DocumentKind
from documents.rendering import document_render
from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.selectors import evaluation_score
from tests.functional.documents.readback import read_back

pytestmark = pytest.mark.django_db

D = Decimal
HEADERS = ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "评分方法", "得分", "评分说明"]  # fmt: skip
PROJECT = "dalian-12345-2022"
NAME = "大连市12345政务服务便民热线运行经费"
DEPARTMENT = "大连市营商环境建设局"
UNIT = "大连市12345政务服务便民热线中心"
TITLE = "2022年度大连市12345热线运行经费项目支出绩效自评表"

# A published table itemising 80 points: the 预算执行率 row (its rate not typed), three
# indicators with 指标值 of each kind, no rule anywhere; 公布总分 95.5 优.
ROWS: list[list[object]] = [
    ["预算执行率", None, None, 20, None, None, None, 19.6, None],
    ["产出指标", "数量指标", "受理量", 30, "≥100万件", "112万件", None, 30, None],
    ["产出指标", "质量指标", "投诉率", 15, "≤2%", "1.8%", None, 15, None],
    ["效益指标", "社会效益指标", "群众诉求响应", 15, "显著提升", "明显提升", None, 14, "响应时间缩短"],
]  # fmt: skip


# with ROWS[:3]: a 20-point budget row plus 100 points of indicators
OVER_100: list[list[object]] = [
    ["效益指标", "社会效益指标", "群众诉求响应", 35, "显著提升", "明显提升", None, 34, "响应时间缩短"],
    ["满意度指标", "服务对象满意度指标", "群众满意率", 20, "≥90%", "95%", None, 20, None],
]  # fmt: skip


def _workbook(
    path: Path,
    rows: list[list[object]] = ROWS,
    *,
    info: dict[str, object] | None = None,
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "评分表"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    stated = {
        "项目代码": PROJECT,
        "项目名称": NAME,
        "主管部门": DEPARTMENT,
        "实施单位": UNIT,
        "评价年度": 2022,
        "评价名称": TITLE,
        "评价类型": "单位自评",
        "公布总分": 95.5,
        "公布等级": "优",
        **(info or {}),
    }
    sheet = workbook.create_sheet("评价信息")
    sheet.append(["项目", "内容"])
    for label, value in stated.items():
        sheet.append([label, value])
    budget = workbook.create_sheet("预算执行")
    budget.append(["预算年度", "金额单位", "年初预算", "追加", "调减", "调整后预算", "到位", "支出"])  # fmt: skip
    budget.append([stated["评价年度"], "万元", 500, 20, 0, 520, 520, 509.6])
    workbook.save(path)
    return path


def _run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def test_an_unknown_project_is_refused_unless_asked_to_create_it(
    tmp_path: Path,
) -> None:
    path = _workbook(tmp_path / "dalian.xlsx")
    with pytest.raises(CommandError) as refused:
        _run("import_evaluation", "--create", str(path))
    assert str(refused.value) == (
        "未创建评价：\n“评价信息”第2行（项目代码）：没有代码为“dalian-12345-2022”的项目"
        "（要按“评价信息”的项目名称、主管部门、实施单位新建，请加 --create-project）。"
    )
    # a dry run says what it would create, and creates nothing
    lines = _run(
        "import_evaluation", "--create", "--create-project", "--dry-run", str(path)
    )
    assert lines[0].startswith(
        f"将新建：项目“{NAME}”（{PROJECT}）、主管部门“{DEPARTMENT}”"
    )
    assert not Project.objects.filter(code=PROJECT).exists()
    assert not Organisation.objects.filter(name=DEPARTMENT).exists()

    lines = _run("import_evaluation", "--create", "--create-project", str(path))
    project = Project.objects.select_related("department", "unit").get(code=PROJECT)
    assert (project.name, project.department.name, project.unit.name) == (
        NAME,
        DEPARTMENT,
        UNIT,
    )
    assert (project.department.kind, project.unit.kind) == ("department", "unit")
    assert project.unit.parent == project.department
    assert lines[0] == (
        f"已新建：项目“{NAME}”（{PROJECT}）、主管部门“{DEPARTMENT}”"
        f"（{project.department.code}）、实施单位“{UNIT}”（{project.unit.code}）"
    )
    assert lines[-1] == f"{PROJECT}-2022-self-1"
    # the next year's table of the same organisations finds them by name
    _run(
        "import_evaluation",
        "--create",
        "--create-project",
        str(
            _workbook(
                tmp_path / "2023.xlsx",
                info={"项目代码": "dalian-12345-2023", "评价年度": 2023},
            )
        ),
    )
    assert Organisation.objects.filter(name=DEPARTMENT).count() == 1
    assert Project.objects.get(code="dalian-12345-2023").unit == project.unit


def test_the_table_comes_in_as_published_beside_the_engines_figures(
    tmp_path: Path,
) -> None:
    lines = _run(
        "import_evaluation",
        "--create",
        "--create-project",
        str(_workbook(tmp_path / "dalian.xlsx")),
    )
    evaluation = Evaluation.objects.get(code=lines[-1])
    # its own title and type
    assert (evaluation.title, evaluation.kind) == (TITLE, EvaluationKind.SELF)
    # the published total and grade, kept beside the engine's
    assert (evaluation.source_total, evaluation.source_grade) == (D("95.50"), "优")
    scored = evaluation_score(evaluation)
    assert (scored.result.total, scored.result.grade) == (D("78.60"), "中")
    # 预算执行率 → 比例 from the 预算执行 sheet: 509.6 ÷ 520 = 98.00 %, 20 × 98 % = 19.60
    budget = EvaluationIndicator.objects.get(evaluation=evaluation, name="预算执行率")
    assert (budget.rule_kind, budget.actual_text, budget.actual_number) == (
        "proportional",
        "98.00%",
        D("98.0000"),
    )
    assert budget.actual_source == "“预算执行”表：支出 509.60 ÷ 调整后预算 520.00"
    assert BudgetYear.objects.get(project__code=PROJECT, year=2022).expenditure == D(
        "509.60"
    )
    # each row's rule from its 指标值, the published score kept as published and final
    rows = {
        leaf.name: (
            leaf.rule_kind,
            leaf.published_score,
            leaf.final_score,
            scored.result_for(leaf).computed_score,  # type: ignore[union-attr]
        )
        for leaf in EvaluationIndicator.objects.filter(
            evaluation=evaluation, children__isnull=True
        )
    }
    assert rows == {
        "预算执行率": ("proportional", D("19.60"), D("19.60"), D("19.60")),
        "受理量": ("positive", D("30.00"), D("30.00"), D("30.00")),
        "投诉率": ("reverse_template", D("15.00"), D("15.00"), D("15.00")),
        "群众诉求响应": ("judgment", D("14.00"), D("14.00"), None),
    }
    # every default visible in the command's output
    assert lines[:8] == [
        f"已新建：项目“{NAME}”（{PROJECT}）、主管部门“{DEPARTMENT}”"
        f"（{Project.objects.get(code=PROJECT).department.code}）、实施单位“{UNIT}”"
        f"（{Project.objects.get(code=PROJECT).unit.code}）",
        "评分规则按指标值确定：第2行“预算执行率”→ 比例",
        "评分规则按指标值确定：第3行“受理量”：指标值“≥100万件”→ 正向",
        "评分规则按指标值确定：第4行“投诉率”：指标值“≤2%”→ 反向（模板）",
        "评分规则按指标值确定：第5行“群众诉求响应”：指标值“显著提升”→ 评价人打分",
        "未列示分值：20.00 分（表中一级指标合计 80.00 分）",
        "标记：一级指标分值合计 80.00 分，与满分 100 分不一致。",
        "标记：公布（填报）的总分 95.50 分与计算总分 78.60 分不一致。",
    ]
    assert lines[-2] == (
        f"已创建单位自评“{TITLE}”：4 个三级指标，总分 78.60，等级 中；"
        "公布总分 95.50，等级 优，并按“预算执行”创建了该年度预算。"
    )


def test_on_an_existing_project_rules_budget_rate_and_published_total_come_in(
    tmp_path: Path,
) -> None:
    """A full 100-point table of an existing project: each of the other refusals alone."""
    rows = [
        *ROWS,
        ["满意度指标", "服务对象满意度指标", "群众满意率", 20, "≥90%", "95%", None, 20, None],
    ]  # fmt: skip
    lines = _run(
        "import_evaluation",
        "--create",
        str(
            _workbook(
                tmp_path / "pj.xlsx",
                rows,
                info={"项目代码": "panjin-2023", "评价类型": "部门评价"},
            )
        ),
    )
    evaluation = Evaluation.objects.get(code=lines[-1])
    assert (evaluation.title, evaluation.kind) == (TITLE, EvaluationKind.DEPARTMENT)
    assert (evaluation.source_total, evaluation.source_grade) == (D("95.50"), "优")
    assert list(
        EvaluationIndicator.objects.filter(
            evaluation=evaluation, children__isnull=True
        ).values_list("name", "rule_kind", "actual_text")
    ) == [
        ("预算执行率", "proportional", "98.00%"),
        ("受理量", "positive", "112万件"),
        ("投诉率", "reverse_template", "1.8%"),
        ("群众诉求响应", "judgment", "明显提升"),
        ("群众满意率", "positive", "95%"),
    ]
    scored = evaluation_score(evaluation)
    assert (scored.result.total, scored.result.grade) == (D("98.60"), "优")
    assert [flag.message for flag in scored.result.flags] == [
        "公布（填报）的总分 95.50 分与计算总分 98.60 分不一致。"
    ]


def test_a_table_adding_up_to_more_than_its_total_is_recorded_with_its_flags(
    tmp_path: Path,
) -> None:
    """A 20-point budget row plus 100 points of indicators."""
    rows = [*ROWS[:3], *OVER_100]
    lines = _run(
        "import_evaluation",
        "--create",
        "--create-project",
        str(_workbook(tmp_path / "dalian.xlsx", rows, info={"公布总分": 98})),
    )
    assert [line for line in lines if line.startswith("标记：")] == [
        "标记：一级指标分值合计 120.00 分，与满分 100 分不一致。",
        "标记：总分 118.60 分超过满分 100 分。",
        "标记：公布（填报）的总分 98.00 分与计算总分 118.60 分不一致。",
    ]
    evaluation = Evaluation.objects.get(code=lines[-1])
    assert evaluation.source_total == D("98.00")
    assert sum(
        EvaluationIndicator.objects.filter(
            evaluation=evaluation, parent__isnull=True
        ).values_list("weight", flat=True),
        D(0),
    ) == D("120.00")


def test_the_table_keeps_its_own_type_and_a_stated_rule_wins(tmp_path: Path) -> None:
    rows = [list(row) for row in ROWS]
    rows[1][6] = "反向（模板）"  # stated: not taken from the 指标值
    lines = _run(
        "import_evaluation",
        "--create",
        "--create-project",
        str(_workbook(tmp_path / "d.xlsx", rows, info={"评价类型": "部门评价"})),
    )
    evaluation = Evaluation.objects.get(code=lines[-1])
    assert evaluation.kind == EvaluationKind.DEPARTMENT
    assert EvaluationIndicator.objects.get(
        evaluation=evaluation, name="受理量"
    ).rule_kind == ("reverse_template")
    assert not any("第3行“受理量”" in line for line in lines)


def test_bad_published_figures_are_refused_naming_the_row(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "d.xlsx", info={"公布总分": "九十五", "评价类型": "年终考核"}
    )
    with pytest.raises(CommandError) as refused:
        _run("import_evaluation", "--create", "--create-project", str(path))
    assert str(refused.value) == (
        "未创建评价：\n"
        "“评价信息”第8行（评价类型）：“年终考核”不是评价类型，应为第三方重点评价、部门评价、"
        "单位自评之一。\n"
        "“评价信息”第9行（公布总分）：“九十五”不是总分：请填写 0 至 100 之间、最多两位小数的数。"
    )
    assert not Project.objects.filter(code=PROJECT).exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_published_table_prints_its_unlisted_points_and_published_total(
    tmp_path: Path,
) -> None:
    code = _run(
        "import_evaluation",
        "--create",
        "--create-project",
        str(_workbook(tmp_path / "dalian.xlsx")),
    )[-1]
    doctype = document_type(DocumentKind.SELF_EVALUATION_TABLE)
    assert doctype is not None
    back = read_back(document_render(doctype, doctype.build(code), DocumentFormat.PDF))
    assert back.row_with(
        "年度资金总额", "500.00", "520.00", "509.60", "20", "98%", "19.60"
    )
    assert back.row_with("受理量", "≥100万件", "112万件", "30", "30")
    assert back.row_with("未列示指标", "20", "", "")
    assert back.row_with("总分", "100", "78.60", "等级：中")
    assert back.row_with("公布总分", "", "95.50", "等级：优")


def test_the_workbook_round_trip_keeps_the_published_figures(tmp_path: Path) -> None:
    code = _run(
        "import_evaluation",
        "--create",
        "--create-project",
        str(_workbook(tmp_path / "dalian.xlsx")),
    )[-1]
    exported = tmp_path / "exported.xlsx"
    _run("export_evaluation", code, "-o", str(exported))
    info = {
        row[0]: row[1]
        for row in load_workbook(exported)["评价信息"].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert (info["主管部门"], info["实施单位"], info["公布总分"], info["公布等级"]) == (
        DEPARTMENT,
        UNIT,
        95.5,
        "优",
    )
    # unchanged, it imports as no change; --create makes the same evaluation again
    assert _run("import_evaluation", str(exported))[-1] == (
        "没有修改。总分 78.60（中）→ 78.60（中）"
    )
    again = Evaluation.objects.get(
        code=_run("import_evaluation", "--create", str(exported))[-1]
    )
    assert again.code == f"{PROJECT}-2022-self-2"
    assert (again.title, again.kind, again.source_total, again.source_grade) == (
        TITLE,
        EvaluationKind.SELF,
        D("95.50"),
        "优",
    )
    assert evaluation_score(again).result.total == D("78.60")
