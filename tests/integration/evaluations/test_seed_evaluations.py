"""The two seed evaluations are reproduced by the engine from the stored indicators."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.scoring import LeafResult
from evaluations.selectors import scored_evaluation

pytestmark = pytest.mark.django_db

D = Decimal


def test_tianjin_level1_weights_scores_rates_total_and_grade() -> None:
    scored = scored_evaluation("tianjin-2020")
    assert [(n.name, n.weight, n.score, n.rate) for n in scored.result.nodes] == [
        ("项目决策", D("17"), D("15"), D("88.24")),
        ("项目过程", D("23"), D("19.5"), D("84.78")),
        ("项目产出", D("38"), D("38"), D("100.00")),
        ("项目效益", D("22"), D("19.87"), D("90.32")),
    ]
    assert (scored.result.total, scored.result.grade) == (D("92.37"), "优")
    assert scored.result.flags == ()


def test_tianjin_leaves_are_the_indicators_the_report_evaluates() -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    leaves = [
        i.name
        for i in evaluation.indicators.order_by("position")
        if not i.children.exists()
    ]
    for name in (
        "坐席设置数量",
        "录用合同制人员数量",
        "年度受理咨询数量",
        "开展培训人次",
        "专线租赁数量",
        "坐席电话接听率",
        "中继线开通率",
        "单位接听量占用人工成本",
        "平台受理时限",
        "营商环境促进程度",
        "平台影响力",
        "平台办结率",
        "民生领域服务深度",
        "决策支持程度",
        "群众咨询成本降低程度",
        "群众对坐席的满意度",
        "绩效目标合理性",
        "资金使用合规性",
        "管理制度健全性",
        "制度执行有效性",
    ):
        assert name in leaves
    assert len(leaves) == 28


def test_tianjin_unpublished_weights_are_marked_reconstructed() -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    level1 = evaluation.indicators.filter(level=1)
    assert not level1.filter(weight_reconstructed=True).exists()
    below = evaluation.indicators.exclude(level=1)
    assert below.filter(weight_reconstructed=False).count() == 0
    assert [i.published_score for i in level1.order_by("position")] == [
        D("15"),
        D("19.5"),
        D("38"),
        D("19.87"),
    ]


def test_tianjin_findings_and_recommendations_are_linked() -> None:
    evaluation = Evaluation.objects.get(code="tianjin-2020")
    findings = list(evaluation.findings.order_by("position"))
    assert [f.title for f in findings] == [
        "绩效目标设置合理性不足",
        "预算调整未履程序，预算执行约束力不强",
        "未制定地方政务服务热线规范标准",
        "未留存后台原始数据，资料归档存在不足",
    ]
    assert "超预算金额8.93万元" in findings[1].text
    assert set(findings[0].indicators.values_list("name", flat=True)) >= {
        "绩效目标合理性"
    }
    recommendations = list(evaluation.recommendations.order_by("position"))
    assert len(recommendations) == 4
    assert [r.finding for r in recommendations] == findings


def test_tianjin_target_is_linked_to_the_target_form_indicator() -> None:
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="坐席电话接听率"
    )
    assert leaf.target_indicator is not None
    assert (leaf.target_indicator.form.code, leaf.target_indicator.name) == (
        "tianjin-2020",
        "接通率",
    )
    assert (leaf.target_text, leaf.actual_number) == ("大于 90%", D("96.12"))
    missing = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="平台办结率"
    )
    assert (
        missing.target_indicator is None
    )  # the first finding: 办结率 is not on the form


def test_panjin_structure_weights_and_actuals() -> None:
    scored = scored_evaluation("panjin-2023")
    evaluation = scored.evaluation
    counts = [evaluation.indicators.filter(level=level).count() for level in (1, 2, 3)]
    assert counts == [4, 9, 16]
    assert [(n.name, n.weight, n.score) for n in scored.result.nodes] == [
        ("决策", D("6"), D("6")),
        ("管理", D("24"), D("24")),
        ("产出", D("40"), D("40")),
        ("效益", D("30"), D("30")),
    ]
    leaves = {i.name: i for i in evaluation.indicators.filter(level=3)}
    actuals = {
        name: (leaves[name].weight, leaves[name].actual_number)
        for name in (
            "预算执行率",
            "平台人员数量",
            "话务接通率",
            "话务好评率",
            "话务直接办复率",
            "解决企业群众非紧急类民生诉求",
            "保障水平",
        )
    }
    assert actuals == {
        "预算执行率": (D("20"), D("100")),
        "平台人员数量": (D("10"), D("52")),
        "话务接通率": (D("10"), D("98.01")),
        "话务好评率": (D("10"), D("98.33")),
        "话务直接办复率": (D("10"), D("75.53")),
        "解决企业群众非紧急类民生诉求": (D("15"), D("99.88")),
        "保障水平": (D("15"), D("91.43")),
    }
    execution = scored.result_for(leaves["预算执行率"])
    assert isinstance(execution, LeafResult)
    assert execution.computed_score == D("20.00")
    assert (scored.result.total, scored.result.grade) == (D("100.00"), "优")


@pytest.mark.parametrize(
    ("code", "total", "grade", "level1"),
    [
        ("tianjin-2020", "92.37", "优", ["15.00", "19.50", "38.00", "19.87"]),
        ("panjin-2023", "100.00", "优", ["6.00", "24.00", "40.00", "30.00"]),
    ],
)
def test_evaluate_json_prints_the_published_total_and_grade(
    code: str, total: str, grade: str, level1: list[str]
) -> None:
    out = StringIO()
    call_command("evaluate", code, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["code"], data["total"], data["grade"]) == (code, total, grade)
    assert [node["score"] for node in data["tree"]] == level1
    leaf = data["tree"][2]["children"][0]["children"][0]
    assert set(leaf) >= {
        "name",
        "weight",
        "score",
        "rate",
        "target",
        "actual",
        "computed_score",
        "rule",
    }
    assert data["flags"] == []


def test_evaluate_text_marks_reconstructed_weights() -> None:
    out = StringIO()
    call_command("evaluate", "tianjin-2020", stdout=out)
    text = out.getvalue()
    assert "总分 92.37，等级 优" in text
    assert "* 报告未公布该分值，为重构值。" in text
