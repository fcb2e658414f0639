"""A self-evaluation started from its approved form through the same workbook as any
evaluation (issue 15 §1): ``export_evaluation``, fill offline, ``import_evaluation`` (with
its dry run), and ``--create`` from the file; ``render_report`` prints its 自评表."""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from openpyxl import load_workbook

from evaluations.models import Evaluation, EvaluationIndicator, EvaluationKind
from evaluations.selectors import evaluation_score
from targets.models import TargetForm
from targets.services import target_form_approve, target_form_submit
from tests.functional.documents.readback import read_back

pytestmark = pytest.mark.django_db

D = Decimal
SHORTFALL = "合同制员工流失较多，年底在岗865人；下年度分批招录并加强培训。"
ACHIEVED = "全年保障865名合同员工薪酬和业务用房经费支出；30条中继线路全年开通。"


def _run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def started() -> Evaluation:
    form = TargetForm.objects.get(code="tianjin-2020")
    user = User.objects.create_user("approver")
    target_form_approve(form=target_form_submit(form=form, user=user), user=user)
    code = _run("start_self_evaluation", "tianjin-2020")[-1]
    return Evaluation.objects.get(code=code)


def _rows(path: Path) -> dict[str, int]:
    sheet = load_workbook(path)["评分表"]
    return {
        str(values[2]): number
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        if number > 1 and values[2]
    }


def test_the_workbook_round_trip_works_on_a_self_evaluation(
    started: Evaluation, tmp_path: Path
) -> None:
    assert started.kind == EvaluationKind.SELF
    EvaluationIndicator.objects.filter(
        evaluation=started, name="录用合同制员工人数"
    ).update(deviation_reason=SHORTFALL)
    Evaluation.objects.filter(pk=started.pk).update(goal_achieved=ACHIEVED)
    started.refresh_from_db()
    before = evaluation_score(started).result.total
    path = tmp_path / "self.xlsx"
    _run("export_evaluation", started.code, "-o", str(path))
    info = {
        row[0]: row[1]
        for row in load_workbook(path)["评价信息"].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert (info["评价代码"], info["评价类型"], info["主管部门"], info["实施单位"]) == (
        started.code,
        "单位自评",
        "天津市人民政府政务服务(营商环境)办公室",
        "天津市便民专线服务中心",
    )
    # unchanged, nothing to import
    assert _run("import_evaluation", str(path))[-1] == (
        f"没有修改。总分 {before}（{evaluation_score(started).result.grade}）→ "
        f"{before}（{evaluation_score(started).result.grade}）"
    )
    # filled offline: one score lowered with its reason
    row = _rows(path)["设置坐席数"]
    workbook = load_workbook(path)
    leaf = EvaluationIndicator.objects.get(evaluation=started, name="设置坐席数")
    weight = leaf.weight
    sheet = workbook["评分表"]
    sheet.cell(row, 8).value = float(weight - D("1"))
    sheet.cell(row, 9).value = "部分坐席全年未满员"
    sheet.cell(row, 19).value = "坐席排班调整"  # 偏差原因分析及改进措施: not a score
    workbook.save(path)
    dry = _run("import_evaluation", str(path), "--dry-run")
    assert (
        dry[1]
        == f"第{row}行 产出指标 / 数量指标 / 设置坐席数 得分：（空） → {weight - 1}"
    )
    leaf.refresh_from_db()
    assert leaf.final_score is None
    lines = _run("import_evaluation", str(path))
    assert lines[-2] == (
        f"未导入：第{row}行“偏差原因分析及改进措施”列：导入只更新得分、评分说明、不适用和档次，"
        "此列的修改不会导入。"
    )
    after = before - 1
    assert lines[-1].startswith("已导入 2 处修改。") and lines[-1].endswith(
        f"→ {after}（{evaluation_score(started).result.grade}）"
    )
    leaf.refresh_from_db()
    assert (leaf.final_score, leaf.reason) == (weight - 1, "部分坐席全年未满员")
    # the same file creates a self-evaluation of its own, scoring the same
    code = _run("import_evaluation", "--create", str(path))[-1]
    assert code == "tianjin-2020-2020-self-2"
    copy = Evaluation.objects.get(code=code)
    assert copy.kind == EvaluationKind.SELF
    assert evaluation_score(copy).result.total == after
    # and the 自评表's texts: 年度总体目标 and 偏差原因分析及改进措施
    assert (copy.annual_goal, copy.goal_achieved) == (started.annual_goal, ACHIEVED)
    assert copy.annual_goal.startswith("1. 保障 1030 名合同员工薪酬支出")
    assert EvaluationIndicator.objects.get(
        evaluation=copy, name="录用合同制员工人数"
    ).deviation_reason == (SHORTFALL)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_render_report_prints_the_started_self_evaluations_table(
    started: Evaluation, tmp_path: Path
) -> None:
    pdf = tmp_path / "self.pdf"
    _run("render_report", started.code, "-o", str(pdf))
    back = read_back(pdf.read_bytes())
    # 10 × 99.86 % = 9.99 (the proportional rule on the budget year's rate)
    assert back.row_with(
        "年度资金总额", "10,200.59", "11,092.40", "11,076.79", "10", "99.86%", "9.99"
    )
    scored = evaluation_score(started)
    assert back.row_with("总分", "100", str(scored.result.total))
