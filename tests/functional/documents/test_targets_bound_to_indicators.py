"""Every 指标值 an evaluation prints is its own indicator's (issue 13 item 3, issue 14
item 3): each seed leaf is linked to the target form indicator it measures, and the report
prints that indicator's value and no other."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from evaluations.models import EvaluationIndicator
from evaluations.services.creation import target_indicator_path

pytestmark = pytest.mark.django_db

# each seed leaf with a target: the form indicator it measures and the 指标值 printed
BOUND = {
    "tianjin-2020": [
        ("坐席设置数量", "产出指标/数量指标/设置坐席数", "560 个"),
        ("录用合同制人员数量", "产出指标/数量指标/录用合同制员工人数", "1030 人"),
        ("年度受理咨询数量", "产出指标/数量指标/全年受理(咨询)量", "750 万件"),
        ("开展培训人次", "产出指标/数量指标/开展培训人次", "8000 人次"),
        ("专线租赁数量", "产出指标/数量指标/租赁中继线路、专线链路", "30 条"),
        ("坐席电话接听率", "产出指标/质量指标/接通率", "大于 90%"),
        ("中继线开通率", "产出指标/质量指标/中继线开通率", "100%"),
        (
            "营商环境促进程度",
            "效益指标/经济效益指标/营商环境相关问题受理数量",
            "20000 个",
        ),
        (
            "平台影响力",
            "效益指标/社会效益指标/天津 8890 微博影响力",
            "在人民网政务指数微博影响力排名中名列同行业前六名",
        ),
        (
            "决策支持程度",
            "效益指标/可持续影响指标/为我市有关工作的科学决策提供数据支撑",
            "每月向市委、市政府报送 《舆情专报》等",
        ),
        ("群众咨询成本降低程度", "效益指标/经济效益指标/群众咨询成本", "显著降低"),
        (
            "群众对坐席的满意度",
            "满意度指标/服务对象满意度指标/群众对坐席满意率",
            "大于 80%",
        ),
    ],
    "panjin-2023": [
        ("平台人员数量", "产出指标/数量指标/平台人员数量", "52人"),
        ("话务接通率", "产出指标/数量指标/话务接通率", "≥80%"),
        ("话务好评率", "产出指标/质量指标/话务好评率", "≥80%"),
        ("话务直接办复率", "产出指标/质量指标/话务直接办复率", "≥60%"),
        ("解决企业群众非紧急类民生诉求", "效益指标/社会效益指标/办结率", "≥90%"),
        ("保障水平", "满意度指标/服务对象满意度指标/满意率", "≥80%"),
    ],
}


@pytest.mark.parametrize("code", sorted(BOUND))
def test_each_seed_leaf_is_linked_to_the_form_indicator_it_measures(
    code: str,
) -> None:
    leaves = (
        EvaluationIndicator.objects.filter(evaluation__code=code, children__isnull=True)
        .select_related("target_indicator__parent__parent")
        .order_by("position")
    )
    bound = [
        (
            leaf.name,
            target_indicator_path(leaf.target_indicator),
            leaf.target_indicator.value_text,
            leaf.target_text,
        )
        for leaf in leaves
        if leaf.target_indicator is not None
    ]
    assert bound == [(name, path, value, value) for name, path, value in BOUND[code]]
    # a leaf without a form indicator has no 指标值 of its own
    assert [
        leaf.name
        for leaf in leaves
        if leaf.target_indicator is None and leaf.target_text
    ] == []


@pytest.mark.parametrize("code", sorted(BOUND))
def test_every_printed_target_value_is_its_indicators(
    code: str, member: Callable[[str, str], Client]
) -> None:
    evaluator = "tj-evaluator" if code == "tianjin-2020" else "pj-yshj"
    client = member(evaluator, Role.EVALUATOR)
    html = client.get(
        reverse("documents:preview", args=["evaluation_report", code])
    ).content.decode()
    text = unescape(re.sub(r"<[^>]+>", "", html))
    printed = re.findall(
        r"（\d+）([^（\n]+?)（[\d.]+分[^）]*）\s*指标值：([^；\n]+)", text
    )
    assert printed == [(name, value) for name, _path, value in BOUND[code]]
    for wrong in ("2020 年底完成", "9878.2万", "实际完成值：累计验收"):
        assert wrong not in text


def test_the_trunk_line_rate_is_printed_as_a_rate_against_its_rate_target() -> None:
    leaf = EvaluationIndicator.objects.get(
        evaluation__code="tianjin-2020", name="中继线开通率"
    )
    assert (leaf.target_text, leaf.actual_text, leaf.actual_unit) == (
        "100%",
        "100%",
        "%",
    )
    assert (leaf.actual_numerator, leaf.actual_denominator) == (
        Decimal(30),
        Decimal(30),
    )
