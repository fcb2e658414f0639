"""Every 指标值 an evaluation prints is its own indicator's (issue 13 item 3, issue 14
item 3): each seed leaf is linked to the target form indicator it measures, and the
scoring page, the workbook and ``evaluate --json`` print that indicator's value and no
other (the seed reports now print their own text, without a 指标值 line per indicator)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from evaluations.models import Evaluation, EvaluationIndicator
from evaluations.services.creation import target_indicator_path
from evaluations.workbooks import workbook_export

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


def _expected(code: str) -> dict[str, str]:
    """Every leaf's 指标值 as it must print: its form indicator's, or nothing."""
    bound = {name: value for name, _path, value in BOUND[code]}
    return {
        leaf.name: bound.get(leaf.name, "")
        for leaf in EvaluationIndicator.objects.filter(
            evaluation__code=code, children__isnull=True
        )
    }


@pytest.mark.parametrize("code", sorted(BOUND))
def test_every_printed_target_value_is_its_indicators(
    code: str, member: Callable[[str, str], Client]
) -> None:
    """On the scoring page, in the workbook's 评分表 and in ``evaluate --json``."""
    expected = _expected(code)
    evaluator = "tj-evaluator" if code == "tianjin-2020" else "pj-yshj"
    client = member(evaluator, Role.EVALUATOR)
    html = client.get(reverse("evaluations:detail", args=[code])).content.decode()
    page = {}
    for leaf in EvaluationIndicator.objects.filter(
        evaluation__code=code, children__isnull=True
    ):
        start = html.index(f'id="indicator-{leaf.pk}"')
        cells = re.findall(
            r"<td[^>]*>(.*?)</td>", html[start : html.index("</tr>", start)], re.S
        )
        page[leaf.name] = unescape(cells[2]).strip().replace("—", "")
    assert page == expected

    sheet = load_workbook(
        io.BytesIO(workbook_export(Evaluation.objects.get(code=code)))
    )["评分表"]
    headers = [c.value for c in sheet[1]]
    workbook = {
        row[headers.index("三级指标")]: row[headers.index("指标值")] or ""
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[headers.index("三级指标")]
    }
    assert workbook == expected

    out = StringIO()
    call_command("evaluate", code, "--json", stdout=out)

    def leaves(nodes: list[dict[str, object]]) -> dict[str, str]:
        found: dict[str, str] = {}
        for node in nodes:
            if "children" in node:
                found.update(leaves(node["children"]))  # type: ignore[arg-type]
            else:
                found[str(node["name"])] = str(node["target"] or "")
        return found

    assert leaves(json.loads(out.getvalue())["tree"]) == expected
    for wrong in ("2020 年底完成", "9878.2万"):
        assert wrong not in html and wrong not in out.getvalue()


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
