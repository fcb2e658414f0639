"""``import_evaluation --create`` keeps everything the workbook holds — 存在问题与建议,
评价名称, 评价机构 — or refuses naming what it cannot take."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from evaluations.models import Evaluation, EvaluationIndicator
from tests.integration.evaluations.checklists import BAD_POINTS, tianjin_checklist

pytestmark = pytest.mark.django_db

TIANJIN_FINDINGS: list[tuple[object, ...]] = [
    ("类别", "序号", "标题", "内容", "相关指标", "对应问题"),
    ("存在问题", 1, "绩效目标设置合理性不足", "绩效目标合理性、绩效指标明确性", None),
    ("存在问题", 2, "预算调整未履程序，预算执行约束力不强", "资金使用合规性", None),
    ("存在问题", 3, "未制定地方政务服务热线规范标准", "管理制度健全性", None),
    (
        "存在问题",
        4,
        "未留存后台原始数据，资料归档存在不足",
        "制度执行有效性、决策支持程度",
        None,
    ),
    ("建议", 1, "突出工作重点，合理设置绩效指标", None, "绩效目标设置合理性不足"),
    (
        "建议",
        2,
        "加强预算管理，严格执行预算调整程序",
        None,
        "预算调整未履程序，预算执行约束力不强",
    ),
    (
        "建议",
        3,
        "完善现有制度，细化地方服务标准",
        None,
        "未制定地方政务服务热线规范标准",
    ),
    (
        "建议",
        4,
        "强化风险意识，做好后台数据保存",
        None,
        "未留存后台原始数据，资料归档存在不足",
    ),
]


def _run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def exported(tmp_path: Path) -> Callable[[str], Path]:
    def export(code: str) -> Path:
        path = tmp_path / f"{code}.xlsx"
        _run("export_evaluation", code, "-o", str(path))
        return path

    return export


def _rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def _info(path: Path) -> dict[object, object]:
    return {row[0]: row[1] for row in _rows(path, "评价信息")}


def _edit(path: Path, change: Callable[[Workbook], None]) -> Path:
    workbook = load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def test_created_evaluation_re_exports_the_same_findings_and_recommendations(
    exported: Callable[[str], Path], tmp_path: Path
) -> None:
    source = exported("tianjin-2020")
    findings = _rows(source, "存在问题与建议")
    # the seed's own rows, with their full texts
    assert findings[0] == TIANJIN_FINDINGS[0]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in findings[1:]] == (
        TIANJIN_FINDINGS[1:]
    )
    assert str(findings[1][3]).startswith("一方面，个别产出数量指标与实际需求不符。")

    code = _run("import_evaluation", "--create", str(source))[-1]
    assert code == "tianjin-2020-2020-self-1"
    evaluation = Evaluation.objects.get(code=code)
    assert [f.title for f in evaluation.findings.all()] == [
        r[2] for r in TIANJIN_FINDINGS[1:5]
    ]
    assert [
        (r.position, r.title, r.finding.title if r.finding else None)
        for r in evaluation.recommendations.all()
    ] == [(r[1], r[2], r[4]) for r in TIANJIN_FINDINGS[5:]]
    finding = evaluation.findings.get(position=4)
    assert sorted(i.name for i in finding.indicators.all()) == [
        "决策支持程度",
        "制度执行有效性",
    ]

    again = tmp_path / "again.xlsx"
    _run("export_evaluation", code, "-o", str(again))
    assert _rows(again, "存在问题与建议") == findings
    info, source_info = _info(again), _info(source)
    assert (
        (info["评价名称"], info["评价机构"])
        == (
            source_info["评价名称"],
            source_info["评价机构"],
        )
        == (
            "2020年天津市便民专线服务中心运行经费项目绩效评价报告",
            "第三方专业机构（评价组）",
        )
    )


def test_created_evaluation_keeps_an_edited_title_and_evaluator(
    exported: Callable[[str], Path],
) -> None:
    def change(workbook: Workbook) -> None:
        sheet = workbook["评价信息"]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == "评价名称":
                row[1].value = "盘锦12345热线2023年度绩效自评（复核稿）"
            if row[0].value == "评价机构":
                row[1].value = "盘锦市营商环境建设局绩效评价小组"

    lines = _run(
        "import_evaluation", "--create", str(_edit(exported("panjin-2023"), change))
    )
    evaluation = Evaluation.objects.get(code=lines[-1])
    assert evaluation.title == "盘锦12345热线2023年度绩效自评（复核稿）"
    assert evaluation.evaluator_name == "盘锦市营商环境建设局绩效评价小组"
    assert evaluation.project is not None
    assert evaluation.evaluator == evaluation.project.unit  # the unit holds it
    # the table's own 评价类型 is kept (issue 15 §6); what the new evaluation does not
    # take is named
    assert evaluation.kind == "department"
    assert lines[:-2] == [
        "未采用：“评价信息”的评价代码“panjin-2023”：新评价的代码为 "
        "panjin-2023-2023-self-1。",
    ]


def test_the_units_own_name_as_evaluator_is_the_unit(
    exported: Callable[[str], Path],
) -> None:
    def change(workbook: Workbook) -> None:
        for row in workbook["评价信息"].iter_rows(min_row=2):
            if row[0].value == "评价机构":
                row[1].value = "盘锦市营商环境建设局"

    code = _run(
        "import_evaluation", "--create", str(_edit(exported("panjin-2023"), change))
    )[-1]
    evaluation = Evaluation.objects.get(code=code)
    assert evaluation.evaluator_name == ""
    assert evaluation.evaluator is not None
    assert evaluation.evaluator.name == "盘锦市营商环境建设局"


@pytest.mark.parametrize(
    ("row", "change", "message"),
    [
        (
            3,
            {1: "问题"},
            "“存在问题与建议”第3行“类别”列：应为“存在问题”或“建议”，工作簿中为“问题”。",
        ),
        (
            2,
            {5: "绩效目标合理性、接通率"},
            "“存在问题与建议”第2行“相关指标”列：评分表中没有指标“接通率”。",
        ),
        (
            6,
            {6: "不存在的问题"},
            "“存在问题与建议”第6行“对应问题”列：没有标题为“不存在的问题”的存在问题。",
        ),
        (4, {4: None}, "“存在问题与建议”第4行“内容”列：请填写内容。"),
        (5, {2: "第一"}, "“存在问题与建议”第5行“序号”列：“第一”不是序号。"),
    ],
)
def test_a_findings_row_it_cannot_take_refuses_the_whole_workbook(
    exported: Callable[[str], Path],
    row: int,
    change: dict[int, str | None],
    message: str,
) -> None:
    def edit(workbook: Workbook) -> None:
        for column, value in change.items():
            workbook["存在问题与建议"].cell(row, column).value = value

    path = _edit(exported("tianjin-2020"), edit)
    count = Evaluation.objects.count()
    with pytest.raises(CommandError) as refused:
        _run("import_evaluation", "--create", str(path))
    assert str(refused.value).splitlines() == ["未创建评价：", message]
    assert Evaluation.objects.count() == count


def test_a_findings_sheet_without_its_columns_is_refused(
    exported: Callable[[str], Path],
) -> None:
    def edit(workbook: Workbook) -> None:
        workbook["存在问题与建议"].cell(1, 3).value = "题目"

    with pytest.raises(CommandError) as refused:
        _run(
            "import_evaluation", "--create", str(_edit(exported("tianjin-2020"), edit))
        )
    assert str(refused.value).splitlines() == [
        "未创建评价：",
        "“存在问题与建议”第1行缺少列：标题（应为 类别、序号、标题、内容、相关指标、对应问题）。",
    ]


def _points_cell(path: Path, name: str) -> object:
    rows = _rows(path, "评分表")
    column = rows[0].index("清单要点")
    (value,) = [row[column] for row in rows if row[2] == name]
    return value


def test_created_evaluation_keeps_the_review_points_ticked(
    exported: Callable[[str], Path], tmp_path: Path
) -> None:
    tianjin_checklist([0, 1, 3])
    source = exported("tianjin-2020")
    assert _points_cell(source, "立项依据充分性") == "1、2、4"

    code = _run("import_evaluation", "--create", str(source))[-1]
    created = EvaluationIndicator.objects.get(
        evaluation__code=code, name="立项依据充分性"
    )
    assert (created.rule_kind, created.satisfied_points) == ("checklist", [0, 1, 3])
    again = tmp_path / "again.xlsx"
    _run("export_evaluation", code, "-o", str(again))
    assert _points_cell(again, "立项依据充分性") == "1、2、4"


@pytest.mark.parametrize(("name", "value", "message"), BAD_POINTS)
def test_review_points_it_cannot_take_refuse_the_created_evaluation(
    exported: Callable[[str], Path], name: str, value: str, message: str
) -> None:
    tianjin_checklist([0, 1])

    def change(workbook: Workbook) -> None:
        sheet = workbook["评分表"]
        column = [c.value for c in sheet[1]].index("清单要点")
        for row in sheet.iter_rows(min_row=2):
            if row[2].value == name:
                row[column].value = value

    before = Evaluation.objects.count()
    with pytest.raises(CommandError) as refused:
        _run(
            "import_evaluation",
            "--create",
            str(_edit(exported("tianjin-2020"), change)),
        )
    assert message in str(refused.value)
    assert Evaluation.objects.count() == before
